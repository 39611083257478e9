"""How big each benchmark is: the full run, and ``--quick`` for a look in a couple of minutes."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class Sizes:
    quick: bool
    #: Repeats of every timed measurement; medians are reported.
    rounds: int
    appends: tuple[int, ...] = (1, 10, 100, 1_000)
    #: Thread sizes for "recent 50" on the local D1 engine.
    recent_threads: tuple[int, ...]
    list_threads: int
    delete_thread_messages: int
    delete_rounds: int
    throughput_messages: int = 10_000
    throughput_batch: int = 100
    overhead_rounds: int
    #: Thread sizes for "recent 50" on the embedded default.
    scaling_threads: tuple[int, ...]
    fill_commit: int = 1_000


FULL = Sizes(
    quick=False,
    rounds=5,
    recent_threads=(100, 10_000, 100_000),
    list_threads=10_000,
    delete_thread_messages=10_000,
    delete_rounds=3,
    overhead_rounds=200,
    scaling_threads=(1_000, 100_000, 1_000_000),
)

QUICK = Sizes(
    quick=True,
    rounds=3,
    recent_threads=(100, 10_000),
    list_threads=10_000,
    delete_thread_messages=10_000,
    delete_rounds=1,
    overhead_rounds=60,
    scaling_threads=(1_000, 10_000, 100_000),
)
