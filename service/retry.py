"""Read-modify-write with optimistic concurrency: re-read and re-apply when someone else won."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from domain.errors import ConcurrencyConflict
from domain.patches import ThreadPatch
from domain.ports import UnitOfWork
from domain.thread import Thread

T = TypeVar("T")


def retry_on_conflict(operation: Callable[[], T], *, attempts: int = 5) -> T:
    """Run ``operation``; on ConcurrencyConflict run it again, up to ``attempts`` times in all.

    ``operation`` must re-read what it depends on each time — a conflict means that state is stale.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for _ in range(attempts - 1):
        try:
            return operation()
        except ConcurrencyConflict:
            continue
    return operation()


def edit_thread(
    uow: UnitOfWork,
    thread_id: str,
    decide: Callable[[Thread], ThreadPatch],
    *,
    attempts: int = 5,
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
