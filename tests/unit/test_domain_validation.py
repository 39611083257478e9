"""The domain refuses what no store can keep, naming the field, and accepts all storable text."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.testing import hostile_text, identifiers, text, tricky_text
from domain import InvalidInput, LimitExceeded, Message, MessagePatch, Metadata, Thread, ThreadPatch
from domain.limits import MAX_ID_CHARS, MAX_JSON_DEPTH, MAX_TEXT_BYTES

AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def thread(**changes: object) -> Thread:
    fields: dict[str, object] = {"id": "t1", "resource_id": "r1", "created_at": AT, "updated_at": AT}
    return Thread(**{**fields, **changes})


def message(**changes: object) -> Message:
    fields: dict[str, object] = {
        "id": "m1",
        "thread_id": "t1",
        "role": "user",
        "content": "hi",
        "created_at": AT,
    }
    return Message(**{**fields, **changes})


def refused(field: str, build: object) -> InvalidInput:
    assert callable(build)
    with pytest.raises(InvalidInput) as caught:
        build()
    assert caught.value.field == field, caught.value
    return caught.value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("thread.id", ""),
        ("thread.id", "   "),
        ("thread.id", 7),
        ("thread.id", "a\nb"),
        ("thread.id", "a\x00b"),
        ("thread.id", "\ud800"),
        ("thread.resource_id", None),
    ],
)
def test_thread_ids_are_refused_by_field(field: str, value: object) -> None:
    refused(field, lambda: thread(**{field.removeprefix("thread."): value}))


def test_an_id_longer_than_the_limit_is_a_limit_exceeded() -> None:
    error = refused("message.id", lambda: message(id="x" * (MAX_ID_CHARS + 1)))
    assert isinstance(error, LimitExceeded)


@pytest.mark.parametrize("role", ["USER", "human", "", None, 1])
def test_unknown_roles_are_refused(role: object) -> None:
    refused("message.role", lambda: message(role=role))


@pytest.mark.parametrize("content", [None, 3, b"bytes", "nul\x00inside", "lone \udc00", {1: "x"}])
def test_bad_content_is_refused(content: object) -> None:
    refused("message.content", lambda: message(content=content))


def test_bad_structured_content_names_the_path() -> None:
    refused("message.content[1].x", lambda: message(content=[{}, {"x": float("nan")}]))


def test_content_over_the_size_limit_is_a_limit_exceeded() -> None:
    error = refused("message.content", lambda: message(content="a" * (MAX_TEXT_BYTES + 1)))
    assert isinstance(error, LimitExceeded)


@pytest.mark.parametrize("moment", [datetime(2024, 1, 1), "2024-01-01T00:00:00Z", 1_700_000_000])
def test_timestamps_must_be_aware_datetimes(moment: object) -> None:
    refused("message.created_at", lambda: message(created_at=moment))


def test_updated_before_created_is_refused() -> None:
    refused("thread.updated_at", lambda: thread(updated_at=AT - timedelta(milliseconds=1)))


def test_title_with_nul_is_refused() -> None:
    refused("thread.title", lambda: thread(title="a\x00"))
    refused("title", lambda: ThreadPatch(title="\ud83d"))


@pytest.mark.parametrize(
    ("value", "field", "reason"),
    [
        ({"k": math.nan}, "thread.metadata.k", "non-finite"),
        ({"k": math.inf}, "thread.metadata.k", "non-finite"),
        ({"k": [-math.inf]}, "thread.metadata.k[0]", "non-finite"),
        ({"k": {1: "non-string key"}}, "thread.metadata.k", "non-string key"),
        ({"k": "\udfff"}, "thread.metadata.k", "surrogate"),
        ({"k": object()}, "thread.metadata.k", "JSON"),
    ],
)
def test_bad_metadata_values_name_the_key(value: dict[str, object], field: str, reason: str) -> None:
    error = refused(field, lambda: thread(metadata=value))
    assert reason in error.reason


@pytest.mark.parametrize("key", ["", " ", "a\tb", "\x00", "\udc80", 5, None])
def test_bad_metadata_keys_are_refused(key: object) -> None:
    refused("message.metadata key", lambda: message(metadata={key: 1}))


def test_metadata_nested_too_deep_is_refused() -> None:
    deep: object = 1
    for _ in range(MAX_JSON_DEPTH + 1):
        deep = [deep]
    error = refused(f"thread.metadata.k{'[0]' * (MAX_JSON_DEPTH + 1)}", lambda: thread(metadata={"k": deep}))
    assert "deeper" in error.reason


def test_metadata_value_over_the_size_limit_is_a_limit_exceeded() -> None:
    error = refused("thread.metadata.k", lambda: thread(metadata={"k": "a" * MAX_TEXT_BYTES}))
    assert isinstance(error, LimitExceeded)


def test_a_key_both_set_and_removed_is_refused() -> None:
    refused("remove_metadata", lambda: MessagePatch(set_metadata={"a": 1}, remove_metadata={"a"}))
    refused("remove_metadata", lambda: MessagePatch(remove_metadata="abc"))


@settings(max_examples=80)
@given(hostile_text())
def test_hostile_text_is_refused_as_content_and_title(bad: str) -> None:
    refused("message.content", lambda: message(content=bad))
    refused("thread.title", lambda: thread(title=bad))
    refused("thread.id", lambda: thread(id=bad))


@settings(max_examples=80)
@given(tricky_text(), text(), identifiers())
def test_storable_text_is_kept_exactly(tricky: str, plain: str, key: str) -> None:
    built = message(content=tricky + plain, metadata={key: [tricky, plain]})
    assert built.content == tricky + plain
    assert built.metadata[key] == [tricky, plain]
    assert thread(id=key, title=tricky).title == tricky


def test_emoji_rtl_and_combining_marks_are_accepted_everywhere() -> None:
    for sample in ["👨‍👩‍👧‍👦 family", "مرحبا", "\u202eevil\u202c", "e\u0301", "שָׁלוֹם"]:
        built = thread(id=sample, resource_id=sample, title=sample, metadata={sample: sample})
        assert (built.id, built.title, built.metadata[sample]) == (sample, sample, sample)


@given(st.sampled_from(["a\x00", "\ud800", "x\udfffy"]))
def test_patch_content_is_checked_too(bad: str) -> None:
    refused("content", lambda: MessagePatch(content=bad))


def test_metadata_refuses_a_non_mapping() -> None:
    refused("thread.metadata", lambda: thread(metadata=["k", 1]))
    refused("metadata", lambda: Metadata([("k", 1, 2)]))  # type: ignore[list-item]
