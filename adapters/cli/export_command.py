"""``d1store export``: every conversation (of a resource) to stdout or a file, streaming."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from adapters.bootstrap import Store
from adapters.formats import Format, write_conversations
from service.conversations import export_conversations


def run(store: Store, args: argparse.Namespace) -> int:
    conversations = export_conversations(store.unit_of_work(), resource_id=args.resource)
    format = Format(args.format)
    if args.output is None:
        count = write_conversations(conversations, format, sys.stdout)
    else:
        # Written aside and renamed at the end: a failed export never leaves a truncated file behind.
        partial = f"{args.output}.partial"
        try:
            with open(partial, "w", encoding="utf-8", newline="\n") as out:
                count = write_conversations(conversations, format, out)
            os.replace(partial, args.output)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(partial)
    print(f"exported {count} conversations", file=sys.stderr)
    return 0
