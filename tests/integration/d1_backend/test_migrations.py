"""Schema and migrations: prefixes, idempotent init, upgrades, concurrent migrators."""

from __future__ import annotations

import pytest

from adapters.d1.client import Statement
from adapters.d1.migrations import MIGRATIONS, Migration, migrate
from adapters.d1.schema import Tables
from adapters.d1.sqlite_client import SqliteD1Client
from domain import InvalidInput


@pytest.fixture
def client(tmp_path):
    with SqliteD1Client(tmp_path / "db.sqlite") as client:
        yield client


def names(client) -> set[str]:
    rows = client.batch([Statement("SELECT name AS name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")])
    return {row["name"] for row in rows[0].rows}


@pytest.mark.parametrize("prefix", ["1x", "_cf_x", "sqlite_x", "a-b", "a b", "é", "x" * 33, None])
def test_bad_prefixes_are_refused(prefix):
    with pytest.raises(InvalidInput) as refused:
        Tables(prefix)
    assert refused.value.field == "table_prefix"


def test_init_creates_everything_under_the_prefix_once(client):
    assert migrate(client, "dev_") == [m.version for m in MIGRATIONS]
    created = names(client)
    assert created and all(name.startswith("dev_") for name in created)
    assert migrate(client, "dev_") == []
    assert names(client) == created
    # Another prefix is another, independent store in the same database.
    assert migrate(client) == [1]
    assert "threads" in names(client)


def test_an_older_schema_is_upgraded(client):
    migrate(client, "p_")
    later = Migration(
        2, "an index", lambda t: [t.render("CREATE INDEX IF NOT EXISTS ${p}by_role ON $messages (role)")]
    )
    assert migrate(client, "p_", migrations=[*MIGRATIONS, later]) == [2]
    assert "p_by_role" in names(client)
    versions = client.batch([Statement("SELECT version AS v FROM p_d1store_migrations ORDER BY v")])
    assert [row["v"] for row in versions[0].rows] == [1, 2]


class RacingClient:
    """Lets "another process" record migration 2 between our ledger read and our batch."""

    def __init__(self, inner: SqliteD1Client) -> None:
        self.inner = inner
        self.calls = 0

    def batch(self, statements):
        self.calls += 1
        if self.calls == 2:
            record = "INSERT INTO p_d1store_migrations (version, name, applied_at) VALUES (2, 'x', 0)"
            self.inner.batch([Statement(record)])
        return self.inner.batch(statements)

    def close(self) -> None:
        self.inner.close()


def test_a_migration_applied_meanwhile_by_another_process_is_skipped(client):
    migrate(client, "p_")
    later = Migration(2, "x", lambda t: [t.render("CREATE TABLE ${p}never (a INTEGER) STRICT")])
    assert migrate(RacingClient(client), "p_", migrations=[*MIGRATIONS, later]) == []
    assert "p_never" not in names(client)
