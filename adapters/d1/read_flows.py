"""The read use cases as flows: each is exactly one request."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from adapters.d1 import sql_reads
from adapters.d1.flows import Flow
from adapters.d1.rows import integer, message_from_row, text, thread_from_row
from adapters.d1.schema import Tables
from domain.cursors import Direction, MessageCursor, ThreadCursor
from domain.errors import NotFound
from domain.limits import MAX_SAFE_INTEGER
from domain.message import Message
from domain.thread import Thread
from domain.timestamps import to_epoch_ms
from domain.views import ContextWindow, MessagePage, RecentMessages, StoreStats, ThreadPage, ThreadQuery


def get_thread(tables: Tables, thread_id: str) -> Flow[Thread]:
    results = yield [sql_reads.thread_by_id(tables, thread_id)]
    if not results[0].rows:
        raise NotFound("thread", thread_id)
    return thread_from_row(results[0].rows[0])


def existing_threads(tables: Tables, thread_ids: Collection[str]) -> Flow[frozenset[str]]:
    if not thread_ids:
        return frozenset()
    results = yield [sql_reads.existing_threads(tables, thread_ids)]
    return frozenset(text(row, "id") for row in results[0].rows)


def list_threads(tables: Tables, query: ThreadQuery) -> Flow[ThreadPage]:
    results = yield [sql_reads.list_threads(tables, query)]
    threads = [thread_from_row(row) for row in results[0].rows]
    if len(threads) <= query.limit:
        return ThreadPage(tuple(threads), None)
    last = threads[query.limit - 1]
    cursor = ThreadCursor(to_epoch_ms(last.updated_at), last.id).encode()
    return ThreadPage(tuple(threads[: query.limit]), cursor)


def get_message(tables: Tables, message_id: str) -> Flow[Message]:
    results = yield [sql_reads.message_by_id(tables, message_id)]
    if not results[0].rows:
        raise NotFound("message", message_id)
    return message_from_row(results[0].rows[0])


def _windows(
    anchor_ids: Sequence[str], rows: Sequence[Message], owners: Sequence[str]
) -> list[ContextWindow]:
    grouped: dict[str, list[Message]] = {anchor: [] for anchor in anchor_ids}
    for anchor, message in zip(owners, rows, strict=True):
        grouped[anchor].append(message)
    for anchor, messages in grouped.items():
        if not messages:
            raise NotFound("message", anchor)
    return [ContextWindow(anchor, tuple(messages)) for anchor, messages in grouped.items()]


def recent(
    tables: Tables, thread_id: str, limit: int, around: Sequence[str], before: int, after: int
) -> Flow[RecentMessages]:
    """[thread exists, newest ``limit``, every anchor's window] in one request."""
    anchors = list(dict.fromkeys(around))
    statements = [
        sql_reads.thread_exists(tables, thread_id),
        sql_reads.last_messages(tables, thread_id, limit),
    ]
    if anchors:
        statements.append(sql_reads.context_windows(tables, anchors, before, after))
    results = yield statements
    if not integer(results[0].rows[0], "found"):
        raise NotFound("thread", thread_id)
    last = tuple(reversed([message_from_row(row) for row in results[1].rows]))
    if not anchors:
        return RecentMessages(last)
    rows = results[2].rows
    windows = _windows(anchors, [message_from_row(r) for r in rows], [text(r, "anchor_id") for r in rows])
    return RecentMessages(last, tuple(windows))


def page(
    tables: Tables, thread_id: str, limit: int, cursor: MessageCursor | None, direction: Direction
) -> Flow[MessagePage]:
    """The cursor was checked against ``thread_id`` and ``direction`` by the caller."""
    if cursor is not None:
        start = cursor.position
    else:
        # Bound numbers must stay within 2^53-1 (D1 passes them through doubles); no thread ever
        # reaches that many positions, so "below MAX_SAFE_INTEGER" is "from the newest".
        start = 0 if direction is Direction.FORWARD else MAX_SAFE_INTEGER
    statements = [
        sql_reads.thread_exists(tables, thread_id),
        sql_reads.message_page(tables, thread_id, start, direction, limit),
    ]
    results = yield statements
    if not integer(results[0].rows[0], "found"):
        raise NotFound("thread", thread_id)
    messages = [message_from_row(row) for row in results[1].rows]
    if len(messages) <= limit:
        return MessagePage(tuple(messages), None)
    last_position = messages[limit - 1].position
    assert last_position is not None  # stored messages always have one
    next_cursor = MessageCursor(thread_id, last_position, direction).encode()
    return MessagePage(tuple(messages[:limit]), next_cursor)


def stats(tables: Tables) -> Flow[StoreStats]:
    results = yield [sql_reads.stats(tables)]
    row = results[0].rows[0]
    return StoreStats(
        threads=integer(row, "thread_count"),
        messages=integer(row, "message_count"),
        metadata=integer(row, "metadata_count"),
        size_bytes=results[0].meta.size_after,
    )
