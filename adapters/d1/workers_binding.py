"""``WorkersBindingD1Client``: the ``AsyncD1Client`` port over a D1 binding (``env.DB``) inside a
Cloudflare Python Worker — ``db.prepare(sql).bind(*params)``, then ONE ``await db.batch([...])``,
which D1 runs as one transaction.

A failure is classified by the rules the REST client uses: D1's transient messages are retried
(commits are idempotent, so that is safe), a ``D1_ERROR: ...`` becomes ``D1QueryError`` (the
prefix removed, so the same substring classification applies), and any other error while the
batch was in flight may have come after the commit: ``D1OutcomeUnknown``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final

from adapters.closing import AsyncClosing
from adapters.d1.client import Statement, StatementResult
from adapters.d1.envelope import ResultShape, encode_batch
from adapters.d1.envelope import _statement_result as statement_result  # one parser for both shapes
from adapters.d1.errors import D1OutcomeUnknown, D1ProtocolError, D1QueryError
from adapters.d1.failures import Failure, Outcome, definite, transient
from adapters.d1.js_values import Binder, default_binder, field, to_python
from adapters.d1.response_errors import transient_outcome
from adapters.d1.retry import RetryPolicy

_ERROR_PREFIX: Final = "D1_ERROR: "
#: D1's error names (D1_ERROR, D1_TYPE_ERROR, D1_COLUMN_NOTFOUND, D1_EXEC_ERROR...) all start so.
_D1_MARK: Final = "D1_"


def failure_of(exc: Exception) -> Failure:
    """What a binding error means: retry, a definite refusal, or an unknown outcome."""
    message = str(exc)
    outcome = transient_outcome(message)
    if outcome is not None:
        return transient(f"D1 binding: {message}", outcome)
    start = message.find(_D1_MARK)
    if start >= 0:
        return definite(D1QueryError(message[start:].removeprefix(_ERROR_PREFIX)))
    unknown = D1OutcomeUnknown(f"the D1 binding failed ({type(exc).__name__}: {message})")
    return Failure(unknown, retryable=False, outcome=Outcome.UNKNOWN)


def _results(raw: object, expected: int) -> list[StatementResult] | Failure:
    entries = to_python(raw)
    if not isinstance(entries, list) or len(entries) != expected:
        count = len(entries) if isinstance(entries, list) else "no"
        return _malformed(f"{count} results for {expected} statements")
    try:
        return [
            statement_result(_entry(entry), index, ResultShape.QUERY) for index, entry in enumerate(entries)
        ]
    except (TypeError, ValueError) as exc:
        return _malformed(str(exc))


def _entry(entry: object) -> object:
    # A D1Result proxy without to_py (or an SDK wrapper object): read its documented fields.
    if isinstance(entry, dict):
        return entry
    return {name: to_python(field(entry, name)) for name in ("success", "results", "meta")}


def _malformed(reason: str) -> Failure:
    # The batch did run: whatever it answered, it may have committed.
    return Failure(D1ProtocolError(f"unexpected D1 binding answer: {reason}"), False, Outcome.UNKNOWN)


class WorkersBindingD1Client(AsyncClosing):
    """``WorkersBindingD1Client(self.env.DB)`` in a Worker; ``binder`` is found out by default
    (see ``adapters.d1.js_values``). The runtime owns the binding: closing releases nothing."""

    def __init__(
        self,
        db: Any,
        *,
        retry: RetryPolicy | None = None,
        binder: Binder | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._db = db
        self._retry = retry or RetryPolicy()
        self._bind = binder or default_binder()
        self._sleep = sleep

    async def batch(self, statements: Sequence[Statement]) -> list[StatementResult]:
        if not statements:
            return []
        encode_batch(statements)  # the REST client's checks: InvalidInput naming the parameter
        run = self._retry.start()
        while True:
            answer = await self._attempt(statements)
            if not isinstance(answer, Failure):
                return answer
            delay = run.next_delay(answer)
            if delay is None:
                raise run.give_up()
            await self._sleep(delay)

    async def _attempt(self, statements: Sequence[Statement]) -> list[StatementResult] | Failure:
        try:
            prepared = [self._bind(self._db.prepare(s.sql), s.params) for s in statements]
            raw = await self._db.batch(prepared)
        except Exception as exc:  # JsException, or whatever an SDK wrapper turns it into
            return failure_of(exc)
        return _results(raw, len(statements))

    async def aclose(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
