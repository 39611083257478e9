"""Retry decisions and outcomes: laws over random failures, budgets and jitter."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.d1.errors import D1AuthError, D1OutcomeUnknown, D1ProtocolError, D1QueryError, D1TransientError
from adapters.d1.failures import Failure, Outcome, definite, from_transport_error, give_up_error, transient
from adapters.d1.response_errors import parse_retry_after
from adapters.d1.retry import RetryPolicy
from domain.errors import InvalidInput

outcomes = st.sampled_from(Outcome)
retry_afters = st.none() | st.floats(0, 120)
transients = st.builds(transient, st.text(max_size=5), outcomes, retry_afters)
refusals = st.sampled_from(
    [definite(D1QueryError("UNIQUE constraint failed: t.id", 7500)), definite(D1AuthError("no"))]
)
failures = transients | refusals
policies = st.builds(
    RetryPolicy,
    max_attempts=st.integers(1, 10),
    base_delay=st.floats(0.001, 5),
    max_delay=st.floats(0.001, 30),
    budget=st.floats(0.01, 120),
    random=st.sampled_from([0.0, 0.5, 0.999999]).map(lambda r: lambda: r),
)


@settings(max_examples=300)
@given(policy=policies, failure=failures, attempts=st.integers(1, 12), elapsed=st.floats(0, 200))
def test_delay_laws(policy, failure, attempts, elapsed):
    delay = policy.decide(failure, attempts, elapsed)
    if not failure.retryable or attempts >= policy.max_attempts or elapsed >= policy.budget:
        assert delay is None
        return
    if delay is None:  # only a Retry-After the budget cannot honour gives up early
        assert failure.retry_after is not None and failure.retry_after > policy.budget - elapsed
        return
    assert elapsed + delay <= policy.budget
    if failure.retry_after is not None:
        assert delay == failure.retry_after
    else:
        assert 0 <= delay <= policy.cap(attempts - 1) <= policy.max_delay


@settings(max_examples=200)
@given(policy=policies, attempts=st.integers(1, 12), elapsed=st.floats(0, 200))
def test_sql_and_auth_errors_are_never_retried(policy, attempts, elapsed):
    for refusal in (definite(D1QueryError("x", 7500)), definite(D1AuthError("x"))):
        assert policy.decide(refusal, attempts, elapsed) is None


def test_backoff_caps_grow_exponentially_to_the_maximum():
    policy = RetryPolicy(base_delay=0.1, max_delay=1.0)
    assert [policy.cap(n) for n in range(6)] == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.0, 1.0])
    assert policy.cap(10_000) == 1.0


def test_full_jitter_uses_the_injected_random():
    draws = iter([0.5, 0.25])
    policy = RetryPolicy(base_delay=1.0, max_delay=10.0, random=lambda: next(draws))
    fail = transient("x", Outcome.NOT_APPLIED)
    assert policy.decide(fail, 1, 0.0) == 0.5  # 0.5 * 1
    assert policy.decide(fail, 2, 0.0) == 0.5  # 0.25 * 2


@pytest.mark.parametrize(
    "kwargs", [{"max_attempts": 0}, {"max_attempts": True}, {"base_delay": 0}, {"budget": -1.0}]
)
def test_policy_validates_itself(kwargs):
    with pytest.raises(InvalidInput):
        RetryPolicy(**kwargs)


def run_to_the_end(attempt_failures: list[Failure]) -> Exception:
    """Feed failures to a run with an unlimited budget until it gives up; the error it raises."""
    policy = RetryPolicy(
        max_attempts=len(attempt_failures), budget=1e9, random=lambda: 0.0, clock=lambda: 0.0
    )
    run = policy.start()
    for failure in attempt_failures:
        if run.next_delay(failure) is None:
            return run.give_up()
    raise AssertionError("the run did not give up")


@settings(max_examples=300)
@given(st.lists(transients, min_size=1, max_size=6))
def test_outcome_is_unknown_iff_any_attempt_may_have_applied(history):
    error = run_to_the_end(history)
    if any(f.outcome is Outcome.UNKNOWN for f in history):
        assert isinstance(error, D1OutcomeUnknown)
    else:
        assert isinstance(error, D1TransientError)
    assert f"{len(history)} attempt" in str(error)


@settings(max_examples=100)
@given(st.lists(transients, max_size=4), refusals)
def test_a_definite_refusal_ends_the_run_with_its_own_error(history, refusal):
    assert run_to_the_end([*history, refusal]) is refusal.error


def test_give_up_keeps_the_last_retry_after():
    error = give_up_error([transient("a", Outcome.NOT_APPLIED, 3.0)])
    assert isinstance(error, D1TransientError) and error.retry_after == 3.0


def test_clock_bounds_the_run():
    now = [0.0]
    policy = RetryPolicy(
        max_attempts=100, base_delay=1.0, budget=2.5, random=lambda: 1.0, clock=lambda: now[0]
    )
    run = policy.start()
    delays = []
    while (delay := run.next_delay(transient("x", Outcome.NOT_APPLIED))) is not None:
        delays.append(delay)
        now[0] += delay
    assert delays == [1.0, 1.5]  # the second is cut to what is left of the budget
    assert now[0] <= policy.budget


request = httpx.Request("POST", "http://127.0.0.1/x")


@pytest.mark.parametrize(
    ("exc", "outcome"),
    [
        (httpx.ConnectError("refused", request=request), Outcome.NOT_APPLIED),
        (httpx.ConnectTimeout("slow", request=request), Outcome.NOT_APPLIED),
        (httpx.PoolTimeout("pool", request=request), Outcome.NOT_APPLIED),
        (httpx.ReadTimeout("slow", request=request), Outcome.UNKNOWN),
        (httpx.WriteTimeout("slow", request=request), Outcome.UNKNOWN),
        (httpx.ReadError("reset", request=request), Outcome.UNKNOWN),
        (httpx.WriteError("reset", request=request), Outcome.UNKNOWN),
        (httpx.RemoteProtocolError("disconnected", request=request), Outcome.UNKNOWN),
    ],
)
def test_transport_errors_are_retryable_with_their_outcome(exc, outcome):
    failure = from_transport_error(exc, str)
    assert failure.retryable and failure.outcome is outcome
    assert type(exc).__name__ in str(failure.error)


def test_setup_errors_are_not_retried():
    failure = from_transport_error(httpx.UnsupportedProtocol("no scheme", request=request), str)
    assert isinstance(failure.error, D1ProtocolError) and not failure.retryable


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("120", 120.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("soon", None),
        ("inf", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 60.0),
        ("Wed, 21 Oct 2015 07:26:00 GMT", 0.0),
    ],
)
def test_retry_after_header(value, seconds):
    from datetime import UTC, datetime

    now = datetime(2015, 10, 21, 7, 27, tzinfo=UTC)
    assert parse_retry_after(value, now) == seconds
