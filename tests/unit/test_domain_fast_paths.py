"""The shortcuts on the hot paths agree with the full constructors they stand in for."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.testing import messages
from domain import InvalidInput, JsonValue, LimitExceeded, Message, Metadata, Role
from domain.limits import MAX_ID_CHARS, MAX_SAFE_INTEGER
from domain.validation import validate_identifier

valid_positions = st.integers(min_value=1, max_value=MAX_SAFE_INTEGER)


def _fields(message: Message) -> dict[str, object]:
    return {field.name: getattr(message, field.name) for field in attrs.fields(Message)}


@settings(max_examples=100)
@given(messages(st.sampled_from(["t-1", "thread ✨"])), valid_positions)
def test_with_position_equals_evolve(message: Message, position: int) -> None:
    stamped = message.with_position(position)
    assert stamped == attrs.evolve(message, position=position)
    assert _fields(stamped) == _fields(message) | {"position": position}


@pytest.mark.parametrize("position", [0, -1, MAX_SAFE_INTEGER + 1, 1.0, "1", True])
def test_with_position_refuses_what_evolve_refuses(position: object) -> None:
    message = Message.new("t-1", Role.USER, "hi")
    with pytest.raises(InvalidInput) as by_evolve:
        attrs.evolve(message, position=position)
    with pytest.raises(InvalidInput) as by_shortcut:
        message.with_position(position)  # type: ignore[arg-type]
    assert by_shortcut.value.field == by_evolve.value.field == "message.position"


def _stored_fields(message: Message, position: int) -> dict[str, object]:
    return _fields(message) | {"position": position, "role": message.role.value}


@settings(max_examples=100)
@given(messages(st.sampled_from(["t-1", "thread ✨"])), valid_positions)
def test_from_store_equals_the_full_constructor(message: Message, position: int) -> None:
    fields = _stored_fields(message, position)
    restored = Message.from_store(**fields)  # type: ignore[arg-type]
    assert restored == Message(**fields)
    assert restored.role is message.role


def test_from_store_normalises_a_timestamp_that_is_not_utc_millis() -> None:
    local = datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    fields = _stored_fields(Message.new("t-1", Role.USER, "hi", at=local), 1) | {"created_at": local}
    restored = Message.from_store(**fields)  # type: ignore[arg-type]
    assert restored.created_at == datetime(2026, 1, 1, 10, 0, 0, 123000, tzinfo=UTC)
    assert restored.created_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": ""}, "message.id"),
        ({"thread_id": "a\x07b"}, "message.thread_id"),
        ({"role": "robot"}, "message.role"),
        ({"position": 0}, "message.position"),
        ({"position": 2.0}, "message.position"),
        ({"content": "a\x00b"}, "message.content"),
        ({"content": 7}, "message.content"),
        ({"created_at": datetime(2026, 1, 1)}, "message.created_at"),
        ({"metadata": "not a mapping"}, "message.metadata"),
    ],
)
def test_from_store_refuses_corrupt_values(change: dict[str, object], field: str) -> None:
    fields = _stored_fields(Message.new("t-1", Role.USER, "hi", metadata={"k": 1}), 3) | change
    with pytest.raises(InvalidInput) as refused:
        Message.from_store(**fields)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_from_store_keeps_decoded_structured_content() -> None:
    parts: list[JsonValue] = [{"type": "text", "text": "hi"}]
    fields = _stored_fields(Message.new("t-1", Role.TOOL, parts, metadata=Metadata()), 1)
    assert Message.from_store(**fields).content == parts  # type: ignore[arg-type]


def _reference_identifier_verdict(value: str) -> bool:
    """The rule spelled out character by character, without the fast path."""
    if not value.strip() or len(value) > MAX_ID_CHARS:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return all(unicodedata.category(char) != "Cc" for char in value)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec=None), max_size=40) | st.text(max_size=300))
def test_identifier_fast_path_agrees_with_the_full_rule(value: str) -> None:
    try:
        validate_identifier(value, "id")
        accepted = True
    except (InvalidInput, LimitExceeded):
        accepted = False
    assert accepted == _reference_identifier_verdict(value)


@pytest.mark.parametrize("value", ["a\ud800b", "\ud800"])
def test_a_lone_surrogate_is_still_refused(value: str) -> None:
    with pytest.raises(InvalidInput, match="lone surrogate"):
        validate_identifier(value, "id")
