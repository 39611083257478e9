"""Versioned, additive schema migrations, each applied as ONE batch that also records its version.

``migrate`` (alias ``init``) creates everything on an empty database and upgrades an older one.
Two processes migrating at once are safe: a migration's first statement records its version, so
the slower one fails on that row's primary key before running anything and sees it applied.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from adapters.d1.client import D1Client, Statement
from adapters.d1.errors import D1QueryError, SqlFailure
from adapters.d1.flows import Flow, run
from adapters.d1.guards import GuardKind, trigger_ddl
from adapters.d1.schema import Tables
from domain.timestamps import now, to_epoch_ms

# Timestamps are epoch milliseconds. STRICT: D1 binds every number as REAL, and only a STRICT
# INTEGER column is guaranteed to turn an integral 5.0 into 5 (and refuse 5.5).
_V1_TABLES = (
    """CREATE TABLE IF NOT EXISTS $threads (
        id TEXT PRIMARY KEY,
        resource_id TEXT NOT NULL,
        title TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL,
        last_position INTEGER NOT NULL DEFAULT 0
    ) STRICT""",
    "CREATE INDEX IF NOT EXISTS ${p}threads_by_resource ON $threads (resource_id, updated_at DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS ${p}threads_by_activity ON $threads (updated_at DESC, id DESC)",
    """CREATE TABLE IF NOT EXISTS $messages (
        id TEXT PRIMARY KEY,
        thread_id TEXT NOT NULL REFERENCES $threads (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL,
        content_kind TEXT NOT NULL CHECK (content_kind IN ('text', 'json')),
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (thread_id, position)
    ) STRICT""",
    # Thread and message metadata live apart so that foreign keys delete both with their owner
    # (one shared table with message_id = '' for the thread could not cascade from messages).
    """CREATE TABLE IF NOT EXISTS $thread_metadata (
        thread_id TEXT NOT NULL REFERENCES $threads (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (thread_id, key)
    ) STRICT""",
    "CREATE INDEX IF NOT EXISTS ${p}thread_metadata_by_value ON $thread_metadata (key, value, thread_id)",
    """CREATE TABLE IF NOT EXISTS $message_metadata (
        message_id TEXT NOT NULL REFERENCES $messages (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (message_id, key)
    ) STRICT""",
    # The idempotency ledger: every commit inserts its key first and prunes old keys last.
    "CREATE TABLE IF NOT EXISTS $commits (key TEXT PRIMARY KEY, committed_at INTEGER NOT NULL) STRICT",
    "CREATE INDEX IF NOT EXISTS ${p}commits_by_time ON $commits (committed_at)",
    "CREATE TABLE IF NOT EXISTS $guards (kind TEXT NOT NULL, subject TEXT, CHECK (0)) STRICT",
)


@attrs.frozen
class Migration:
    version: int
    name: str
    statements: Callable[[Tables], list[str]]


def _v1(tables: Tables) -> list[str]:
    return [tables.render(sql) for sql in _V1_TABLES] + [trigger_ddl(tables, kind) for kind in GuardKind]


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "threads, messages, metadata, ledger, guards", _v1),)

_LEDGER = (
    "CREATE TABLE IF NOT EXISTS $d1store_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER) STRICT"
)


def _applied(tables: Tables) -> Flow[set[int]]:
    create = Statement(tables.render(_LEDGER))
    select = Statement(tables.render("SELECT version AS version FROM $d1store_migrations"))
    results = yield [create, select]
    return {int(row["version"]) for row in results[1].rows}


def _batch(tables: Tables, migration: Migration, now_ms: int) -> list[Statement]:
    record = Statement(
        tables.render(
            "INSERT INTO $d1store_migrations (version, name, applied_at) "
            "VALUES (CAST(?1 AS INTEGER), ?2, CAST(?3 AS INTEGER))"
        ),
        (migration.version, migration.name, now_ms),
    )
    return [record, *(Statement(sql) for sql in migration.statements(tables))]


def migration_flow(
    table_prefix: str = "",
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    now_ms: Callable[[], int] | None = None,
) -> Flow[list[int]]:
    """The migration use case as a flow, for sync (``migrate``) and async (``amigrate``) clients."""
    tables = Tables(table_prefix)
    clock = now_ms or (lambda: to_epoch_ms(now()))
    done = yield from _applied(tables)
    applied: list[int] = []
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version in done:
            continue
        try:
            yield _batch(tables, migration, clock())
        except D1QueryError as exc:
            if exc.failure is SqlFailure.UNIQUE and tables.migrations + ".version" in exc.d1_message:
                continue  # another process applied it between our read and our batch
            raise
        applied.append(migration.version)
    return applied


def migrate(
    client: D1Client,
    table_prefix: str = "",
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    now_ms: Callable[[], int] | None = None,
) -> list[int]:
    """Apply every migration not yet applied; returns the versions this call applied."""
    return run(client, migration_flow(table_prefix, migrations=migrations, now_ms=now_ms))


init = migrate
