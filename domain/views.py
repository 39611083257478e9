"""What reads and commits return: pages, context windows, receipts, statistics."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from domain.cursors import ThreadCursor
from domain.errors import LimitExceeded
from domain.limits import MAX_FILTER_KEYS, MAX_PAGE_SIZE
from domain.message import Message
from domain.metadata import Metadata, as_metadata
from domain.thread import Thread
from domain.validation import validate_identifier, validate_int


def validate_limit(value: object, field: str = "limit", *, minimum: int = 1) -> int:
    return validate_int(value, field, minimum=minimum, maximum=MAX_PAGE_SIZE)


def _resource(value: object) -> str | None:
    return None if value is None else validate_identifier(value, "resource_id")


def _filter(value: object) -> Metadata:
    metadata = as_metadata(value, "metadata_filter")
    if len(metadata) > MAX_FILTER_KEYS:
        raise LimitExceeded("metadata_filter", MAX_FILTER_KEYS, len(metadata), unit="keys")
    return metadata


def _cursor(value: object) -> ThreadCursor | None:
    if value is None or isinstance(value, ThreadCursor):
        return value
    return ThreadCursor.decode(value)


def _limit(value: object) -> int:
    return validate_limit(value)


@attrs.frozen(kw_only=True)
class ThreadQuery:
    """Threads by newest activity; every key=value of ``metadata_filter`` must match exactly."""

    resource_id: str | None = attrs.field(default=None, converter=_resource)
    metadata_filter: Metadata = attrs.field(factory=Metadata, converter=_filter)
    limit: int = attrs.field(default=20, converter=_limit)
    cursor: ThreadCursor | None = attrs.field(default=None, converter=_cursor)


@attrs.frozen
class ThreadPage:
    threads: tuple[Thread, ...]
    next_cursor: str | None


@attrs.frozen
class MessagePage:
    messages: tuple[Message, ...]
    next_cursor: str | None


@attrs.frozen
class ContextWindow:
    """Up to k messages before and after ``anchor_id`` in the anchor's own thread, anchor included."""

    anchor_id: str
    messages: tuple[Message, ...]


@attrs.frozen
class RecentMessages:
    #: The newest N messages of the thread, oldest first.
    last: tuple[Message, ...]
    windows: tuple[ContextWindow, ...] = ()

    def merged(self) -> tuple[Message, ...]:
        """Every message once, grouped by thread and in position order — a prompt-ready list."""
        seen: dict[str, Message] = {m.id: m for m in self.last}
        for window in self.windows:
            seen.update((m.id, m) for m in window.messages)
        return tuple(sorted(seen.values(), key=lambda m: (m.thread_id, m.position or 0)))


@attrs.frozen
class CommitReceipt:
    idempotency_key: str
    #: Positions the store gave to the messages added in this commit.
    positions: Mapping[str, int] = attrs.field(factory=dict)
    #: Each thread added or edited in this commit, as committed.
    threads: Mapping[str, Thread] = attrs.field(factory=dict)
    #: True when the same idempotency key had been committed before: nothing was applied twice.
    already_applied: bool = False


@attrs.frozen
class StoreStats:
    threads: int
    messages: int
    metadata: int
    size_bytes: int | None
