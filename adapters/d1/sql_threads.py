"""Statements for thread writes: add, edit (version-guarded), delete."""

from __future__ import annotations

from adapters.d1 import guards
from adapters.d1.client import Statement
from adapters.d1.schema import Tables
from adapters.d1.sql_metadata import THREAD_METADATA, owner_entries, remove_keys, upsert
from domain.patches import ThreadPatch
from domain.thread import Thread
from domain.timestamps import to_epoch_ms


def add_thread(tables: Tables, thread: Thread) -> list[Statement]:
    # A taken id fails on the primary key: "UNIQUE constraint failed: <threads>.id".
    insert = Statement(
        tables.render(
            "INSERT INTO $threads (id, resource_id, title, created_at, updated_at, version, last_position) "
            "VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER), CAST(?5 AS INTEGER), CAST(?6 AS INTEGER), 0)"
        ),
        (
            thread.id,
            thread.resource_id,
            thread.title,
            to_epoch_ms(thread.created_at),
            to_epoch_ms(thread.updated_at),
            thread.version,
        ),
    )
    return [insert, *upsert(tables, THREAD_METADATA, owner_entries(thread.id, thread.metadata.encoded()))]


def _preconditions(tables: Tables, thread_id: str, expected_version: int | None) -> list[Statement]:
    checks = [guards.thread_exists(tables, thread_id)]
    if expected_version is not None:
        checks.append(guards.version_is(tables, thread_id, expected_version))
    return checks


def update_thread(
    tables: Tables, thread_id: str, patch: ThreadPatch, expected_version: int | None, at_ms: int
) -> list[Statement]:
    keep_title = 1 if patch.keeps_title else 0
    new_title = None if patch.keeps_title else patch.new_title(None)
    bump = Statement(
        tables.render(
            "UPDATE $threads SET version = version + 1, "
            "title = CASE WHEN CAST(?1 AS INTEGER) = 1 THEN title ELSE ?2 END, "
            "updated_at = MAX(updated_at, CAST(?3 AS INTEGER)) WHERE id = ?4"
        ),
        (keep_title, new_title, at_ms, thread_id),
    )
    return [
        *_preconditions(tables, thread_id, expected_version),
        bump,
        *upsert(tables, THREAD_METADATA, owner_entries(thread_id, patch.set_metadata.encoded())),
        *remove_keys(tables, THREAD_METADATA, thread_id, patch.remove_metadata),
    ]


def delete_thread(tables: Tables, thread_id: str, expected_version: int | None) -> list[Statement]:
    # Foreign keys cascade to messages and both metadata tables.
    delete = Statement(tables.render("DELETE FROM $threads WHERE id = ?1"), (thread_id,))
    return [*_preconditions(tables, thread_id, expected_version), delete]
