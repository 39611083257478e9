"""Read-modify-write with optimistic concurrency: re-read and re-apply when someone else won."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from domain.errors import ConcurrencyConflict, InvalidInput
from domain.patches import ThreadPatch
from domain.ports import UnitOfWork
from domain.thread import Thread

T = TypeVar("T")

DEFAULT_ATTEMPTS = 8
#: Writers that collided would collide again if they retried in lockstep: wait a random
#: 0..min(cap, base * 2**n) seconds between attempts (full jitter).
BASE_DELAY = 0.005
MAX_DELAY = 0.25


def conflict_delays(attempts: object, *, rng: Callable[[], float] = random.random) -> Iterator[float]:
    """The waits between ``attempts`` tries: one fewer than the attempts, growing, jittered."""
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
        raise InvalidInput("attempts", f"must be an integer of at least 1, not {attempts!r}")
    for n in range(attempts - 1):
        yield rng() * min(MAX_DELAY, BASE_DELAY * 2**n)


def retry_on_conflict(operation: Callable[[], T], *, attempts: int = DEFAULT_ATTEMPTS) -> T:
    """Run ``operation``; on ConcurrencyConflict wait a little and run it again, ``attempts`` times in all.

    ``operation`` must re-read what it depends on each time — a conflict means that state is stale.
    """
    for delay in conflict_delays(attempts):
        try:
            return operation()
        except ConcurrencyConflict:
            time.sleep(delay)
    return operation()


def edit_thread(
    uow: UnitOfWork,
    thread_id: str,
    decide: Callable[[Thread], ThreadPatch],
    *,
    attempts: int = DEFAULT_ATTEMPTS,
) -> Thread:
    """Read the thread, let ``decide`` compute an edit from it, commit guarded by the version read.

    If another writer committed in between, the whole read-decide-commit runs again on fresh
    state, so the edit is never based on a stale read. Returns the thread as committed.
    """

    def attempt() -> Thread:
        with uow:
            current = uow.threads.get(thread_id)
            uow.threads.update(thread_id, decide(current), expected_version=current.version)
            return uow.commit().threads[thread_id]

    return retry_on_conflict(attempt, attempts=attempts)
