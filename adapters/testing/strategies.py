"""Hypothesis strategies for d1store values, sized for stateful tests that hit real databases.

Everything generated here is accepted by the domain — including the text stores tend to get wrong
(emoji and ZWJ sequences, right-to-left and bidi controls, combining marks, astral planes, SQL and
LIKE metacharacters) — except ``hostile_text()``, which is always refused where text is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from adapters.testing.content_strategies import contents, structured_contents
from adapters.testing.primitives import (
    TRICKY_FRAGMENTS,
    hostile_text,
    identifiers,
    json_values,
    memoised,
    metadata,
    metadata_keys,
    roles,
    text,
    timestamps,
    tricky_text,
)
from domain.content import Content
from domain.message import Message
from domain.metadata import Metadata
from domain.patches import KEEP, Keep, MessagePatch, ThreadPatch
from domain.thread import Thread

__all__ = [
    "TRICKY_FRAGMENTS",
    "contents",
    "hostile_text",
    "identifiers",
    "json_values",
    "message_patches",
    "messages",
    "metadata",
    "metadata_keys",
    "roles",
    "structured_contents",
    "text",
    "thread_patches",
    "threads",
    "timestamps",
    "tricky_text",
]


def _pick(choice: Sequence[str] | SearchStrategy[str] | None) -> SearchStrategy[str]:
    if choice is None:
        return identifiers()
    if isinstance(choice, SearchStrategy):
        return choice
    return st.sampled_from(list(choice))


def _entity_ids(ids: SearchStrategy[str] | None) -> SearchStrategy[str]:
    # Random UUIDs by default: colliding ids would make callers' commits fail with AlreadyExists.
    return st.uuids().map(str) if ids is None else ids


def _thread(
    *, id: str, resource_id: str, title: str | None, metadata: Metadata, created_at: datetime, active_ms: int
) -> Thread:
    return Thread(
        id=id,
        resource_id=resource_id,
        title=title,
        metadata=metadata,
        created_at=created_at,
        updated_at=created_at + timedelta(milliseconds=active_ms),
    )


def threads(
    resource_ids: Sequence[str] | SearchStrategy[str] | None = None,
    *,
    ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Thread]:
    """New threads (version 1); ``resource_ids`` picks owners from a list or a strategy."""
    return st.builds(
        _thread,
        id=_entity_ids(ids),
        resource_id=_pick(resource_ids),
        title=st.none() | text(),
        metadata=metadata(),
        created_at=timestamps(),
        active_ms=st.integers(0, 10**9),
    )


def messages(
    thread_id: str | SearchStrategy[str],
    *,
    ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Message]:
    """New messages of ``thread_id`` (not yet positioned)."""
    return st.builds(
        Message,
        id=_entity_ids(ids),
        thread_id=thread_id if isinstance(thread_id, SearchStrategy) else st.just(thread_id),
        role=roles(),
        content=contents(),
        metadata=metadata(),
        created_at=timestamps(),
    )


def _disjoint(to_set: Metadata, to_remove: frozenset[str]) -> frozenset[str]:
    # A key both set and removed is refused by the domain.
    return to_remove - set(to_set)


def _thread_patch(title: str | Keep | None, to_set: Metadata, to_remove: frozenset[str]) -> ThreadPatch:
    return ThreadPatch(title=title, set_metadata=to_set, remove_metadata=_disjoint(to_set, to_remove))


def _message_patch(content: Content | Keep, to_set: Metadata, to_remove: frozenset[str]) -> MessagePatch:
    return MessagePatch(content=content, set_metadata=to_set, remove_metadata=_disjoint(to_set, to_remove))


@memoised
def thread_patches() -> SearchStrategy[ThreadPatch]:
    titles: SearchStrategy[str | Keep | None] = st.sampled_from([KEEP, None]) | text()
    return st.builds(_thread_patch, titles, metadata(max_size=2), st.frozensets(metadata_keys(), max_size=2))


@memoised
def message_patches() -> SearchStrategy[MessagePatch]:
    new_content: SearchStrategy[Content | Keep] = st.just(KEEP) | contents()
    return st.builds(
        _message_patch, new_content, metadata(max_size=2), st.frozensets(metadata_keys(), max_size=2)
    )
