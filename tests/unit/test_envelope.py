"""Parsing D1's REST answers: every answer becomes results or a typed Failure, never a crash."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.d1.client import StatementMeta, StatementResult
from adapters.d1.envelope import ResultShape, parse_response
from adapters.d1.errors import D1AuthError, D1ProtocolError, D1QueryError, D1TransientError, SqlFailure
from adapters.d1.failures import Failure, Outcome

META = {
    "served_by": "miniflare.db",
    "duration": 0.25,
    "changes": 1,
    "last_row_id": 7,
    "changed_db": True,
    "size_after": 12288,
    "rows_read": 0,
    "rows_written": 2,
}


def envelope(result=(), errors=(), success=True) -> bytes:
    return json.dumps(
        {"success": success, "errors": list(errors), "messages": [], "result": list(result)}
    ).encode()


def ok_entry(rows=(), meta=META):
    return {"success": True, "results": list(rows), "meta": meta}


def failure(status, body, headers=None, expected=1) -> Failure:
    parsed = parse_response(status, headers or {}, body, expected=expected)
    assert isinstance(parsed, Failure), parsed
    return parsed


def error_body(code, message) -> bytes:
    return envelope(errors=[{"code": code, "message": message}], success=False)


def test_success_maps_rows_and_meta():
    body = envelope([ok_entry(), ok_entry([{"id": "a", "n": 1}], {"changes": 0, "duration": 1})])
    assert parse_response(200, {}, body, expected=2) == [
        StatementResult(
            (),
            StatementMeta(
                changes=1, rows_read=0, rows_written=2, last_row_id=7, size_after=12288, duration_ms=0.25
            ),
        ),
        StatementResult(({"id": "a", "n": 1},), StatementMeta(changes=0, duration_ms=1.0)),
    ]


def test_raw_shape_zips_columns_and_rows():
    entry = {"success": True, "results": {"columns": ["a", "b"], "rows": [[1, "x"], [2, None]]}, "meta": {}}
    [result] = parse_response(200, {}, envelope([entry]), expected=1, shape=ResultShape.RAW)
    assert result.rows == ({"a": 1, "b": "x"}, {"a": 2, "b": None})
    empty = {"success": True, "results": {"columns": [], "rows": []}, "meta": {}}
    assert parse_response(200, {}, envelope([empty]), expected=1, shape=ResultShape.RAW)[0].rows == ()


@pytest.mark.parametrize(
    "body",
    [
        envelope([ok_entry()]),  # one result for two statements
        envelope([ok_entry(), {"success": False, "results": [], "meta": {}}]),  # a statement failed
        envelope([ok_entry(), ok_entry(rows=[[1, 2]])]),  # rows are not objects
        envelope([ok_entry(), ok_entry(meta={"changes": "one"})]),
        envelope([ok_entry(), ok_entry(meta={"duration": True})]),
        envelope([ok_entry(), "nope"]),
        b'{"success": true, "result": {}}',
        b'{"result": []}',
        b"[]",
        b"<html>OK</html>",
        b"",
    ],
)
def test_malformed_success_is_a_protocol_error_with_unknown_outcome(body):
    parsed = failure(200, body, expected=2)
    assert isinstance(parsed.error, D1ProtocolError)
    assert not parsed.retryable and parsed.outcome is Outcome.UNKNOWN


def test_sql_error_keeps_sqlite_message_without_binding_prefix():
    message = (
        "D1_ERROR: UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)"
    )
    parsed = failure(400, error_body(7500, message))
    assert isinstance(parsed.error, D1QueryError)
    assert parsed.error.d1_message.startswith("UNIQUE constraint failed: t.id")
    assert parsed.error.code == 7500 and parsed.error.failure is SqlFailure.UNIQUE
    assert not parsed.retryable and parsed.outcome is Outcome.NOT_APPLIED


@pytest.mark.parametrize("code", [10000, 7403])
def test_auth_refusal(code):
    parsed = failure(403, error_body(code, "Authentication error"))
    assert isinstance(parsed.error, D1AuthError) and not parsed.retryable


def test_other_refusals_are_query_errors_with_their_code():
    parsed = failure(404, error_body(7404, "The database nope could not be found"))
    assert isinstance(parsed.error, D1QueryError) and parsed.error.code == 7404
    assert not parsed.retryable


def test_rate_limit_is_transient_not_applied_with_retry_after():
    parsed = failure(429, error_body(971, "Please wait"), {"retry-after": "7"})
    assert isinstance(parsed.error, D1TransientError) and parsed.error.retry_after == 7.0
    assert parsed.retryable and parsed.outcome is Outcome.NOT_APPLIED and parsed.retry_after == 7.0


def test_overloaded_429_without_retry_after():
    parsed = failure(429, error_body(7500, "D1 DB is overloaded. Requests queued for too long."))
    assert parsed.retryable and parsed.retry_after is None and parsed.outcome is Outcome.NOT_APPLIED


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (500, error_body(7500, "internal error; reference = abc"), Outcome.UNKNOWN),
        (502, b"<html><title>502 Bad Gateway</title></html>", Outcome.UNKNOWN),
        (504, b"<html>Gateway Time-out</html>", Outcome.UNKNOWN),
        (503, b"Service Unavailable", Outcome.NOT_APPLIED),
        (520, b"\xff\xfe not even utf-8", Outcome.UNKNOWN),
    ],
)
def test_server_side_errors_are_transient(status, body, outcome):
    parsed = failure(status, body)
    assert isinstance(parsed.error, D1TransientError)
    assert parsed.retryable and parsed.outcome is outcome
    assert f"HTTP {status}" in str(parsed.error)


@pytest.mark.parametrize(
    ("message", "outcome"),
    [
        ("Network connection lost.", Outcome.UNKNOWN),
        ("Durable Object storage caused object to be reset.", Outcome.UNKNOWN),
        ("Durable Object reset because its code was updated.", Outcome.UNKNOWN),
        ("Cannot resolve D1 DB due to transient issue on remote node", Outcome.NOT_APPLIED),
        ("Internal error while starting up D1 DB storage caused object to be reset", Outcome.NOT_APPLIED),
        ("D1 DB is overloaded. Requests queued for too long.", Outcome.NOT_APPLIED),
    ],
)
def test_transient_d1_messages_in_a_400_are_retried(message, outcome):
    parsed = failure(400, error_body(7500, f"D1_ERROR: {message}"))
    assert isinstance(parsed.error, D1TransientError) and parsed.retryable
    # "Internal error while starting up" names storage too; the first match decides, and both
    # readings are retryable, so the outcome only has to be one of the two.
    if "starting up" not in message:
        assert parsed.outcome is outcome


@pytest.mark.parametrize("body", [b"<html>Bad Request</html>", b'{"success": false}', b"null"])
def test_a_4xx_without_errors_is_a_protocol_error(body):
    parsed = failure(400, body)
    assert isinstance(parsed.error, D1ProtocolError) and not parsed.retryable


def test_success_false_in_a_200_is_still_an_error():
    parsed = failure(200, error_body(7500, "no such table: x: SQLITE_ERROR"))
    assert isinstance(parsed.error, D1QueryError) and parsed.error.failure is SqlFailure.NO_SUCH_TABLE


def test_redact_applies_to_every_echoed_text():
    secret = "tok-123"

    def redact(text: str) -> str:
        return text.replace(secret, "***")

    for status, body in [
        (400, error_body(7500, f"bad token {secret}")),
        (403, error_body(10000, f"Bearer {secret} refused")),
        (502, f"<html>{secret}</html>".encode()),
        (200, f"garbage {secret}".encode()),
    ]:
        parsed = parse_response(status, {}, body, expected=1, redact=redact)
        assert isinstance(parsed, Failure)
        assert secret not in str(parsed.error) and secret not in repr(parsed.error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200)
@given(
    status=st.integers(100, 599),
    body=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())),
    expected=st.integers(1, 3),
    shape=st.sampled_from(ResultShape),
    retry_after=st.none() | st.text(max_size=30),
)
def test_any_answer_parses_to_results_or_a_failure(status, body, expected, shape, retry_after):
    headers = {} if retry_after is None else {"retry-after": retry_after}
    parsed = parse_response(status, headers, body, expected=expected, shape=shape)
    if isinstance(parsed, Failure):
        assert parsed.retry_after is None or parsed.retry_after >= 0
    else:
        assert 200 <= status < 300 and len(parsed) == expected


@settings(max_examples=200)
@given(status=st.integers(100, 599), body=st.binary(max_size=100))
def test_sql_errors_are_never_retryable_whatever_else_is_wrong(status, body):
    parsed = parse_response(status, {}, body, expected=1)
    if isinstance(parsed, Failure) and isinstance(parsed.error, D1QueryError | D1AuthError):
        assert not parsed.retryable
