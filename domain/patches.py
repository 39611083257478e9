"""Edits to threads and messages, as values: what to set, what to remove, what to keep."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final, Literal

import attrs

from domain.content import Content, validate_content
from domain.errors import InvalidInput
from domain.metadata import Metadata, as_metadata, validate_key
from domain.validation import validate_text


class _Keep(enum.Enum):
    KEEP = "KEEP"

    def __repr__(self) -> str:
        return "KEEP"


#: "Leave this field as it is" — distinct from None, which clears an optional field.
KEEP: Final = _Keep.KEEP
Keep = Literal[_Keep.KEEP]


def _keys(value: object) -> frozenset[str]:
    # One string is refused: iterating it would remove the keys named by its characters.
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput("remove_metadata", f"must be a collection of keys, not {type(value).__name__}")
    return frozenset(validate_key(key, "remove_metadata") for key in value)


def _set_metadata(value: object) -> Metadata:
    return as_metadata(value, "set_metadata")


@attrs.frozen(kw_only=True)
class MetadataChanges:
    """Set some keys, remove others. A key in both would be ambiguous, so it is refused."""

    set_metadata: Metadata = attrs.field(factory=Metadata, converter=_set_metadata)
    remove_metadata: frozenset[str] = attrs.field(factory=frozenset, converter=_keys)

    def __attrs_post_init__(self) -> None:
        both = sorted(self.remove_metadata & set(self.set_metadata))
        if both:
            raise InvalidInput("remove_metadata", f"keys {both} are also being set")

    def metadata_after(self, metadata: Metadata) -> Metadata:
        return metadata.merge(self.set_metadata).without(self.remove_metadata)

    @property
    def changes_metadata(self) -> bool:
        return bool(self.set_metadata or self.remove_metadata)


def _title(value: object) -> str | Keep | None:
    if value is KEEP or value is None:
        return value
    return validate_text(value, "title")


def _content(value: object) -> Content | Keep:
    return value if value is KEEP else validate_content(value, "content")


@attrs.frozen(kw_only=True)
class ThreadPatch(MetadataChanges):
    """``title=None`` clears the title; leaving it out keeps it."""

    title: str | Keep | None = attrs.field(default=KEEP, converter=_title)

    @property
    def keeps_title(self) -> bool:
        return self.title is KEEP

    def new_title(self, current: str | None) -> str | None:
        return current if self.title is KEEP else self.title

    @property
    def is_empty(self) -> bool:
        return self.keeps_title and not self.changes_metadata


@attrs.frozen(kw_only=True)
class MessagePatch(MetadataChanges):
    content: Content | Keep = attrs.field(default=KEEP, converter=_content)

    def new_content(self, current: Content) -> Content:
        return current if self.content is KEEP else self.content

    @property
    def is_empty(self) -> bool:
        return self.content is KEEP and not self.changes_metadata
