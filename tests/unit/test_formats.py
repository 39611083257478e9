"""Format parsers and serialisers on hand-written records: mapping, detection, malformed input."""

from __future__ import annotations

import io
import json

import pytest

from adapters.formats import Format, Malformed, Parsed, identity, parse_stream, write_conversations
from adapters.formats.reading import detect_format
from domain.errors import InvalidInput
from domain.message import Role


def lines(*records: object) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def parse(data: bytes, name: str = "in.jsonl", **options) -> list[Parsed | Malformed]:
    return list(parse_stream(io.BytesIO(data), name, **options))


def conversations(data: bytes, **options):
    items = parse(data, **options)
    assert all(isinstance(item, Parsed) for item in items), items
    return [item.conversation for item in items]


SHAREGPT_TOOLS = {
    "id": "glaive-1",
    "source": "glaive",
    "conversations": [
        {"from": "system", "value": "You can call tools."},
        {"from": "human", "value": "Weather in Oslo?"},
        {"from": "function_call", "value": '{"name": "weather", "arguments": {"city": "Oslo"}}'},
        {"from": "observation", "value": '{"temp": -3}'},
        {"from": "gpt", "value": "It is -3 °C.", "weight": 1},
    ],
}


def test_sharegpt_speakers_map_to_roles_and_unusual_names_are_kept():
    [conversation] = conversations(json.dumps([SHAREGPT_TOOLS]).encode(), name="in.json")
    assert [m.role for m in conversation.messages] == [
        Role.SYSTEM,
        Role.USER,
        Role.ASSISTANT,
        Role.TOOL,
        Role.ASSISTANT,
    ]
    assert conversation.messages[2].metadata == {"from": "function_call"}
    assert conversation.messages[1].metadata == {}  # "human" is the usual name of the user role
    assert conversation.messages[4].metadata == {"weight": 1}
    assert conversation.thread.id == "glaive-1"
    assert conversation.thread.metadata == {"source": "glaive", "source_id": "glaive-1"}


def test_sharegpt_export_writes_the_original_speaker_names_back():
    [conversation] = conversations(json.dumps([SHAREGPT_TOOLS]).encode(), name="in.json")
    out = io.StringIO()
    write_conversations([conversation], Format.SHAREGPT, out)
    assert json.loads(out.getvalue()) == [SHAREGPT_TOOLS]


OPENAI_TOOLS = {
    "id": 7,
    "tools": [{"type": "function", "function": {"name": "weather"}}],
    "messages": [
        {"role": "developer", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Weather?"}]},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "weather", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "-3"},
        {"role": "assistant", "content": "Cold."},
    ],
}


def test_openai_tool_calls_and_results_keep_every_field():
    [conversation] = conversations(lines(OPENAI_TOOLS))
    messages = conversation.messages
    assert messages[0].role is Role.SYSTEM and messages[0].content == {
        "role": "developer",
        "content": "Be brief.",
    }
    assert messages[1].content == [{"type": "text", "text": "Weather?"}]
    assert messages[2].content == {"content": None, "tool_calls": OPENAI_TOOLS["messages"][2]["tool_calls"]}
    assert messages[3].role is Role.TOOL and messages[3].content == {"tool_call_id": "c1", "content": "-3"}
    assert messages[4].content == "Cold."
    assert conversation.thread.id == "7" and conversation.thread.metadata["source_id"] == 7
    assert conversation.thread.metadata["tools"] == OPENAI_TOOLS["tools"]
    out = io.StringIO()
    write_conversations([conversation], Format.OPENAI, out)
    assert json.loads(out.getvalue()) == OPENAI_TOOLS


def test_format_is_detected_from_the_first_recognisable_record():
    assert detect_format({"conversations": []}) is Format.SHAREGPT
    assert detect_format({"messages": []}) is Format.OPENAI
    assert detect_format({"messages": [], "resource_id": "r"}) is Format.JSONL
    assert detect_format([1]) is None
    # A broken first line does not hide the format of the rest.
    items = parse(b"{oops\n" + lines({"messages": [{"role": "user", "content": "hi"}]}))
    assert isinstance(items[0], Malformed) and isinstance(items[1], Parsed)


def test_an_unrecognisable_file_asks_for_the_format_and_a_given_format_wins():
    with pytest.raises(InvalidInput) as caught:
        parse(lines({"text": "hello"}))
    assert caught.value.field == "format"
    [item] = parse(lines({"text": "hello"}), format=Format.SHAREGPT)
    assert isinstance(item, Malformed) and "conversations" in item.reason


def test_malformed_records_name_their_line_or_record_and_field():
    data = (
        lines(
            {"messages": [{"role": "user", "content": "ok"}]},
            {"messages": [{"role": "user", "content": "ok"}, {"role": "narrator", "content": "x"}]},
        )
        + b"not json\n\n"
        + lines({"messages": "nope"})
    )
    items = parse(data, name="mixed.jsonl")
    assert [type(item).__name__ for item in items] == ["Parsed", "Malformed", "Malformed", "Malformed"]
    assert str(items[1]).startswith("mixed.jsonl:2: messages[1].role:")
    assert str(items[2]).startswith("mixed.jsonl:3: invalid JSON")
    assert str(items[3]).startswith("mixed.jsonl:5: messages:")  # the blank line 4 is skipped


def test_a_json_list_reports_records_by_number_and_stops_at_broken_json():
    good = {"conversations": [{"from": "human", "value": "hi"}]}
    bad = {"conversations": [{"from": "human"}]}
    text = "[" + json.dumps(good) + "," + json.dumps(bad) + "," + json.dumps(good) + ", {broken} ]"
    items = parse(text.encode(), name="list.json")
    assert [type(item).__name__ for item in items] == ["Parsed", "Malformed", "Parsed", "Malformed"]
    assert str(items[1]) == "list.json: record 2: conversations[0].value: is missing"
    assert str(items[3]).startswith("list.json: record 4: invalid JSON")


def test_ids_and_timestamps_are_deterministic_and_ordered():
    record = {"messages": [{"role": "user", "content": str(i)} for i in range(5)]}
    first, second = conversations(lines(record, record))
    again = conversations(lines(record, record))
    assert [first, second] == again
    # Same content, same id: importing it twice stores it once.
    assert first.thread.id == second.thread.id == identity.thread_id_for_content(record)
    times = [m.created_at for m in first.messages]
    assert times == sorted(times) and len(set(times)) == 5
    assert [m.id for m in first.messages] == [f"{first.thread.id}:{i}" for i in range(5)]
    # The first record of a file is the newest, as in an export.
    assert first.thread.updated_at > second.thread.created_at


def test_source_ids_that_are_not_usable_ids_are_hashed():
    assert identity.thread_id_for_source("abc") == "abc"
    assert identity.thread_id_for_source(12) == "12"
    for unusable in ("a\nb", "x" * 300, "  ", "sha-123"):
        derived = identity.thread_id_for_source(unusable)
        assert derived.startswith("sha-") and derived == identity.thread_id_for_source(unusable)


def test_native_records_refuse_bad_fields_by_name():
    base = {
        "id": "t1",
        "resource_id": "r",
        "created_at": "2024-01-01T00:00:00.000Z",
        "updated_at": "2024-01-01T00:00:01.000Z",
        "messages": [
            {"id": "m1", "role": "user", "content": "a", "created_at": "2024-01-01T00:00:00Z", "position": 2},
            {"id": "m2", "role": "user", "content": "b", "created_at": "2024-01-01T00:00:01Z", "position": 1},
        ],
    }
    [item] = parse(lines(base))
    assert isinstance(item, Malformed) and item.reason.startswith("messages[1].position:")
    naive = dict(base, created_at="2024-01-01T00:00:00", messages=[])
    [item] = parse(lines(naive))
    assert isinstance(item, Malformed) and item.reason.startswith("created_at: must carry a time zone")
    bad_role = dict(base, messages=[dict(base["messages"][0], role="bot")])
    [item] = parse(lines(bad_role))
    assert isinstance(item, Malformed) and item.reason.startswith("messages[0].role:")
    [item] = parse(lines(dict(base, messages=[])), resource_id="elsewhere")
    assert isinstance(item, Parsed) and item.conversation.thread.resource_id == "elsewhere"


def test_a_byte_order_mark_and_non_utf8_lines_are_handled():
    record = {"messages": [{"role": "user", "content": "hi"}]}
    assert len(conversations(b"\xef\xbb\xbf" + lines(record))) == 1
    items = parse(lines(record) + b'{"messages": "\xff"}\n')
    assert isinstance(items[1], Malformed) and "UTF-8" in items[1].reason
