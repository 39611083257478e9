"""One failed attempt of a D1 request: what went wrong, whether retrying can help, and whether the
request may have been applied anyway — and the error to raise once we stop trying.

Outcome rule: a request that may have reached the database and got no definite answer (sent,
then a timeout or dropped connection; a 5xx other than 503; a storage reset) is UNKNOWN. One that
never left (connect refused, pool timeout) or was turned away at the door (429, 503, "overloaded",
the database could not be resolved or started) was NOT applied. If ANY attempt's outcome is
unknown and no later attempt gave a definite answer, the whole call's outcome is unknown.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence

import attrs
import httpx

from adapters.d1.errors import D1OutcomeUnknown, D1ProtocolError, D1TransientError
from domain.errors import StorageError

Redact = Callable[[str], str]


class Outcome(enum.Enum):
    NOT_APPLIED = "not applied"
    UNKNOWN = "may have been applied"


@attrs.frozen
class Failure:
    """``error`` is what the caller gets if this is the last attempt."""

    error: StorageError
    retryable: bool
    outcome: Outcome
    retry_after: float | None = None


def definite(error: StorageError) -> Failure:
    """D1 answered and refused: nothing was applied and asking again gets the same answer."""
    return Failure(error, retryable=False, outcome=Outcome.NOT_APPLIED)


def transient(message: str, outcome: Outcome, retry_after: float | None = None) -> Failure:
    return Failure(
        D1TransientError(message, retry_after), retryable=True, outcome=outcome, retry_after=retry_after
    )


# Raised before a byte of the request was written: the server cannot have seen it.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Raised while writing or awaiting the answer: the server may have run the request.
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


def from_transport_error(exc: httpx.TransportError, redact: Redact) -> Failure:
    """Classify an exception httpx raised instead of giving us a response."""
    detail = redact(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    if isinstance(exc, _NEVER_SENT):
        return transient(f"could not send the request ({detail})", Outcome.NOT_APPLIED)
    if isinstance(exc, _MAYBE_SENT):
        return transient(f"no answer to a sent request ({detail})", Outcome.UNKNOWN)
    # UnsupportedProtocol, LocalProtocolError, ProxyError...: our setup is wrong, retrying won't help.
    return definite(D1ProtocolError(f"the request could not be made ({detail})"))


def give_up_error(attempts: Sequence[Failure]) -> StorageError:
    """The error for a call whose attempts all failed (``attempts`` is non-empty, in order)."""
    last = attempts[-1]
    if not last.retryable:
        return last.error
    count = f"{len(attempts)} attempt{'s' if len(attempts) > 1 else ''}"
    if any(attempt.outcome is Outcome.UNKNOWN for attempt in attempts):
        return D1OutcomeUnknown(f"gave up after {count}; the request may have been applied: {last.error}")
    return D1TransientError(f"gave up after {count}: {last.error}", last.retry_after)
