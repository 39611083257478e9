"""``d1store init`` and ``d1store stats``."""

from __future__ import annotations

import argparse
import json

from adapters.bootstrap import Store
from service.stats import store_stats


def init(store: Store, args: argparse.Namespace) -> int:
    applied = store.init()
    for name in applied:
        print(f"applied migration {name}")
    print("schema is up to date" if applied else "schema is up to date: nothing to apply")
    return 0


def _size(size: int | None) -> str:
    if size is None:
        return "unknown"
    scaled, unit = float(size), "bytes"
    for larger in ("KB", "MB", "GB"):
        if scaled < 1024:
            break
        scaled, unit = scaled / 1024, larger
    return f"{size} bytes" if unit == "bytes" else f"{scaled:.1f} {unit} ({size} bytes)"


def stats(store: Store, args: argparse.Namespace) -> int:
    counts = store_stats(store.unit_of_work())
    if args.json:
        print(
            json.dumps(
                {
                    "threads": counts.threads,
                    "messages": counts.messages,
                    "metadata": counts.metadata,
                    "size_bytes": counts.size_bytes,
                }
            )
        )
        return 0
    print(f"threads   {counts.threads}")
    print(f"messages  {counts.messages}")
    print(f"metadata  {counts.metadata}")
    print(f"size      {_size(counts.size_bytes)}")
    return 0
