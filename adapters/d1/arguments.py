"""Checks of repository arguments, made when a method is called so bad input records nothing."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

from domain import timestamps
from domain.errors import InvalidInput
from domain.limits import MAX_SAFE_INTEGER
from domain.validation import validate_identifier, validate_int

T = TypeVar("T")

MAX_ANCHORS = 100


def instance(value: object, kind: type[T], field: str) -> T:
    if not isinstance(value, kind):
        raise InvalidInput(field, f"must be a {kind.__name__}, not {type(value).__name__}")
    return value


def ids(values: object, field: str) -> list[str]:
    """A collection of ids, duplicates dropped, in first-seen order."""
    if isinstance(values, str) or not isinstance(values, Collection):
        raise InvalidInput(field, "must be a collection of ids, not one string")
    checked = [validate_identifier(value, f"{field}[{index}]") for index, value in enumerate(values)]
    return list(dict.fromkeys(checked))


def expected_version(value: object) -> int | None:
    if value is None:
        return None
    return validate_int(value, "expected_version", minimum=1, maximum=MAX_SAFE_INTEGER)


def moment_ms(value: object) -> int | None:
    return None if value is None else timestamps.to_epoch_ms(timestamps.utc_millis(value, "at"))
