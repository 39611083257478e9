"""Rows -> domain objects, decoding each column by its declared type.

D1 returns rows as JSON, so an INTEGER column may arrive as 3.0; integer columns are coerced with
a check, never by guessing. Content is decoded by its stored ``content_kind``, never by whether
the text happens to look like JSON.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import attrs
import cattrs

from adapters.d1.client import Row
from adapters.d1.errors import D1ProtocolError
from domain.content import Content, decode_content
from domain.message import Message
from domain.metadata import Metadata
from domain.thread import Thread
from domain.timestamps import from_epoch_ms


def _integer(value: Any, _: type) -> int:
    if isinstance(value, bool):
        raise D1ProtocolError(f"expected an integer column, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise D1ProtocolError(f"expected an integer column, got {value!r}")


def _text(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise D1ProtocolError(f"expected a text column, got {value!r}")
    return value


def _moment(value: Any, _: type) -> datetime:
    millis = _integer(value, int)
    try:
        return from_epoch_ms(millis)
    except OverflowError:
        raise D1ProtocolError(f"timestamp column out of range: {millis!r}") from None


_NO_METADATA = Metadata()
_NO_PAIRS = "[]"


def _metadata(value: Any, _: type) -> Metadata:
    """``[[key, canonical JSON text], ...]`` as made by json_group_array(json_array(key, value))."""
    if value == _NO_PAIRS:  # most rows: nothing to decode (Metadata is immutable, so one is shared)
        return _NO_METADATA
    pairs = json.loads(_text(value, str))
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise D1ProtocolError(f"metadata column is not a list of pairs: {value!r}")
    return Metadata.from_encoded({key: text for key, text in pairs})


def _content(kind: Any, stored: Any) -> Content:
    """Decoded by the stored kind; structured content must parse and be a list or object."""
    if kind == "text":
        return _text(stored, str)
    if kind == "json":
        return decode_content(_text(stored, str), False)
    raise D1ProtocolError(f"unknown content_kind {kind!r}")


def _message(row: Any, _: type) -> Message:
    """A hand-written hook, not a generated one: one pass over the row, no intermediate object.

    Every column is still decoded by its declared type (a non-integer position or an unknown
    content_kind is refused), and ``Message.from_store`` re-checks ids, role, position and text;
    what is skipped is re-canonicalising structured content this store wrote as canonical JSON.
    """
    return Message.from_store(
        id=_text(row["id"], str),
        thread_id=_text(row["thread_id"], str),
        position=_integer(row["position"], int),
        role=_text(row["role"], str),
        content=_content(row["content_kind"], row["content"]),
        created_at=_moment(row["created_at"], datetime),
        metadata=_metadata(row["metadata"], Metadata),
    )


converter = cattrs.Converter()
converter.register_structure_hook(int, _integer)
converter.register_structure_hook(str, _text)
converter.register_structure_hook(datetime, _moment)
converter.register_structure_hook(Metadata, _metadata)
# By predicate: registering an attrs class by type would make cattrs resolve its annotations.
converter.register_structure_hook_func(lambda cls: cls is Message, _message)
# Looked up once: converter.structure() would dispatch on the type again for every row.
_structure_message = converter.get_structure_hook(Message)


@attrs.frozen
class ThreadRow:
    id: str
    resource_id: str
    title: str | None
    created_at: datetime
    updated_at: datetime
    version: int
    metadata: Metadata


def thread_from_row(row: Row) -> Thread:
    r = converter.structure(dict(row), ThreadRow)
    return Thread(
        id=r.id,
        resource_id=r.resource_id,
        title=r.title,
        created_at=r.created_at,
        updated_at=r.updated_at,
        version=r.version,
        metadata=r.metadata,
    )


def message_from_row(row: Row) -> Message:
    return _structure_message(row, Message)  # type: ignore[no-any-return]


def integer(row: Row, column: str) -> int:
    return _integer(row[column], int)


def text(row: Row, column: str) -> str:
    return _text(row[column], str)
