"""WorkersBindingD1Client and its JS value conversions, against small fakes of Pyodide's shapes."""

from __future__ import annotations

import asyncio
import math
import sys
import types

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from adapters.d1.client import Statement
from adapters.d1.errors import D1OutcomeUnknown, D1ProtocolError, D1QueryError, D1TransientError, SqlFailure
from adapters.d1.failures import Outcome
from adapters.d1.js_values import default_binder, json_array_binder, null_sentinel_binder, to_python
from adapters.d1.retry import RetryPolicy
from adapters.d1.workers_binding import WorkersBindingD1Client, failure_of
from domain.errors import InvalidInput


class JsNull:
    """Named as Pyodide's type; conversions recognise it by name, never by import."""


NULL = JsNull()


class Proxy:
    def __init__(self, value):
        self.value = value

    def to_py(self):
        return self.value


class JsError(Exception):
    pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


def as_js(value, data):
    """``value`` as it may arrive from Pyodide: null as JsNull, any level behind a proxy."""
    if value is None:
        converted = NULL
    elif isinstance(value, list):
        converted = [as_js(item, data) for item in value]
    elif isinstance(value, dict):
        converted = {key: as_js(item, data) for key, item in value.items()}
    else:
        converted = value
    return Proxy(converted) if data.draw(st.booleans()) else converted


@settings(max_examples=200)
@given(value=json_values, data=st.data())
def test_to_python_undoes_proxies_and_js_null_at_any_depth(value, data):
    assert to_python(as_js(value, data)) == value


@given(params=st.lists(st.none() | st.integers() | st.text(), max_size=8))
def test_the_sentinel_binder_passes_null_for_none_and_the_rest_unchanged(params):
    bound = []
    statement = types.SimpleNamespace(bind=lambda *args: bound.extend(args) or "bound")
    assert null_sentinel_binder(NULL)(statement, params) == "bound"
    assert bound == [NULL if value is None else value for value in params]


def fake_js():
    """``JSON.parse`` gives a JS array (None stands for JS null there); ``Reflect.apply`` calls."""
    import json

    return types.SimpleNamespace(
        JSON=types.SimpleNamespace(parse=json.loads),
        Reflect=types.SimpleNamespace(apply=lambda function, _this, arguments: function(*arguments)),
    )


def test_the_json_array_binder_builds_the_arguments_in_javascript():
    bound = []
    statement = types.SimpleNamespace(bind=lambda *args: bound.extend(args))
    json_array_binder(fake_js())(statement, ["a", None, 3, 1.5])
    assert bound == ["a", None, 3, 1.5]


def test_default_binder_prefers_jsnull_then_javascript_then_plain_none(monkeypatch):
    statement_args = []
    statement = types.SimpleNamespace(bind=lambda *args: statement_args.append(args))
    ffi = types.ModuleType("pyodide.ffi")
    ffi.jsnull = NULL
    monkeypatch.setitem(sys.modules, "pyodide", types.ModuleType("pyodide"))
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)
    default_binder()(statement, [None])
    monkeypatch.delitem(sys.modules, "pyodide.ffi")
    monkeypatch.setitem(sys.modules, "pyodide.ffi", None)  # importing it now fails
    monkeypatch.setitem(sys.modules, "js", fake_js())
    default_binder()(statement, [None])
    monkeypatch.setitem(sys.modules, "js", None)
    default_binder()(statement, [None])
    assert statement_args == [(NULL,), (None,), (None,)]


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("D1_ERROR: UNIQUE constraint failed: t_threads.id: SQLITE_CONSTRAINT", SqlFailure.UNIQUE),
        ("Error: D1_ERROR: no such table: x: SQLITE_ERROR", SqlFailure.NO_SUCH_TABLE),
        ("D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'", SqlFailure.OTHER),
    ],
)
def test_d1_errors_are_definite_query_errors_without_the_prefix(message, kind):
    failure = failure_of(JsError(message))
    assert isinstance(failure.error, D1QueryError) and not failure.retryable
    assert failure.error.failure is kind and not failure.error.d1_message.startswith("D1_ERROR")


@pytest.mark.parametrize(
    ("message", "outcome"),
    [
        ("D1_ERROR: Network connection lost.", Outcome.UNKNOWN),
        ("D1_ERROR: D1 DB is overloaded. Requests queued for too long.", Outcome.NOT_APPLIED),
    ],
)
def test_transient_messages_are_retried_with_their_outcome(message, outcome):
    failure = failure_of(JsError(message))
    assert failure.retryable and failure.outcome is outcome


def test_any_other_error_in_flight_has_an_unknown_outcome():
    failure = failure_of(RuntimeError("something broke"))
    assert isinstance(failure.error, D1OutcomeUnknown) and failure.outcome is Outcome.UNKNOWN


class FakeDb:
    """Answers each batch with the next item of ``answers`` (an exception is raised)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.batches = []

    def prepare(self, sql):
        return types.SimpleNamespace(bind=lambda *params: (sql, params))

    async def batch(self, statements):
        self.batches.append(statements)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def one_row(**meta):
    return Proxy([{"success": True, "results": [{"id": "t1", "title": NULL}], "meta": meta}])


def client(db, **kwargs):
    async def no_sleep(_seconds):
        return None

    retry = RetryPolicy(max_attempts=3, random=lambda: 0.5)
    return WorkersBindingD1Client(
        db, retry=retry, binder=null_sentinel_binder(NULL), sleep=no_sleep, **kwargs
    )


def test_a_batch_binds_each_statement_and_reads_rows_and_meta():
    db = FakeDb(one_row(changes=2, size_after=4096, duration=0.5, rows_read=NULL))
    [result] = asyncio.run(client(db).batch([Statement("SELECT ?1, ?2", ("a", None))]))
    assert db.batches == [[("SELECT ?1, ?2", ("a", NULL))]]
    assert result.rows == ({"id": "t1", "title": None},)
    assert (result.meta.changes, result.meta.size_after, result.meta.rows_read) == (2, 4096, None)


def test_results_read_as_attributes_when_there_is_no_to_py():
    entry = types.SimpleNamespace(success=True, results=Proxy([{"n": 1}]), meta=Proxy({"changes": 0}))
    [result] = asyncio.run(client(FakeDb([entry])).batch([Statement("SELECT 1 AS n")]))
    assert result.rows == ({"n": 1},)


def test_transient_errors_are_retried_then_the_answer_is_used():
    db = FakeDb(JsError("D1_ERROR: D1 DB is overloaded"), one_row())
    assert len(asyncio.run(client(db).batch([Statement("SELECT 1")]))) == 1
    assert len(db.batches) == 2


def test_giving_up_after_a_maybe_applied_attempt_is_an_unknown_outcome():
    db = FakeDb(*[JsError("D1_ERROR: Network connection lost.")] * 3)
    with pytest.raises(D1OutcomeUnknown):
        asyncio.run(client(db).batch([Statement("SELECT 1")]))
    db = FakeDb(*[JsError("D1 DB is overloaded")] * 3)
    with pytest.raises(D1TransientError):
        asyncio.run(client(db).batch([Statement("SELECT 1")]))


def test_a_wrong_number_of_results_is_a_protocol_error_never_retried():
    db = FakeDb(Proxy([]))
    with pytest.raises(D1ProtocolError):
        asyncio.run(client(db).batch([Statement("SELECT 1")]))
    assert len(db.batches) == 1


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (True, "statements[1].params[0]"),
        (2**60, "statements[1].params[0]"),
        (math.nan, "statements[1].params[0]"),
    ],
)
def test_bad_parameters_are_refused_by_name_before_anything_is_sent(value, field):
    db = FakeDb()
    with pytest.raises(InvalidInput) as refused:
        asyncio.run(client(db).batch([Statement("SELECT 1"), Statement("SELECT ?1", (value,))]))
    assert refused.value.field == field and db.batches == []


def test_no_statements_send_nothing():
    db = FakeDb()
    assert asyncio.run(client(db).batch([])) == [] and db.batches == []
