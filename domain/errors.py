"""The errors d1store raises. Catch ``D1StoreError`` to catch them all."""

from __future__ import annotations


class D1StoreError(Exception):
    """Base of every error the store raises on purpose."""


class InvalidInput(D1StoreError, ValueError):
    """A value was refused before anything was written; ``field`` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class LimitExceeded(InvalidInput):
    """A value is larger than the store (and so D1) accepts."""

    def __init__(self, field: str, limit: int, actual: int, unit: str = "bytes") -> None:
        super().__init__(field, f"is {actual} {unit}, the limit is {limit} {unit}")
        self.limit = limit
        self.actual = actual


class NotFound(D1StoreError, LookupError):
    def __init__(self, kind: str, identifier: str) -> None:
        super().__init__(f"{kind} {identifier!r} not found")
        self.kind = kind
        self.identifier = identifier


class AlreadyExists(D1StoreError):
    def __init__(self, kind: str, identifier: str) -> None:
        super().__init__(f"{kind} {identifier!r} already exists")
        self.kind = kind
        self.identifier = identifier


class ConcurrencyConflict(D1StoreError):
    """Someone else changed the thread since the version this edit expected."""

    def __init__(self, thread_id: str, expected_version: int | None = None) -> None:
        detail = "" if expected_version is None else f" (expected version {expected_version})"
        super().__init__(f"thread {thread_id!r} was changed concurrently{detail}")
        self.thread_id = thread_id
        self.expected_version = expected_version


class StorageError(D1StoreError):
    """The backend failed; nothing of the unit of work was written."""


class TransientStorageError(StorageError):
    """The backend failed in a way that may pass (overload, network, 5xx); retrying may work."""


class CommitOutcomeUnknown(StorageError):
    """A commit was sent but its outcome could not be learned, even after retries.

    Committing the same unit of work again with the same idempotency key is safe:
    it is applied at most once.
    """

    def __init__(self, message: str, idempotency_key: str) -> None:
        super().__init__(f"{message} (idempotency key {idempotency_key})")
        self.idempotency_key = idempotency_key


class UnitOfWorkInUse(D1StoreError, RuntimeError):
    """A ``with uow:`` block was opened while another block of the same unit of work is open.

    Opening it would discard the outer block's recorded work (or mix two callers' work), so it is
    refused: give each block — each thread, task, or nested use case — its own unit of work.
    """

    def __init__(self) -> None:
        super().__init__(
            "this unit of work is already inside a `with` block (nested, or in use by another "
            "thread or task); give each block its own unit of work"
        )
