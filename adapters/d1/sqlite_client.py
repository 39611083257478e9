"""``SqliteD1Client``: the embedded default — a local SQLite file that behaves like D1.

Each ``batch()`` runs in ONE transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any error), and
what D1 refuses is refused here too, before anything runs, so SQL that works locally works on D1.
Numbers are bound as REAL, as D1 binds them, so SQL that forgets a CAST fails here first.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Sequence
from os import PathLike
from types import TracebackType
from typing import Self

import attrs

from adapters.d1.chunking import MAX_PARAMS, MAX_SQL_BYTES
from adapters.d1.client import Param, Statement, StatementMeta, StatementResult
from adapters.d1.errors import D1QueryError

MAX_STRING_BYTES = 2_000_000
#: Several processes may append to one file; a writer waits this long for the write lock.
BUSY_TIMEOUT_S = 60.0

_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def _refusal(statement: Statement) -> str | None:
    """D1's reason for refusing a statement before running it, or None."""
    if len(statement.sql.encode("utf-8")) > MAX_SQL_BYTES:
        return "statement too long: SQLITE_TOOBIG"
    if len(statement.params) > MAX_PARAMS:
        return "too many SQL variables: SQLITE_ERROR"
    if _TRANSACTION_CONTROL.match(statement.sql):
        return "To execute a transaction, please use the state.storage.transaction() API instead"
    for value in statement.params:
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            return f"Type '{type(value).__name__}' not supported for value '{value!r}'"
        if isinstance(value, str) and len(value.encode("utf-8", "surrogatepass")) > MAX_STRING_BYTES:
            return "string or blob too big: SQLITE_TOOBIG"
    return None


def _bind(value: Param) -> Param:
    # D1 binds every number as REAL (its values pass through JavaScript).
    return float(value) if isinstance(value, int) else value


def _d1_message(exc: sqlite3.Error) -> str:
    extended = getattr(exc, "sqlite_errorname", None) or "SQLITE_ERROR"
    primary = "_".join(extended.split("_")[:2])
    suffix = primary if primary == extended else f"{primary} (extended: {extended})"
    return f"{exc}: {suffix}"


class SqliteD1Client:
    """A D1Client on a local SQLite file; thread-safe, and safe for several processes on one file."""

    def __init__(self, path: str | PathLike[str], *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self._lock = threading.Lock()
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, one transaction per batch.
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
        self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA foreign_keys = ON")  # always on in D1

    def batch(self, statements: Sequence[Statement]) -> list[StatementResult]:
        for statement in statements:
            reason = _refusal(statement)
            if reason is not None:
                raise D1QueryError(reason)
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise D1QueryError(_d1_message(exc)) from exc
            try:
                results = [self._run(conn, statement) for statement in statements]
                size = self._size(conn)
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise D1QueryError(_d1_message(exc)) from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return [attrs.evolve(r, meta=attrs.evolve(r.meta, size_after=size)) for r in results]

    def _run(self, conn: sqlite3.Connection, statement: Statement) -> StatementResult:
        before = conn.total_changes
        cursor = conn.execute(statement.sql, tuple(_bind(p) for p in statement.params))
        names = [column[0] for column in cursor.description or ()]
        rows = tuple(dict(zip(names, row, strict=True)) for row in cursor.fetchall())
        return StatementResult(rows, StatementMeta(changes=conn.total_changes - before))

    @staticmethod
    def _size(conn: sqlite3.Connection) -> int:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        return int(pages) * int(page_size)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise D1QueryError("the client is closed")
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
