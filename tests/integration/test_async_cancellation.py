"""Cancelling a task while it awaits ``uow.commit()`` leaves that commit applied whole or absent,
never in part; the connection is not left mid-transaction nor the write lock held; and the work
stays recorded, so committing it again with the same key settles it exactly once."""

from __future__ import annotations

import asyncio
import random
from contextlib import AsyncExitStack

import pytest
from async_backends.binding_standin import JS_NULL, StandInD1Database

from adapters.d1.async_http_client import AsyncHttpD1Client
from adapters.d1.async_migrations import amigrate
from adapters.d1.async_sqlite_client import AsyncSqliteD1Client
from adapters.d1.async_unit_of_work import AsyncD1UnitOfWork
from adapters.d1.js_values import null_sentinel_binder
from adapters.d1.sqlite_client import SqliteD1Client
from adapters.d1.unit_of_work import D1UnitOfWork
from adapters.d1.workers_binding import WorkersBindingD1Client
from domain import Message, Thread
from domain.errors import NotFound

COMMITS = 40
MESSAGES_PER_COMMIT = 20


async def _open(name, tmp_path, request, stack: AsyncExitStack):
    if name == "async_sqlite":
        return await stack.enter_async_context(AsyncSqliteD1Client(tmp_path / "store.db"))
    if name == "binding":
        db = StandInD1Database(tmp_path / "store.db")
        stack.callback(db.close)
        return WorkersBindingD1Client(db, binder=null_sentinel_binder(JS_NULL))
    engine = request.getfixturevalue("d1_engine")
    client = AsyncHttpD1Client(
        engine.account_id, engine.database_id, engine.api_token, base_url=engine.api_base_url
    )
    return await stack.enter_async_context(client)


def _record(uow: AsyncD1UnitOfWork, index: int) -> None:
    uow.threads.add(Thread.new("r", id=f"t{index}"))
    for n in range(MESSAGES_PER_COMMIT):
        uow.messages.add(Message.new(f"t{index}", "user", f"message {n}", id=f"t{index}-m{n}"))


async def _whole_or_absent(uow: AsyncD1UnitOfWork, index: int) -> bool:
    """True if commit ``index`` is stored whole, False if its thread is absent (the caller checks
    the message count: messages cannot outlive their thread, so then none of it is stored)."""
    try:
        await uow.threads.get(f"t{index}")
    except NotFound:
        return False
    recent = await uow.messages.recent(f"t{index}", MESSAGES_PER_COMMIT + 1)
    assert [m.id for m in recent.last] == [f"t{index}-m{n}" for n in range(MESSAGES_PER_COMMIT)]
    return True


async def _cancel_later(task: asyncio.Task, rng: random.Random) -> None:
    """Cancel after a few loop turns or a short while: before the batch starts, while it runs, or
    after it finished."""
    if rng.random() < 0.5:
        for _ in range(rng.randrange(6)):
            await asyncio.sleep(0)
    else:
        await asyncio.sleep(rng.uniform(0, 0.004))
    task.cancel()


async def _cancel_commits(client, prefix: str, seed: int) -> list[tuple[AsyncD1UnitOfWork, bool]]:
    """Each unit of work, and whether its commit task was cancelled (else it finished first)."""
    rng = random.Random(seed)
    units = [AsyncD1UnitOfWork(client, prefix) for _ in range(COMMITS)]
    tasks = []
    for index, uow in enumerate(units):
        _record(uow, index)
        tasks.append(asyncio.create_task(uow.commit(idempotency_key=f"k{index}")))
    await asyncio.gather(*(_cancel_later(task, rng) for task in tasks))
    await asyncio.gather(*tasks, return_exceptions=True)
    return [(uow, task.cancelled()) for uow, task in zip(units, tasks, strict=True)]


@pytest.mark.parametrize(
    ("name", "seed"),
    [
        ("async_sqlite", 1),
        ("async_sqlite", 2),
        ("binding", 3),
        pytest.param("async_d1local", 4, marks=pytest.mark.d1local),
    ],
)
def test_a_cancelled_commit_is_applied_whole_or_not_at_all(name, seed, tmp_path, request):
    prefix = f"c{seed}_"

    async def scenario() -> tuple[int, int]:
        async with AsyncExitStack() as stack:
            client = await _open(name, tmp_path, request, stack)
            await amigrate(client, prefix)
            units = await _cancel_commits(client, prefix, seed)
            reader = AsyncD1UnitOfWork(client, prefix)
            applied = [await _whole_or_absent(reader, index) for index in range(COMMITS)]
            assert (await reader.stats()).messages == MESSAGES_PER_COMMIT * sum(applied)
            # A cancelled commit's work stays recorded: the same key applies it now, or finds it
            # applied already. A finished commit cleared its work: nothing is left to send.
            for index, (uow, cancelled) in enumerate(units):
                receipt = await uow.commit(idempotency_key=f"k{index}")
                if cancelled:
                    assert receipt.already_applied == applied[index]
                    assert len(receipt.positions) == MESSAGES_PER_COMMIT
                else:
                    assert applied[index] and not receipt.positions
            assert all([await _whole_or_absent(reader, index) for index in range(COMMITS)])
            return sum(cancelled for _uow, cancelled in units)

    assert asyncio.run(scenario()) > 0  # the schedule does cancel commits before they finish


def test_after_cancellations_the_file_takes_writes_from_another_connection(tmp_path):
    path = tmp_path / "store.db"

    async def scenario() -> None:
        async with AsyncSqliteD1Client(path) as client:
            await amigrate(client)
            await _cancel_commits(client, "", seed=7)
            # A connection left mid-transaction would hold the write lock: this would time out.
            with SqliteD1Client(path, busy_timeout_s=2) as other:
                uow = D1UnitOfWork(other)
                uow.threads.add(Thread.new("r", id="other"))
                uow.commit()
            reader = AsyncD1UnitOfWork(client)
            assert (await reader.threads.get("other")).id == "other"

    asyncio.run(scenario())
