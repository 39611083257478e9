"""Guards: conditions checked inside a batch, since D1 has no BEGIN/COMMIT to check them between.

A guard statement inserts a row into the ``guards`` table only when its condition fails; a
BEFORE INSERT trigger per kind then aborts the whole batch with ``d1store:<kind>``. The table's
``CHECK (0)`` means no row is ever stored, even for a kind without a trigger.
"""

from __future__ import annotations

import enum

from adapters.d1.client import Statement
from adapters.d1.schema import Tables

_MARK = "d1store:"


class GuardKind(enum.Enum):
    THREAD_MISSING = "thread_missing"
    MESSAGE_MISSING = "message_missing"
    VERSION_CONFLICT = "version_conflict"

    @property
    def message(self) -> str:
        return _MARK + self.value


def trigger_ddl(tables: Tables, kind: GuardKind) -> str:
    # The kind is one of our enum's constants, never user input.
    return tables.render(
        "CREATE TRIGGER IF NOT EXISTS ${p}guard_$kind BEFORE INSERT ON $guards "
        "WHEN NEW.kind = '$kind' BEGIN SELECT RAISE(ABORT, '$message'); END",
        kind=kind.value,
        message=kind.message,
    )


def fired_guard(error_message: str) -> GuardKind | None:
    """The guard kind an error message reports, if a guard fired."""
    for kind in GuardKind:
        if kind.message in error_message:
            return kind
    return None


def thread_exists(tables: Tables, thread_id: str) -> Statement:
    sql = tables.render(
        "INSERT INTO $guards (kind, subject) SELECT 'thread_missing', ?1 "
        "WHERE NOT EXISTS (SELECT 1 FROM $threads WHERE id = ?1)"
    )
    return Statement(sql, (thread_id,))


def version_is(tables: Tables, thread_id: str, expected_version: int) -> Statement:
    sql = tables.render(
        "INSERT INTO $guards (kind, subject) SELECT 'version_conflict', ?1 "
        "WHERE EXISTS (SELECT 1 FROM $threads WHERE id = ?1 AND version <> CAST(?2 AS INTEGER))"
    )
    return Statement(sql, (thread_id, expected_version))


def messages_exist(tables: Tables, ids_json: str) -> Statement:
    """One statement for any number of ids, bound as one JSON array."""
    sql = tables.render(
        "INSERT INTO $guards (kind, subject) SELECT 'message_missing', j.value FROM json_each(?1) AS j "
        "WHERE NOT EXISTS (SELECT 1 FROM $messages WHERE id = j.value)"
    )
    return Statement(sql, (ids_json,))
