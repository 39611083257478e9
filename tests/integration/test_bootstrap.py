"""The composition roots open every configured backend, sync and async, and the use cases run on it."""

from __future__ import annotations

import asyncio

import pytest
from conftest import unique_prefix

from adapters.async_bootstrap import AsyncStore, open_async_store
from adapters.bootstrap import Store, open_store
from adapters.config import Backend, StoreConfig
from domain import InvalidInput, Message
from service import aio, append_messages, recent_messages, start_thread, store_stats


def _config(kind: str, tmp_path, engine) -> StoreConfig:
    if kind == "memory":
        return StoreConfig(backend=Backend.MEMORY)
    if kind == "embedded":
        return StoreConfig(db_path=str(tmp_path / "store.db"), table_prefix=unique_prefix())
    return StoreConfig.from_env(
        {
            "CLOUDFLARE_ACCOUNT_ID": engine.account_id,
            "CLOUDFLARE_D1_DATABASE_ID": engine.database_id,
            "CLOUDFLARE_API_TOKEN": engine.api_token,
            "D1STORE_API_BASE_URL": engine.api_base_url,
        },
        backend=Backend.D1,
        table_prefix=unique_prefix(),
    )


@pytest.fixture(params=["memory", "embedded", pytest.param("d1", marks=pytest.mark.d1local)])
def config(request, tmp_path) -> StoreConfig:
    engine = request.getfixturevalue("d1_engine") if request.param == "d1" else None
    return _config(request.param, tmp_path, engine)


def test_sync_store_runs_the_use_cases(config: StoreConfig) -> None:
    with open_store(config) as store:
        assert isinstance(store, Store)
        first = store.init()
        assert store.init() == []  # idempotent: nothing left to apply
        assert (first != []) is (config.backend is not Backend.MEMORY)
        uow = store.unit_of_work()
        thread = start_thread(uow, "user-1", title="hello")
        stored = append_messages(uow, thread.id, [Message.new(thread.id, "user", f"m{i}") for i in range(3)])
        assert [m.position for m in stored] == [1, 2, 3]
        assert [m.content for m in recent_messages(uow, thread.id, last=2).last] == ["m1", "m2"]
        assert store_stats(uow).messages == 3


def test_async_store_runs_the_use_cases(config: StoreConfig) -> None:
    async def scenario() -> None:
        async with open_async_store(config) as store:
            assert isinstance(store, AsyncStore)
            await store.init()
            assert await store.init() == []
            uow = store.unit_of_work()
            thread = await aio.start_thread(uow, "user-1", title="hello")
            drafts = [Message.new(thread.id, "user", f"m{i}") for i in range(3)]
            stored = await aio.append_messages(uow, thread.id, drafts)
            assert [m.position for m in stored] == [1, 2, 3]
            recent = await aio.recent_messages(uow, thread.id, last=2)
            assert [m.content for m in recent.last] == ["m1", "m2"]

    asyncio.run(scenario())


def test_d1_without_credentials_names_what_is_missing() -> None:
    config = StoreConfig.from_env({}, backend=Backend.D1)
    with pytest.raises(InvalidInput, match="CLOUDFLARE_API_TOKEN") as caught:
        open_store(config)
    assert caught.value.field == "d1 credentials"
    assert "'***'" in repr(StoreConfig(api_token="secret-token")) and "secret-token" not in repr(
        StoreConfig(api_token="secret-token")
    )
