"""Reads of committed state, as docs/SEMANTICS.md defines them. Callers hold the store's lock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from adapters.memory.tables import Tables, Timeline
from domain.cursors import Direction, MessageCursor, ThreadCursor
from domain.errors import NotFound
from domain.message import Message
from domain.thread import Thread
from domain.timestamps import to_epoch_ms
from domain.views import ContextWindow, MessagePage, RecentMessages, StoreStats, ThreadPage, ThreadQuery


def _listing_key(thread: Thread) -> tuple[int, str]:
    # Python orders str by code point, which is the byte order of UTF-8 that SQLite's BINARY uses.
    return (to_epoch_ms(thread.updated_at), thread.id)


def _matches(thread: Thread, query: ThreadQuery) -> bool:
    if query.resource_id is not None and thread.resource_id != query.resource_id:
        return False
    # Canonical JSON text equality: 1 and 1.0 and true all differ, as in storage.
    return query.metadata_filter.encoded().items() <= thread.metadata.encoded().items()


def thread_page(tables: Tables, query: ThreadQuery) -> ThreadPage:
    after = None if query.cursor is None else (query.cursor.updated_at_ms, query.cursor.thread_id)
    found = sorted(
        (
            row.thread
            for row in tables.threads.values()
            if _matches(row.thread, query) and (after is None or _listing_key(row.thread) < after)
        ),
        key=_listing_key,
        reverse=True,
    )
    page = found[: query.limit]
    more = len(found) > query.limit
    return ThreadPage(tuple(page), ThreadCursor(*_listing_key(page[-1])).encode() if more else None)


def _timeline(tables: Tables, thread_id: str) -> Timeline:
    if thread_id not in tables.threads:
        raise NotFound("thread", thread_id)
    return tables.timelines[thread_id]


def _messages(tables: Tables, message_ids: Iterable[str]) -> tuple[Message, ...]:
    return tuple(tables.messages[message_id] for message_id in message_ids)


def _window(tables: Tables, anchor_id: str, before: int, after: int) -> ContextWindow:
    anchor = tables.messages.get(anchor_id)
    if anchor is None or anchor.position is None:
        raise NotFound("message", anchor_id)
    timeline = tables.timelines[anchor.thread_id]
    ids = [
        *reversed(timeline.before(anchor.position, before)),
        anchor_id,
        *timeline.after(anchor.position, after),
    ]
    return ContextWindow(anchor_id, _messages(tables, ids))


def recent(
    tables: Tables, thread_id: str, limit: int, anchors: Sequence[str], before: int, after: int
) -> RecentMessages:
    timeline = _timeline(tables, thread_id)
    last = _messages(tables, reversed(timeline.before(None, limit)))
    return RecentMessages(last, tuple(_window(tables, anchor, before, after) for anchor in anchors))


def message_page(
    tables: Tables, thread_id: str, limit: int, cursor: MessageCursor | None, direction: Direction
) -> MessagePage:
    timeline = _timeline(tables, thread_id)
    start = None if cursor is None else cursor.position
    if direction is Direction.FORWARD:
        ids = timeline.after(0 if start is None else start, limit + 1)
    else:
        ids = timeline.before(start, limit + 1)
    page = _messages(tables, ids[:limit])
    if len(ids) <= limit:
        return MessagePage(page, None)
    last_position = page[-1].position
    assert last_position is not None, "a committed message has a position"
    return MessagePage(page, MessageCursor(thread_id, last_position, direction).encode())


def stats(tables: Tables) -> StoreStats:
    metadata = sum(len(row.thread.metadata) for row in tables.threads.values())
    metadata += sum(len(message.metadata) for message in tables.messages.values())
    return StoreStats(
        threads=len(tables.threads), messages=len(tables.messages), metadata=metadata, size_bytes=None
    )
