"""Count what reaches D1: requests, statements, and D1's own rows_read / rows_written.

A transport wrapped around the real httpx transport sees every request the client sends, retries
included, and reads D1's per-statement ``meta`` from the answer — the numbers D1 bills by.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import httpx


@attrs.frozen
class Cost:
    requests: int = 0
    statements: int = 0
    rows_read: int = 0
    rows_written: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(*(a + b for a, b in zip(attrs.astuple(self), attrs.astuple(other), strict=True)))

    def __sub__(self, other: Cost) -> Cost:
        return Cost(*(a - b for a, b in zip(attrs.astuple(self), attrs.astuple(other), strict=True)))


def _meta_total(envelope: Any, field: str) -> int:
    results = envelope.get("result") if isinstance(envelope, dict) else None
    if not isinstance(results, list):
        return 0
    return sum(int((entry.get("meta") or {}).get(field) or 0) for entry in results if isinstance(entry, dict))


def cost_of_answer(body: bytes) -> Cost:
    """One request's cost from D1's answer (a failed request still counts as one request)."""
    try:
        envelope = json.loads(body)
    except ValueError:
        return Cost(requests=1)
    results = envelope.get("result") if isinstance(envelope, dict) else None
    return Cost(
        requests=1,
        statements=len(results) if isinstance(results, list) else 0,
        rows_read=_meta_total(envelope, "rows_read"),
        rows_written=_meta_total(envelope, "rows_written"),
    )


# The body handed on is already decoded and whole, so these would describe it wrongly.
_BODY_FRAMING = {b"content-encoding", b"content-length", b"transfer-encoding"}


class CountingTransport(httpx.BaseTransport):
    """Passes every request to ``inner`` and adds its cost to ``total``; keeps the last request body."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport()
        self.total = Cost()
        self.last_body: bytes = b""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.last_body = request.read()
        response = self._inner.handle_request(request)
        body = response.read()
        self.total = self.total + cost_of_answer(body)
        # The stream is consumed: hand the client an equivalent response built from the bytes.
        return httpx.Response(
            response.status_code,
            headers=[(k, v) for k, v in response.headers.raw if k.lower() not in _BODY_FRAMING],
            content=body,
            request=request,
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()

    def measure(self) -> Measurement:
        """``with transport.measure() as spent: ...``; then ``spent.cost`` is what the block cost."""
        return Measurement(self)


class Measurement:
    def __init__(self, transport: CountingTransport) -> None:
        self._transport = transport
        self._start = Cost()
        self.cost = Cost()

    def __enter__(self) -> Measurement:
        self._start = self._transport.total
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cost = self._transport.total - self._start
