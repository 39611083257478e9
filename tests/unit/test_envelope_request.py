"""The request side: batch bodies, parameter checks, endpoint and token validation."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.d1.client import Statement
from adapters.d1.credentials import D1Credentials, Secret
from adapters.d1.envelope import encode_batch
from domain.errors import InvalidInput

params = st.none() | st.integers(-(2**53) + 1, 2**53 - 1) | st.floats(allow_nan=False, allow_infinity=False)
params |= st.text().filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))


@settings(max_examples=100)
@given(st.lists(st.tuples(st.text(min_size=1).filter(str.strip), st.lists(params, max_size=5)), max_size=5))
def test_batch_body_round_trips(entries):
    entries = [(sql, p) for sql, p in entries if not any(0xD800 <= ord(c) <= 0xDFFF for c in sql)]
    body = encode_batch([Statement(sql, tuple(p)) for sql, p in entries])
    assert json.loads(body) == {"batch": [{"sql": sql, "params": p} for sql, p in entries]}


@pytest.mark.parametrize(
    ("param", "reason"),
    [
        (True, "bool"),
        (b"\x00", "bytes"),
        ([1], "list"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (2**53, "2^53"),
        ("x\ud800y", "surrogate"),
    ],
)
def test_bad_params_are_refused_naming_the_field(param, reason):
    with pytest.raises(InvalidInput) as caught:
        encode_batch([Statement("SELECT 1"), Statement("SELECT ?, ?", (1, param))])
    assert caught.value.field == "statements[1].params[1]"
    assert reason in caught.value.reason


@pytest.mark.parametrize("sql", ["", "   ", "SELECT '\udc00'"])
def test_bad_sql_is_refused(sql):
    with pytest.raises(InvalidInput) as caught:
        encode_batch([Statement(sql)])
    assert caught.value.field == "statements[0].sql"


def test_endpoint_url_and_base_url_normalisation():
    creds = D1Credentials("acc", "db-1", "tok", "http://127.0.0.1:8787/client/v4/")
    assert creds.endpoint("query") == "http://127.0.0.1:8787/client/v4/accounts/acc/d1/database/db-1/query"
    default = D1Credentials("acc", "db", "tok")
    assert default.endpoint("raw") == "https://api.cloudflare.com/client/v4/accounts/acc/d1/database/db/raw"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("account_id", {"account_id": "../other"}),
        ("account_id", {"account_id": "a/b"}),
        ("account_id", {"account_id": ""}),
        ("database_id", {"database_id": "db?x=1"}),
        ("database_id", {"database_id": "db#frag"}),
        ("database_id", {"database_id": "%2e%2e"}),
        ("api_token", {"api_token": "tok\r\nX-Evil: 1"}),
        ("api_token", {"api_token": ""}),
        ("base_url", {"base_url": "ftp://example.com"}),
        ("base_url", {"base_url": "https://user:pw@example.com"}),
        ("base_url", {"base_url": "https://example.com/v4?x=1"}),
    ],
)
def test_invalid_credentials_are_refused(field, kwargs):
    values = {"account_id": "acc", "database_id": "db", "api_token": "tok", **kwargs}
    with pytest.raises(InvalidInput) as caught:
        D1Credentials(**values)
    assert caught.value.field == field
    assert "tok\r\n" not in str(caught.value)


def test_secret_never_shows_itself():
    secret = Secret("s3cr3t-value")
    creds = D1Credentials("acc", "db", secret)
    for text in (repr(secret), str(secret), f"{secret}", repr(creds), str(creds)):
        assert "s3cr3t-value" not in text
    assert creds.api_token is secret and secret.reveal() == "s3cr3t-value"
    assert secret.scrub("Bearer s3cr3t-value!") == "Bearer ***!"
    with pytest.raises(TypeError):
        pickle.dumps(creds)
