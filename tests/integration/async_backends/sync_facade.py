"""Test-only sync faces of the async ports, so the sync contract suite's assertions run unchanged
on async backends: each awaited call runs on a private loop thread; recording calls go straight
through (they do no I/O)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from adapters.d1.client import AsyncD1Client, Statement, StatementResult
from domain.async_ports import AsyncMessageRepository, AsyncThreadRepository, AsyncUnitOfWork
from domain.cursors import Direction
from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.ports import MessageRepository, ThreadRepository, UnitOfWork
from domain.thread import Thread
from domain.views import CommitReceipt, MessagePage, RecentMessages, StoreStats, ThreadPage, ThreadQuery

from .loop_thread import LoopThread


class SyncThreads(ThreadRepository):
    def __init__(self, inner: AsyncThreadRepository, loop: LoopThread) -> None:
        self._inner, self._loop = inner, loop

    def add(self, thread: Thread) -> None:
        self._inner.add(thread)

    def get(self, thread_id: str) -> Thread:
        return self._loop.call(self._inner.get(thread_id))

    def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        return self._loop.call(self._inner.existing(thread_ids))

    def update(self, thread_id, patch: ThreadPatch, *, expected_version=None, at: datetime | None = None):
        self._inner.update(thread_id, patch, expected_version=expected_version, at=at)

    def delete(self, thread_id: str, *, expected_version: int | None = None) -> None:
        self._inner.delete(thread_id, expected_version=expected_version)

    def list(self, query: ThreadQuery) -> ThreadPage:
        return self._loop.call(self._inner.list(query))


class SyncMessages(MessageRepository):
    def __init__(self, inner: AsyncMessageRepository, loop: LoopThread) -> None:
        self._inner, self._loop = inner, loop

    def add(self, message: Message) -> None:
        self._inner.add(message)

    def get(self, message_id: str) -> Message:
        return self._loop.call(self._inner.get(message_id))

    def update(self, message_id: str, patch: MessagePatch) -> None:
        self._inner.update(message_id, patch)

    def delete(self, message_ids: Collection[str]) -> None:
        self._inner.delete(message_ids)

    def recent(self, thread_id, limit, *, around: Sequence[str] = (), before=0, after=0) -> RecentMessages:
        window = self._inner.recent(thread_id, limit, around=around, before=before, after=after)
        return self._loop.call(window)

    def page(self, thread_id, *, limit=100, cursor=None, direction=Direction.FORWARD) -> MessagePage:
        return self._loop.call(self._inner.page(thread_id, limit=limit, cursor=cursor, direction=direction))


class SyncUnitOfWork(UnitOfWork):
    def __init__(self, inner: AsyncUnitOfWork, loop: LoopThread) -> None:
        self.inner, self._loop = inner, loop
        self.threads = SyncThreads(inner.threads, loop)
        self.messages = SyncMessages(inner.messages, loop)

    def commit(self, *, idempotency_key: str | None = None) -> CommitReceipt:
        return self._loop.call(self.inner.commit(idempotency_key=idempotency_key))

    def rollback(self) -> None:
        self.inner.rollback()

    def stats(self) -> StoreStats:
        return self._loop.call(self.inner.stats())


class SyncClient:
    """A D1Client over an AsyncD1Client (closing is left to whoever opened the async one)."""

    def __init__(self, inner: AsyncD1Client, loop: LoopThread) -> None:
        self.inner, self._loop = inner, loop

    def batch(self, statements: Sequence[Statement]) -> list[StatementResult]:
        return self._loop.call(self.inner.batch(statements))

    def close(self) -> None:
        pass
