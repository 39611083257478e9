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

from adapters.closing import Closing
from adapters.d1.chunking import MAX_PARAMS, MAX_SQL_BYTES
from adapters.d1.client import Param, Row, Statement, StatementMeta, StatementResult
from adapters.d1.errors import D1QueryError

MAX_STRING_BYTES = 2_000_000
#: Several processes may append to one file; a writer waits this long for the write lock.
BUSY_TIMEOUT_S = 60.0

_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


# A str of n characters is at most 4n bytes in UTF-8 (3n with surrogates passed), so only longer
# strings need encoding to learn their size.
_MAX_CHARS_UNMEASURED = MAX_STRING_BYTES // 4
_MAX_SQL_CHARS_UNMEASURED = MAX_SQL_BYTES // 4


def _check_sql(statement: Statement) -> None:
    sql = statement.sql
    if len(sql) > _MAX_SQL_CHARS_UNMEASURED and len(sql.encode("utf-8")) > MAX_SQL_BYTES:
        raise D1QueryError("statement too long: SQLITE_TOOBIG")
    if len(statement.params) > MAX_PARAMS:
        raise D1QueryError("too many SQL variables: SQLITE_ERROR")
    if _TRANSACTION_CONTROL.match(sql):
        raise D1QueryError("To execute a transaction, please use the state.storage.transaction() API instead")


def _bound(params: Sequence[Param]) -> tuple[Param, ...]:
    """What D1 would bind, or D1's refusal: ONE pass over the parameters, exact types first.

    D1 binds every number as REAL (its values pass through JavaScript), so ints become floats.
    """
    bound: list[Param] = []
    for value in params:
        if type(value) is str:
            if len(value) > _MAX_CHARS_UNMEASURED:
                _check_string_size(value)
        elif type(value) is int:
            value = float(value)
        elif type(value) is not float and value is not None:
            value = _bound_subclass(value)
        bound.append(value)
    return tuple(bound)


def _check_string_size(value: str) -> None:
    if len(value.encode("utf-8", "surrogatepass")) > MAX_STRING_BYTES:
        raise D1QueryError("string or blob too big: SQLITE_TOOBIG")


def _bound_subclass(value: object) -> Param:
    """The rare case: a subclass of str, int or float (bool is refused, as D1 refuses it)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise D1QueryError(f"Type '{type(value).__name__}' not supported for value '{value!r}'")
    if isinstance(value, str):
        _check_string_size(value)
        return value
    return float(value)


def _d1_message(exc: sqlite3.Error) -> str:
    extended = getattr(exc, "sqlite_errorname", None) or "SQLITE_ERROR"
    primary = "_".join(extended.split("_")[:2])
    suffix = primary if primary == extended else f"{primary} (extended: {extended})"
    return f"{exc}: {suffix}"


def _run(conn: sqlite3.Connection, sql: str, params: tuple[Param, ...]) -> tuple[tuple[Row, ...], int]:
    """The statement's rows as dicts (column names looked up once) and how many rows it changed."""
    before = conn.total_changes
    cursor = conn.execute(sql, params)
    rows = cursor.fetchall()
    if not rows:
        return (), conn.total_changes - before
    names = [column[0] for column in cursor.description]
    # Not strict=True: a row always has exactly the cursor's columns, and the check cost ~30% of
    # building the dicts (~5 ms per 10,000 rows read).
    return tuple([dict(zip(names, row, strict=False)) for row in rows]), conn.total_changes - before


def _size(conn: sqlite3.Connection) -> int:
    """The file's size after the batch: every statement's ``StatementMeta.size_after``, as on D1.

    Read once per batch, inside its transaction. Kept eager on purpose: the two PRAGMAs (one
    statement) cost ~10 us per batch (under 3% of appending one message, within the noise of the
    benchmark), and a lazy value would need a change to the ``StatementMeta`` every transport shares.
    """
    # One statement for both: the table-valued forms of the two PRAGMAs.
    size = conn.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
    return int(size.fetchone()[0])


class SqliteD1Client(Closing):
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
        # Everything D1 would refuse is refused before the transaction starts.
        prepared = []
        for statement in statements:
            _check_sql(statement)
            prepared.append((statement.sql, _bound(statement.params)))
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise D1QueryError(_d1_message(exc)) from exc
            try:
                outputs = [_run(conn, sql, params) for sql, params in prepared]
                size = _size(conn)
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise D1QueryError(_d1_message(exc)) from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return [
            StatementResult(rows, StatementMeta(changes=changes, size_after=size))
            for rows, changes in outputs
        ]

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise D1QueryError("the client is closed")
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
