"""Scaling: "recent 50" on the embedded default as the thread grows a thousandfold.

The big threads are filled through D1UnitOfWork in commits of 1,000 messages (the same SQL as
any append); the fill time is reported too.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Mapping
from pathlib import Path

from adapters.bootstrap import open_store
from adapters.config import StoreConfig
from bench.fill import fill_thread
from bench.report import Section, target
from bench.sizes import Sizes
from bench.timing import Run, interleaved, ratio, timed
from domain.ports import UnitOfWork
from service import recent_messages

RECENT = 50
ROUNDS = 200


def _reader(uow: UnitOfWork, thread_id: str) -> Run:
    def run(_: int) -> Mapping[str, float]:
        return {"wall": timed(lambda: recent_messages(uow, thread_id, last=RECENT, around=()))[0]}

    return run


def run(sizes: Sizes) -> Section:
    section = Section(
        "scaling",
        f"4. Scaling: recent {RECENT} on the embedded default (median of {ROUNDS} interleaved reads)",
        ("thread messages", "fill s", "ms (median)", "÷ smallest"),
    )
    with tempfile.TemporaryDirectory(prefix="d1store-bench-") as folder:
        store = open_store(StoreConfig(db_path=str(Path(folder) / "scaling.db")))
        try:
            store.init()
            uow = store.unit_of_work()
            fills: dict[int, float] = {}
            for size in sizes.scaling_threads:
                fill = functools.partial(
                    fill_thread, uow, f"scale-{size}", size, commit_size=sizes.fill_commit
                )
                fills[size], _ = timed(fill)
            readers = {size: _reader(uow, f"scale-{size}") for size in sizes.scaling_threads}
            interleaved({str(size): reader for size, reader in readers.items()}, 10)  # warm the cache
            medians = interleaved({str(size): reader for size, reader in readers.items()}, ROUNDS)
        finally:
            store.close()
    smallest = medians[str(sizes.scaling_threads[0])]["wall"]
    largest = sizes.scaling_threads[-1]
    for size in sizes.scaling_threads:
        wall = medians[str(size)]["wall"]
        grown = ratio(wall, smallest)
        values = {
            "thread messages": size,
            "fill s": fills[size],
            "ms (median)": wall * 1000,
            "÷ smallest": grown,
        }
        targets = [target("largest ÷ smallest ≤ 1.5", grown <= 1.5)] if size == largest else []
        section.add(f"recent {RECENT}, {size:,}-message thread", values, *targets)
    section.notes.append(
        "All threads live in one database file, so the largest thread's pages compete for the same cache. "
        f"Filled through D1UnitOfWork in commits of {sizes.fill_commit:,} messages (the SQL of any append)."
    )
    return section
