"""Checks that the local D1 engine serves D1's REST shape and pins down how the
underlying D1/SQLite engine behaves on details the Python adapter depends on.

Observations are asserted as observed (workerd via miniflare 4.20260426.0),
so a change in the engine shows up here as a failing test.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from engine import LocalD1Engine


@pytest.fixture(scope="module")
def engine():
    with LocalD1Engine() as e:
        yield e


def post(engine, body, kind="query", token=None, account=None, database=None):
    """POST a JSON body (or raw bytes); return (status, decoded envelope)."""
    url = (
        f"{engine.url}/client/v4/accounts/{account or engine.account_id}"
        f"/d1/database/{database or engine.database_id}/{kind}"
    )
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={
            "Authorization": f"Bearer {token or engine.api_token}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def ok(engine, body, kind="query"):
    status, env = post(engine, body, kind)
    assert status == 200 and env["success"], env
    assert len(env["result"]) == (len(body["batch"]) if "batch" in body else 1)
    return env["result"]


def rows(engine, sql, *params):
    return ok(engine, stmt(sql, *params))[0]["results"]


def error(engine, body, status=400, code=7500, **kw):
    got_status, env = post(engine, body, **kw)
    assert got_status == status, env
    assert env["success"] is False and env["result"] == []
    assert env["errors"][0]["code"] == code, env
    return env["errors"][0]["message"]


def stmt(sql, *params):
    return {"sql": sql, "params": list(params)}


def batch(*statements):
    return {"batch": list(statements)}


# --- envelope and REST shape -------------------------------------------------


def test_batch_returns_one_result_per_statement(engine):
    result = ok(
        engine,
        batch(
            stmt("CREATE TABLE b_items (id TEXT PRIMARY KEY, n INTEGER)"),
            stmt("INSERT INTO b_items VALUES (?, ?)", "a", 1),
            stmt("INSERT INTO b_items VALUES (?, ?)", "b", 2),
            stmt("SELECT id, n FROM b_items ORDER BY id"),
        ),
    )
    assert [r["success"] for r in result] == [True] * 4
    assert result[3]["results"] == [{"id": "a", "n": 1}, {"id": "b", "n": 2}]
    meta = result[1]["meta"]
    for key in (
        "changes",
        "last_row_id",
        "changed_db",
        "rows_read",
        "rows_written",
        "size_after",
        "duration",
    ):
        assert key in meta, meta
    assert meta["changes"] == 1 and meta["changed_db"] is True
    # Observed: an INSERT into a table with one index reports rows_written 2
    # (row + index entry); a SELECT reports rows_read = rows scanned.
    assert meta["rows_written"] == 2
    assert result[3]["meta"]["rows_read"] == 2
    assert result[3]["meta"]["changed_db"] is False


def test_raw_returns_columns_and_rows(engine):
    result = ok(engine, {"sql": "SELECT 1 AS one, 'x' AS two UNION ALL SELECT 2, 'y'"}, "raw")
    assert result[0]["results"] == {"columns": ["one", "two"], "rows": [[1, "x"], [2, "y"]]}
    # Known differences from production (rebuilt from row objects): duplicate
    # names collapse, and an empty result has no column names.
    dup = ok(engine, {"sql": "SELECT 1 AS a, 2 AS a"}, "raw")
    assert dup[0]["results"] == {"columns": ["a"], "rows": [[2]]}
    empty = ok(engine, {"sql": "SELECT 1 AS a WHERE 0"}, "raw")
    assert empty[0]["results"] == {"columns": [], "rows": []}


def test_multiple_statements_in_one_sql_give_one_result(engine):
    # Observed locally: several ';'-separated statements run (atomically) but
    # yield ONE result: the last statement's rows, changes summed.
    result = ok(
        engine,
        {"sql": "CREATE TABLE m_t (id TEXT PRIMARY KEY); INSERT INTO m_t VALUES ('a'); SELECT id FROM m_t"},
    )
    assert result[0]["results"] == [{"id": "a"}]
    msg = error(engine, {"sql": "INSERT INTO m_t VALUES ('b'); INSERT INTO m_t VALUES ('a')"})
    assert "UNIQUE constraint failed" in msg
    assert rows(engine, "SELECT id FROM m_t") == [{"id": "a"}]


def test_auth_and_routing_errors(engine):
    body = stmt("SELECT 1")
    assert error(engine, body, 403, 10000, token="wrong") == "Authentication error"
    error(engine, body, 403, 7403, account="someone-else")
    assert "could not be found" in error(engine, body, 404, 7404, database="nope")
    error(engine, body, 404, 7000, kind="nothing")
    assert "not valid JSON" in error(engine, b"{not json", 400, 7400)
    assert '"sql"' in error(engine, {"params": []}, 400, 7400)
    assert "params" in error(engine, stmt("SELECT ?", [1]), 400, 7400)
    assert "batch" in error(engine, {"batch": []}, 400, 7400)


# --- atomicity -------------------------------------------------------------


def test_failing_batch_commits_nothing(engine):
    ok(
        engine,
        batch(
            stmt("CREATE TABLE a_threads (id TEXT PRIMARY KEY, title TEXT)"),
            stmt("INSERT INTO a_threads VALUES ('t1', 'old')"),
        ),
    )
    msg = error(
        engine,
        batch(
            stmt("UPDATE a_threads SET title = ? WHERE id = ?", "new", "t1"),
            stmt("INSERT INTO a_threads VALUES (?, ?)", "t2", "two"),
            stmt("INSERT INTO a_threads VALUES (?, ?)", "t1", "dup"),
            stmt("INSERT INTO a_threads VALUES (?, ?)", "t3", "three"),
        ),
    )
    assert "UNIQUE constraint failed: a_threads.id" in msg
    assert "SQLITE_CONSTRAINT" in msg
    # Observed: the message does not say which statement of the batch failed.
    assert "batch" not in msg and "statement" not in msg
    assert rows(engine, "SELECT id, title FROM a_threads") == [{"id": "t1", "title": "old"}]


def test_begin_is_refused(engine):
    msg = error(engine, stmt("BEGIN"))
    assert "state.storage.transaction()" in msg


def test_trigger_raise_aborts_whole_batch(engine):
    ok(
        engine,
        batch(
            stmt("CREATE TABLE r_docs (id TEXT PRIMARY KEY, version INTEGER NOT NULL)"),
            stmt(
                "CREATE TRIGGER r_docs_guard BEFORE UPDATE ON r_docs"
                " WHEN NEW.version <> OLD.version + 1"
                " BEGIN SELECT RAISE(ABORT, 'd1store:conflict'); END"
            ),
            stmt("INSERT INTO r_docs VALUES ('d', 1)"),
        ),
    )
    msg = error(
        engine,
        batch(
            stmt("INSERT INTO r_docs VALUES ('e', 1)"),
            stmt("UPDATE r_docs SET version = 5 WHERE id = 'd'"),
        ),
    )
    assert msg.startswith("d1store:conflict")
    assert "SQLITE_CONSTRAINT" in msg
    assert rows(engine, "SELECT id, version FROM r_docs") == [{"id": "d", "version": 1}]


# --- limits, types, dialect ---------------------------------------------------


def test_bound_parameter_limit_is_100(engine):
    cols = ", ".join(f"? AS c{i}" for i in range(100))
    assert len(rows(engine, f"SELECT {cols}", *range(100))[0]) == 100
    msg = error(engine, stmt("SELECT " + ", ".join(["?"] * 101), *([1] * 101)))
    assert "too many SQL variables" in msg


def test_strict_tables(engine):
    ok(engine, batch(stmt("CREATE TABLE s_t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, t TEXT) STRICT")))
    # A JSON number binds as REAL; STRICT INTEGER takes it if it is integral.
    got = rows(engine, "INSERT INTO s_t VALUES (?, ?, ?) RETURNING n, typeof(n) AS tn", 1, 5, "x")
    assert got == [{"n": 5, "tn": "integer"}]
    assert "cannot store REAL value in INTEGER column s_t.n" in error(
        engine, stmt("INSERT INTO s_t VALUES (?, ?, ?)", 2, 5.5, "x")
    )
    assert "cannot store TEXT value in INTEGER column" in error(
        engine, stmt("INSERT INTO s_t VALUES (?, ?, ?)", 3, "abc", "x")
    )
    # Surprise: a number bound into a TEXT column is the REAL's text, '5.0'.
    got = rows(engine, "INSERT INTO s_t VALUES (?, ?, ?) RETURNING t", 4, 1, 5)
    assert got == [{"t": "5.0"}]


def test_cast_integer_limit(engine):
    inserts = [stmt("INSERT INTO l_t VALUES (?)", i) for i in range(10)]
    ok(engine, batch(stmt("CREATE TABLE l_t (id INTEGER PRIMARY KEY)"), *inserts))
    got = rows(engine, "SELECT id FROM l_t ORDER BY id LIMIT CAST(? AS INTEGER)", 3)
    assert got == [{"id": 0}, {"id": 1}, {"id": 2}]


def test_observed_limit_with_json_number(engine):
    # (a) A JSON number binds as REAL (typeof 'real', even for 5 or true), but
    # LIMIT accepts an integral REAL (and the text '5'); a fractional or
    # non-numeric value fails with "datatype mismatch"; -1 means no limit.
    assert rows(engine, "SELECT typeof(?) AS a, typeof(?) AS b", 5, True) == [{"a": "real", "b": "real"}]
    inserts = [stmt("INSERT INTO o_t VALUES (?)", i) for i in range(10)]
    ok(engine, batch(stmt("CREATE TABLE o_t (id INTEGER PRIMARY KEY)"), *inserts))
    count = "SELECT count(*) AS c FROM (SELECT id FROM o_t LIMIT ?)"
    assert rows(engine, count, 5) == [{"c": 5}]
    assert rows(engine, count, "5") == [{"c": 5}]
    assert rows(engine, count, -1) == [{"c": 10}]
    assert "datatype mismatch" in error(engine, stmt(count, 2.5))
    assert "datatype mismatch" in error(engine, stmt(count, "abc"))


def test_observed_nul_in_text(engine):
    # (b) "a\0b" is stored whole (3 bytes) and round-trips through JSON, and
    # '=' compares all bytes; but SQLite's C-string functions stop at the NUL:
    # length() is 1 and substr() past it is empty.
    ok(
        engine,
        batch(
            stmt("CREATE TABLE n_t (id TEXT PRIMARY KEY, s TEXT)"),
            stmt("INSERT INTO n_t VALUES ('x', ?)", "a\u0000b"),
        ),
    )
    got = rows(
        engine,
        "SELECT s, hex(s) AS h, length(s) AS l, substr(s, 3) AS tail, s = ? AS eq, s = 'a' AS eq_a FROM n_t",
        "a\u0000b",
    )
    assert got == [{"s": "a\u0000b", "h": "610062", "l": 1, "tail": "", "eq": 1, "eq_a": 0}]


def test_observed_lone_surrogate(engine):
    # (c) "\ud800" is accepted without error, stored as the invalid UTF-8 bytes
    # ED A0 80, and read back as three U+FFFD: silent corruption. The adapter
    # must reject such strings itself (e.g. value.encode("utf-8") raises).
    body = b'{"sql": "SELECT ? AS v, hex(?) AS h", "params": ["x\\ud800y", "x\\ud800y"]}'
    status, env = post(engine, body)
    assert status == 200, env
    assert env["result"][0]["results"] == [{"v": "x\ufffd\ufffd\ufffdy", "h": "78EDA08079"}]
    # A proper surrogate pair is fine.
    assert rows(engine, "SELECT ? AS v", "\U0001f600") == [{"v": "\U0001f600"}]


# --- process hygiene ----------------------------------------------------------


def _live_group_members(pgid):
    members = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            members.append(int(pid))
    return members


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_stop_leaves_no_processes_and_exits_cleanly():
    e = LocalD1Engine().start()
    proc, state = e._proc, e._tmp_state
    assert len(_live_group_members(proc.pid)) >= 2  # node + workerd
    e.stop()
    assert proc.returncode == 0  # SIGTERM is a clean shutdown
    assert not os.path.exists(state)
    deadline = time.monotonic() + 5
    while _live_group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _live_group_members(proc.pid) == []


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_engine_stops_when_its_owner_is_killed():
    """A test run killed outright must not leave engines behind: they watch their stdin."""
    import signal
    import subprocess

    owner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; sys.path.insert(0, sys.argv[1]); from engine import LocalD1Engine; "
            "e = LocalD1Engine().start(); print(e._proc.pid, flush=True); time.sleep(600)",
            os.path.dirname(os.path.abspath(__file__)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    launcher = int(owner.stdout.readline())
    assert _live_group_members(launcher)
    owner.send_signal(signal.SIGKILL)
    owner.wait()
    deadline = time.monotonic() + 15
    while _live_group_members(launcher) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _live_group_members(launcher) == []
