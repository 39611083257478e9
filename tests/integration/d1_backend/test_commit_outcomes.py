"""How D1UnitOfWork turns transport outcomes into domain errors."""

from __future__ import annotations

import pytest

from adapters.d1.errors import D1OutcomeUnknown
from adapters.d1.migrations import migrate
from adapters.d1.sqlite_client import SqliteD1Client
from adapters.d1.unit_of_work import D1UnitOfWork
from domain import CommitOutcomeUnknown, InvalidInput, Message, Thread


class LosesTheAnswer:
    """Applies the next batch, then reports that its answer was lost (a timeout after sending)."""

    def __init__(self, inner: SqliteD1Client) -> None:
        self.inner = inner
        self.lose_next = False

    def batch(self, statements):
        results = self.inner.batch(statements)
        if self.lose_next:
            self.lose_next = False
            raise D1OutcomeUnknown("read timeout")
        return results

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def lossy(tmp_path):
    """A unit of work on a migrated SQLite file whose client can be told to lose its next answer."""
    with SqliteD1Client(tmp_path / "db.sqlite") as sqlite:
        migrate(sqlite)
        client = LosesTheAnswer(sqlite)
        yield client, D1UnitOfWork(client)


def test_an_unknown_outcome_names_the_key_and_a_retry_is_applied_once(lossy):
    client, uow = lossy
    uow.threads.add(Thread.new("r", id="t1"))
    uow.messages.add(Message.new("t1", "user", "hello", id="m1"))
    client.lose_next = True
    with pytest.raises(CommitOutcomeUnknown) as unknown:
        uow.commit(idempotency_key="k-lost")
    assert unknown.value.idempotency_key == "k-lost"
    # The work was kept: retrying with the same key reports it applied, with its positions.
    receipt = uow.commit(idempotency_key="k-lost")
    assert receipt.already_applied and receipt.positions == {"m1": 1} and set(receipt.threads) == {"t1"}
    assert uow.stats().messages == 1


def test_a_plain_retry_after_an_unknown_outcome_reuses_the_key(lossy):
    client, uow = lossy
    uow.threads.add(Thread.new("r", id="t1"))
    uow.messages.add(Message.new("t1", "user", "hello", id="m1"))
    client.lose_next = True
    with pytest.raises(CommitOutcomeUnknown) as unknown:
        uow.commit()
    # Adding more work now could apply the first part twice or report the rest as applied.
    with pytest.raises(InvalidInput) as refused:
        uow.messages.add(Message.new("t1", "user", "more", id="m2"))
    assert refused.value.field == "unit of work"
    receipt = uow.commit()  # no key given: the unsettled attempt's key is used
    assert receipt.idempotency_key == unknown.value.idempotency_key
    assert receipt.already_applied and receipt.positions == {"m1": 1}
    assert uow.stats().messages == 1
    # Settled: the unit of work takes new work again, under a new key.
    uow.messages.add(Message.new("t1", "user", "more", id="m2"))
    assert uow.commit().positions == {"m2": 2}


def test_rollback_settles_an_unknown_outcome_by_forgetting_it(lossy):
    client, uow = lossy
    with uow:
        uow.threads.add(Thread.new("r", id="t1"))
        client.lose_next = True
        with pytest.raises(CommitOutcomeUnknown):
            uow.commit()
    with uow:
        uow.messages.add(Message.new("t1", "user", "hello", id="m1"))
        assert uow.commit().positions == {"m1": 1}
