"""What the sync and async REST clients share: building a batch request, reading its answer, and
logging each step — everything but the I/O itself.

Logs go to ``adapters.d1.http`` at DEBUG: method, path, statement count, status, attempt, delay.
Never headers, bodies or the token.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Sequence
from typing import Final

import attrs
import httpx

from adapters.d1.client import Statement, StatementResult
from adapters.d1.credentials import D1Credentials
from adapters.d1.envelope import ResultShape, encode_batch, parse_response
from adapters.d1.failures import Failure, from_transport_error
from adapters.d1.retry import RetryRun

logger = logging.getLogger("adapters.d1.http")

#: D1 stops a request after 30 s; the read timeout leaves room for the answer to travel.
DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=5.0, read=40.0, write=15.0, pool=5.0)
DEFAULT_LIMITS: Final = httpx.Limits(max_connections=20, max_keepalive_connections=10)


@attrs.frozen
class PreparedBatch:
    url: str
    path: str
    body: bytes = attrs.field(repr=False)
    count: int


@attrs.frozen
class BatchCodec:
    credentials: D1Credentials
    shape: ResultShape = ResultShape.QUERY

    def prepare(self, statements: Sequence[Statement]) -> PreparedBatch:
        """Validates every statement first (InvalidInput), so bad input sends nothing."""
        url = self.credentials.endpoint(self.shape.value)
        return PreparedBatch(url, urllib.parse.urlsplit(url).path, encode_batch(statements), len(statements))

    def headers(self) -> dict[str, str]:
        return {**self.credentials.authorization(), "Content-Type": "application/json"}

    def read(
        self, prepared: PreparedBatch, response: httpx.Response, attempt: int
    ) -> list[StatementResult] | Failure:
        logger.debug(
            "D1 POST %s: %d statements -> HTTP %d (attempt %d)",
            prepared.path,
            prepared.count,
            response.status_code,
            attempt,
        )
        return parse_response(
            response.status_code,
            {name.lower(): value for name, value in response.headers.items()},
            response.content,
            expected=prepared.count,
            shape=self.shape,
            redact=self.credentials.api_token.scrub,
        )

    def transport_failure(self, prepared: PreparedBatch, exc: httpx.TransportError, attempt: int) -> Failure:
        logger.debug(
            "D1 POST %s: %d statements -> %s (attempt %d)",
            prepared.path,
            prepared.count,
            type(exc).__name__,
            attempt,
        )
        return from_transport_error(exc, self.credentials.api_token.scrub)


def next_step(
    prepared: PreparedBatch, run: RetryRun, answer: list[StatementResult] | Failure
) -> list[StatementResult] | float:
    """The results, or seconds to sleep before the next attempt; raises the error when giving up."""
    if not isinstance(answer, Failure):
        return answer
    attempt = run.attempt
    delay = run.next_delay(answer)
    _log_retry(prepared, answer, attempt, delay)
    if delay is None:
        raise run.give_up()
    return delay


def _log_retry(prepared: PreparedBatch, failure: Failure, attempt: int, delay: float | None) -> None:
    if delay is None:
        logger.debug(
            "D1 POST %s: giving up after attempt %d (%s)",
            prepared.path,
            attempt,
            type(failure.error).__name__,
        )
    else:
        logger.debug(
            "D1 POST %s: retrying in %.3f s after attempt %d (%s, %s)",
            prepared.path,
            delay,
            attempt,
            type(failure.error).__name__,
            failure.outcome.value,
        )
