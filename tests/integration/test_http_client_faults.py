"""Both REST clients through the fault-injecting proxy, one test per fault kind: a successful retry,
the right typed error, or D1OutcomeUnknown — and what the engine really committed."""

from __future__ import annotations

import pytest
from faults.kinds import Fault, FaultKind
from faults.proxy import FaultProxy
from faults.support import (
    FAST_RETRY,
    PAST_TIMEOUT,
    SHORT_TIMEOUT,
    Client,
    create_table,
    fresh_table,
    ids,
    insert,
    local_engine,
)

from adapters.d1.client import Statement
from adapters.d1.errors import D1OutcomeUnknown, D1QueryError, D1TransientError, SqlFailure

pytestmark = [pytest.mark.d1local, pytest.mark.reliability]

engine = pytest.fixture(scope="module")(local_engine)
ATTEMPTS = FAST_RETRY.max_attempts


@pytest.fixture
def proxy(engine):
    with FaultProxy(engine.url, max_lifetime=120) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def direct(engine):
    """Straight to the engine: how tests see what was really committed."""
    client = Client("sync", engine)
    yield client
    client.close()


@pytest.fixture(params=["sync", "async"])
def clients(request, engine, proxy, direct):
    """(a client through the proxy, the direct one, a fresh table)."""
    faulty = Client(request.param, engine, proxy.api_base_url, retry=FAST_RETRY, timeout=SHORT_TIMEOUT)
    table = fresh_table()
    direct.batch([create_table(table)])
    yield faulty, direct, table
    faulty.close()


def test_pass_through(clients, proxy):
    faulty, direct, table = clients
    faulty.batch([insert(table, "a")])
    assert ids(direct, table) == ["a"]
    assert proxy.tally() == {FaultKind.PASS: 1}


@pytest.mark.parametrize(
    "fault",
    [
        FaultKind.DROP_BEFORE_FORWARD,
        FaultKind.SERVER_ERROR,
        FaultKind.BAD_GATEWAY_HTML,
        Fault(FaultKind.RATE_LIMIT, retry_after=0.05),
    ],
    ids=lambda f: getattr(f, "kind", f).value,
)
def test_a_fault_that_did_not_reach_the_engine_is_retried_to_success(clients, proxy, fault):
    faulty, direct, table = clients
    proxy.push(fault)
    faulty.batch([insert(table, "a")])
    assert ids(direct, table) == ["a"]
    assert faulty.requests == 2 and len(faulty.sleeps) == 1
    assert sum(proxy.tally().values()) == 2


def test_retry_after_is_honoured(clients, proxy):
    faulty, _direct, table = clients
    proxy.push(Fault(FaultKind.RATE_LIMIT, retry_after=0.3), Fault(FaultKind.RATE_LIMIT, retry_after=0.1))
    faulty.batch([insert(table, "a")])
    assert faulty.sleeps == [0.3, 0.1]


def test_rate_limited_every_time_is_transient_not_unknown(clients, proxy):
    faulty, direct, table = clients
    proxy.push(*[Fault(FaultKind.RATE_LIMIT, retry_after=0.01)] * ATTEMPTS)
    with pytest.raises(D1TransientError) as caught:
        faulty.batch([insert(table, "a")])
    assert caught.value.retry_after == 0.01 and "HTTP 429" in str(caught.value)
    assert ids(direct, table) == []


@pytest.mark.parametrize(
    "kind",
    [FaultKind.DROP_BEFORE_FORWARD, FaultKind.SERVER_ERROR, FaultKind.BAD_GATEWAY_HTML],
    ids=lambda k: k.value,
)
def test_unanswered_every_time_is_outcome_unknown(clients, proxy, kind):
    faulty, direct, table = clients
    proxy.push(*[kind] * ATTEMPTS)
    with pytest.raises(D1OutcomeUnknown) as caught:
        faulty.batch([insert(table, "a")])
    assert f"{ATTEMPTS} attempts" in str(caught.value)
    assert ids(direct, table) == []  # these faults never forwarded: unknown to the client, not applied
    assert proxy.tally() == {kind: ATTEMPTS}


def test_one_unknown_among_refusals_makes_the_outcome_unknown(clients, proxy):
    faulty, _direct, table = clients
    rate_limit = Fault(FaultKind.RATE_LIMIT, retry_after=0.01)
    proxy.push(rate_limit, FaultKind.BAD_GATEWAY_HTML, rate_limit)
    with pytest.raises(D1OutcomeUnknown):
        faulty.batch([insert(table, "a")])


def test_commit_then_drop_every_time_is_unknown_but_applied(clients, proxy):
    faulty, direct, table = clients
    proxy.push(*[FaultKind.DROP_AFTER_COMMIT] * ATTEMPTS)
    with pytest.raises(D1OutcomeUnknown):
        faulty.batch([insert(table, "a"), insert(table, "b")])
    # The first attempt committed; the retries hit the primary key, but no answer got through.
    assert ids(direct, table) == ["a", "b"]
    assert [event.upstream_status for event in proxy.events] == [200] + [400] * (ATTEMPTS - 1)


def test_retry_after_a_committed_drop_meets_the_idempotency_key(clients, proxy):
    faulty, direct, table = clients
    proxy.push(FaultKind.DROP_AFTER_COMMIT)
    with pytest.raises(D1QueryError) as caught:
        faulty.batch([insert(table, "a")])
    # This is how the unit of work learns "already applied": its ledger row is such a key.
    assert caught.value.failure is SqlFailure.UNIQUE
    assert ids(direct, table) == ["a"]
    assert [event.upstream_status for event in proxy.events] == [200, 400]


def test_idempotent_statements_make_a_committed_drop_invisible(clients, proxy):
    faulty, direct, table = clients
    proxy.push(Fault(FaultKind.FORWARD_THEN_DELAY, delay=PAST_TIMEOUT))
    statement = Statement(f"INSERT INTO {table} (id, n) VALUES (?, ?) ON CONFLICT DO NOTHING", ("a", 1))
    faulty.batch([statement])
    assert proxy.wait_idle()
    assert ids(direct, table) == ["a"]
    assert proxy.tally() == {FaultKind.FORWARD_THEN_DELAY: 1, FaultKind.PASS: 1}


def test_late_forward_commits_after_the_client_gave_up(clients, proxy):
    faulty, direct, table = clients
    proxy.push(*[Fault(FaultKind.DELAY_THEN_FORWARD, delay=PAST_TIMEOUT)] * ATTEMPTS)
    with pytest.raises(D1OutcomeUnknown) as caught:
        faulty.batch([insert(table, "a")])
    assert "ReadTimeout" in str(caught.value)
    assert proxy.wait_idle()
    # All attempts reached the engine late; the first committed, the others hit the key.
    assert ids(direct, table) == ["a"]
    assert sorted(event.upstream_status or 0 for event in proxy.events) == [200] + [400] * (ATTEMPTS - 1)


def test_late_forward_then_a_successful_retry(clients, proxy):
    faulty, direct, table = clients
    proxy.push(Fault(FaultKind.DELAY_THEN_FORWARD, delay=PAST_TIMEOUT))
    faulty.batch([insert(table, "a")])  # the retry commits first...
    assert proxy.wait_idle()
    assert ids(direct, table) == ["a"]  # ...and the late original finds the key taken
    late = [e for e in proxy.events if e.kind is FaultKind.DELAY_THEN_FORWARD]
    assert [e.upstream_status for e in late] == [400]


def test_seeded_random_faults_never_lose_or_duplicate_an_acknowledged_write(clients, proxy):
    faulty, direct, table = clients
    weights = {kind: 1.0 for kind in FaultKind if kind is not FaultKind.DELAY_THEN_FORWARD}
    weights[FaultKind.PASS] = 4.0
    proxy.use_random(seed=7, weights=weights, delay=PAST_TIMEOUT, retry_after=0.01)
    acknowledged, unknown = [], []
    for i in range(15):
        row_id = f"r{i:02}"
        statement = Statement(
            f"INSERT INTO {table} (id, n) VALUES (?, ?) ON CONFLICT DO NOTHING", (row_id, i)
        )
        try:
            faulty.batch([statement])
            acknowledged.append(row_id)
        except (D1OutcomeUnknown, D1TransientError):
            unknown.append(row_id)
    assert proxy.wait_idle()
    stored = ids(direct, table)
    assert set(acknowledged) <= set(stored) <= set(acknowledged) | set(unknown)
    assert len(stored) == len(set(stored))
    assert sum(proxy.tally().values()) == proxy.requests >= 15
