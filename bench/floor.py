"""The floor: raw ``sqlite3`` writing the very rows d1store wrote, into the same tables and indexes.

Rows and DDL are copied from a database d1store filled, so the floor stores exactly the same bytes
under exactly the same indexes; what it skips is everything d1store adds on top (validation,
SQL building, guards, the idempotency ledger, receipts). Settings match ``SqliteD1Client``: WAL,
foreign keys on, Python's default ``synchronous``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from adapters.d1.schema import Tables
from bench.data import batches

DEFAULT_TABLES = Tables()
_READ_THREAD = "SELECT * FROM $messages WHERE thread_id = ? ORDER BY position"
_MOVE_THREAD = "UPDATE $threads SET last_position = ?, updated_at = max(updated_at, ?) WHERE id = ?"


@attrs.frozen
class CapturedThread:
    """One thread's rows, as d1store stored them, and the DDL of their tables and indexes."""

    ddl: tuple[str, ...]
    thread_columns: tuple[str, ...]
    thread_row: tuple[Any, ...]
    message_columns: tuple[str, ...]
    message_rows: tuple[tuple[Any, ...], ...]


def capture(db_path: str | Path, thread_id: str, tables: Tables = DEFAULT_TABLES) -> CapturedThread:
    with sqlite3.connect(db_path) as conn:
        ddl = tuple(
            sql
            for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name IN (?, ?) AND type IN ('table', 'index') "
                "AND sql IS NOT NULL ORDER BY type DESC, rowid",
                (tables.threads, tables.messages),
            )
        )
        thread = conn.execute(tables.render("SELECT * FROM $threads WHERE id = ?"), (thread_id,))
        thread_row = thread.fetchone()
        thread_columns = tuple(column[0] for column in thread.description)
        messages = conn.execute(tables.render(_READ_THREAD), (thread_id,))
        message_rows = tuple(messages.fetchall())
        message_columns = tuple(column[0] for column in messages.description)
    return CapturedThread(ddl, thread_columns, tuple(thread_row), message_columns, message_rows)


def _connect(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class RawSqliteFloor:
    """Append in transactions of ``batch_size`` with ``executemany``, then read the thread back."""

    def __init__(self, path: str | Path, captured: CapturedThread, tables: Tables = DEFAULT_TABLES) -> None:
        self._captured = captured
        self._tables = tables
        self._conn = _connect(path)
        for sql in captured.ddl:
            self._conn.execute(sql)
        # The thread starts empty, as d1store's does before its first append.
        empty = dict(zip(captured.thread_columns, captured.thread_row, strict=True)) | {"last_position": 0}
        self._insert(tables.threads, captured.thread_columns, [tuple(empty.values())])
        self._thread_id = str(empty["id"])
        self._position = captured.message_columns.index("position")
        self._created_at = captured.message_columns.index("created_at")

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        # Names come from d1store's own schema (sqlite_master), never from input.
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        self._conn.executemany(sql, rows)

    def append_all(self, batch_size: int) -> None:
        for batch in batches(self._captured.message_rows, batch_size):
            self._conn.execute("BEGIN IMMEDIATE")
            self._insert(self._tables.messages, self._captured.message_columns, batch)
            # d1store moves the thread's last position and activity in the same commit: so do we.
            last = batch[-1]
            moved = (last[self._position], last[self._created_at], self._thread_id)
            self._conn.execute(self._tables.render(_MOVE_THREAD), moved)
            self._conn.execute("COMMIT")

    def read_all(self) -> list[tuple[Any, ...]]:
        sql = self._tables.render(_READ_THREAD)
        return self._conn.execute(sql, (self._thread_id,)).fetchall()

    def close(self) -> None:
        self._conn.close()
