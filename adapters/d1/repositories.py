"""D1 repositories: writes are recorded into the unit of work's pending work; reads are one
request each (driven by ``flows.run``), and see this unit of work's pending additions by id."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from adapters.d1 import arguments, read_flows
from adapters.d1.client import D1Client
from adapters.d1.flows import run
from adapters.d1.ops import AddMessage, AddThread, DeleteMessages, DeleteThread, UpdateMessage, UpdateThread
from adapters.d1.pending import PendingWork
from adapters.d1.schema import Tables
from domain.cursors import Direction, MessageCursor
from domain.errors import InvalidInput
from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.ports import MessageRepository, ThreadRepository
from domain.thread import Thread
from domain.validation import validate_identifier, validate_int
from domain.views import MessagePage, RecentMessages, ThreadPage, ThreadQuery, validate_limit


class D1ThreadRepository(ThreadRepository):
    def __init__(self, client: D1Client, tables: Tables, pending: PendingWork) -> None:
        self._client = client
        self._tables = tables
        self._pending = pending

    def add(self, thread: Thread) -> None:
        self._pending.record(AddThread(arguments.instance(thread, Thread, "thread")))

    def get(self, thread_id: str) -> Thread:
        thread_id = validate_identifier(thread_id, "thread_id")
        if thread_id in self._pending.threads:
            return self._pending.threads[thread_id]
        return run(self._client, read_flows.get_thread(self._tables, thread_id))

    def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        wanted = arguments.ids(thread_ids, "thread_ids")
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
            validate_identifier(thread_id, "thread_id"),
            arguments.instance(patch, ThreadPatch, "patch"),
            arguments.expected_version(expected_version),
            arguments.moment_ms(at),
        )
        self._pending.record(op)

    def delete(self, thread_id: str, *, expected_version: int | None = None) -> None:
        thread_id = validate_identifier(thread_id, "thread_id")
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
        message_id = validate_identifier(message_id, "message_id")
        if message_id in self._pending.messages:
            return self._pending.messages[message_id]
        return run(self._client, read_flows.get_message(self._tables, message_id))

    def update(self, message_id: str, patch: MessagePatch) -> None:
        op = UpdateMessage(
            validate_identifier(message_id, "message_id"), arguments.instance(patch, MessagePatch, "patch")
        )
        self._pending.record(op)

    def delete(self, message_ids: Collection[str]) -> None:
        ids = arguments.ids(message_ids, "message_ids")
        if ids:
            self._pending.record(DeleteMessages(tuple(ids)))

    def recent(
        self,
        thread_id: str,
        limit: int,
        *,
        around: Sequence[str] = (),
        before: int = 0,
        after: int = 0,
    ) -> RecentMessages:
        thread_id = validate_identifier(thread_id, "thread_id")
        limit = validate_limit(limit, minimum=0)
        before = validate_limit(before, "before", minimum=0)
        after = validate_limit(after, "after", minimum=0)
        anchors = arguments.ids(around, "around")
        validate_int(len(anchors), "around", minimum=0, maximum=arguments.MAX_ANCHORS)
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
        thread_id = validate_identifier(thread_id, "thread_id")
        limit = validate_limit(limit)
        direction = arguments.instance(direction, Direction, "direction")
        position = None if cursor is None else MessageCursor.decode(cursor)
        if position is not None and (position.thread_id != thread_id or position.direction is not direction):
            raise InvalidInput("cursor", "belongs to another thread or direction")
        return run(self._client, read_flows.page(self._tables, thread_id, limit, position, direction))
