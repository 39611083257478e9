"""Exactly-once under randomized faults: many D1UnitOfWork commits over HttpD1Client through the
fault proxy (dropped connections before and after the engine committed, answers held past the
timeout, late forwards, 429 + Retry-After, 500, 502 HTML). Afterwards the database, read straight
from the engine, holds every successful commit exactly once and every failed one whole or not at all.

Seed: ``D1STORE_RELIABILITY_SEED`` (printed with the tally), so a failing run can be replayed.
"""

from __future__ import annotations

import os
import random
from typing import Any

import httpx
import pytest
from conftest import unique_prefix
from d1_local.engine import LocalD1Engine
from faults.kinds import FaultKind

from adapters.d1.http_client import HttpD1Client
from adapters.d1.migrations import migrate
from adapters.d1.retry import RetryPolicy
from adapters.d1.schema import Tables
from adapters.d1.unit_of_work import D1UnitOfWork

from .audit import audit, read_stored
from .proxy import fault_proxy
from .scale import current_scale
from .workload import Outcome, Planner, run_commit

pytestmark = [pytest.mark.d1local, pytest.mark.reliability]

#: Tiny backoffs and a short read timeout, so a thousand commits with faults take about a minute.
RETRY = RetryPolicy(max_attempts=3, base_delay=0.005, max_delay=0.02, budget=5.0)
TIMEOUT = httpx.Timeout(connect=2.0, read=0.25, write=2.0, pool=2.0)
#: The proxy's delay faults outlast the read timeout.
DELAY = 0.35

#: Mostly clean requests; each fault kind regularly. The delays are rarer: each costs a timeout.
WEIGHTS = {
    FaultKind.PASS: 10.0,
    FaultKind.DROP_BEFORE_FORWARD: 1.0,
    FaultKind.DROP_AFTER_COMMIT: 1.0,
    FaultKind.SERVER_ERROR: 1.0,
    FaultKind.BAD_GATEWAY_HTML: 1.0,
    FaultKind.RATE_LIMIT: 1.0,
    FaultKind.DELAY_THEN_FORWARD: 0.3,
    FaultKind.FORWARD_THEN_DELAY: 0.3,
}
#: A user who meets CommitOutcomeUnknown commits again with the same key (this often) or gives up.
PATIENT_USERS = 0.7
USER_RETRIES = 4
#: Definite errors this workload can meet: all attempts rate-limited, or a stale expected_version.
EXPECTED_REFUSALS = {"D1TransientError", "ConcurrencyConflict"}


def _client(engine: LocalD1Engine, base_url: str, **kwargs: Any) -> HttpD1Client:
    return HttpD1Client(engine.account_id, engine.database_id, engine.api_token, base_url=base_url, **kwargs)


def test_randomized_commits_under_faults_are_applied_exactly_once(d1_engine: LocalD1Engine) -> None:
    scale = current_scale()
    seed = int(os.environ.get("D1STORE_RELIABILITY_SEED", "20240501"))
    rng = random.Random(seed)
    prefix = unique_prefix()
    assert d1_engine.url is not None
    requests = scale.commits * 4
    with (
        fault_proxy(d1_engine.url, max_requests=requests) as proxy,
        _client(d1_engine, d1_engine.api_base_url) as direct,
        _client(d1_engine, proxy.api_base_url, retry=RETRY, timeout=TIMEOUT) as faulty,
    ):
        migrate(direct, prefix)
        proxy.use_random(seed, WEIGHTS, delay=DELAY, retry_after=0.01)
        uow, planner, commits = D1UnitOfWork(faulty, prefix), Planner(rng), []
        for n in range(scale.commits):
            commit = planner.next(n)
            run_commit(uow, commit, user_retries=USER_RETRIES if rng.random() < PATIENT_USERS else 0)
            commits.append(commit)
            if commit.receipt is not None:
                planner.learn(commit.receipt)
            elif commit.error == "ConcurrencyConflict":
                # The user re-reads after a conflict (an abandoned edit may have moved the version).
                for thread_id, _patch, _expected in commit.edits:
                    planner.known[thread_id] = D1UnitOfWork(direct, prefix).threads.get(thread_id).version
        assert proxy.wait_idle(30), "late forwards still running"
        assert proxy.requests < requests, "the proxy's request budget ran out: raise it"
        stored = read_stored(direct, Tables(prefix))
        faults = proxy.tally()

    tally = audit(commits, stored)
    tally.faults.update({kind.value: count for kind, count in faults.items()})
    already = sum(1 for c in commits if c.receipt is not None and c.receipt.already_applied)
    print(f"\n[reliability] randomized faults, scale={scale.name}, seed={seed}")
    print(tally.render())
    print(f"receipts marked already_applied: {already}; messages stored: {len(stored.messages)}")

    assert tally.clean, tally.render() + "\n" + "\n".join(tally.position_errors[:5])
    refusals = {c.error for c in commits if c.outcome is Outcome.REFUSED}
    assert refusals <= EXPECTED_REFUSALS, refusals
    # The run really exercised what it claims to: every fault kind, and both unknown-outcome paths.
    assert set(faults) == set(FaultKind)
    assert tally.outcomes[Outcome.RECOVERED.value] > 0 and tally.outcomes[Outcome.ABANDONED.value] > 0
    assert already > 0
