"""The async ports: the same contract as ``domain.ports`` (see docs/SEMANTICS.md), for asyncio.

Recording a write does no I/O, so repository write methods stay plain methods; reads, ``commit``
and ``stats`` go to the store and are awaited. Signatures otherwise match the sync ports exactly.
"""

from __future__ import annotations

import abc
from collections.abc import Collection, Sequence
from datetime import datetime
from types import TracebackType
from typing import Self

from domain.blocks import SingleBlock
from domain.cursors import Direction
from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.thread import Thread
from domain.views import (
    CommitReceipt,
    MessagePage,
    RecentMessages,
    StoreStats,
    ThreadPage,
    ThreadQuery,
)


class AsyncThreadRepository(abc.ABC):
    """See ``domain.ports.ThreadRepository`` for what each method does."""

    @abc.abstractmethod
    def add(self, thread: Thread) -> None: ...

    @abc.abstractmethod
    async def get(self, thread_id: str) -> Thread: ...

    @abc.abstractmethod
    async def existing(self, thread_ids: Collection[str]) -> frozenset[str]: ...

    @abc.abstractmethod
    def update(
        self,
        thread_id: str,
        patch: ThreadPatch,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> None: ...

    @abc.abstractmethod
    def delete(self, thread_id: str, *, expected_version: int | None = None) -> None: ...

    @abc.abstractmethod
    async def list(self, query: ThreadQuery) -> ThreadPage: ...


class AsyncMessageRepository(abc.ABC):
    """See ``domain.ports.MessageRepository`` for what each method does."""

    @abc.abstractmethod
    def add(self, message: Message) -> None: ...

    @abc.abstractmethod
    async def get(self, message_id: str) -> Message: ...

    @abc.abstractmethod
    def update(self, message_id: str, patch: MessagePatch) -> None: ...

    @abc.abstractmethod
    def delete(self, message_ids: Collection[str]) -> None: ...

    @abc.abstractmethod
    async def recent(
        self,
        thread_id: str,
        limit: int,
        *,
        around: Sequence[str] = (),
        before: int = 0,
        after: int = 0,
    ) -> RecentMessages: ...

    @abc.abstractmethod
    async def page(
        self,
        thread_id: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        direction: Direction = Direction.FORWARD,
    ) -> MessagePage: ...


class AsyncUnitOfWork(SingleBlock):
    """``async with uow: ...; await uow.commit()`` — leaving the block without commit discards the work.

    A commit whose awaiting task is cancelled is applied whole or not at all (it is one request);
    its work stays recorded, so committing again with the same idempotency key settles which.
    """

    threads: AsyncThreadRepository
    messages: AsyncMessageRepository

    async def __aenter__(self) -> Self:
        self._begin_block()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._end_block()

    @abc.abstractmethod
    async def commit(self, *, idempotency_key: str | None = None) -> CommitReceipt:
        """Apply everything recorded since the last commit or rollback, all or nothing."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Discard everything recorded since the last commit (no I/O)."""

    @abc.abstractmethod
    async def stats(self) -> StoreStats: ...
