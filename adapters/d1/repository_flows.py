"""What the sync and async D1 repositories share: argument checks, recording, and each read as a
flow. A shell adds only the I/O — ``run(client, flow)`` or ``await arun(client, flow)``.

Reads see this unit of work's pending additions: the flow falls back to them on NotFound.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

from adapters import arguments
from adapters.d1 import read_flows
from adapters.d1.flows import Flow
from adapters.d1.schema import Tables
from adapters.recording import MessageRecorder, PageRequest, PendingWork, RecentRequest, ThreadRecorder
from domain.cursors import Direction
from domain.errors import NotFound
from domain.message import Message
from domain.thread import Thread
from domain.views import MessagePage, RecentMessages, ThreadPage, ThreadQuery

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


class ThreadFlows(ThreadRecorder):
    def __init__(self, tables: Tables, pending: PendingWork) -> None:
        self._tables = tables
        self._pending = pending

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


class MessageFlows(MessageRecorder):
    def __init__(self, tables: Tables, pending: PendingWork) -> None:
        self._tables = tables
        self._pending = pending

    def get_flow(self, message_id: str) -> Flow[Message]:
        message_id = arguments.identifier(message_id, "message_id")
        flow = read_flows.get_message(self._tables, message_id)
        return _or_pending(flow, self._pending.messages, message_id)

    def recent_flow(
        self, thread_id: str, limit: int, around: Sequence[str], before: int, after: int
    ) -> Flow[RecentMessages]:
        r = RecentRequest.check(thread_id, limit, around, before, after)
        return read_flows.recent(self._tables, r.thread_id, r.limit, r.anchors, r.before, r.after)

    def page_flow(
        self, thread_id: str, limit: int, cursor: str | None, direction: Direction
    ) -> Flow[MessagePage]:
        p = PageRequest.check(thread_id, limit, cursor, direction)
        return read_flows.page(self._tables, p.thread_id, p.limit, p.cursor, p.direction)
