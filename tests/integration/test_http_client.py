"""Both REST clients against the real local D1 engine, no faults: results, typed errors, retries."""

from __future__ import annotations

import socket

import pytest
from faults.support import FAST_RETRY, Client, create_table, fresh_table, ids, insert, local_engine

from adapters.d1.client import Statement
from adapters.d1.envelope import ResultShape
from adapters.d1.errors import D1AuthError, D1QueryError, D1TransientError, SqlFailure
from adapters.d1.http_client import HttpD1Client
from adapters.d1.retry import RetryPolicy
from domain.errors import InvalidInput

pytestmark = pytest.mark.d1local

engine = pytest.fixture(scope="module")(local_engine)


@pytest.fixture(params=["sync", "async"])
def make_client(request, engine):
    made: list[Client] = []

    def make(**kwargs) -> Client:
        kwargs.setdefault("retry", FAST_RETRY)
        made.append(Client(request.param, engine, **kwargs))
        return made[-1]

    yield make
    for client in made:
        client.close()


def test_batch_round_trip_with_meta(make_client):
    client, table = make_client(), fresh_table()
    results = client.batch(
        [
            create_table(table),
            insert(table, "a", 1),
            insert(table, "b", 2),
            Statement(f"SELECT id, n FROM {table} ORDER BY id"),
        ]
    )
    assert len(results) == 4
    assert results[1].meta.changes == 1 and results[1].meta.rows_written is not None
    assert results[1].meta.duration_ms is not None and results[1].meta.size_after
    assert results[3].rows == ({"id": "a", "n": 1}, {"id": "b", "n": 2})
    assert client.requests == 1


def test_raw_shape(make_client):
    client = make_client(shape=ResultShape.RAW)
    [result] = client.batch([Statement("SELECT ? AS x, 'y' AS z", (1,))])
    assert result.rows == ({"x": 1, "z": "y"},)


def test_empty_batch_sends_nothing(make_client):
    client = make_client()
    assert client.batch([]) == []
    assert client.requests == 0


def test_invalid_params_send_nothing(make_client):
    client = make_client()
    with pytest.raises(InvalidInput) as caught:
        client.batch([Statement("SELECT ?", (True,))])
    assert caught.value.field == "statements[0].params[0]"
    assert client.requests == 0


def test_sql_error_is_typed_not_retried_and_commits_nothing(make_client):
    client, table = make_client(), fresh_table()
    client.batch([create_table(table), insert(table, "a")])
    with pytest.raises(D1QueryError) as caught:
        client.batch([insert(table, "b"), insert(table, "a"), insert(table, "c")])
    assert caught.value.failure is SqlFailure.UNIQUE and caught.value.code == 7500
    assert f"{table}.id" in caught.value.d1_message
    assert client.requests == 2  # no retry
    assert ids(client, table) == ["a"]


def test_wrong_token_is_an_auth_error_without_retry(make_client):
    client = make_client(api_token="not-the-token")
    with pytest.raises(D1AuthError):
        client.batch([Statement("SELECT 1")])
    assert client.requests == 1


def test_unknown_database_is_refused(engine):
    with (
        HttpD1Client(
            engine.account_id, "no-such-db", engine.api_token, base_url=engine.api_base_url
        ) as client,
        pytest.raises(D1QueryError) as caught,
    ):
        client.batch([Statement("SELECT 1")])
    assert caught.value.code == 7404


def test_wrong_account_is_an_auth_error(engine):
    with (
        HttpD1Client("someone-else", engine.database_id, engine.api_token, base_url=engine.api_base_url) as c,
        pytest.raises(D1AuthError),
    ):
        c.batch([Statement("SELECT 1")])


def test_refused_connection_is_retried_then_transient_not_unknown(make_client, engine):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound but never listening: connections are refused
        client = make_client(base_url=f"http://127.0.0.1:{port}/client/v4")
        with pytest.raises(D1TransientError) as caught:
            client.batch([Statement("SELECT 1")])
    assert "3 attempts" in str(caught.value) and "ConnectError" in str(caught.value)
    assert client.requests == 3 and len(client.sleeps) == 2
    assert all(0 <= s <= FAST_RETRY.max_delay for s in client.sleeps)


def test_event_hooks_see_every_request(engine):
    seen: list[str] = []
    with HttpD1Client(
        engine.account_id,
        engine.database_id,
        engine.api_token,
        base_url=engine.api_base_url,
        retry=RetryPolicy(max_attempts=1),
        event_hooks={"request": [lambda request: seen.append(request.url.path)]},
    ) as client:
        client.batch([Statement("SELECT 1")])
        client.batch([Statement("SELECT 2")])
    assert seen == [f"/client/v4/accounts/{engine.account_id}/d1/database/{engine.database_id}/query"] * 2


def test_closed_client_refuses_work(engine):
    client = HttpD1Client(
        engine.account_id, engine.database_id, engine.api_token, base_url=engine.api_base_url
    )
    client.close()
    with pytest.raises(RuntimeError):
        client.batch([Statement("SELECT 1")])
