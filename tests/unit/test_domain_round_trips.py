"""What goes into storage comes back equal: metadata text, cursors, epoch milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.testing import contents, identifiers, metadata, timestamps
from domain import Direction, InvalidInput, MessageCursor, Metadata, ThreadCursor
from domain.content import decode_content, encode_content, is_text
from domain.json_values import JsonValue
from domain.limits import MAX_SAFE_INTEGER
from domain.timestamps import from_epoch_ms, to_epoch_ms, utc_millis

positions = st.integers(min_value=0, max_value=MAX_SAFE_INTEGER)


@settings(max_examples=100)
@given(metadata())
def test_metadata_survives_its_stored_form(value: Metadata) -> None:
    assert Metadata.from_encoded(value.encoded()) == value
    assert Metadata(dict(value.items())) == value


@settings(max_examples=100)
@given(contents())
def test_content_survives_its_stored_form(content: object) -> None:
    assert isinstance(content, str | list | dict)
    assert decode_content(encode_content(content), is_text(content)) == content


def test_text_that_looks_like_json_stays_text() -> None:
    assert decode_content(encode_content('{"a": 1}'), is_text('{"a": 1}')) == '{"a": 1}'


def test_metadata_equality_is_by_canonical_json() -> None:
    assert Metadata({"a": 1}) != Metadata({"a": 1.0})
    assert Metadata({"a": 1}) != Metadata({"a": True})
    nested: dict[str, JsonValue] = {"a": {"x": 1, "y": 2}}
    reordered: dict[str, JsonValue] = {"a": {"y": 2, "x": 1}}
    assert Metadata(nested) == Metadata(reordered)


@given(identifiers(), positions, st.sampled_from(Direction))
def test_message_cursor_round_trip(thread_id: str, position: int, direction: Direction) -> None:
    cursor = MessageCursor(thread_id, position, direction)
    assert MessageCursor.decode(cursor.encode()) == cursor


@given(st.integers(min_value=-(2**48), max_value=2**48), identifiers())
def test_thread_cursor_round_trip(updated_at_ms: int, thread_id: str) -> None:
    cursor = ThreadCursor(updated_at_ms, thread_id)
    assert ThreadCursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("text", ["", "!!!", "e30", ThreadCursor(1, "t").encode(), 42, None])
def test_foreign_or_damaged_message_cursors_are_refused(text: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        MessageCursor.decode(text)
    assert caught.value.field == "cursor"


@settings(max_examples=100)
@given(timestamps())
def test_epoch_ms_round_trip(moment: datetime) -> None:
    assert from_epoch_ms(to_epoch_ms(moment)) == moment
    assert utc_millis(moment, "at") == moment


@given(st.datetimes(timezones=st.just(timezone(timedelta(hours=-3)))))
def test_utc_millis_keeps_the_instant_to_the_millisecond(moment: datetime) -> None:
    normalised = utc_millis(moment, "at")
    assert normalised.tzinfo == UTC
    assert timedelta(0) <= moment - normalised < timedelta(milliseconds=1)
    assert from_epoch_ms(to_epoch_ms(normalised)) == normalised
