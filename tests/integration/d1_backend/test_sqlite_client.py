"""SqliteD1Client: D1's result shape and refusals, one transaction per batch, many processes."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading

import pytest

from adapters.d1.client import Statement
from adapters.d1.errors import D1QueryError, SqlFailure
from adapters.d1.migrations import migrate
from adapters.d1.sqlite_client import SqliteD1Client
from adapters.d1.unit_of_work import D1UnitOfWork
from domain import Message, Thread


@pytest.fixture
def client(tmp_path):
    with SqliteD1Client(tmp_path / "db.sqlite") as client:
        client.batch([Statement("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER) STRICT")])
        yield client


def test_results_have_d1s_shape(client):
    insert, select = client.batch(
        [
            Statement("INSERT INTO t (id, n) VALUES (?1, ?2), (?3, ?4)", ("a", 1, "b", 2)),
            Statement("SELECT id AS id, n AS n, typeof(?1) AS bound FROM t ORDER BY id", (5,)),
        ]
    )
    assert insert.meta.changes == 2 and insert.rows == ()
    # Numbers bind as REAL, as on D1; a STRICT INTEGER column stores them as integers.
    assert select.rows == ({"id": "a", "n": 1, "bound": "real"}, {"id": "b", "n": 2, "bound": "real"})
    assert select.meta.size_after is not None and select.meta.size_after > 0


def test_a_failing_batch_rolls_back_and_reports_like_d1(client):
    with pytest.raises(D1QueryError) as failed:
        client.batch(
            [
                Statement("INSERT INTO t (id, n) VALUES ('x', 1)"),
                Statement("UPDATE t SET n = 2"),
                Statement("INSERT INTO t (id, n) VALUES ('x', 3)"),
            ]
        )
    assert failed.value.failure is SqlFailure.UNIQUE
    assert failed.value.d1_message == (
        "UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)"
    )
    assert client.batch([Statement("SELECT COUNT(*) AS c FROM t")])[0].rows == ({"c": 0},)


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        (Statement("SELECT " + ", ".join(["?"] * 101), tuple(range(101))), "too many SQL variables"),
        (Statement("SELECT 1 -- " + "x" * 100_000), "statement too long: SQLITE_TOOBIG"),
        (Statement("SELECT ?1", ("x" * 2_000_001,)), "string or blob too big: SQLITE_TOOBIG"),
        (Statement("BEGIN"), "transaction"),
        (Statement("  savepoint a"), "transaction"),
        (Statement("SELECT ?1", (True,)), "not supported"),
        (Statement("SELECT ?1", (b"bytes",)), "not supported"),  # type: ignore[arg-type]
    ],
)
def test_what_d1_refuses_is_refused_before_anything_runs(client, statement, reason):
    first = Statement("INSERT INTO t (id, n) VALUES ('written?', 1)")
    with pytest.raises(D1QueryError) as refused:
        client.batch([first, statement])
    assert reason in refused.value.d1_message
    assert client.batch([Statement("SELECT COUNT(*) AS c FROM t")])[0].rows == ({"c": 0},)


def test_foreign_keys_are_enforced_like_on_d1(client):
    client.batch([Statement("CREATE TABLE child (p TEXT NOT NULL REFERENCES t (id)) STRICT")])
    with pytest.raises(D1QueryError) as failed:
        client.batch([Statement("INSERT INTO child (p) VALUES ('nobody')")])
    assert failed.value.failure is SqlFailure.FOREIGN_KEY


def test_threads_share_one_client(client):
    def insert(worker: int) -> None:
        for i in range(50):
            client.batch([Statement("INSERT INTO t (id, n) VALUES (?1, ?2)", (f"{worker}-{i}", i))])

    workers = [threading.Thread(target=insert, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert client.batch([Statement("SELECT COUNT(*) AS c FROM t")])[0].rows == ({"c": 200},)


def test_closed_client_refuses(tmp_path):
    client = SqliteD1Client(tmp_path / "closed.db")
    client.close()
    with pytest.raises(D1QueryError):
        client.batch([Statement("SELECT 1")])


def _append(path: str, worker: int, count: int) -> None:
    with SqliteD1Client(path) as client:
        uow = D1UnitOfWork(client)
        for i in range(count):
            uow.messages.add(Message.new("shared", "user", f"{worker}:{i}"))
            uow.commit()


def test_eight_processes_append_to_one_file(tmp_path):
    path = str(tmp_path / "shared.db")
    with SqliteD1Client(path) as client:
        migrate(client)
        uow = D1UnitOfWork(client)
        uow.threads.add(Thread.new("r", id="shared"))
        uow.commit()
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_append, args=(path, w, 25)) for w in range(8)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [p.exitcode for p in processes] == [0] * 8
    with sqlite3.connect(path) as raw:
        positions = [row[0] for row in raw.execute("SELECT position FROM messages ORDER BY position")]
    assert positions == list(range(1, 201))
