"""Helpers for tests that drive the REST clients against the local engine, directly or via the proxy."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
from d1_local.engine import LocalD1Engine

from adapters.d1.async_http_client import AsyncHttpD1Client
from adapters.d1.client import Statement, StatementResult
from adapters.d1.http_client import HttpD1Client
from adapters.d1.retry import RetryPolicy

#: Quick retries so fault tests take milliseconds, not seconds.
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05, budget=10.0)
#: The proxy's delay faults must outlast this read timeout.
SHORT_TIMEOUT = httpx.Timeout(connect=2.0, read=0.75, write=2.0, pool=2.0)
PAST_TIMEOUT = 1.25

_names = itertools.count()


def local_engine(**kwargs: Any) -> Iterator[LocalD1Engine]:
    """Generator for a module-scoped ``engine`` fixture."""
    with LocalD1Engine(**kwargs) as engine:
        yield engine


def fresh_table(prefix: str = "t") -> str:
    """A table name no other test in this process uses (tests share one engine per module)."""
    return f"{prefix}_{next(_names)}"


def create_table(name: str) -> Statement:
    return Statement(f"CREATE TABLE {name} (id TEXT PRIMARY KEY, n INTEGER)")


def insert(name: str, row_id: str, n: int = 1) -> Statement:
    return Statement(f"INSERT INTO {name} (id, n) VALUES (?, ?)", (row_id, n))


def select_ids(name: str) -> Statement:
    return Statement(f"SELECT id FROM {name} ORDER BY id")


class CountingTransport(httpx.BaseTransport):
    """A real HTTP transport that counts the requests it sends."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncCountingTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class Client:
    """One face for both clients, so every integration test runs against sync and async alike."""

    def __init__(self, flavor: str, engine: LocalD1Engine, base_url: str | None = None, **kwargs: Any):
        self.flavor = flavor
        args = (engine.account_id, engine.database_id, kwargs.pop("api_token", engine.api_token))
        kwargs.setdefault("base_url", base_url or engine.api_base_url)
        self.sleeps: list[float] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        if flavor == "sync":
            self.transport: CountingTransport | AsyncCountingTransport = CountingTransport()
            self.sync = HttpD1Client(*args, transport=self.transport, sleep=self.sleeps.append, **kwargs)
        else:
            self.transport = AsyncCountingTransport()
            self._loop = asyncio.new_event_loop()

            async def record(seconds: float) -> None:
                self.sleeps.append(seconds)

            self.async_ = AsyncHttpD1Client(*args, transport=self.transport, sleep=record, **kwargs)

    @property
    def requests(self) -> int:
        return self.transport.requests

    def batch(self, statements: Sequence[Statement]) -> list[StatementResult]:
        if self._loop is None:
            return self.sync.batch(statements)
        return self._loop.run_until_complete(self.async_.batch(statements))

    def close(self) -> None:
        if self._loop is None:
            self.sync.close()
        else:
            self._loop.run_until_complete(self.async_.aclose())
            self._loop.close()

    def __repr__(self) -> str:
        return repr(self.sync if self._loop is None else self.async_)


def ids(client: Client, table: str) -> list[str]:
    return [row["id"] for row in client.batch([select_ids(table)])[0].rows]
