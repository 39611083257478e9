"""The fault proxy itself, seen by a plain httpx client: each fault does what it says, the record
is right, seeded randomness repeats, and the proxy stays bounded."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from faults.kinds import Fault, FaultKind
from faults.proxy import FaultProxy
from faults.support import local_engine

pytestmark = pytest.mark.d1local

engine = pytest.fixture(scope="module")(local_engine)


@pytest.fixture
def proxy(engine):
    with FaultProxy(engine.url, max_lifetime=60) as proxy:
        yield proxy


_http = httpx.Client()  # one pool for the module: a client per request costs ~50 ms of TLS setup


@pytest.fixture(scope="module", autouse=True)
def _close_http():
    yield
    _http.close()


def post(proxy, engine, sql, timeout=5.0):
    url = f"{proxy.api_base_url}/accounts/{engine.account_id}/d1/database/{engine.database_id}/query"
    headers = {"Authorization": f"Bearer {engine.api_token}"}
    return _http.post(url, json={"sql": sql}, headers=headers, timeout=timeout)


def table_rows(proxy, engine, table):
    return post(proxy, engine, f"SELECT count(*) AS c FROM {table}").json()["result"][0]["results"][0]["c"]


def test_pass_through_answers_like_the_engine(proxy, engine):
    response = post(proxy, engine, "SELECT 41 + 1 AS answer")
    assert response.status_code == 200
    assert response.json()["result"][0]["results"] == [{"answer": 42}]
    assert proxy.tally() == {FaultKind.PASS: 1}
    assert proxy.events[0].upstream_status == 200


@pytest.mark.parametrize(
    ("fault", "status", "marker"),
    [
        (Fault(FaultKind.RATE_LIMIT, retry_after=2.5), 429, "throttling"),
        (Fault(FaultKind.SERVER_ERROR), 500, "internal error"),
        (Fault(FaultKind.BAD_GATEWAY_HTML), 502, "<html>"),
    ],
)
def test_canned_answers_never_reach_the_engine(proxy, engine, fault, status, marker):
    post(proxy, engine, "CREATE TABLE IF NOT EXISTS canned (id INTEGER)")
    proxy.push(fault)
    response = post(proxy, engine, "INSERT INTO canned VALUES (1)")
    assert response.status_code == status and marker in response.text
    if fault.kind is FaultKind.RATE_LIMIT:
        assert response.headers["retry-after"] == "2.5"
    assert table_rows(proxy, engine, "canned") == 0
    assert proxy.events[1].upstream_status is None


def test_drop_before_forward(proxy, engine):
    post(proxy, engine, "CREATE TABLE dropped_early (id INTEGER)")
    proxy.push(FaultKind.DROP_BEFORE_FORWARD)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post(proxy, engine, "INSERT INTO dropped_early VALUES (1)")
    assert table_rows(proxy, engine, "dropped_early") == 0


def test_drop_after_commit(proxy, engine):
    post(proxy, engine, "CREATE TABLE dropped_late (id INTEGER)")
    proxy.push(FaultKind.DROP_AFTER_COMMIT)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post(proxy, engine, "INSERT INTO dropped_late VALUES (1)")
    assert table_rows(proxy, engine, "dropped_late") == 1
    assert proxy.events[1].upstream_status == 200


def test_forward_then_delay_commits_before_the_timeout_fires(proxy, engine):
    post(proxy, engine, "CREATE TABLE slow_answer (id INTEGER)")
    proxy.push(Fault(FaultKind.FORWARD_THEN_DELAY, delay=0.6))
    with pytest.raises(httpx.ReadTimeout):
        post(proxy, engine, "INSERT INTO slow_answer VALUES (1)", timeout=0.2)
    assert table_rows(proxy, engine, "slow_answer") == 1  # committed while the client waited


def test_delay_then_forward_commits_after_the_client_gave_up(proxy, engine):
    post(proxy, engine, "CREATE TABLE late_commit (id INTEGER)")
    proxy.push(Fault(FaultKind.DELAY_THEN_FORWARD, delay=0.6))
    with pytest.raises(httpx.ReadTimeout):
        post(proxy, engine, "INSERT INTO late_commit VALUES (1)", timeout=0.2)
    assert table_rows(proxy, engine, "late_commit") == 0  # not yet...
    assert proxy.wait_idle(5)
    assert table_rows(proxy, engine, "late_commit") == 1  # ...but it lands


def test_queue_then_random_then_pass(engine):
    def kinds_for(seed):
        with FaultProxy(engine.url) as proxy:
            proxy.push(FaultKind.SERVER_ERROR)
            proxy.use_random(
                seed, {FaultKind.PASS: 1, FaultKind.BAD_GATEWAY_HTML: 1, FaultKind.RATE_LIMIT: 1}
            )
            for _ in range(12):
                post(proxy, engine, "SELECT 1")
            return [event.kind for event in proxy.events], proxy.tally()

    first, tally = kinds_for(3)
    assert first[0] is FaultKind.SERVER_ERROR and len(set(first[1:])) > 1
    assert kinds_for(3)[0] == first  # the same seed repeats the same faults
    assert sum(tally.values()) == 12


def test_request_budget_is_enforced(engine):
    with FaultProxy(engine.url, max_requests=2) as proxy:
        assert [post(proxy, engine, "SELECT 1").status_code for _ in range(3)] == [200, 200, 503]
        assert proxy.requests == 3 and sum(proxy.tally().values()) == 2


def test_stop_cuts_pending_delays_short(engine):
    proxy = FaultProxy(engine.url).start()
    proxy.push(Fault(FaultKind.DELAY_THEN_FORWARD, delay=30))
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(post(proxy, engine, "SELECT 1").status_code)
        except httpx.HTTPError as error:
            outcome.append(type(error))

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 5
    while proxy.requests == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    proxy.stop()
    caller.join(5)
    assert time.monotonic() - started < 3 and not caller.is_alive()
    assert outcome and outcome[0] in (httpx.RemoteProtocolError, httpx.ReadError)  # dropped, unanswered
    assert proxy.events[0].upstream_status is None  # stopped before forwarding


def test_lifetime_bound_stops_the_proxy(engine):
    proxy = FaultProxy(engine.url, max_lifetime=0.2).start()
    time.sleep(0.6)
    with pytest.raises(httpx.ConnectError):
        post(proxy, engine, "SELECT 1", timeout=1)
    proxy.stop()  # idempotent after the watchdog stopped it
