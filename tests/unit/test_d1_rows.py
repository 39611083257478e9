"""Stored rows -> Message: the fast row hook gives back what was stored and refuses corrupt rows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.d1.errors import D1ProtocolError
from adapters.d1.rows import message_from_row
from adapters.d1.sql_messages import content_kind
from adapters.testing import messages
from domain import InvalidInput, Message, Role
from domain.content import encode_content, is_text
from domain.limits import MAX_SAFE_INTEGER
from domain.timestamps import to_epoch_ms


def stored_row(message: Message, position: int) -> dict[str, Any]:
    """The row SELECT ... MESSAGE_COLUMNS returns for ``message``, as SqliteD1Client hands it over."""
    pairs = [[key, text] for key, text in message.metadata.encoded().items()]
    return {
        "id": message.id,
        "thread_id": message.thread_id,
        "position": position,
        "role": message.role.value,
        "content_kind": content_kind(is_text(message.content)),
        "content": encode_content(message.content),
        "created_at": to_epoch_ms(message.created_at),
        "metadata": json.dumps(pairs, separators=(",", ":")),
    }


@settings(max_examples=150)
@given(messages(st.sampled_from(["t-1", "thread ✨"])), st.integers(1, MAX_SAFE_INTEGER), st.booleans())
def test_a_stored_row_reads_back_as_the_message(message: Message, position: int, as_json: bool) -> None:
    row = stored_row(message, position)
    if as_json:  # over REST every number arrives as a JSON number, possibly 3.0
        row = {key: float(value) if isinstance(value, int) else value for key, value in row.items()}
    assert message_from_row(row) == message.with_position(position)


def test_rows_without_metadata_share_one_empty_mapping() -> None:
    first, second = (Message.new("t-1", Role.USER, text) for text in ("a", "b"))
    read = [message_from_row(stored_row(m, i)) for i, m in enumerate((first, second), start=1)]
    assert read[0].metadata == {} and read[0].metadata is read[1].metadata


@pytest.mark.parametrize(
    "change",
    [
        {"content_kind": "xml"},
        {"position": 2.5},
        {"position": "3"},
        {"position": True},
        {"created_at": "yesterday"},
        {"created_at": 10**20},
        {"id": 7},
        {"content": None},
        {"metadata": '{"k": 1}'},
        {"metadata": '[["k"]]'},
    ],
)
def test_corrupt_columns_are_protocol_errors(change: dict[str, Any]) -> None:
    row = stored_row(Message.new("t-1", Role.USER, "hi"), 1) | change
    with pytest.raises(D1ProtocolError):
        message_from_row(row)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"position": 0}, "message.position"),
        ({"role": "robot"}, "message.role"),
        ({"id": "a\x1bb"}, "message.id"),
        ({"content": "a\x00b"}, "message.content"),
        ({"content_kind": "json", "content": '"just a string"'}, "content"),
        ({"metadata": '[["k", "{not json"]]'}, None),
    ],
)
def test_corrupt_values_are_refused(change: dict[str, Any], field: str | None) -> None:
    row = stored_row(Message.new("t-1", Role.USER, "hi"), 1) | change
    with pytest.raises(ValueError) as refused:  # InvalidInput, or a JSON parse error
        message_from_row(row)
    if field is not None:
        assert isinstance(refused.value, InvalidInput) and refused.value.field == field
