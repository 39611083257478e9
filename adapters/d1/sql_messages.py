"""Statements for message writes: positioned appends, edits, deletions."""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Sequence

import attrs

from adapters.d1 import guards
from adapters.d1.chunking import chunk_rows, flatten, numbered_tuples
from adapters.d1.client import Statement
from adapters.d1.schema import Tables
from adapters.d1.sql_metadata import MESSAGE_METADATA, owner_entries, remove_keys, upsert
from domain.content import encode_content, is_text
from domain.message import Message
from domain.patches import KEEP, MessagePatch
from domain.timestamps import to_epoch_ms


def content_kind(is_text_content: bool) -> str:
    return "text" if is_text_content else "json"


# One message: (id, offset, role, kind, content, created_at); ?1 is the thread id.
_ROW = "($v0, $v1, $v2, $v3, $v4, $v5)"
_ROW_WIDTH = 6

# The rows come from a VALUES list in FROM, so the thread's last_position is ONE uncorrelated
# scalar subquery, read once per statement. (As an expression inside each VALUES row it was read
# once per message: 16 rows read for a statement of 16 messages, now 1. A missing thread still
# fails the statement: the subquery is NULL and position is NOT NULL.)
_INSERT_RUN = (
    "INSERT INTO $messages (id, thread_id, position, role, content_kind, content, created_at) "
    "SELECT v.column1, ?1, (SELECT last_position FROM $threads WHERE id = ?1) + CAST(v.column2 AS INTEGER), "
    "v.column3, v.column4, v.column5, CAST(v.column6 AS INTEGER) FROM (VALUES $values) AS v"
)


@functools.lru_cache(maxsize=256)
def _insert_run_sql(tables: Tables, count: int) -> str:
    """Rendered once per (prefix, row count): rendering is string templating, costly per append."""
    return tables.render(_INSERT_RUN, values=numbered_tuples(count, _ROW_WIDTH, 2, _ROW))


@attrs.frozen
class AppendRun:
    statements: list[Statement]
    #: Index in ``statements`` of the thread update, whose one row is the thread's new
    #: ``last_position``: the run's messages hold ``last_position - k + 1`` ... ``last_position``.
    moved: int


def append_run(tables: Tables, thread_id: str, messages: Sequence[Message]) -> AppendRun:
    """A run of consecutive adds to one thread: positions last_position + 1 ... + k, in order.

    Positions come from the thread row inside the batch, so concurrent appenders never collide:
    D1 runs one batch at a time, and each sees the last_position the previous one left.
    """
    rows = [
        (
            m.id,
            offset,
            m.role.value,
            content_kind(is_text(m.content)),
            encode_content(m.content),
            to_epoch_ms(m.created_at),
        )
        for offset, m in enumerate(messages, start=1)
    ]
    inserts = [
        Statement(_insert_run_sql(tables, len(chunk)), (thread_id, *flatten(chunk)))
        for chunk in chunk_rows(rows, fixed_params=1)
    ]
    latest = max(row[-1] for row in rows)
    move = Statement(
        tables.render(
            "UPDATE $threads SET last_position = last_position + CAST(?1 AS INTEGER), "
            "updated_at = MAX(updated_at, CAST(?2 AS INTEGER)) WHERE id = ?3 RETURNING last_position"
        ),
        (len(messages), latest, thread_id),
    )
    entries = [entry for m in messages if m.metadata for entry in owner_entries(m.id, m.metadata.encoded())]
    metadata = upsert(tables, MESSAGE_METADATA, entries)
    return AppendRun([guards.thread_exists(tables, thread_id), *inserts, move, *metadata], 1 + len(inserts))


def update_message(tables: Tables, message_id: str, patch: MessagePatch) -> list[Statement]:
    statements = [guards.messages_exist(tables, json.dumps([message_id]))]
    if patch.content is not KEEP:
        statements.append(
            Statement(
                tables.render("UPDATE $messages SET content_kind = ?1, content = ?2 WHERE id = ?3"),
                (content_kind(is_text(patch.content)), encode_content(patch.content), message_id),
            )
        )
    statements += upsert(tables, MESSAGE_METADATA, owner_entries(message_id, patch.set_metadata.encoded()))
    statements += remove_keys(tables, MESSAGE_METADATA, message_id, patch.remove_metadata)
    return statements


def delete_messages(tables: Tables, message_ids: Collection[str]) -> list[Statement]:
    # Ids go as ONE JSON parameter however many there are; metadata follows by foreign key.
    ids_json = json.dumps(sorted(set(message_ids)))
    delete = Statement(
        tables.render("DELETE FROM $messages WHERE id IN (SELECT value FROM json_each(?1))"), (ids_json,)
    )
    return [guards.messages_exist(tables, ids_json), delete]
