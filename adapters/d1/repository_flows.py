"""What the sync and async D1 repositories share: argument checks, recording, and each read as a
flow. A shell adds only the I/O — ``run(client, flow)`` or ``await arun(client, flow)``.

Reads see this unit of work's pending additions: the flow falls back to them on NotFound.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from adapters.d1 import read_flows
from adapters.d1.flows import Flow
from adapters.d1.ops import AddMessage, AddThread, DeleteMessages, DeleteThread, UpdateMessage, UpdateThread
from adapters.d1.pending import PendingWork
from adapters.d1.schema import Tables
from adapters.memory import arguments
from domain.cursors import Direction
from domain.errors import InvalidInput, NotFound
from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.thread import Thread
from domain.timestamps import to_epoch_ms
from domain.views import MessagePage, RecentMessages, ThreadPage, ThreadQuery, validate_limit

T = TypeVar("T")


def _or_pending(flow: Flow[T], pending: Mapping[str, T], key: str) -> Flow[T]:
    try:
        return (yield from flow)
    except NotFound:
        if key in pending:
            return pending[key]
        raise


def _with(pending: frozenset[str], flow: Flow[frozenset[str]]) -> Flow[frozenset[str]]:
    return pending | (yield from flow)


class ThreadFlows:
    def __init__(self, tables: Tables, pending: PendingWork) -> None:
        self._tables = tables
        self._pending = pending

    def add(self, thread: Thread) -> None:
        thread = arguments.instance(thread, Thread, "thread")
        if thread.version != 1:
            raise InvalidInput("thread.version", f"a new thread starts at version 1, not {thread.version}")
        self._pending.record(AddThread(thread))

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

    def get_flow(self, thread_id: str) -> Flow[Thread]:
        thread_id = arguments.identifier(thread_id, "thread_id")
        return _or_pending(read_flows.get_thread(self._tables, thread_id), self._pending.threads, thread_id)

    def existing_flow(self, thread_ids: Collection[str]) -> Flow[frozenset[str]]:
        wanted = arguments.identifiers(thread_ids, "thread_ids")
        pending = frozenset(thread_id for thread_id in wanted if thread_id in self._pending.threads)
        rest = [thread_id for thread_id in wanted if thread_id not in pending]
        return _with(pending, read_flows.existing_threads(self._tables, rest))

    def list_flow(self, query: ThreadQuery) -> Flow[ThreadPage]:
        query = arguments.instance(query, ThreadQuery, "query")
        return read_flows.list_threads(self._tables, query)


class MessageFlows:
    def __init__(self, tables: Tables, pending: PendingWork) -> None:
        self._tables = tables
        self._pending = pending

    def add(self, message: Message) -> None:
        message = arguments.instance(message, Message, "message")
        if message.position is not None:
            raise InvalidInput("message.position", "is assigned by the store; add messages without one")
        self._pending.record(AddMessage(message))

    def update(self, message_id: str, patch: MessagePatch) -> None:
        op = UpdateMessage(
            arguments.identifier(message_id, "message_id"), arguments.instance(patch, MessagePatch, "patch")
        )
        self._pending.record(op)

    def delete(self, message_ids: Collection[str]) -> None:
        ids = arguments.identifiers(message_ids, "message_ids")
        if ids:
            self._pending.record(DeleteMessages(ids))

    def get_flow(self, message_id: str) -> Flow[Message]:
        message_id = arguments.identifier(message_id, "message_id")
        flow = read_flows.get_message(self._tables, message_id)
        return _or_pending(flow, self._pending.messages, message_id)

    def recent_flow(
        self, thread_id: str, limit: int, around: Sequence[str], before: int, after: int
    ) -> Flow[RecentMessages]:
        thread_id = arguments.identifier(thread_id, "thread_id")
        limit = arguments.count(limit, "limit")
        anchors = arguments.anchors(around)
        before = arguments.count(before, "before")
        after = arguments.count(after, "after")
        return read_flows.recent(self._tables, thread_id, limit, anchors, before, after)

    def page_flow(
        self, thread_id: str, limit: int, cursor: str | None, direction: Direction
    ) -> Flow[MessagePage]:
        thread_id = arguments.identifier(thread_id, "thread_id")
        limit = validate_limit(limit)
        direction = arguments.direction(direction)
        position = arguments.message_cursor(cursor, thread_id, direction)
        return read_flows.page(self._tables, thread_id, limit, position, direction)
