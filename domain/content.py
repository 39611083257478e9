"""Message content: plain text, or structured parts (tool calls, tool results, multi-part)."""

from __future__ import annotations

from typing import TypeAlias

from domain.errors import InvalidInput
from domain.json_values import JsonValue, canonical_json, parse_json
from domain.validation import validate_text

#: A ``str`` is text; a list or dict is structured content as agent frameworks produce it.
Content: TypeAlias = str | list[JsonValue] | dict[str, JsonValue]


def validate_content(value: object, field: str) -> Content:
    if isinstance(value, str):
        return validate_text(value, field)
    if isinstance(value, list | tuple | dict):
        # A private copy: the caller's list may be mutated after the message is built.
        copy = parse_json(canonical_json(value, field))
        assert isinstance(copy, list | dict)
        return copy
    raise InvalidInput(field, f"must be text or a list/dict of JSON parts, not {type(value).__name__}")


def is_text(content: Content) -> bool:
    return isinstance(content, str)


def encode_content(content: Content) -> str:
    """Stored form: text as it is; structured content as canonical JSON."""
    return content if isinstance(content, str) else canonical_json(content, "content")


def decode_content(stored: str, is_text: bool) -> Content:
    """Decode by the declared kind, never by whether the text happens to look like JSON."""
    if is_text:
        return stored
    value = parse_json(stored)
    if not isinstance(value, list | dict):
        raise InvalidInput("content", "stored structured content is not a list or object")
    return value
