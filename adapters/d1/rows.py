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
from domain.content import decode_content
from domain.message import Message, Role
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
    return from_epoch_ms(_integer(value, int))


def _metadata(value: Any, _: type) -> Metadata:
    """``[[key, canonical JSON text], ...]`` as made by json_group_array(json_array(key, value))."""
    pairs = json.loads(_text(value, str))
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise D1ProtocolError(f"metadata column is not a list of pairs: {value!r}")
    return Metadata.from_encoded({key: text for key, text in pairs})


converter = cattrs.Converter()
converter.register_structure_hook(int, _integer)
converter.register_structure_hook(str, _text)
converter.register_structure_hook(datetime, _moment)
converter.register_structure_hook(Metadata, _metadata)
converter.register_structure_hook(Role, lambda value, _: Role(_text(value, str)))


@attrs.frozen
class ThreadRow:
    id: str
    resource_id: str
    title: str | None
    created_at: datetime
    updated_at: datetime
    version: int
    metadata: Metadata


@attrs.frozen
class MessageRow:
    id: str
    thread_id: str
    position: int
    role: Role
    content_kind: str
    content: str
    created_at: datetime
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
    r = converter.structure(dict(row), MessageRow)
    if r.content_kind not in ("text", "json"):
        raise D1ProtocolError(f"unknown content_kind {r.content_kind!r}")
    return Message(
        id=r.id,
        thread_id=r.thread_id,
        position=r.position,
        role=r.role,
        content=decode_content(r.content, r.content_kind == "text"),
        created_at=r.created_at,
        metadata=r.metadata,
    )


def integer(row: Row, column: str) -> int:
    return _integer(row[column], int)


def text(row: Row, column: str) -> str:
    return _text(row[column], str)
