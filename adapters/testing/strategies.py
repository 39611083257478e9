"""Hypothesis strategies for d1store values, sized for stateful tests that hit real databases.

Everything generated here is accepted by the domain — including the text stores tend to get wrong
(emoji and ZWJ sequences, right-to-left and bidi controls, combining marks, astral planes, SQL and
LIKE metacharacters) — except ``hostile_text()``, which is always refused where text is stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import cast

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

from domain.content import Content
from domain.json_values import JsonValue
from domain.limits import MAX_SAFE_INTEGER
from domain.message import Message, Role
from domain.metadata import Metadata
from domain.patches import KEEP, Keep, MessagePatch, ThreadPatch
from domain.thread import Thread
from domain.timestamps import utc_millis

#: Fragments that have broken text handling somewhere: each is valid and must round-trip exactly.
TRICKY_FRAGMENTS: tuple[str, ...] = (
    "👋",
    "👨‍👩‍👧‍👦",  # one grapheme, seven code points joined by ZWJ
    "🇺🇦",
    "\U0001d518\U0001d52b\U0001d526",  # Fraktur "Uni", astral plane: two UTF-16 units each
    "e\u0301",  # e + combining acute: not the same string as "é"
    "é",
    "Z\u0364\u0311a\u0308\u0347l\u036e\u0312",  # stacked combining marks
    "مرحبا بالعالم",
    "שָׁלוֹם",
    "\u202eevil\u202c",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width space, zero-width joiner, byte order mark
    "日本語テキスト",
    "'; DROP TABLE threads; --",
    "%_\\",  # LIKE wildcards and escape
    '"quoted" \\u0000',  # looks like an escape, is plain text
    "null",
    "1.0",
)

#: Valid in free text but not in identifiers (control characters).
_WHITESPACE_FRAGMENTS: tuple[str, ...] = ("\r\n", "\t", " ")

_STORABLE_CHARS = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_IDENTIFIER_CHARS = st.characters(exclude_categories=["Cs", "Cc"])
#: Plain ASCII names (function names, URL paths, tool-call ids): hypothesis draws these fast.
_SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_UNSTORABLE = ("\x00", "\ud800", "\udbff", "\udc00", "\udfff")


def tricky_text(max_fragments: int = 3) -> SearchStrategy[str]:
    """Text built from the fragments that break stores, mixed with random storable text."""
    fragment = st.one_of(
        st.sampled_from(TRICKY_FRAGMENTS + _WHITESPACE_FRAGMENTS), st.text(_STORABLE_CHARS, max_size=6)
    )
    return st.lists(fragment, min_size=1, max_size=max_fragments).map("".join)


def text(max_size: int = 40) -> SearchStrategy[str]:
    """Free text (content, titles, JSON strings): any storable text, often tricky. May be empty."""
    return st.one_of(st.text(_STORABLE_CHARS, max_size=max_size), tricky_text().map(lambda s: s[:max_size]))


def hostile_text() -> SearchStrategy[str]:
    """Text with a NUL or a lone surrogate: content, titles and ids must refuse it with InvalidInput.

    (NUL inside a JSON string value is allowed — JSON escapes it — so only a lone surrogate makes
    metadata invalid; use ``hostile_text().filter(lambda s: "\\x00" not in s)`` there.)
    """
    return st.tuples(text(max_size=10), st.sampled_from(_UNSTORABLE), text(max_size=10)).map("".join)


def identifiers(max_size: int = 24) -> SearchStrategy[str]:
    """Valid ids and keys: non-blank, no control characters, sometimes far from ASCII."""
    tricky = st.sampled_from([f for f in TRICKY_FRAGMENTS if f.strip()])
    return st.one_of(
        st.uuids().map(str),
        st.text(_SLUG_CHARS, min_size=1, max_size=16),
        st.text(_IDENTIFIER_CHARS, min_size=1, max_size=max_size),
        tricky,
    ).filter(lambda s: bool(s.strip()) and len(s) <= 256)


def metadata_keys() -> SearchStrategy[str]:
    return identifiers(max_size=16)


def _json_scalars() -> SearchStrategy[JsonValue]:
    return st.one_of(
        st.none(),
        st.booleans(),
        # D1 passes numbers through doubles: larger integers would not survive.
        st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER),
        st.floats(allow_nan=False, allow_infinity=False),
        text(max_size=20),
    )


def json_values(max_leaves: int = 8) -> SearchStrategy[JsonValue]:
    """Any JSON value the domain accepts, kept small."""

    def nest(children: SearchStrategy[JsonValue]) -> SearchStrategy[JsonValue]:
        return st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(text(max_size=12), children, max_size=4),
        )

    return cast(SearchStrategy[JsonValue], st.recursive(_json_scalars(), nest, max_leaves=max_leaves))


def metadata(max_size: int = 4) -> SearchStrategy[Metadata]:
    return st.dictionaries(metadata_keys(), json_values(max_leaves=4), max_size=max_size).map(Metadata)


def roles() -> SearchStrategy[Role]:
    return st.sampled_from(Role)


def timestamps() -> SearchStrategy[datetime]:
    """Aware datetimes from several zones, normalised as the store keeps them (UTC, milliseconds)."""
    zones = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))])
    moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=zones)
    # fold=1 (from ambiguous local times) would survive normalisation yet not a round trip through storage.
    return moments.map(lambda moment: utc_millis(moment, "timestamp").replace(fold=0))


def _call_ids() -> SearchStrategy[str]:
    return st.text(_SLUG_CHARS, min_size=6, max_size=12).map(lambda slug: f"call_{slug}")


def _function_names() -> SearchStrategy[str]:
    return st.text(_SLUG_CHARS, min_size=1, max_size=16)


def _json_objects() -> SearchStrategy[dict[str, JsonValue]]:
    return st.dictionaries(text(max_size=12), json_values(max_leaves=4), max_size=3)


def _openai_tool_calls() -> SearchStrategy[Content]:
    call = st.builds(
        lambda call_id, name, arguments: {
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)},
        },
        _call_ids(),
        _function_names(),
        _json_objects(),
    )
    return st.builds(
        lambda content, calls: {"content": content, "tool_calls": calls},
        st.none() | text(),
        st.lists(call, min_size=1, max_size=3),
    )


def _openai_tool_result() -> SearchStrategy[Content]:
    return st.builds(lambda call_id, body: {"tool_call_id": call_id, "content": body}, _call_ids(), text())


def _tool_use(call_id: str, name: str, arguments: dict[str, JsonValue]) -> dict[str, JsonValue]:
    return {"type": "tool_use", "id": call_id, "name": name, "input": arguments}


def _multi_part() -> SearchStrategy[Content]:
    part = st.one_of(
        st.builds(lambda body: {"type": "text", "text": body}, text()),
        st.builds(
            lambda path: {"type": "image_url", "image_url": {"url": f"https://example.com/{path}.png"}},
            st.text(_SLUG_CHARS, min_size=1, max_size=12),
        ),
        st.builds(
            lambda call_id, name, arguments: {
                "type": "tool_use",
                "id": call_id,
                "name": name,
                "input": arguments,
            },
            _call_ids(),
            _function_names(),
            _json_objects(),
        ),
        st.builds(
            lambda call_id, body: {"type": "tool_result", "tool_use_id": call_id, "content": body},
            _call_ids(),
            text(),
        ),
    )
    return cast(SearchStrategy[Content], st.lists(part, min_size=1, max_size=4))


def structured_contents() -> SearchStrategy[Content]:
    """OpenAI tool calls and tool results, multi-part lists (text, images, tool use), arbitrary JSON."""
    return st.one_of(
        _openai_tool_calls(),
        _openai_tool_result(),
        _multi_part(),
        st.lists(json_values(max_leaves=4), max_size=3),
        _json_objects(),
    )


def contents() -> SearchStrategy[Content]:
    """Message content: text (often tricky) or structured parts."""
    return st.one_of(text(), structured_contents())


def _pick(choice: Sequence[str] | SearchStrategy[str] | None) -> SearchStrategy[str]:
    if choice is None:
        return identifiers()
    if isinstance(choice, SearchStrategy):
        return choice
    return st.sampled_from(list(choice))


def _entity_ids(ids: SearchStrategy[str] | None) -> SearchStrategy[str]:
    # Random UUIDs by default: colliding ids would make callers' commits fail with AlreadyExists.
    return st.uuids().map(str) if ids is None else ids


@st.composite
def threads(
    draw: DrawFn,
    resource_ids: Sequence[str] | SearchStrategy[str] | None = None,
    *,
    ids: SearchStrategy[str] | None = None,
) -> Thread:
    """New threads (version 1); ``resource_ids`` picks owners from a list or a strategy."""
    created_at = draw(timestamps())
    return Thread(
        id=draw(_entity_ids(ids)),
        resource_id=draw(_pick(resource_ids)),
        title=draw(st.none() | text()),
        metadata=draw(metadata()),
        created_at=created_at,
        updated_at=created_at + timedelta(milliseconds=draw(st.integers(0, 10**9))),
    )


@st.composite
def messages(
    draw: DrawFn,
    thread_id: str | SearchStrategy[str],
    *,
    ids: SearchStrategy[str] | None = None,
) -> Message:
    """New messages of ``thread_id`` (not yet positioned)."""
    return Message(
        id=draw(_entity_ids(ids)),
        thread_id=draw(thread_id) if isinstance(thread_id, SearchStrategy) else thread_id,
        role=draw(roles()),
        content=draw(contents()),
        metadata=draw(metadata()),
        created_at=draw(timestamps()),
    )


def _metadata_changes(draw: DrawFn) -> tuple[Metadata, frozenset[str]]:
    to_set = draw(metadata(max_size=3))
    to_remove = draw(st.frozensets(metadata_keys(), max_size=3))
    return to_set, to_remove - set(to_set)


@st.composite
def thread_patches(draw: DrawFn) -> ThreadPatch:
    to_set, to_remove = _metadata_changes(draw)
    title: str | Keep | None = draw(st.sampled_from([KEEP, None]) | text())
    return ThreadPatch(title=title, set_metadata=to_set, remove_metadata=to_remove)


@st.composite
def message_patches(draw: DrawFn) -> MessagePatch:
    to_set, to_remove = _metadata_changes(draw)
    content: Content | Keep = draw(st.just(KEEP) | contents())
    return MessagePatch(content=content, set_metadata=to_set, remove_metadata=to_remove)
