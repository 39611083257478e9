"""``AsyncD1UnitOfWork``: the D1 unit of work for asyncio — the same flows as ``D1UnitOfWork``,
awaited. Works over any ``AsyncD1Client``: embedded SQLite, REST, or a Workers binding."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.d1.async_flows import arun
from adapters.d1.async_repositories import AsyncD1MessageRepository, AsyncD1ThreadRepository
from adapters.d1.client import AsyncD1Client
from adapters.d1.unit_of_work_flows import UnitOfWorkFlows
from domain import timestamps
from domain.async_ports import AsyncUnitOfWork
from domain.views import CommitReceipt, StoreStats


class AsyncD1UnitOfWork(UnitOfWorkFlows, AsyncUnitOfWork):
    """The schema must exist: ``await adapters.d1.async_migrations.amigrate(client, table_prefix)``."""

    threads: AsyncD1ThreadRepository
    messages: AsyncD1MessageRepository

    def __init__(
        self,
        client: AsyncD1Client,
        table_prefix: str = "",
        *,
        clock: Callable[[], datetime] = timestamps.now,
    ) -> None:
        super().__init__(table_prefix, clock)
        self._client = client
        self.threads = AsyncD1ThreadRepository(client, self._tables, self._pending)
        self.messages = AsyncD1MessageRepository(client, self._tables, self._pending)

    async def commit(self, *, idempotency_key: str | None = None) -> CommitReceipt:
        return await arun(self._client, self.commit_flow(idempotency_key))

    async def stats(self) -> StoreStats:
        return await arun(self._client, self.stats_flow())
