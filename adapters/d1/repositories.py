"""D1 repositories: writes are recorded into the unit of work's pending work; reads are one
request each (driven by ``flows.run``), and see this unit of work's pending additions by id.

Arguments are checked by the same helpers as the in-memory reference, so both refuse alike.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from adapters.d1 import read_flows
from adapters.d1.client import D1Client
from adapters.d1.flows import run
from adapters.d1.ops import AddMessage, AddThread, DeleteMessages, DeleteThread, UpdateMessage, UpdateThread
from adapters.d1.pending import PendingWork
from adapters.d1.schema import Tables
from adapters.memory import arguments
from domain.cursors import Direction
from domain.errors import InvalidInput, NotFound
from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.ports import MessageRepository, ThreadRepository
from domain.thread import Thread
from domain.timestamps import to_epoch_ms
from domain.views import MessagePage, RecentMessages, ThreadPage, ThreadQuery, validate_limit


class D1ThreadRepository(ThreadRepository):
    def __init__(self, client: D1Client, tables: Tables, pending: PendingWork) -> None:
        self._client = client
        self._tables = tables
        self._pending = pending

    def add(self, thread: Thread) -> None:
        thread = arguments.instance(thread, Thread, "thread")
        if thread.version != 1:
            raise InvalidInput("thread.version", f"a new thread starts at version 1, not {thread.version}")
        self._pending.record(AddThread(thread))

    def get(self, thread_id: str) -> Thread:
        thread_id = arguments.identifier(thread_id, "thread_id")
        try:
            return run(self._client, read_flows.get_thread(self._tables, thread_id))
        except NotFound:
            if thread_id in self._pending.threads:
                return self._pending.threads[thread_id]
            raise

    def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        wanted = arguments.identifiers(thread_ids, "thread_ids")
        pending = {thread_id for thread_id in wanted if thread_id in self._pending.threads}
        rest = [thread_id for thread_id in wanted if thread_id not in pending]
        return frozenset(pending) | run(self._client, read_flows.existing_threads(self._tables, rest))

    def update(
        self,
        thread_id: str,
        patch: ThreadPatch,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> None:
        op = UpdateThread(
            arguments.identifier(thread_id, "thread_id"),
            arguments.instance(patch, ThreadPatch, "patch"),
            arguments.expected_version(expected_version),
            to_epoch_ms(arguments.moment(at)),
        )
        self._pending.record(op)

    def delete(self, thread_id: str, *, expected_version: int | None = None) -> None:
        thread_id = arguments.identifier(thread_id, "thread_id")
        self._pending.record(DeleteThread(thread_id, arguments.expected_version(expected_version)))

    def list(self, query: ThreadQuery) -> ThreadPage:
        query = arguments.instance(query, ThreadQuery, "query")
        return run(self._client, read_flows.list_threads(self._tables, query))


class D1MessageRepository(MessageRepository):
    def __init__(self, client: D1Client, tables: Tables, pending: PendingWork) -> None:
        self._client = client
        self._tables = tables
        self._pending = pending

    def add(self, message: Message) -> None:
        message = arguments.instance(message, Message, "message")
        if message.position is not None:
            raise InvalidInput("message.position", "is assigned by the store; add messages without one")
        self._pending.record(AddMessage(message))

    def get(self, message_id: str) -> Message:
        message_id = arguments.identifier(message_id, "message_id")
        try:
            return run(self._client, read_flows.get_message(self._tables, message_id))
        except NotFound:
            if message_id in self._pending.messages:
                return self._pending.messages[message_id]
            raise

    def update(self, message_id: str, patch: MessagePatch) -> None:
        op = UpdateMessage(
            arguments.identifier(message_id, "message_id"), arguments.instance(patch, MessagePatch, "patch")
        )
        self._pending.record(op)

    def delete(self, message_ids: Collection[str]) -> None:
        ids = arguments.identifiers(message_ids, "message_ids")
        if ids:
            self._pending.record(DeleteMessages(ids))

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
        flow = read_flows.recent(self._tables, thread_id, limit, anchors, before, after)
        return run(self._client, flow)

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
        position = arguments.message_cursor(cursor, thread_id, direction)
        return run(self._client, read_flows.page(self._tables, thread_id, limit, position, direction))
