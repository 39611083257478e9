"""Sans-IO flows: the request/answer logic of every use case, shared by sync and async shells.

A flow is a generator that yields the statements of one request and is sent that request's
results (or has the client's error thrown into it); it returns the use case's value.
``run`` drives one with a ``D1Client``; an async shell drives the same flow with ``await``.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TypeAlias, TypeVar

from adapters.d1.client import D1Client, Statement, StatementResult
from domain.errors import StorageError

T = TypeVar("T")

Flow: TypeAlias = Generator[Sequence[Statement], list[StatementResult], T]


def run(client: D1Client, flow: Flow[T]) -> T:
    try:
        request = next(flow)
        while True:
            try:
                results = client.batch(request)
            except StorageError as exc:  # thrown in: the flow may explain it, or lets it rise
                request = flow.throw(exc)
            else:
                request = flow.send(results)
    except StopIteration as stop:
        value: T = stop.value
        return value


def single(statements: Sequence[Statement]) -> Flow[list[StatementResult]]:
    """The flow of one request whose results are the answer."""
    results = yield statements
    return results
