"""``arun``: drive a sans-IO flow (``adapters.d1.flows``) with an ``AsyncD1Client``.

The flow holds all the logic; this only awaits each request. If the awaiting task is cancelled,
the flow is closed and the cancellation rises: the request itself is one batch, so it was applied
whole or not at all.
"""

from __future__ import annotations

from typing import TypeVar

from adapters.d1.client import AsyncD1Client
from adapters.d1.flows import Flow
from domain.errors import StorageError

T = TypeVar("T")


async def arun(client: AsyncD1Client, flow: Flow[T]) -> T:
    try:
        request = next(flow)
        while True:
            try:
                answer = await client.batch(request)
            except StorageError as exc:  # thrown in: the flow may explain it, or lets it rise
                request = flow.throw(exc)
            else:
                request = flow.send(answer)
    except StopIteration as stop:
        value: T = stop.value
        return value
    finally:
        flow.close()
