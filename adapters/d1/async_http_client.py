"""HttpD1Client: the D1Client port over Cloudflare's REST API, synchronous, one pooled connection set.

One ``batch`` = one POST to ``.../query`` (or ``/raw``), retried per the RetryPolicy. The rules
(request body, answer parsing, outcomes, backoff) live in pure modules shared with the async client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx

from adapters.closing import AsyncClosing
from adapters.config import DEFAULT_API_BASE_URL
from adapters.d1.client import Statement, StatementResult
from adapters.d1.credentials import D1Credentials, Secret
from adapters.d1.envelope import ResultShape
from adapters.d1.failures import Failure
from adapters.d1.rest_batch import DEFAULT_LIMITS, DEFAULT_TIMEOUT, BatchCodec, PreparedBatch, next_step
from adapters.d1.retry import RetryPolicy

EventHook = Callable[..., Awaitable[Any]]


class AsyncHttpD1Client(AsyncClosing):
    """``transport`` and ``event_hooks`` are handed to httpx (tests wrap a real transport with them).

    Use with ``async with``, or call ``aclose()``.
    """

    def __init__(
        self,
        account_id: str,
        database_id: str,
        api_token: str | Secret,
        *,
        base_url: str = DEFAULT_API_BASE_URL,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        limits: httpx.Limits = DEFAULT_LIMITS,
        shape: ResultShape = ResultShape.QUERY,
        transport: httpx.AsyncBaseTransport | None = None,
        event_hooks: Mapping[str, list[EventHook]] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._codec = BatchCodec(D1Credentials(account_id, database_id, api_token, base_url), shape)
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            timeout=timeout,
            limits=limits,
            transport=transport,
            event_hooks=dict(event_hooks or {}),
        )

    @property
    def credentials(self) -> D1Credentials:
        return self._codec.credentials

    async def batch(self, statements: Sequence[Statement]) -> list[StatementResult]:
        if not statements:
            return []
        prepared = self._codec.prepare(statements)
        run = self._retry.start()
        while True:
            step = next_step(prepared, run, await self._attempt(prepared, run.attempt))
            if isinstance(step, list):
                return step
            await self._sleep(step)

    async def _attempt(self, prepared: PreparedBatch, attempt: int) -> list[StatementResult] | Failure:
        try:
            response = await self._http.post(
                prepared.url, content=prepared.body, headers=self._codec.headers()
            )
        except httpx.TransportError as exc:
            return self._codec.transport_failure(prepared, exc, attempt)
        return self._codec.read(prepared, response, attempt)

    async def aclose(self) -> None:
        await self._http.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._codec.credentials!r}, shape={self._codec.shape.value})"
