"""The ports: what a backend must offer. Services see only these.

Writes are recorded by the repositories and applied by ``UnitOfWork.commit`` all at once or not
at all; every condition a write depends on (the thread exists, the version still matches, the id
is new) is checked at commit, by the store, so a failed condition writes nothing.

Reads go to the store when called (one request each) and see the unit of work's own pending
*additions* by id; pending edits and deletions become visible once committed.
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


class ThreadRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, thread: Thread) -> None:
        """Record a new thread; AlreadyExists at commit if the id is taken."""

    @abc.abstractmethod
    def get(self, thread_id: str) -> Thread:
        """The thread with its metadata; NotFound if absent."""

    @abc.abstractmethod
    def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        """Which of these ids exist (committed or added in this unit of work)."""

    @abc.abstractmethod
    def update(
        self,
        thread_id: str,
        patch: ThreadPatch,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record an edit; at commit it bumps the version, and raises NotFound, or
        ConcurrencyConflict when ``expected_version`` no longer matches."""

    @abc.abstractmethod
    def delete(self, thread_id: str, *, expected_version: int | None = None) -> None:
        """Record deleting the thread with its messages and all their metadata."""

    @abc.abstractmethod
    def list(self, query: ThreadQuery) -> ThreadPage:
        """Newest activity first (updated_at, then id, descending), one page per call."""


class MessageRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, message: Message) -> None:
        """Record a new message; at commit it gets the next position in its thread and the
        thread's updated_at moves to the message's created_at if that is later."""

    @abc.abstractmethod
    def get(self, message_id: str) -> Message:
        """NotFound if absent."""

    @abc.abstractmethod
    def update(self, message_id: str, patch: MessagePatch) -> None:
        """Record an edit of content and/or metadata; NotFound at commit if absent."""

    @abc.abstractmethod
    def delete(self, message_ids: Collection[str]) -> None:
        """Record deleting these messages and their metadata; NotFound at commit if any is
        absent. Positions of the others do not change (a gap is left)."""

    @abc.abstractmethod
    def recent(
        self,
        thread_id: str,
        limit: int,
        *,
        around: Sequence[str] = (),
        before: int = 0,
        after: int = 0,
    ) -> RecentMessages:
        """The newest ``limit`` messages (oldest first) plus, for each id in ``around``, a window
        of ``before``/``after`` neighbours in that message's own thread. One request."""

    @abc.abstractmethod
    def page(
        self,
        thread_id: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        direction: Direction = Direction.FORWARD,
    ) -> MessagePage:
        """A page in position order; pass ``next_cursor`` back for the next one."""


class UnitOfWork(SingleBlock):
    """``with uow: ...; uow.commit()`` — leaving the block without commit discards the work.

    One block at a time: a nested block, or one opened from another thread while a block is open,
    raises UnitOfWorkInUse instead of silently discarding the open block's work.
    """

    threads: ThreadRepository
    messages: MessageRepository

    def __enter__(self) -> Self:
        self._begin_block()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._end_block()

    @abc.abstractmethod
    def commit(self, *, idempotency_key: str | None = None) -> CommitReceipt:
        """Apply everything recorded since the last commit or rollback, all or nothing, in one
        request. Committing the same key twice applies it once (``already_applied``)."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Discard everything recorded since the last commit."""

    @abc.abstractmethod
    def stats(self) -> StoreStats:
        """Counts of threads, messages and metadata entries, and the store's size if known."""
