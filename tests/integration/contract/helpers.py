"""Small builders shared by the contract tests: fixed times, so every backend sees the same input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import Message, Thread
from domain.ports import UnitOfWork

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def thread(thread_id: str, *, resource: str = "user-1", seconds: float = 0, **kwargs) -> Thread:
    return Thread.new(resource, id=thread_id, at=at(seconds), **kwargs)


def message(thread_id: str, message_id: str, *, seconds: float = 0, content="hi", **kwargs) -> Message:
    return Message.new(thread_id, "user", content, id=message_id, at=at(seconds), **kwargs)


def seed(uow: UnitOfWork, thread_id: str, count: int, *, seconds: float = 0) -> list[str]:
    """Commit a thread with ``count`` messages m1..m<count>; returns their ids."""
    uow.threads.add(thread(thread_id, seconds=seconds))
    ids = [f"{thread_id}-m{i}" for i in range(1, count + 1)]
    for i, message_id in enumerate(ids, start=1):
        uow.messages.add(message(thread_id, message_id, seconds=seconds + i))
    uow.commit()
    return ids
