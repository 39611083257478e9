"""d1store over REST against the local D1 engine, with every request counted."""

from __future__ import annotations

from types import TracebackType

from adapters.d1.http_client import HttpD1Client
from adapters.d1.migrations import migrate
from adapters.d1.unit_of_work import D1UnitOfWork
from bench.counting import CountingTransport
from bench.local_engine import LocalEngine, RunningEngine


class RestRig:
    """One local engine, one counted HttpD1Client; units of work per table prefix (one per scenario)."""

    def __init__(self) -> None:
        self._running = RunningEngine()
        self.engine: LocalEngine | None = None
        self.transport = CountingTransport()
        self._client: HttpD1Client | None = None

    @property
    def client(self) -> HttpD1Client:
        if self._client is None:
            raise RuntimeError("the rig is not started")
        return self._client

    def __enter__(self) -> RestRig:
        engine = self.engine = self._running.__enter__()
        self._client = HttpD1Client(
            engine.account_id,
            engine.database_id,
            engine.api_token,
            base_url=engine.api_base_url,
            transport=self.transport,
        )
        return self

    def unit_of_work(self, table_prefix: str) -> D1UnitOfWork:
        """A unit of work on tables named ``table_prefix...``, created on first use."""
        migrate(self.client, table_prefix)
        return D1UnitOfWork(self.client, table_prefix)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()
        self._running.__exit__(exc_type, exc, traceback)
