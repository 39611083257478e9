"""JSON values: validated once, stored as canonical text, so equality and storage agree."""

from __future__ import annotations

import json
import math
from typing import TypeAlias

from domain.errors import InvalidInput, LimitExceeded
from domain.limits import MAX_JSON_DEPTH, MAX_TEXT_BYTES
from domain.validation import utf8_size

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None


def _check(value: object, field: str, depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise InvalidInput(field, f"is nested deeper than {MAX_JSON_DEPTH} levels")
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(field, f"contains a non-finite number ({value!r})")
        return
    if isinstance(value, str):
        utf8_size(value, field)
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(item, f"{field}[{index}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidInput(field, f"has a non-string key {key!r}")
            utf8_size(key, field)
            _check(item, f"{field}.{key}", depth + 1)
        return
    raise InvalidInput(field, f"is not JSON-serialisable ({type(value).__name__})")


def canonical_json(value: object, field: str, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The one text form of ``value``: sorted keys, no spaces, 1 and 1.0 kept apart."""
    _check(value, field, 0)
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise LimitExceeded(field, max_bytes, size)
    return text


def parse_json(text: str) -> JsonValue:
    """Inverse of ``canonical_json``; a fresh object each call, so callers cannot alias ours."""
    value: JsonValue = json.loads(text)
    return value
