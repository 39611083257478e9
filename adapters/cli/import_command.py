"""``d1store import``: stream records from files into the store, conversation by conversation."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence

from adapters.bootstrap import Store
from adapters.cli.progress import Progress
from adapters.formats import Format, Malformed, parse_stream
from domain.conversation import Conversation
from service.conversations import import_conversations


class _Tally:
    malformed = 0


def _conversations(
    paths: Sequence[str],
    format: Format | None,
    resource_id: str | None,
    progress: Progress,
    tally: _Tally,
) -> Iterator[Conversation]:
    for path in paths:
        with open(path, "rb") as stream:
            for item in parse_stream(stream, path, format=format, resource_id=resource_id):
                if isinstance(item, Malformed):
                    tally.malformed += 1
                    progress.clear()
                    print(item, file=sys.stderr, flush=True)
                    continue
                progress.advance(len(item.conversation.messages))
                yield item.conversation


def run(store: Store, args: argparse.Namespace) -> int:
    for path in args.files:
        if not os.path.isfile(path):
            # Checked up front: a typo in the last file name should not leave an import half done.
            raise FileNotFoundError(f"{path}: no such file")
    format = None if args.format == "auto" else Format(args.format)
    progress = Progress(sys.stderr)
    tally = _Tally()
    try:
        report = import_conversations(
            store.unit_of_work(), _conversations(args.files, format, args.resource_id, progress, tally)
        )
    finally:
        progress.clear()
    print(
        f"imported {report.threads} threads, {report.messages} messages, "
        f"{report.skipped_existing} already present, {tally.malformed} malformed"
    )
    return 1 if tally.malformed else 0
