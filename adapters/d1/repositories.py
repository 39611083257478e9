"""D1 repositories: writes are recorded into the unit of work's pending work; reads are one
request each (driven by ``flows.run``), and see this unit of work's pending additions by id.

Arguments are checked by the same helpers as the in-memory reference, so both refuse alike. All
but the I/O lives in ``repository_flows``, shared with the async repositories.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from adapters.d1.client import D1Client
from adapters.d1.flows import run
from adapters.d1.repository_flows import MessageFlows, ThreadFlows
from adapters.d1.schema import Tables
from adapters.recording import PendingWork
from domain.cursors import Direction
from domain.message import Message
from domain.ports import MessageRepository, ThreadRepository
from domain.thread import Thread
from domain.views import MessagePage, RecentMessages, ThreadPage, ThreadQuery


class D1ThreadRepository(ThreadFlows, ThreadRepository):
    def __init__(self, client: D1Client, tables: Tables, pending: PendingWork) -> None:
        super().__init__(tables, pending)
        self._client = client

    def get(self, thread_id: str) -> Thread:
        return run(self._client, self.get_flow(thread_id))

    def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        return run(self._client, self.existing_flow(thread_ids))

    def list(self, query: ThreadQuery) -> ThreadPage:
        return run(self._client, self.list_flow(query))


class D1MessageRepository(MessageFlows, MessageRepository):
    def __init__(self, client: D1Client, tables: Tables, pending: PendingWork) -> None:
        super().__init__(tables, pending)
        self._client = client

    def get(self, message_id: str) -> Message:
        return run(self._client, self.get_flow(message_id))

    def recent(
        self,
        thread_id: str,
        limit: int,
        *,
        around: Sequence[str] = (),
        before: int = 0,
        after: int = 0,
    ) -> RecentMessages:
        return run(self._client, self.recent_flow(thread_id, limit, around, before, after))

    def page(
        self,
        thread_id: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        direction: Direction = Direction.FORWARD,
    ) -> MessagePage:
        return run(self._client, self.page_flow(thread_id, limit, cursor, direction))
