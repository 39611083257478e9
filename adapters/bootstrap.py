"""The composition root: the one place that turns a StoreConfig into concrete adapters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.closing import Closing
from adapters.config import Backend, StoreConfig
from domain.ports import UnitOfWork

if TYPE_CHECKING:
    from adapters.d1.client import D1Client
    from adapters.memory import InMemoryStore


class Store(Closing):
    """An open backend. Hands out units of work that share its connection; close it when done."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self._client: D1Client | None = None
        self._memory: InMemoryStore | None = None
        if config.backend is Backend.MEMORY:
            from adapters.memory import InMemoryStore

            self._memory = InMemoryStore()
        elif config.backend is Backend.EMBEDDED:
            from adapters.d1.sqlite_client import SqliteD1Client

            self._client = SqliteD1Client(config.db_path)
        else:
            from adapters.d1.http_client import HttpD1Client

            account_id, database_id, api_token = config.require_d1_credentials()
            self._client = HttpD1Client(
                account_id=account_id,
                database_id=database_id,
                api_token=api_token,
                base_url=config.api_base_url,
            )

    def unit_of_work(self) -> UnitOfWork:
        if self._memory is not None:
            from adapters.memory import InMemoryUnitOfWork

            return InMemoryUnitOfWork(store=self._memory)
        from adapters.d1.unit_of_work import D1UnitOfWork

        assert self._client is not None
        return D1UnitOfWork(self._client, table_prefix=self.config.table_prefix)

    def init(self) -> list[int]:
        """Create or upgrade the schema; returns the versions of the migrations applied now."""
        if self._client is None:
            return []
        from adapters.d1.migrations import migrate

        return migrate(self._client, table_prefix=self.config.table_prefix)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def open_store(config: StoreConfig | None = None) -> Store:
    """Open the configured backend (the embedded ``d1store.db`` by default)."""
    return Store(StoreConfig.from_env() if config is None else config)
