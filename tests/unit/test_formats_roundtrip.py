"""Laws: for each format, parse(serialise(x)) == x on every field the format carries; the
streaming JSON-list reader sees the same records as json.loads, whatever its chunk size."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.formats import Format, Parsed, native, parse_stream, sources, write_conversations
from adapters.formats.records import SOURCE_ID_KEY
from adapters.formats.writing import dump_json
from adapters.testing import strategies as ds
from domain.conversation import Conversation
from domain.message import Message
from domain.metadata import Metadata
from domain.thread import Thread

# The shared strategies are rich (tricky text, tool calls) and so not cheap: ~0.1 s per message.
RUNS = settings(max_examples=25, deadline=None)


def round_trip(conversations: list[Conversation], format: Format) -> list[Conversation]:
    out = io.StringIO()
    write_conversations(conversations, format, out)
    items = list(parse_stream(io.BytesIO(out.getvalue().encode()), "x", format=format, resource_id="r"))
    assert all(isinstance(item, Parsed) for item in items), items
    return [item.conversation for item in items]


def canonical(value: object) -> str:
    """JSON text that tells 1 from 1.0 (== does not)."""
    return dump_json(value)  # type: ignore[arg-type]


@st.composite
def conversations(draw, *, message_metadata=True, content=None, reserved=frozenset()):
    thread = draw(ds.threads(resource_ids=["r"]))
    thread = attrs.evolve(thread, metadata=thread.metadata.without(reserved & set(thread.metadata)))
    count = draw(st.integers(0, 3))
    messages = []
    for index in range(count):
        message = draw(ds.messages(thread.id, ids=st.just(f"{thread.id}:{index}")))
        metadata = (
            message.metadata.without(reserved & set(message.metadata)) if message_metadata else Metadata()
        )
        messages.append(
            attrs.evolve(
                message,
                metadata=metadata,
                content=draw(content) if content is not None else message.content,
                created_at=thread.created_at + timedelta(milliseconds=index),
            )
        )
    return Conversation(thread, tuple(messages))


@RUNS
@given(st.lists(conversations(), max_size=2, unique_by=lambda c: c.thread.id), st.booleans())
def test_jsonl_round_trips_every_field(originals, positioned):
    if positioned:  # as exported from a store: positions are written, and ignored on the way in
        originals = [
            attrs.evolve(c, messages=tuple(attrs.evolve(m, position=i + 1) for i, m in enumerate(c.messages)))
            for c in originals
        ]
    parsed = round_trip(originals, Format.JSONL)
    unpositioned = [
        attrs.evolve(c, messages=tuple(attrs.evolve(m, position=None) for m in c.messages)) for c in originals
    ]
    assert parsed == unpositioned
    assert [canonical(_fields(c)) for c in parsed] == [canonical(_fields(c)) for c in unpositioned]


def _fields(conversation: Conversation) -> dict:
    return native.to_record(conversation)


def _carried(conversation: Conversation, *, message_metadata: bool) -> str:
    """What ShareGPT and OpenAI carry: source id, title, thread metadata, and per message the
    role, content (and metadata, for ShareGPT)."""
    thread = conversation.thread
    return canonical(
        {
            "title": thread.title,
            "metadata": dict(thread.metadata),
            "messages": [
                [m.role.value, m.content, dict(m.metadata) if message_metadata else None]
                for m in conversation.messages
            ],
        }
    )


def _with_source_id(conversation: Conversation) -> Conversation:
    thread = conversation.thread
    metadata = thread.metadata.merge({SOURCE_ID_KEY: thread.id})
    return attrs.evolve(conversation, thread=attrs.evolve(thread, metadata=metadata))


@RUNS
@given(conversations(reserved=frozenset({"id", "title", "conversations", SOURCE_ID_KEY, "from", "value"})))
def test_sharegpt_round_trips_what_it_carries(original):
    [parsed] = round_trip([original], Format.SHAREGPT)
    expected = _with_source_id(original)
    assert _carried(parsed, message_metadata=True) == _carried(expected, message_metadata=True)
    assert [m.metadata for m in parsed.messages] == [m.metadata for m in original.messages]
    # Carried ids come back to the same thread id, so a second round trip changes nothing at all.
    assert round_trip([parsed], Format.SHAREGPT) == [parsed]


def _openai_content(content) -> bool:
    # A dict holding only "content" (text or parts) reads back as that content: OpenAI has no
    # way to tell the two apart. A dict with its own "role" is an OpenAI message, not content.
    if isinstance(content, dict):
        return "role" not in content and not (
            set(content) == {"content"} and isinstance(content["content"], str | list)
        )
    return True


@RUNS
@given(
    conversations(
        message_metadata=False,
        content=ds.contents().filter(_openai_content),
        reserved=frozenset({"id", "title", "messages", SOURCE_ID_KEY}),
    )
)
def test_openai_round_trips_what_it_carries(original):
    [parsed] = round_trip([original], Format.OPENAI)
    expected = _with_source_id(original)
    assert _carried(parsed, message_metadata=False) == _carried(expected, message_metadata=False)
    assert round_trip([parsed], Format.OPENAI) == [parsed]


@RUNS
@given(
    st.lists(st.dictionaries(ds.text(12), ds.json_values(6), max_size=4), max_size=5),
    st.integers(1, 40),
    st.sampled_from(["", " ", "\n  ", "\ufeff"]),
)
def test_the_json_list_reader_agrees_with_json_loads_at_any_chunk_size(records, chunk, padding):
    text = padding + "[" + ", \n".join(json.dumps(r, ensure_ascii=bool(chunk % 2)) for r in records) + "]\n"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "_CHUNK_CHARS", chunk)
        items = list(sources.json_list_records(io.BytesIO(text.encode()), "f"))
    assert [canonical(item.value) for item in items] == [canonical(r) for r in records]
    assert [item.location for item in items] == [f"f: record {n}" for n in range(1, len(records) + 1)]


def test_a_number_split_across_chunks_is_read_whole():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "_CHUNK_CHARS", 3)
        items = list(sources.json_list_records(io.BytesIO(b"[12345, true, 6.25e3]"), "f"))
    assert [item.value for item in items] == [12345, True, 6250.0]


def test_every_message_kind_round_trips_through_jsonl():
    kinds: list[Message] = []
    thread_id = "t"
    for index, content in enumerate(["text", [{"type": "text", "text": "a"}], {"k": 1.0}, {"k": 1}, []]):
        kinds.append(Message.new(thread_id, "user", content, id=f"m{index}", metadata={"n": index, "f": 0.5}))
    thread = Thread.new("r", id=thread_id, title="τ", metadata={"x": [1, {"y": None}]})
    [parsed] = round_trip([Conversation(thread, tuple(kinds))], Format.JSONL)
    assert [canonical(m.content) for m in parsed.messages] == [canonical(m.content) for m in kinds]
    assert parsed.thread == thread
