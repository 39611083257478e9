"""Backends for the contract suite: every test taking ``backend`` runs on each of them.

- ``memory``: the in-memory reference model;
- ``sqlite``: D1UnitOfWork over SqliteD1Client on a temporary file;
- ``d1local``: D1UnitOfWork over HttpD1Client against the local D1 engine (workerd). The engine is
  started once per session (per xdist worker); each test gets its own table prefix on it, so no
  reset is needed.
- ``async_memory``, ``async_sqlite``, ``async_d1local``, ``binding`` (a Workers binding stand-in): the
  async backends, seen through a sync facade (``async_backends/``) so the same assertions run.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator

import attrs
import httpx
import pytest

from adapters.d1.client import D1Client
from adapters.d1.http_client import HttpD1Client
from adapters.d1.migrations import migrate
from adapters.d1.sqlite_client import SqliteD1Client
from adapters.d1.unit_of_work import D1UnitOfWork
from adapters.memory import InMemoryStore, InMemoryUnitOfWork
from domain.ports import UnitOfWork

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "d1_local"))
from async_backends.stores import async_stores
from engine import LocalD1Engine

_prefixes = itertools.count()


def unique_prefix() -> str:
    """Distinct across tests, xdist workers and runs sharing one engine."""
    return f"t{uuid.uuid4().hex[:8]}{next(_prefixes)}_"


@attrs.define
class Backend:
    name: str
    #: A new unit of work on this backend's shared state.
    uow: Callable[[], UnitOfWork]
    #: The D1 client under the unit of work (None for the in-memory model).
    client: D1Client | None = None
    prefix: str = ""
    #: HTTP requests sent so far (d1local only).
    requests: list[httpx.Request] = attrs.field(factory=list)


@pytest.fixture(scope="session")
def d1_engine() -> Iterator[LocalD1Engine]:
    if shutil.which("node") is None:
        pytest.skip("the local D1 engine needs node")
    with LocalD1Engine() as engine:
        yield engine


def http_client(engine: LocalD1Engine, requests: list[httpx.Request]) -> HttpD1Client:
    return HttpD1Client(
        engine.account_id,
        engine.database_id,
        engine.api_token,
        base_url=engine.api_base_url,
        event_hooks={"request": [requests.append]},
    )


def _d1_backend(name: str, client: D1Client, requests: list[httpx.Request]) -> Backend:
    prefix = unique_prefix()
    migrate(client, prefix)
    requests.clear()
    return Backend(name, lambda: D1UnitOfWork(client, prefix), client, prefix, requests)


@pytest.fixture
def sqlite_backend(tmp_path) -> Iterator[Backend]:
    with SqliteD1Client(tmp_path / "store.db") as client:
        yield _d1_backend("sqlite", client, [])


@pytest.fixture
def d1local_backend(request) -> Iterator[Backend]:
    engine = request.getfixturevalue("d1_engine")
    requests: list[httpx.Request] = []
    with http_client(engine, requests) as client:
        yield _d1_backend("d1local", client, requests)


@pytest.fixture
def memory_backend() -> Backend:
    store = InMemoryStore()
    return Backend("memory", lambda: InMemoryUnitOfWork(store))


@pytest.fixture
def async_memory_backend(tmp_path) -> Iterator[Backend]:
    with async_stores(tmp_path) as stores:
        yield Backend("async_memory", stores.memory())


def _async_d1_backend(name: str, tmp_path, engine: LocalD1Engine | None = None) -> Iterator[Backend]:
    with async_stores(tmp_path, engine) as stores:
        prefix = unique_prefix()
        uow, client = stores.d1(name, prefix)
        yield Backend(name, uow, client, prefix, stores.requests)


@pytest.fixture
def async_sqlite_backend(tmp_path) -> Iterator[Backend]:
    yield from _async_d1_backend("async_sqlite", tmp_path)


@pytest.fixture
def binding_backend(tmp_path) -> Iterator[Backend]:
    yield from _async_d1_backend("binding", tmp_path)


@pytest.fixture
def async_d1local_backend(request, tmp_path) -> Iterator[Backend]:
    yield from _async_d1_backend("async_d1local", tmp_path, request.getfixturevalue("d1_engine"))


ASYNC_BACKENDS = [
    "async_memory",
    "async_sqlite",
    "binding",
    pytest.param("async_d1local", marks=pytest.mark.d1local),
]
ALL_BACKENDS = ["memory", "sqlite", pytest.param("d1local", marks=pytest.mark.d1local), *ASYNC_BACKENDS]
D1_BACKENDS = ["sqlite", pytest.param("d1local", marks=pytest.mark.d1local)]


@pytest.fixture(params=ALL_BACKENDS)
def backend(request) -> Backend:
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture(params=D1_BACKENDS)
def d1_backend(request) -> Backend:
    """The D1 backends only: tests that look at the SQL, the requests or the database file."""
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture(params=D1_BACKENDS)
def fresh_d1_stores(request, tmp_path) -> Iterator[Callable[[], D1UnitOfWork]]:
    """A factory of D1 units of work, each on its own empty store (a new file, or a new prefix)."""
    if request.param == "sqlite":
        clients: list[SqliteD1Client] = []

        def on_new_file() -> D1UnitOfWork:
            client = SqliteD1Client(tmp_path / f"fresh-{len(clients)}.db")
            clients.append(client)
            migrate(client)
            return D1UnitOfWork(client)

        yield on_new_file
        for client in clients:
            client.close()
    else:
        with http_client(request.getfixturevalue("d1_engine"), []) as client:

            def on_new_prefix() -> D1UnitOfWork:
                prefix = unique_prefix()
                migrate(client, prefix)
                return D1UnitOfWork(client, prefix)

            yield on_new_prefix
