"""Turn a D1 REST error answer (any status, JSON envelope or an HTML gateway page) into a Failure.

Cloudflare's documented classes: SQL errors are 400 / code 7500 with SQLite's message; a refused
token is 403 (10000 / 7403); 429 is a rate limit or an overloaded database; 5xx is Cloudflare's
side (502/504 can be HTML); and a few 400 messages are transient storage hiccups to retry.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from adapters.d1.errors import D1AuthError, D1ProtocolError, D1QueryError
from adapters.d1.failures import Failure, Outcome, Redact, definite, transient

_SQL_ERROR_CODE: Final = 7500
_AUTH_CODES: Final = frozenset({10000, 7403})
_BINDING_PREFIX: Final = "D1_ERROR: "
_SNIPPET_CHARS: Final = 300

# Lower-cased substrings of the messages Cloudflare says to retry, with whether the request can have
# touched storage. A storage reset or lost connection can strike after the commit; a database that
# could not be resolved, started, or was too busy to queue the request never ran it.
_TRANSIENT_MESSAGES: Final = {
    "network connection lost": Outcome.UNKNOWN,
    "storage caused object to be reset": Outcome.UNKNOWN,
    "reset because its code was updated": Outcome.UNKNOWN,
    "cannot resolve d1 db due to transient issue on remote node": Outcome.NOT_APPLIED,
    "internal error while starting up d1 db storage": Outcome.NOT_APPLIED,
    "d1 db is overloaded": Outcome.NOT_APPLIED,
}


def transient_outcome(message: str) -> Outcome | None:
    """The outcome of a transient D1 message, or None if the message is not a transient one."""
    lowered = message.lower()
    for fragment, outcome in _TRANSIENT_MESSAGES.items():
        if fragment in lowered:
            return outcome
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def envelope_errors(payload: Mapping[str, Any]) -> list[tuple[int | None, str]]:
    """``errors[]`` as (code, message) pairs, tolerating odd shapes (they only feed messages)."""
    errors = payload.get("errors")
    pairs: list[tuple[int | None, str]] = []
    for entry in errors if isinstance(errors, list) else []:
        if isinstance(entry, Mapping):
            code = entry.get("code")
            pairs.append((code if isinstance(code, int) else None, str(entry.get("message", ""))))
        else:
            pairs.append((None, str(entry)))
    return pairs


def _describe(status: int, errors: list[tuple[int | None, str]], body: bytes, redact: Redact) -> str:
    if errors:
        text = "; ".join(message if code is None else f"{code}: {message}" for code, message in errors)
    else:
        snippet = body[:_SNIPPET_CHARS].decode("utf-8", "replace").strip()
        text = f"no D1 envelope ({len(body)} bytes: {snippet!r})"
    return redact(f"HTTP {status}: {text}")


def error_failure(
    status: int,
    headers: Mapping[str, str],
    payload: Mapping[str, Any] | None,
    body: bytes,
    redact: Redact,
) -> Failure:
    """The Failure for an answer that is not a successful envelope."""
    errors = envelope_errors(payload) if payload is not None else []
    description = _describe(status, errors, body, redact)
    retry_after = parse_retry_after(headers.get("retry-after"))
    if status == 429:
        return transient(description, Outcome.NOT_APPLIED, retry_after)
    if status >= 500:
        # A 503 is refused at the door; any other 5xx (500, an HTML 502/504) may come after the commit.
        outcome = Outcome.NOT_APPLIED if status == 503 else Outcome.UNKNOWN
        return transient(description, outcome, retry_after)
    for _code, message in errors:
        message_outcome = transient_outcome(message)
        if message_outcome is not None:
            return transient(description, message_outcome, retry_after)
    codes = {code for code, _message in errors}
    if status in (401, 403) or codes & _AUTH_CODES:
        return definite(D1AuthError(description))
    if payload is None or not errors:
        return definite(D1ProtocolError(description))
    code, message = errors[0]
    if code == _SQL_ERROR_CODE:
        message = message.removeprefix(_BINDING_PREFIX)
    # Any other refusal (a malformed request 7400, an unknown database 7404): nothing was run.
    return definite(D1QueryError(redact(message), code))
