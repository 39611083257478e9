"""Strategies for message content: text, and the structured parts agent frameworks produce."""

from __future__ import annotations

import json
from typing import cast

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from adapters.testing.primitives import SLUG_CHARS, json_values, memoised, text
from domain.content import Content
from domain.json_values import JsonValue


def _call_ids() -> SearchStrategy[str]:
    return st.text(SLUG_CHARS, min_size=6, max_size=12).map(lambda slug: f"call_{slug}")


def _function_names() -> SearchStrategy[str]:
    return st.text(SLUG_CHARS, min_size=1, max_size=16)


def _json_objects() -> SearchStrategy[dict[str, JsonValue]]:
    return st.dictionaries(text(max_size=8), json_values(max_leaves=3), max_size=2)


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
            st.text(SLUG_CHARS, min_size=1, max_size=12),
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


@memoised
def structured_contents() -> SearchStrategy[Content]:
    """OpenAI tool calls and tool results, multi-part lists (text, images, tool use), arbitrary JSON."""
    return st.one_of(
        _openai_tool_calls(),
        _openai_tool_result(),
        _multi_part(),
        st.lists(json_values(max_leaves=3), max_size=3),
        _json_objects(),
    )


@memoised
def contents() -> SearchStrategy[Content]:
    """Message content: text (often tricky) or structured parts."""
    return st.one_of(text(), structured_contents())
