"""Hostile text in every place a user puts text — content (plain and structured), titles, metadata
keys and values, thread/message/resource ids: each value either round-trips exactly or is refused
with InvalidInput naming the field, and every backend does the same as the in-memory reference."""

from __future__ import annotations

from collections.abc import Callable

import hypothesis.strategies as st
import pytest
from conftest import Backend
from hypothesis import HealthCheck, given, settings

from adapters.memory import InMemoryStore, InMemoryUnitOfWork
from domain import InvalidInput, Message, Thread, ThreadPatch, new_id
from domain.json_values import JsonValue
from domain.ports import UnitOfWork

pytestmark = pytest.mark.reliability

HOSTILE = {
    "nul": "before\x00after",
    "lone-high-surrogate": "a\ud800b",
    "lone-low-surrogate": "\udfff",
    "emoji": "🧪🚀 👩‍👩‍👧‍👦 🇺🇳",
    "rtl": "שלום עולם مرحبا بالعالم",
    "rtl-override": "abc\u202edcba",
    "combining": "e\u0301 a\u0308\u0327 \u1e9b\u0323",
    "zero-width-and-bom": "\ufeffzero\u200bwidth\u200d",
    "astral": "\U0010ffff\U0001d11e",
    "newlines": "line one\nline two\r\n\ttab",
    "sql": "x'); DROP TABLE threads; --",
    "template": "$threads ${p} ?1 %s {0}",
    "quotes": "\"'`\\",
    "blank": "   ",
}


def _title(uow: UnitOfWork, value: str) -> JsonValue:
    thread_id = new_id()
    uow.threads.add(Thread.new("r", id=thread_id, title=value))
    uow.commit()
    return uow.threads.get(thread_id).title


def _content(uow: UnitOfWork, value: JsonValue) -> JsonValue:
    thread_id, message_id = new_id(), new_id()
    uow.threads.add(Thread.new("r", id=thread_id))
    uow.messages.add(Message.new(thread_id, "user", value, id=message_id))  # type: ignore[arg-type]
    uow.commit()
    return uow.messages.get(message_id).content


def _thread_metadata(uow: UnitOfWork, key: str, value: JsonValue) -> JsonValue:
    thread_id = new_id()
    uow.threads.add(Thread.new("r", id=thread_id))
    uow.commit()
    uow.threads.update(thread_id, ThreadPatch(set_metadata={key: value}))
    uow.commit()
    return dict(uow.threads.get(thread_id).metadata)


def _message_metadata(uow: UnitOfWork, key: str, value: JsonValue) -> JsonValue:
    thread_id, message_id = new_id(), new_id()
    uow.threads.add(Thread.new("r", id=thread_id))
    uow.messages.add(Message.new(thread_id, "user", "hi", id=message_id, metadata={key: value}))
    uow.commit()
    return dict(uow.messages.get(message_id).metadata)


def _ids(uow: UnitOfWork, value: str) -> JsonValue:
    uow.threads.add(Thread.new(value, id=value))
    uow.messages.add(Message.new(value, "user", "hi", id=value + "/m"))
    uow.commit()
    thread, message = uow.threads.get(value), uow.messages.get(value + "/m")
    return [thread.id, thread.resource_id, message.id, message.thread_id]


def _parts(text: str) -> JsonValue:
    return [{"type": "text", "text": text}]


#: place -> (store the value there and read it back, what an exact round trip reads back)
PLACES: dict[str, tuple[Callable[[UnitOfWork, str], JsonValue], Callable[[str], JsonValue]]] = {
    "title": (_title, lambda v: v),
    "text content": (_content, lambda v: v),
    "structured content": (
        lambda u, v: _content(u, [{"type": "text", "text": v}]),
        lambda v: [{"type": "text", "text": v}],
    ),
    "thread metadata value": (lambda u, v: _thread_metadata(u, "k", v), lambda v: {"k": v}),
    "thread metadata key": (lambda u, v: _thread_metadata(u, v, 1), lambda v: {v: 1}),
    "message metadata value": (lambda u, v: _message_metadata(u, "k", [v]), lambda v: {"k": [v]}),
    "message metadata key": (lambda u, v: _message_metadata(u, v, None), lambda v: {v: None}),
    "ids": (_ids, lambda v: [v, v, v + "/m", v]),
}


def outcome(uow: UnitOfWork, place: str, value: str) -> str:
    """ "round-trip", "refused <field>", or what went wrong — the same words on every backend."""
    store, expected = PLACES[place]
    try:
        with uow:
            read_back = store(uow, value)
    except InvalidInput as refused:
        return f"refused {refused.field}"
    return "round-trip" if read_back == expected(value) else f"changed to {read_back!r}"


def reference_outcome(place: str, value: str) -> str:
    return outcome(InMemoryUnitOfWork(InMemoryStore()), place, value)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_round_trips_or_is_refused_alike(backend: Backend, name: str) -> None:
    value = HOSTILE[name]
    for place in PLACES:
        got, reference = outcome(backend.uow(), place, value), reference_outcome(place, value)
        assert got == reference, (place, got, reference)
        assert got == "round-trip" or got.startswith("refused "), (place, got)


def test_the_reference_refuses_what_cannot_be_stored_and_keeps_the_rest() -> None:
    """Pin the outcomes themselves, so "alike" cannot mean "alike but wrong"."""
    refused = {
        (place, name): reference_outcome(place, HOSTILE[name])
        for place in PLACES
        for name in HOSTILE
        if reference_outcome(place, HOSTILE[name]) != "round-trip"
    }
    for (place, name), result in refused.items():
        assert name in ("nul", "lone-high-surrogate", "lone-low-surrogate", "blank", "newlines"), (
            place,
            name,
        )
        assert result.startswith("refused "), result
    # Lone surrogates can be stored nowhere; NUL is refused in free text (SQLite's text functions
    # stop at it) and ids/keys refuse every control character and blank values.
    assert reference_outcome("text content", HOSTILE["lone-high-surrogate"]) == "refused message.content"
    assert reference_outcome("title", HOSTILE["nul"]) == "refused thread.title"
    assert reference_outcome("ids", HOSTILE["newlines"]) == "refused thread.id"
    assert reference_outcome("text content", HOSTILE["newlines"]) == "round-trip"
    assert reference_outcome("thread metadata value", HOSTILE["nul"]) == "round-trip"  # JSON escapes it


_ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_ANY_TEXT, place=st.sampled_from(sorted(PLACES)))
def test_any_text_anywhere_behaves_as_on_the_reference(d1_backend: Backend, value: str, place: str) -> None:
    assert outcome(d1_backend.uow(), place, value) == reference_outcome(place, value)
