"""Repositories over an InMemoryStore: writes are recorded in the unit of work, reads go to the store."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from adapters import arguments
from adapters.memory import reads
from adapters.memory.store import InMemoryStore
from adapters.recording import MessageRecorder, PageRequest, PendingWork, RecentRequest, ThreadRecorder
from domain.cursors import Direction
from domain.errors import NotFound
from domain.message import Message
from domain.ports import MessageRepository, ThreadRepository
from domain.thread import Thread
from domain.views import MessagePage, RecentMessages, ThreadPage, ThreadQuery


class InMemoryThreadRepository(ThreadRecorder, ThreadRepository):
    def __init__(self, store: InMemoryStore, pending: PendingWork) -> None:
        self._store = store
        self._pending = pending

    def get(self, thread_id: str) -> Thread:
        thread_id = arguments.identifier(thread_id, "thread_id")
        row = self._store.read(lambda tables: tables.threads.get(thread_id))
        thread = row.thread if row is not None else self._pending.threads.get(thread_id)
        if thread is None:
            raise NotFound("thread", thread_id)
        return thread

    def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        wanted = arguments.identifiers(thread_ids, "thread_ids")
        committed = self._store.read(lambda tables: {i for i in wanted if i in tables.threads})
        return frozenset(i for i in wanted if i in committed or i in self._pending.threads)

    def list(self, query: ThreadQuery) -> ThreadPage:
        query = arguments.instance(query, ThreadQuery, "query")
        return self._store.read(lambda tables: reads.thread_page(tables, query))


class InMemoryMessageRepository(MessageRecorder, MessageRepository):
    def __init__(self, store: InMemoryStore, pending: PendingWork) -> None:
        self._store = store
        self._pending = pending

    def get(self, message_id: str) -> Message:
        message_id = arguments.identifier(message_id, "message_id")
        message = self._store.read(lambda tables: tables.messages.get(message_id))
        if message is None:
            message = self._pending.messages.get(message_id)
        if message is None:
            raise NotFound("message", message_id)
        return message

    def recent(
        self,
        thread_id: str,
        limit: int,
        *,
        around: Sequence[str] = (),
        before: int = 0,
        after: int = 0,
    ) -> RecentMessages:
        r = RecentRequest.check(thread_id, limit, around, before, after)
        return self._store.read(
            lambda tables: reads.recent(tables, r.thread_id, r.limit, r.anchors, r.before, r.after)
        )

    def page(
        self,
        thread_id: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        direction: Direction = Direction.FORWARD,
    ) -> MessagePage:
        p = PageRequest.check(thread_id, limit, cursor, direction)
        return self._store.read(
            lambda tables: reads.message_page(tables, p.thread_id, p.limit, p.cursor, p.direction)
        )
