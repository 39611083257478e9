"""Errors a D1 transport raises, and how a D1 error message is classified.

D1 reports SQL failures as text (``UNIQUE constraint failed: ...: SQLITE_CONSTRAINT``); the suffix
varies between the REST API, the binding (``D1_ERROR: `` prefix) and the embedded engine, so we
classify by substring, never by exact text.
"""

from __future__ import annotations

import enum

from domain.errors import StorageError, TransientStorageError


class SqlFailure(enum.Enum):
    UNIQUE = "UNIQUE constraint failed"
    NOT_NULL = "NOT NULL constraint failed"
    FOREIGN_KEY = "FOREIGN KEY constraint failed"
    CHECK = "CHECK constraint failed"
    TOO_MANY_VARIABLES = "too many SQL variables"
    NO_SUCH_TABLE = "no such table"
    TOO_BIG = "SQLITE_TOOBIG"  # "string or blob too big" and "statement too long" alike
    OTHER = ""


class D1QueryError(StorageError):
    """D1 refused the SQL (or a guard inside it fired). Nothing of the batch was committed."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message if code is None else f"D1 error {code}: {message}")
        self.d1_message = message
        self.code = code

    @property
    def failure(self) -> SqlFailure:
        for kind in SqlFailure:
            if kind is not SqlFailure.OTHER and kind.value in self.d1_message:
                return kind
        return SqlFailure.OTHER


class D1AuthError(StorageError):
    """The API token was refused (HTTP 403, codes 10000 / 7403)."""


class D1TransientError(TransientStorageError):
    """Overload, rate limit, gateway or network trouble: the request was NOT applied."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class D1OutcomeUnknown(StorageError):
    """The request may have been applied: it was sent and no answer came back (timeout, reset)."""


class D1ProtocolError(StorageError):
    """D1 answered something that is not its documented envelope."""
