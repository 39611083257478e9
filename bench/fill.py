"""Filling stores fast for the big cases: whole commits of messages or threads through D1UnitOfWork.

Messages go straight to ``uow.messages.add`` and one commit per ``commit_size`` (the service's
append does the same, plus re-stamping each message with its position, which a fill doesn't need).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bench.data import messages
from domain.metadata import MetadataInput
from domain.ports import UnitOfWork
from domain.thread import Thread

_START = datetime(2025, 6, 1, tzinfo=UTC)


def fill_thread(
    uow: UnitOfWork, thread_id: str, count: int, *, commit_size: int, resource_id: str = "bench"
) -> None:
    """Create ``thread_id`` holding ``count`` messages (built a commit at a time, to keep memory flat)."""
    with uow:
        uow.threads.add(Thread.new(resource_id, id=thread_id, at=_START))
        uow.commit()
    for first in range(0, count, commit_size):
        with uow:
            for message in messages(thread_id, min(commit_size, count - first), first_index=first):
                uow.messages.add(message)
            uow.commit()


def fill_threads(
    uow: UnitOfWork,
    count: int,
    *,
    commit_size: int,
    id_of: Callable[[int], str],
    metadata_of: Callable[[int], MetadataInput | None] = lambda _: None,
) -> None:
    """``count`` threads, each with its own activity time so listing order is well defined."""
    for first in range(0, count, commit_size):
        with uow:
            for index in range(first, min(first + commit_size, count)):
                at = _START + timedelta(seconds=index)
                uow.threads.add(Thread.new("bench", id=id_of(index), metadata=metadata_of(index), at=at))
            uow.commit()
