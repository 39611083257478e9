"""Async backends for the contract suite, each seen through the sync facade.

- ``async_memory``: AsyncInMemoryUnitOfWork;
- ``async_sqlite``: AsyncD1UnitOfWork over AsyncSqliteD1Client;
- ``async_d1local``: AsyncD1UnitOfWork over AsyncHttpD1Client against the local D1 engine;
- ``binding``: AsyncD1UnitOfWork over WorkersBindingD1Client over the sqlite binding stand-in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx

from adapters.d1.async_http_client import AsyncHttpD1Client
from adapters.d1.async_migrations import amigrate
from adapters.d1.async_sqlite_client import AsyncSqliteD1Client
from adapters.d1.async_unit_of_work import AsyncD1UnitOfWork
from adapters.d1.client import AsyncD1Client
from adapters.d1.js_values import null_sentinel_binder
from adapters.d1.workers_binding import WorkersBindingD1Client
from adapters.memory import InMemoryStore
from adapters.memory.async_unit_of_work import AsyncInMemoryUnitOfWork

from .binding_standin import JS_NULL, StandInD1Database
from .loop_thread import LoopThread
from .sync_facade import SyncClient, SyncUnitOfWork

ASYNC_D1_NAMES = ("async_sqlite", "async_d1local", "binding")


@attrs.define
class AsyncStores:
    """Opens async clients on one loop thread and closes them all at the end."""

    loop: LoopThread
    tmp_path: Path
    engine: Any = None
    requests: list[httpx.Request] = attrs.field(factory=list)
    _closers: list[Callable[[], Any]] = attrs.field(factory=list)

    async def _client(self, name: str) -> AsyncD1Client:
        if name == "async_sqlite":
            client: AsyncD1Client = AsyncSqliteD1Client(self.tmp_path / f"async-{len(self._closers)}.db")
        elif name == "binding":
            db = StandInD1Database(self.tmp_path / f"binding-{len(self._closers)}.db")
            self._closers.append(db.close)
            client = WorkersBindingD1Client(db, binder=null_sentinel_binder(JS_NULL))
        else:

            async def record(request: httpx.Request) -> None:
                self.requests.append(request)

            engine = self.engine
            client = AsyncHttpD1Client(
                engine.account_id,
                engine.database_id,
                engine.api_token,
                base_url=engine.api_base_url,
                event_hooks={"request": [record]},
            )
        self._closers.append(lambda: self.loop.call(client.aclose()))
        return client

    def d1(self, name: str, prefix: str) -> tuple[Callable[[], SyncUnitOfWork], SyncClient]:
        """A migrated store: a factory of units of work on it, and its client."""
        client = self.loop.call(self._client(name))
        self.loop.call(amigrate(client, prefix))
        self.requests.clear()
        client_facade = SyncClient(client, self.loop)
        return (lambda: SyncUnitOfWork(AsyncD1UnitOfWork(client, prefix), self.loop)), client_facade

    def memory(self) -> Callable[[], SyncUnitOfWork]:
        store = InMemoryStore()
        return lambda: SyncUnitOfWork(AsyncInMemoryUnitOfWork(store), self.loop)

    def close(self) -> None:
        for close in reversed(self._closers):
            close()


@contextmanager
def async_stores(tmp_path: Path, engine: Any = None) -> Iterator[AsyncStores]:
    loop = LoopThread()
    stores = AsyncStores(loop, tmp_path, engine)
    try:
        yield stores
    finally:
        try:
            stores.close()
        finally:
            loop.close()
