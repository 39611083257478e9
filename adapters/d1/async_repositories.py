"""Async D1 repositories: the shared flows of ``repository_flows``, each read awaited via ``arun``."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from adapters.d1.async_flows import arun
from adapters.d1.client import AsyncD1Client
from adapters.d1.repository_flows import MessageFlows, ThreadFlows
from adapters.d1.schema import Tables
from adapters.recording import PendingWork
from domain.async_ports import AsyncMessageRepository, AsyncThreadRepository
from domain.cursors import Direction
from domain.message import Message
from domain.thread import Thread
from domain.views import MessagePage, RecentMessages, ThreadPage, ThreadQuery


class AsyncD1ThreadRepository(ThreadFlows, AsyncThreadRepository):
    def __init__(self, client: AsyncD1Client, tables: Tables, pending: PendingWork) -> None:
        super().__init__(tables, pending)
        self._client = client

    async def get(self, thread_id: str) -> Thread:
        return await arun(self._client, self.get_flow(thread_id))

    async def existing(self, thread_ids: Collection[str]) -> frozenset[str]:
        return await arun(self._client, self.existing_flow(thread_ids))

    async def list(self, query: ThreadQuery) -> ThreadPage:
        return await arun(self._client, self.list_flow(query))


class AsyncD1MessageRepository(MessageFlows, AsyncMessageRepository):
    def __init__(self, client: AsyncD1Client, tables: Tables, pending: PendingWork) -> None:
        super().__init__(tables, pending)
        self._client = client

    async def get(self, message_id: str) -> Message:
        return await arun(self._client, self.get_flow(message_id))

    async def recent(
        self,
        thread_id: str,
        limit: int,
        *,
        around: Sequence[str] = (),
        before: int = 0,
        after: int = 0,
    ) -> RecentMessages:
        return await arun(self._client, self.recent_flow(thread_id, limit, around, before, after))

    async def page(
        self,
        thread_id: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        direction: Direction = Direction.FORWARD,
    ) -> MessagePage:
        return await arun(self._client, self.page_flow(thread_id, limit, cursor, direction))
