"""The D1 backends' SQL: every hot read uses an index, a batch is all or nothing, one request per
unit of work and per read, and statements stay inside D1's limits."""

from __future__ import annotations

import re

import pytest

from adapters.d1 import guards, sql_reads
from adapters.d1.client import Statement
from adapters.d1.errors import D1QueryError
from adapters.d1.schema import Tables
from domain import Direction, StorageError, ThreadCursor, ThreadQuery

from .helpers import message, seed, thread


def hot_reads(tables: Tables) -> dict[str, Statement]:
    cursor = ThreadCursor(5, "t")
    return {
        "thread by id": sql_reads.thread_by_id(tables, "t"),
        "threads by ids": sql_reads.threads_by_ids(tables, ["a", "b"]),
        "existing threads": sql_reads.existing_threads(tables, ["a", "b"]),
        "thread exists": sql_reads.thread_exists(tables, "t"),
        "list": sql_reads.list_threads(tables, ThreadQuery()),
        "list after cursor": sql_reads.list_threads(tables, ThreadQuery(cursor=cursor)),
        "list of a resource": sql_reads.list_threads(tables, ThreadQuery(resource_id="r", cursor=cursor)),
        "list by metadata": sql_reads.list_threads(tables, ThreadQuery(metadata_filter={"a": 1, "b": "x"})),
        "message by id": sql_reads.message_by_id(tables, "m"),
        "message positions": sql_reads.message_positions(tables, ["a", "b"]),
        "last messages": sql_reads.last_messages(tables, "t", 50),
        "page forward": sql_reads.message_page(tables, "t", 10, Direction.FORWARD, 20),
        "page backward": sql_reads.message_page(tables, "t", 10, Direction.BACKWARD, 20),
        "context windows": sql_reads.context_windows(tables, ["a", "b"], 3, 3),
        "guard thread": guards.thread_exists(tables, "t"),
        "guard version": guards.version_is(tables, "t", 2),
        "guard messages": guards.messages_exist(tables, '["a"]'),
    }


#: "SCAN t" (a full scan) is refused; scans of json_each, constant rows and index walks are fine.
_FULL_SCAN = re.compile(r"\bSCAN (?!CONSTANT ROW)(?!\w+ VIRTUAL TABLE)(?!\w+ USING (COVERING )?INDEX)")


@pytest.mark.parametrize("name", list(hot_reads(Tables())))
def test_hot_reads_use_an_index(d1_backend, name):
    statement = hot_reads(Tables(d1_backend.prefix))[name]
    plan = d1_backend.client.batch([Statement("EXPLAIN QUERY PLAN " + statement.sql, statement.params)])
    details = [row["detail"] for row in plan[0].rows]
    assert details and not [d for d in details if _FULL_SCAN.search(d)], details


def _state(backend) -> list:
    """Every row of every table of this prefix, for before/after comparisons."""
    tables = Tables(backend.prefix)
    names = ["threads", "messages", "thread_metadata", "message_metadata", "commits"]
    reads = [Statement(tables.render(f"SELECT * FROM ${name} ORDER BY 1, 2")) for name in names]
    return [list(result.rows) for result in backend.client.batch(reads)]


def test_a_batch_failing_at_statement_k_changes_nothing(d1_backend):
    seed(d1_backend.uow(), "t1", 3)
    tables = Tables(d1_backend.prefix)
    # A planted constraint: messages saying "boom" are refused by the database itself.
    d1_backend.client.batch(
        [
            Statement(
                tables.render(
                    "CREATE TRIGGER ${p}planted BEFORE INSERT ON $messages WHEN NEW.content = 'boom' "
                    "BEGIN SELECT RAISE(ABORT, 'planted failure'); END"
                )
            )
        ]
    )
    before = _state(d1_backend)
    uow = d1_backend.uow()
    uow.threads.add(thread("t2", metadata={"a": 1}))
    for i in range(150):
        uow.messages.add(message("t1", f"ok-{i}", metadata={"i": i}))
    uow.messages.delete(["t1-m1"])
    uow.messages.add(message("t2", "bad", content="boom"))
    uow.messages.add(message("t2", "after"))
    with pytest.raises(StorageError) as failed:
        uow.commit(idempotency_key="atomic")
    assert isinstance(failed.value, D1QueryError) and "planted failure" in str(failed.value)
    assert _state(d1_backend) == before
    # Nothing was recorded under the key either: once the cause is gone, the retry applies.
    d1_backend.client.batch([Statement(tables.render("DROP TRIGGER ${p}planted"))])
    receipt = uow.commit(idempotency_key="atomic")
    assert not receipt.already_applied and receipt.positions["after"] == 2


def test_client_batch_is_all_or_nothing(d1_backend):
    tables = Tables(d1_backend.prefix)
    insert = tables.render("INSERT INTO $commits (key, committed_at) VALUES (?1, CAST(?2 AS INTEGER))")
    with pytest.raises(D1QueryError) as failed:
        d1_backend.client.batch(
            [Statement(insert, ("a", 1)), Statement(insert, ("b", 2)), Statement(insert, ("a", 3))]
        )
    assert "UNIQUE constraint failed" in failed.value.d1_message
    assert _state(d1_backend)[4] == []


@pytest.mark.d1local
def test_one_request_per_commit_and_per_read(d1local_backend):
    backend = d1local_backend
    uow = backend.uow()
    uow.threads.add(thread("t1", metadata={"kind": "demo", "n": 1}))
    for i in range(500):
        uow.messages.add(message("t1", f"m{i}", content=f"message {i}", metadata={"i": i, "tag": "x"}))
    backend.requests.clear()
    receipt = uow.commit()
    assert len(backend.requests) == 1 and len(receipt.positions) == 500

    reads = [
        lambda: uow.messages.recent("t1", 50, around=["m10", "m200", "m499"], before=3, after=3),
        lambda: uow.messages.page("t1", limit=100),
        lambda: uow.threads.list(ThreadQuery(metadata_filter={"kind": "demo"})),
        lambda: uow.threads.get("t1"),
        lambda: uow.threads.existing(["t1", "t2"]),
        lambda: uow.messages.get("m3"),
        uow.stats,
    ]
    for read in reads:
        backend.requests.clear()
        read()
        assert len(backend.requests) == 1


@pytest.mark.d1local
def test_rows_read_of_recent_stays_flat_on_a_long_thread(d1local_backend):
    backend = d1local_backend
    uow = backend.uow()
    uow.threads.add(thread("long"))
    for i in range(10_000):
        uow.messages.add(message("long", f"m{i}", content=f"message {i}"))
        if i % 1000 == 999:
            uow.commit()
    tables = Tables(backend.prefix)
    last_50 = backend.client.batch([sql_reads.last_messages(tables, "long", 50)])[0]
    windows = backend.client.batch([sql_reads.context_windows(tables, ["m10", "m5000", "m9990"], 3, 3)])[0]
    page = backend.client.batch([sql_reads.message_page(tables, "long", 5000, Direction.FORWARD, 100)])[0]
    print(
        f"rows_read: last-50 {last_50.meta.rows_read}, 3 windows of 3+3 {windows.meta.rows_read}, "
        f"page of 100 {page.meta.rows_read}"
    )
    assert len(last_50.rows) == 50 and last_50.meta.rows_read is not None and last_50.meta.rows_read <= 52
    # Per anchor: the anchor, two bound walks of k rows, the 2k+1 window rows (about 23 here).
    assert len(windows.rows) == 21 and windows.meta.rows_read is not None and windows.meta.rows_read <= 75
    assert page.meta.rows_read is not None and page.meta.rows_read <= 103
