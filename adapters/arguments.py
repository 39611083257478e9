"""Checks of repository arguments at call time: bad input raises InvalidInput naming the field."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TypeVar

from domain import timestamps
from domain.cursors import Direction, MessageCursor
from domain.errors import InvalidInput, LimitExceeded
from domain.limits import MAX_SAFE_INTEGER
from domain.validation import validate_identifier, validate_int
from domain.views import validate_limit

T = TypeVar("T")

MAX_ANCHORS = 100


def identifier(value: object, field: str) -> str:
    return validate_identifier(value, field)


def identifiers(values: object, field: str) -> tuple[str, ...]:
    """Distinct ids in the order given; one string is refused (it would be read as its characters)."""
    if isinstance(values, str | bytes) or not isinstance(values, Collection):
        raise InvalidInput(field, f"must be a collection of ids, not {type(values).__name__}")
    # Same field naming as adapters/d1 ("message_ids[2]"), so every backend reports alike.
    checked = [validate_identifier(value, f"{field}[{index}]") for index, value in enumerate(values)]
    return tuple(dict.fromkeys(checked))


def anchors(values: object) -> tuple[str, ...]:
    distinct = identifiers(values, "around")
    if len(distinct) > MAX_ANCHORS:
        raise LimitExceeded("around", MAX_ANCHORS, len(distinct), unit="ids")
    return distinct


def instance(value: object, kind: type[T], field: str) -> T:
    if not isinstance(value, kind):
        raise InvalidInput(field, f"must be a {kind.__name__}, not {type(value).__name__}")
    return value


def expected_version(value: object) -> int | None:
    if value is None:
        return None
    return validate_int(value, "expected_version", minimum=1, maximum=MAX_SAFE_INTEGER)


def moment(value: object) -> datetime:
    return timestamps.now() if value is None else timestamps.utc_millis(value, "at")


def count(value: object, field: str) -> int:
    """``limit``, ``before``, ``after`` of recent(): 0..1000."""
    return validate_limit(value, field, minimum=0)


def direction(value: object) -> Direction:
    if isinstance(value, str) and value in {d.value for d in Direction}:
        return Direction(value)
    raise InvalidInput("direction", f"must be one of {', '.join(d.value for d in Direction)}, not {value!r}")


def message_cursor(value: object, thread_id: str, wanted: Direction) -> MessageCursor | None:
    if value is None:
        return None
    cursor = MessageCursor.decode(value)
    if cursor.thread_id != thread_id:
        raise InvalidInput("cursor", "belongs to another thread")
    if cursor.direction is not wanted:
        raise InvalidInput("cursor", f"was issued for paging {cursor.direction.value}, not {wanted.value}")
    return cursor
