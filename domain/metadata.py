"""Metadata: an immutable mapping of string keys to JSON values."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import final

from domain.errors import InvalidInput
from domain.json_values import JsonValue, canonical_json, parse_json
from domain.limits import MAX_KEY_CHARS
from domain.validation import validate_identifier

MetadataInput = Mapping[str, JsonValue] | Iterable[tuple[str, JsonValue]]


def validate_key(key: object, field: str = "metadata") -> str:
    return validate_identifier(key, f"{field} key", max_chars=MAX_KEY_CHARS)


@final
class Metadata(Mapping[str, JsonValue]):
    """Keys map to canonical JSON text inside; reads decode a fresh copy, so nobody can mutate us.

    Equality is by canonical JSON, so ``{"a": 1}`` and ``{"a": 1.0}`` differ — as they do in storage.
    """

    __slots__ = ("_encoded",)
    _encoded: dict[str, str]

    def __init__(self, items: MetadataInput = (), *, field: str = "metadata") -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        encoded: dict[str, str] = {}
        try:
            for key, value in pairs:
                key = validate_key(key, field)
                encoded[key] = canonical_json(value, f"{field}.{key}")
        except (TypeError, ValueError) as exc:
            if isinstance(exc, InvalidInput):
                raise
            raise InvalidInput(field, f"must be a mapping of string keys to JSON values ({exc})") from None
        self._encoded = dict(sorted(encoded.items()))

    @classmethod
    def from_encoded(cls, encoded: Mapping[str, str], *, field: str = "metadata") -> Metadata:
        """Rebuild from stored canonical text (re-validated: storage may hold anything)."""
        return cls({key: parse_json(text) for key, text in encoded.items()}, field=field)

    def encoded(self) -> Mapping[str, str]:
        """Key -> canonical JSON text: what the store writes."""
        return dict(self._encoded)

    def __getitem__(self, key: str) -> JsonValue:
        return parse_json(self._encoded[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)

    def __contains__(self, key: object) -> bool:
        return key in self._encoded

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Metadata):
            return self._encoded == other._encoded
        if isinstance(other, Mapping):
            try:
                return self == Metadata(other)
            except InvalidInput:
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._encoded.items()))

    def __repr__(self) -> str:
        return f"Metadata({dict(self.items())!r})"

    def __bool__(self) -> bool:
        return bool(self._encoded)

    def merge(self, changes: MetadataInput) -> Metadata:
        """Set keys: every key of ``changes`` takes its new value, the rest stay."""
        incoming = changes if isinstance(changes, Metadata) else Metadata(changes)
        result = Metadata()
        result._encoded = dict(sorted({**self._encoded, **incoming._encoded}.items()))
        return result

    def without(self, keys: Iterable[str]) -> Metadata:
        """Remove keys; a key that is not there is fine."""
        gone = {validate_key(key) for key in keys}
        result = Metadata()
        result._encoded = {k: v for k, v in self._encoded.items() if k not in gone}
        return result


def as_metadata(value: object, field: str = "metadata") -> Metadata:
    """attrs converter: accept a plain dict (or None) where Metadata is expected."""
    if isinstance(value, Metadata):
        return value
    if value is None:
        return Metadata()
    if isinstance(value, Mapping):
        return Metadata(value, field=field)
    raise InvalidInput(field, f"must be a mapping, not {type(value).__name__}")
