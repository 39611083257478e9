"""Statements for reads. Each read is one request; each statement here is served by an index.

Every selected column has its own alias: D1 returns rows as JSON objects, where two columns of
the same name would collapse into one.
"""

from __future__ import annotations

import json
import string
from collections.abc import Collection, Sequence

from adapters.d1.client import Param, Statement
from adapters.d1.schema import Tables
from domain.cursors import Direction, ThreadCursor
from domain.errors import LimitExceeded
from domain.limits import MAX_FILTER_KEYS
from domain.views import ThreadQuery

# Metadata rides along with each row as [[key, canonical JSON text], ...]; the values stay text
# so they are decoded as the JSON they were stored as, not as whatever json_group_array made.
THREAD_COLUMNS = (
    "t.id AS id, t.resource_id AS resource_id, t.title AS title, t.created_at AS created_at, "
    "t.updated_at AS updated_at, t.version AS version, "
    "(SELECT json_group_array(json_array(tm.key, tm.value)) FROM $thread_metadata AS tm "
    "WHERE tm.thread_id = t.id) AS metadata"
)
MESSAGE_COLUMNS = (
    "m.id AS id, m.thread_id AS thread_id, m.position AS position, m.role AS role, "
    "m.content_kind AS content_kind, m.content AS content, m.created_at AS created_at, "
    "(SELECT json_group_array(json_array(mm.key, mm.value)) FROM $message_metadata AS mm "
    "WHERE mm.message_id = m.id) AS metadata"
)


def id_list(ids: Collection[str]) -> str:
    """Many ids as ONE parameter, expanded in SQL with json_each."""
    return json.dumps(list(dict.fromkeys(ids)))


def _threads_where(tables: Tables, condition: str) -> str:
    return tables.render(
        "SELECT $columns FROM $threads AS t WHERE $condition", columns=THREAD_COLUMNS, condition=condition
    )


def _messages_where(tables: Tables, condition: str) -> str:
    return tables.render(
        "SELECT $columns FROM $messages AS m WHERE $condition", columns=MESSAGE_COLUMNS, condition=condition
    )


_IN_LIST = "IN (SELECT value FROM json_each(?1))"


def thread_by_id(tables: Tables, thread_id: str) -> Statement:
    return Statement(_threads_where(tables, "t.id = ?1"), (thread_id,))


def threads_by_ids(tables: Tables, thread_ids: Collection[str]) -> Statement:
    return Statement(_threads_where(tables, "t.id " + _IN_LIST), (id_list(thread_ids),))


def existing_threads(tables: Tables, thread_ids: Collection[str]) -> Statement:
    sql = tables.render("SELECT t.id AS id FROM $threads AS t WHERE t.id $in_list", in_list=_IN_LIST)
    return Statement(sql, (id_list(thread_ids),))


def thread_exists(tables: Tables, thread_id: str) -> Statement:
    """Always one row: ``found`` is 1 or 0."""
    sql = "SELECT EXISTS (SELECT 1 FROM $threads WHERE id = ?1) AS found"
    return Statement(tables.render(sql), (thread_id,))


# The first filter key drives the query through thread_metadata_by_value (key, value, thread_id);
# every further key is one primary-key probe per candidate. (As one IN list each, every further
# key would read all of its matches: two keys matching 1,000 and 10 of 10,000 threads read 1,072
# rows that way, 81 this way.)
_DRIVING_FILTER = string.Template(
    "t.id IN (SELECT f.thread_id FROM $thread_metadata AS f WHERE f.key = $key AND f.value = $value)"
)
_FURTHER_FILTER = string.Template(
    "EXISTS (SELECT 1 FROM $thread_metadata AS f WHERE f.thread_id = t.id AND f.key = $key "
    "AND f.value = $value)"
)
_AFTER_CURSOR = string.Template("(t.updated_at, t.id) < (CAST($updated AS INTEGER), $id)")


# With a metadata filter the matches must be sorted, and with the metadata subquery in the same
# SELECT SQLite built the metadata of EVERY match before sorting them (a filter matching 1,000 of
# 10,000 threads read 7,001 rows to return 21). So the page of limit + 1 ids is picked first and
# the metadata attached to those rows only: 4,127 rows read (the page's 21 ids are looked up
# again by primary key, ~60 rows, because "SELECT ... FROM (subquery)" reads 4,064 but scans the
# subquery, which the no-full-scan check of every hot read refuses; a filter matching 10 threads
# pays the same lookups: 71 -> 101 rows). Without a metadata filter an
# index walk already yields the page in order, so the plain form reads just the page (83 rows).
#
# Measured on the local engine and not chosen: walking threads_by_activity newest first with an
# EXISTS probe per thread reads 477 rows for that filter, but 20,030 for one matching 10 threads
# and 20,000 when nothing matches; its cost depends on where the matches sit in activity order,
# which the planner cannot know (no per-value statistics), so a filter on old threads would read
# the whole table. The form below costs ~4 rows per match whatever their age.
_PAGE_OF_THREADS = """
SELECT $columns FROM $threads AS t WHERE t.id IN (
    SELECT t.id FROM $threads AS t WHERE $condition $newest_first LIMIT CAST($limit AS INTEGER)
) $newest_first
"""
_NEWEST_FIRST = "ORDER BY t.updated_at DESC, t.id DESC"


def list_threads(tables: Tables, query: ThreadQuery) -> Statement:
    """One page plus one row, which tells whether a next page exists."""
    where: list[str] = []
    params: list[Param] = []

    def bind(value: Param) -> str:
        params.append(value)
        return f"?{len(params)}"

    if query.resource_id is not None:
        where.append("t.resource_id = " + bind(query.resource_id))
    encoded = query.metadata_filter.encoded()
    if len(encoded) > MAX_FILTER_KEYS:
        raise LimitExceeded("metadata_filter", MAX_FILTER_KEYS, len(encoded), unit="keys")
    for index, (key, value) in enumerate(encoded.items()):
        template = _DRIVING_FILTER if index == 0 else _FURTHER_FILTER
        where.append(template.safe_substitute(key=bind(key), value=bind(value)))
    if query.cursor is not None:
        cursor: ThreadCursor = query.cursor
        where.append(_AFTER_CURSOR.substitute(updated=bind(cursor.updated_at_ms), id=bind(cursor.thread_id)))
    condition = " AND ".join(where) or "1"
    limit = bind(query.limit + 1)
    if not encoded:
        page = f"{condition} {_NEWEST_FIRST} LIMIT CAST({limit} AS INTEGER)"
        return Statement(_threads_where(tables, page), tuple(params))
    sql = tables.render(
        _PAGE_OF_THREADS, columns=THREAD_COLUMNS, condition=condition, newest_first=_NEWEST_FIRST, limit=limit
    )
    return Statement(sql, tuple(params))


def message_by_id(tables: Tables, message_id: str) -> Statement:
    return Statement(_messages_where(tables, "m.id = ?1"), (message_id,))


def message_positions(tables: Tables, message_ids: Collection[str]) -> Statement:
    sql = tables.render(
        "SELECT m.id AS message_id, m.position AS message_position FROM $messages AS m WHERE m.id $in_list",
        in_list=_IN_LIST,
    )
    return Statement(sql, (id_list(message_ids),))


def message_owners(tables: Tables, message_ids: Collection[str]) -> Statement:
    sql = tables.render(
        "SELECT m.id AS id, m.thread_id AS thread_id FROM $messages AS m WHERE m.id $in_list",
        in_list=_IN_LIST,
    )
    return Statement(sql, (id_list(message_ids),))


def thread_versions(tables: Tables, thread_ids: Collection[str]) -> Statement:
    sql = tables.render(
        "SELECT t.id AS id, t.version AS version FROM $threads AS t WHERE t.id $in_list", in_list=_IN_LIST
    )
    return Statement(sql, (id_list(thread_ids),))


def last_messages(tables: Tables, thread_id: str, limit: int) -> Statement:
    """Newest first; the caller reverses. Reads ``limit`` index entries whatever the thread size."""
    condition = "m.thread_id = ?1 ORDER BY m.position DESC LIMIT CAST(?2 AS INTEGER)"
    return Statement(_messages_where(tables, condition), (thread_id, limit))


_PAGE = {
    Direction.FORWARD: "m.thread_id = ?1 AND m.position > CAST(?2 AS INTEGER) ORDER BY m.position ASC",
    Direction.BACKWARD: "m.thread_id = ?1 AND m.position < CAST(?2 AS INTEGER) ORDER BY m.position DESC",
}


def message_page(
    tables: Tables, thread_id: str, after_position: int, direction: Direction, limit: int
) -> Statement:
    """``limit`` + 1 rows strictly after ``after_position`` in ``direction``."""
    condition = _PAGE[direction] + " LIMIT CAST(?3 AS INTEGER)"
    return Statement(_messages_where(tables, condition), (thread_id, after_position, limit + 1))


# For every anchor, the position k rows below and above it bound its window; each bound is one
# short index walk (LIMIT 1 OFFSET k-1), and the window is one range scan of (thread_id, position).
_WINDOWS = """
WITH anchors AS (
    SELECT CAST(j.key AS INTEGER) AS ord, a.id AS id, a.thread_id AS thread_id, a.position AS position
    FROM json_each(?1) AS j JOIN $messages AS a ON a.id = j.value
), bounds AS (
    SELECT ord, id, thread_id,
        CASE WHEN CAST(?2 AS INTEGER) = 0 THEN position ELSE COALESCE(
            (SELECT p.position FROM $messages AS p
             WHERE p.thread_id = anchors.thread_id AND p.position < anchors.position
             ORDER BY p.position DESC LIMIT 1 OFFSET CAST(?2 AS INTEGER) - 1), 0) END AS lo,
        CASE WHEN CAST(?3 AS INTEGER) = 0 THEN position ELSE COALESCE(
            (SELECT n.position FROM $messages AS n
             WHERE n.thread_id = anchors.thread_id AND n.position > anchors.position
             ORDER BY n.position ASC LIMIT 1 OFFSET CAST(?3 AS INTEGER) - 1), 9007199254740991) END AS hi
    FROM anchors
)
SELECT b.ord AS anchor_order, b.id AS anchor_id, $columns
FROM bounds AS b JOIN $messages AS m ON m.thread_id = b.thread_id AND m.position BETWEEN b.lo AND b.hi
ORDER BY b.ord, m.position
"""


def context_windows(tables: Tables, anchor_ids: Sequence[str], before: int, after: int) -> Statement:
    """All windows in one statement; an anchor that does not exist yields no rows."""
    sql = tables.render(_WINDOWS, columns=MESSAGE_COLUMNS)
    return Statement(sql, (json.dumps(list(anchor_ids)), before, after))


def stats(tables: Tables) -> Statement:
    sql = (
        "SELECT (SELECT COUNT(*) FROM $threads) AS thread_count, "
        "(SELECT COUNT(*) FROM $messages) AS message_count, "
        "(SELECT COUNT(*) FROM $thread_metadata) + (SELECT COUNT(*) FROM $message_metadata) AS metadata_count"
    )
    return Statement(tables.render(sql))
