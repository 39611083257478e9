"""Validation of the text a user hands us: identifiers, keys and free text."""

from __future__ import annotations

import unicodedata

from domain.errors import InvalidInput, LimitExceeded
from domain.limits import MAX_ID_CHARS, MAX_TEXT_BYTES


def utf8_size(value: str, field: str) -> int:
    """Size in UTF-8 bytes; a lone surrogate cannot be stored anywhere, so it is refused here."""
    try:
        return len(value.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InvalidInput(field, f"contains a lone surrogate at index {exc.start}") from None


def validate_text(value: object, field: str, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Free text (content, titles). NUL is refused: SQLite's text functions stop at it."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"must be a string, not {type(value).__name__}")
    size = utf8_size(value, field)
    if size > max_bytes:
        raise LimitExceeded(field, max_bytes, size)
    if "\x00" in value:
        raise InvalidInput(field, "contains a NUL character")
    return value


def validate_identifier(value: object, field: str, *, max_chars: int = MAX_ID_CHARS) -> str:
    """Ids and keys: non-empty, bounded, and free of control characters that hide in logs."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"must be a string, not {type(value).__name__}")
    if not value.strip():
        raise InvalidInput(field, "must not be empty or blank")
    if len(value) > max_chars:
        raise LimitExceeded(field, max_chars, len(value), unit="characters")
    # The common case, checked in C: a printable string holds no control character and no lone
    # surrogate (category Cs is not printable), so neither the encode nor the loop is needed.
    if value.isprintable():
        return value
    utf8_size(value, field)
    for index, char in enumerate(value):
        if unicodedata.category(char) == "Cc":
            raise InvalidInput(field, f"contains control character {char!r} at index {index}")
    return value


def validate_int(value: object, field: str, *, minimum: int, maximum: int) -> int:
    """An int in range; bool is refused although Python counts it as an int."""
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        raise InvalidInput(field, f"must be an integer from {minimum} to {maximum}, not {value!r}")
    return value
