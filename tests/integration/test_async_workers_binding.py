"""WorkersBindingD1Client over the binding stand-in: what the contract suite does not show."""

from __future__ import annotations

import asyncio

import pytest
from async_backends.binding_standin import JS_NULL, StandInD1Database

from adapters.d1.async_migrations import amigrate
from adapters.d1.async_unit_of_work import AsyncD1UnitOfWork
from adapters.d1.errors import D1QueryError
from adapters.d1.js_values import null_sentinel_binder
from adapters.d1.retry import RetryPolicy
from adapters.d1.workers_binding import WorkersBindingD1Client
from domain import Thread
from domain.errors import AlreadyExists


@pytest.fixture
def db(tmp_path):
    database = StandInD1Database(tmp_path / "binding.db")
    yield database
    database.close()


def fast_retry() -> RetryPolicy:
    return RetryPolicy(base_delay=0.001, max_delay=0.002)


def test_none_passed_as_undefined_is_refused_and_nothing_is_written(db):
    async def scenario() -> None:
        proper = WorkersBindingD1Client(db, binder=null_sentinel_binder(JS_NULL))
        await amigrate(proper)
        naive = AsyncD1UnitOfWork(WorkersBindingD1Client(db, binder=null_sentinel_binder(None)))
        naive.threads.add(Thread.new("r", id="t1", title=None))
        with pytest.raises(D1QueryError, match="D1_TYPE_ERROR"):
            await naive.commit()
        assert (await AsyncD1UnitOfWork(proper).stats()).threads == 0

    asyncio.run(scenario())


def test_transient_binding_errors_are_retried_and_the_commit_applies_once(db):
    async def scenario() -> None:
        client = WorkersBindingD1Client(db, binder=null_sentinel_binder(JS_NULL), retry=fast_retry())
        await amigrate(client)
        uow = AsyncD1UnitOfWork(client)
        uow.threads.add(Thread.new("r", id="t1"))
        db.fail_next = [
            "D1_ERROR: D1 DB is overloaded. Requests queued for too long.",
            "Network connection lost.",
        ]
        before = db.batches
        receipt = await uow.commit(idempotency_key="k1")
        assert db.batches - before == 3 and not receipt.already_applied
        uow.threads.add(Thread.new("r", id="t1"))
        with pytest.raises(AlreadyExists):  # the D1_ERROR of the clash, classified as for REST
            await uow.commit()

    asyncio.run(scenario())
