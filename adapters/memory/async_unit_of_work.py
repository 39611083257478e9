"""``AsyncInMemoryUnitOfWork``: the async face of the in-memory reference model.

Every call goes to a wrapped ``InMemoryUnitOfWork``, so the two cannot disagree; reads and commits
do no I/O and finish without yielding to the event loop.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from domain.async_ports import AsyncMessageRepository, AsyncThreadRepository, AsyncUnitOfWork
from domain.cursors import Direction
from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.ports import MessageRepository, ThreadRepository
from domain.thread import Thread
from domain.views import CommitReceipt, MessagePage, RecentMessages, StoreStats, ThreadPage, ThreadQuery


class AsyncInMemoryThreadRepository(AsyncThreadRepository):
    def __init__(self, sync: ThreadRepository) -> None:
        self._sync = sync

    def add(self, thread: Thread) -> None:
        self._sync.add(thread)

    async def get(self, thread_id: str) -> Thread:
        return self._sync.get(thread_id)

    async def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        return self._sync.existing(thread_ids)

    def update(
        self,
        thread_id: str,
        patch: ThreadPatch,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> None:
        self._sync.update(thread_id, patch, expected_version=expected_version, at=at)

    def delete(self, thread_id: str, *, expected_version: int | None = None) -> None:
        self._sync.delete(thread_id, expected_version=expected_version)

    async def list(self, query: ThreadQuery) -> ThreadPage:
        return self._sync.list(query)


class AsyncInMemoryMessageRepository(AsyncMessageRepository):
    def __init__(self, sync: MessageRepository) -> None:
        self._sync = sync

    def add(self, message: Message) -> None:
        self._sync.add(message)

    async def get(self, message_id: str) -> Message:
        return self._sync.get(message_id)

    def update(self, message_id: str, patch: MessagePatch) -> None:
        self._sync.update(message_id, patch)

    def delete(self, message_ids: Collection[str]) -> None:
        self._sync.delete(message_ids)

    async def recent(
        self,
        thread_id: str,
        limit: int,
        *,
        around: Sequence[str] = (),
        before: int = 0,
        after: int = 0,
    ) -> RecentMessages:
        return self._sync.recent(thread_id, limit, around=around, before=before, after=after)

    async def page(
        self,
        thread_id: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        direction: Direction = Direction.FORWARD,
    ) -> MessagePage:
        return self._sync.page(thread_id, limit=limit, cursor=cursor, direction=direction)


class AsyncInMemoryUnitOfWork(AsyncUnitOfWork):
    """Pass the same ``store`` to several units of work (sync or async) to share committed state."""

    threads: AsyncInMemoryThreadRepository
    messages: AsyncInMemoryMessageRepository

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self._sync = InMemoryUnitOfWork(store)
        self.store = self._sync.store
        self.threads = AsyncInMemoryThreadRepository(self._sync.threads)
        self.messages = AsyncInMemoryMessageRepository(self._sync.messages)

    async def commit(self, *, idempotency_key: str | None = None) -> CommitReceipt:
        return self._sync.commit(idempotency_key=idempotency_key)

    def rollback(self) -> None:
        self._sync.rollback()

    async def stats(self) -> StoreStats:
        return self._sync.stats()
