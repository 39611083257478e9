"""``D1UnitOfWork``: records writes, then commits them as ONE ``client.batch()``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.d1.client import D1Client
from adapters.d1.flows import run
from adapters.d1.repositories import D1MessageRepository, D1ThreadRepository
from adapters.d1.unit_of_work_flows import UnitOfWorkFlows
from domain import timestamps
from domain.ports import UnitOfWork
from domain.views import CommitReceipt, StoreStats


class D1UnitOfWork(UnitOfWorkFlows, UnitOfWork):
    """A unit of work on D1 (or the embedded SQLite client); tables carry ``table_prefix``.

    The schema must exist: call ``adapters.d1.migrations.migrate(client, table_prefix)`` once.
    """

    threads: D1ThreadRepository
    messages: D1MessageRepository

    def __init__(
        self,
        client: D1Client,
        table_prefix: str = "",
        *,
        clock: Callable[[], datetime] = timestamps.now,
    ) -> None:
        super().__init__(table_prefix, clock)
        self._client = client
        self.threads = D1ThreadRepository(client, self._tables, self._pending)
        self.messages = D1MessageRepository(client, self._tables, self._pending)

    def commit(self, *, idempotency_key: str | None = None) -> CommitReceipt:
        return run(self._client, self.commit_flow(idempotency_key))

    def stats(self) -> StoreStats:
        return run(self._client, self.stats_flow())
