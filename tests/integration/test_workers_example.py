"""The example Worker's routes (examples/workers/src/app.py) against the binding stand-in, with
``pyodide.ffi.jsnull`` present as in a Python Worker, so the client finds its binder itself."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
import types
from pathlib import Path

import pytest
from async_backends.binding_standin import JS_NULL, StandInD1Database

APP = Path(__file__).resolve().parents[2] / "examples" / "workers" / "src" / "app.py"


@pytest.fixture
def call(tmp_path, monkeypatch):
    ffi = types.ModuleType("pyodide.ffi")
    ffi.jsnull = JS_NULL
    monkeypatch.setitem(sys.modules, "pyodide", types.ModuleType("pyodide"))
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)
    spec = importlib.util.spec_from_file_location("example_worker_app", APP)
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    db = StandInD1Database(tmp_path / "worker.db")

    def request(method, path, body=None, **query):
        text = "" if body is None else json.dumps(body)
        return asyncio.run(app.handle(db, method, path, {k: str(v) for k, v in query.items()}, text))

    yield request
    db.close()


def test_a_conversation_through_the_worker_routes(call):
    status, thread = call("POST", "/threads", {"resource_id": "user-1", "id": "t1"})
    assert status == 201 and thread["title"] is None and thread["version"] == 1  # NULL went in as null
    turns = [{"role": "user", "content": "hello"}, {"role": "assistant", "content": {"tool": "x"}}]
    status, appended = call("POST", "/threads/t1/messages", {"messages": turns})
    assert status == 201 and [m["position"] for m in appended["messages"]] == [1, 2]
    status, recent = call("GET", "/threads/t1/messages", last=1)
    assert status == 200 and [m["content"] for m in recent["messages"]] == [{"tool": "x"}]
    status, listed = call("GET", "/threads", resource_id="user-1")
    assert [t["id"] for t in listed["threads"]] == ["t1"] and listed["next_cursor"] is None
    assert call("GET", "/threads/t1")[1]["id"] == "t1"


def test_errors_answer_with_their_status_and_field(call):
    call("POST", "/threads", {"resource_id": "user-1", "id": "t1"})
    assert call("POST", "/threads", {"resource_id": "user-1", "id": "t1"})[0] == 409
    assert call("GET", "/threads/nope")[0] == 404
    assert call("POST", "/threads/nope/messages", {"messages": [{"role": "user", "content": "x"}]})[0] == 404
    status, refused = call("POST", "/threads/t1/messages", {"messages": [{"role": "wizard", "content": "x"}]})
    assert status == 400 and "role" in refused["field"]
    assert call("GET", "/threads/t1/messages", last="many")[1]["field"] == "last"
    assert call("DELETE", "/threads")[0] == 404
    assert call("GET", "/threads/t1/messages")[1]["messages"] == []
