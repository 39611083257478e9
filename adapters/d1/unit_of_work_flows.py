"""What the sync and async D1 units of work share: the pending work, and commit and stats as flows.

A shell adds only the I/O — ``run(client, flow)`` or ``await arun(client, flow)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.d1 import commit_flow, read_flows
from adapters.d1.flows import Flow
from adapters.d1.schema import Tables
from adapters.recording import PendingWork
from domain import timestamps
from domain.errors import CommitOutcomeUnknown
from domain.ids import new_id
from domain.validation import validate_identifier
from domain.views import CommitReceipt, StoreStats


class UnitOfWorkFlows:
    def __init__(self, table_prefix: str, clock: Callable[[], datetime]) -> None:
        self._tables = Tables(table_prefix)
        self._clock = clock
        self._pending = PendingWork()

    def commit_flow(self, idempotency_key: str | None) -> Flow[CommitReceipt]:
        if idempotency_key is not None:
            key = validate_identifier(idempotency_key, "idempotency_key")
        else:
            # A plain retry after an unknown outcome must reuse that attempt's key, or work that
            # did land would be applied a second time.
            key = self._pending.unsettled_key or new_id()
        now_ms = timestamps.to_epoch_ms(self._clock())
        return self._settling(
            key, commit_flow.commit(self._tables, list(self._pending.operations), key, now_ms)
        )

    def _settling(self, key: str, flow: Flow[CommitReceipt]) -> Flow[CommitReceipt]:
        # Recorded work is kept if the commit raises (or is cancelled), so it can be retried.
        try:
            receipt = yield from flow
        except CommitOutcomeUnknown:
            self._pending.unsettled_key = key
            raise
        self._pending.clear()
        return receipt

    def rollback(self) -> None:
        self._pending.clear()

    def stats_flow(self) -> Flow[StoreStats]:
        return read_flows.stats(self._tables)
