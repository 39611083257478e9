"""``D1UnitOfWork``: records writes, then commits them as ONE ``client.batch()``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.d1 import commit_flow, read_flows
from adapters.d1.client import D1Client
from adapters.d1.flows import run
from adapters.d1.pending import PendingWork
from adapters.d1.repositories import D1MessageRepository, D1ThreadRepository
from adapters.d1.schema import Tables
from domain import timestamps
from domain.ids import new_id
from domain.ports import UnitOfWork
from domain.validation import validate_identifier
from domain.views import CommitReceipt, StoreStats


class D1UnitOfWork(UnitOfWork):
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
        self._client = client
        self._tables = Tables(table_prefix)
        self._clock = clock
        self._pending = PendingWork()
        self.threads = D1ThreadRepository(client, self._tables, self._pending)
        self.messages = D1MessageRepository(client, self._tables, self._pending)

    def commit(self, *, idempotency_key: str | None = None) -> CommitReceipt:
        key = new_id() if idempotency_key is None else validate_identifier(idempotency_key, "idempotency_key")
        now_ms = timestamps.to_epoch_ms(self._clock())
        # Recorded work is kept if the commit raises, so it can be retried with the same key.
        receipt = run(self._client, commit_flow.commit(self._tables, list(self._pending.ops), key, now_ms))
        self._pending.clear()
        return receipt

    def rollback(self) -> None:
        self._pending.clear()

    def stats(self) -> StoreStats:
        return run(self._client, read_flows.stats(self._tables))
