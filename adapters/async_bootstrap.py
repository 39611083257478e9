"""The composition root for asyncio code: the same StoreConfig, async adapters.

Inside a Cloudflare Python Worker there is no config to read: wrap the binding directly with
``AsyncStore.from_binding(env.DB, table_prefix=...)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.closing import AsyncClosing
from adapters.config import Backend, StoreConfig
from domain.async_ports import AsyncUnitOfWork

if TYPE_CHECKING:
    from adapters.d1.client import AsyncD1Client
    from adapters.memory import InMemoryStore


class AsyncStore(AsyncClosing):
    """An open backend for asyncio; ``async with`` closes it."""

    def __init__(self, config: StoreConfig, client: AsyncD1Client | None = None) -> None:
        self.config = config
        self._client: AsyncD1Client | None = client
        self._memory: InMemoryStore | None = None
        if client is not None:
            return
        if config.backend is Backend.MEMORY:
            from adapters.memory import InMemoryStore

            self._memory = InMemoryStore()
        elif config.backend is Backend.EMBEDDED:
            from adapters.d1.async_sqlite_client import AsyncSqliteD1Client

            self._client = AsyncSqliteD1Client(config.db_path)
        else:
            from adapters.d1.async_http_client import AsyncHttpD1Client

            account_id, database_id, api_token = config.require_d1_credentials()
            self._client = AsyncHttpD1Client(
                account_id=account_id,
                database_id=database_id,
                api_token=api_token,
                base_url=config.api_base_url,
            )

    @classmethod
    def from_binding(cls, binding: object, *, table_prefix: str = "") -> AsyncStore:
        """A store over a Workers D1 binding (``env.DB``)."""
        from adapters.d1.workers_binding import WorkersBindingD1Client

        return cls(
            StoreConfig(backend=Backend.D1, table_prefix=table_prefix), WorkersBindingD1Client(binding)
        )

    def unit_of_work(self) -> AsyncUnitOfWork:
        if self._memory is not None:
            from adapters.memory.async_unit_of_work import AsyncInMemoryUnitOfWork

            return AsyncInMemoryUnitOfWork(self._memory)
        from adapters.d1.async_unit_of_work import AsyncD1UnitOfWork

        assert self._client is not None
        return AsyncD1UnitOfWork(self._client, table_prefix=self.config.table_prefix)

    async def init(self) -> list[int]:
        """Create or upgrade the schema; returns the versions of the migrations applied now."""
        if self._client is None:
            return []
        from adapters.d1.async_migrations import amigrate

        return await amigrate(self._client, table_prefix=self.config.table_prefix)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def open_async_store(config: StoreConfig | None = None) -> AsyncStore:
    """Open the configured backend for asyncio (the embedded ``d1store.db`` by default)."""
    return AsyncStore(StoreConfig.from_env() if config is None else config)
