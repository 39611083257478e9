"""Repositories over an InMemoryStore: writes are recorded in the unit of work, reads go to the store."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from adapters.memory import arguments, reads
from adapters.memory.operations import (
    AddMessage,
    AddThread,
    DeleteMessages,
    DeleteThread,
    UpdateMessage,
    UpdateThread,
)
from adapters.memory.pending import PendingWork
from adapters.memory.store import InMemoryStore
from domain.cursors import Direction
from domain.errors import InvalidInput, NotFound
from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.ports import MessageRepository, ThreadRepository
from domain.thread import Thread
from domain.views import MessagePage, RecentMessages, ThreadPage, ThreadQuery, validate_limit


class InMemoryThreadRepository(ThreadRepository):
    def __init__(self, store: InMemoryStore, pending: PendingWork) -> None:
        self._store = store
        self._pending = pending

    def add(self, thread: Thread) -> None:
        thread = arguments.instance(thread, Thread, "thread")
        if thread.version != 1:
            raise InvalidInput("thread.version", f"a new thread starts at version 1, not {thread.version}")
        self._pending.record(AddThread(thread))

    def get(self, thread_id: str) -> Thread:
        thread_id = arguments.identifier(thread_id, "thread_id")
        row = self._store.read(lambda tables: tables.threads.get(thread_id))
        thread = row.thread if row is not None else self._pending.added_thread(thread_id)
        if thread is None:
            raise NotFound("thread", thread_id)
        return thread

    def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        wanted = arguments.identifiers(thread_ids, "thread_ids")
        committed = self._store.read(lambda tables: {i for i in wanted if i in tables.threads})
        return frozenset(i for i in wanted if i in committed or self._pending.added_thread(i) is not None)

    def update(
        self,
        thread_id: str,
        patch: ThreadPatch,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> None:
        self._pending.record(
            UpdateThread(
                arguments.identifier(thread_id, "thread_id"),
                arguments.instance(patch, ThreadPatch, "patch"),
                arguments.expected_version(expected_version),
                arguments.moment(at),
            )
        )

    def delete(self, thread_id: str, *, expected_version: int | None = None) -> None:
        self._pending.record(
            DeleteThread(
                arguments.identifier(thread_id, "thread_id"), arguments.expected_version(expected_version)
            )
        )

    def list(self, query: ThreadQuery) -> ThreadPage:
        query = arguments.instance(query, ThreadQuery, "query")
        return self._store.read(lambda tables: reads.thread_page(tables, query))


class InMemoryMessageRepository(MessageRepository):
    def __init__(self, store: InMemoryStore, pending: PendingWork) -> None:
        self._store = store
        self._pending = pending

    def add(self, message: Message) -> None:
        message = arguments.instance(message, Message, "message")
        if message.position is not None:
            raise InvalidInput("message.position", "is assigned by the store; leave it None")
        self._pending.record(AddMessage(message))

    def get(self, message_id: str) -> Message:
        message_id = arguments.identifier(message_id, "message_id")
        message = self._store.read(lambda tables: tables.messages.get(message_id))
        if message is None:
            message = self._pending.added_message(message_id)
        if message is None:
            raise NotFound("message", message_id)
        return message

    def update(self, message_id: str, patch: MessagePatch) -> None:
        self._pending.record(
            UpdateMessage(
                arguments.identifier(message_id, "message_id"),
                arguments.instance(patch, MessagePatch, "patch"),
            )
        )

    def delete(self, message_ids: Collection[str]) -> None:
        distinct = arguments.identifiers(message_ids, "message_ids")
        if distinct:
            self._pending.record(DeleteMessages(distinct))

    def recent(
        self,
        thread_id: str,
        limit: int,
        *,
        around: Sequence[str] = (),
        before: int = 0,
        after: int = 0,
    ) -> RecentMessages:
        thread_id = arguments.identifier(thread_id, "thread_id")
        limit = arguments.count(limit, "limit")
        anchors = arguments.anchors(around)
        before = arguments.count(before, "before")
        after = arguments.count(after, "after")
        return self._store.read(lambda tables: reads.recent(tables, thread_id, limit, anchors, before, after))

    def page(
        self,
        thread_id: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        direction: Direction = Direction.FORWARD,
    ) -> MessagePage:
        thread_id = arguments.identifier(thread_id, "thread_id")
        limit = validate_limit(limit)
        direction = arguments.direction(direction)
        start = arguments.message_cursor(cursor, thread_id, direction)
        return self._store.read(lambda tables: reads.message_page(tables, thread_id, limit, start, direction))
