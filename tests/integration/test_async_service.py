"""The async use cases (service.aio) and the sync ones (service) run the same script with the same
assertions; a sync writer on the same store interferes so that edit_thread must retry."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import types

import pytest

import service
from adapters.d1.async_migrations import amigrate
from adapters.d1.async_sqlite_client import AsyncSqliteD1Client
from adapters.d1.async_unit_of_work import AsyncD1UnitOfWork
from adapters.d1.sqlite_client import SqliteD1Client
from adapters.d1.unit_of_work import D1UnitOfWork
from adapters.memory import InMemoryStore, InMemoryUnitOfWork
from adapters.memory.async_unit_of_work import AsyncInMemoryUnitOfWork
from domain import Message, ThreadPatch
from domain.errors import InvalidInput, NotFound
from service import aio
from service.stats import store_stats

USE_CASES = [
    "start_thread",
    "append_messages",
    "recent_messages",
    "page_messages",
    "update_message",
    "update_thread",
    "edit_thread",
    "list_threads",
    "delete_messages",
    "delete_thread",
    "get_thread",
]


def sync_service():
    def awaitable(function):
        @functools.wraps(function)
        async def call(*args, **kwargs):
            return function(*args, **kwargs)

        return call

    functions = {name: awaitable(getattr(service, name)) for name in USE_CASES}
    return types.SimpleNamespace(store_stats=awaitable(store_stats), **functions)


def async_service():
    return types.SimpleNamespace(**{name: getattr(aio, name) for name in [*USE_CASES, "store_stats"]})


async def script(svc, uow, interfering_uow) -> None:
    thread = await svc.start_thread(uow, "user-1", title="hi", metadata={"a": 1}, thread_id="t1")
    assert (thread.version, thread.title, dict(thread.metadata)) == (1, "hi", {"a": 1})
    messages = [Message.new("t1", "user", f"m{i}", id=f"m{i}") for i in range(1, 4)]
    stored = await svc.append_messages(uow, "t1", messages)
    assert [m.position for m in stored] == [1, 2, 3]
    with pytest.raises(InvalidInput, match=r"messages\[0\].thread_id"):
        await svc.append_messages(uow, "t2", messages)

    recent = await svc.recent_messages(uow, "t1", last=2, around=["m1"], before=0, after=1)
    assert [m.id for m in recent.last] == ["m2", "m3"]
    assert [m.id for m in recent.windows[0].messages] == ["m1", "m2"]
    page = await svc.page_messages(uow, "t1", limit=2)
    assert [m.id for m in page.messages] == ["m1", "m2"] and page.next_cursor is not None

    await svc.update_message(uow, "m1", content="edited", set_metadata={"x": 1})
    updated = await svc.update_thread(
        uow, "t1", title="renamed", set_metadata={"b": 2}, remove_metadata=["a"], expected_version=1
    )
    assert (updated.version, updated.title, dict(updated.metadata)) == (2, "renamed", {"b": 2})

    calls = []

    def decide(current):
        calls.append(current.version)
        if len(calls) == 1:  # another writer gets in between the read and the commit
            interfering_uow.threads.update("t1", ThreadPatch(set_metadata={"c": 3}))
            interfering_uow.commit()
        return ThreadPatch(title=current.title + "!")

    edited = await svc.edit_thread(uow, "t1", decide)
    assert calls == [2, 3] and (edited.version, edited.title) == (4, "renamed!")
    assert dict(edited.metadata) == {"b": 2, "c": 3}

    listed = await svc.list_threads(uow, resource_id="user-1")
    assert [t.id for t in listed.threads] == ["t1"]
    await svc.delete_messages(uow, ["m2"])
    stats = await svc.store_stats(uow)
    assert (stats.threads, stats.messages, stats.metadata) == (1, 2, 3)
    await svc.delete_thread(uow, "t1", expected_version=4)
    with pytest.raises(NotFound):
        await svc.get_thread(uow, "t1")


@contextlib.asynccontextmanager
async def opened(name, tmp_path):
    if name == "memory":
        store = InMemoryStore()
        yield sync_service(), InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
    elif name == "async_memory":
        store = InMemoryStore()
        yield async_service(), AsyncInMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
    else:
        async with AsyncSqliteD1Client(tmp_path / "store.db") as client:
            await amigrate(client)
            with SqliteD1Client(tmp_path / "store.db") as other:
                yield async_service(), AsyncD1UnitOfWork(client), D1UnitOfWork(other)


@pytest.mark.parametrize("name", ["memory", "async_memory", "async_sqlite"])
def test_the_use_cases_behave_alike_sync_and_async(name, tmp_path):
    async def run() -> None:
        async with opened(name, tmp_path) as (svc, uow, interfering_uow):
            await script(svc, uow, interfering_uow)

    asyncio.run(run())


def test_retry_on_conflict_gives_up_after_the_attempts():
    from domain.errors import ConcurrencyConflict

    attempts = []

    async def always_stale():
        attempts.append(1)
        raise ConcurrencyConflict("t1", 1)

    with pytest.raises(ConcurrencyConflict):
        asyncio.run(aio.retry_on_conflict(always_stale, attempts=3))
    assert len(attempts) == 3
    with pytest.raises(ValueError, match="attempts"):
        asyncio.run(aio.retry_on_conflict(always_stale, attempts=0))
