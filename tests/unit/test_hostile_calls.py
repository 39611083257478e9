"""Misuse found by a hostile review: each must be a typed error naming what was wrong, nothing half-done."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import threading

import pytest

import service
from adapters.formats import Malformed, Parsed, parse_stream
from adapters.memory import InMemoryUnitOfWork
from adapters.memory.async_unit_of_work import AsyncInMemoryUnitOfWork
from domain import InvalidInput, LimitExceeded, Message, Thread, UnitOfWorkInUse
from service.retry import BASE_DELAY, MAX_DELAY, conflict_delays


def test_a_nested_block_is_refused_and_the_outer_work_survives() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.threads.add(Thread.new("r", id="outer"))
        with pytest.raises(UnitOfWorkInUse):
            service.start_thread(uow, "r", thread_id="inner")  # services open their own block
        assert set(uow.commit().threads) == {"outer"}
    with uow:  # the unit of work is usable again after the block
        assert uow.threads.existing(["outer", "inner"]) == {"outer"}


def test_a_block_open_in_another_thread_is_refused() -> None:
    uow = InMemoryUnitOfWork()
    opened, release = threading.Event(), threading.Event()

    def hold() -> None:
        with uow:
            opened.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    opened.wait(5)
    try:
        with pytest.raises(UnitOfWorkInUse), uow:
            pass
    finally:
        release.set()
        holder.join()


def test_async_blocks_are_single_too() -> None:
    async def scenario() -> None:
        uow = AsyncInMemoryUnitOfWork()
        async with uow:
            with pytest.raises(UnitOfWorkInUse):
                async with uow:
                    pass

    asyncio.run(scenario())


@pytest.mark.parametrize("keys", ["abc", None, 5])
def test_remove_metadata_must_be_a_collection_of_keys(keys: object) -> None:
    uow = InMemoryUnitOfWork()
    thread = service.start_thread(uow, "r", metadata={"a": 1, "b": 2, "c": 3, "abc": 4})
    with pytest.raises(InvalidInput) as refused:
        service.update_thread(uow, thread.id, remove_metadata=keys)  # type: ignore[arg-type]
    assert refused.value.field == "remove_metadata"
    assert service.get_thread(uow, thread.id).metadata == {"a": 1, "b": 2, "c": 3, "abc": 4}


@pytest.mark.parametrize(
    ("messages", "field"),
    [
        ("hello", "messages"),
        (None, "messages"),
        (["hello"], "messages[0]"),
        ([Thread.new("r")], "messages[0]"),
    ],
)
def test_append_names_the_item_that_is_not_a_message(messages: object, field: str) -> None:
    uow = InMemoryUnitOfWork()
    thread = service.start_thread(uow, "r")
    with pytest.raises(InvalidInput) as refused:
        service.append_messages(uow, thread.id, messages)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert service.recent_messages(uow, thread.id, last=5).last == ()


def test_import_names_the_item_that_is_not_a_conversation() -> None:
    with pytest.raises(InvalidInput) as refused:
        service.import_conversations(InMemoryUnitOfWork(), [1, 2])  # type: ignore[list-item]
    assert refused.value.field == "conversations[0]"


def test_the_filter_key_limit_holds_on_the_test_double_too() -> None:
    with pytest.raises(LimitExceeded) as refused:
        service.list_threads(InMemoryUnitOfWork(), metadata={f"k{i}": i for i in range(41)})
    assert refused.value.field == "metadata_filter" and refused.value.limit == 40


def test_a_forged_cursor_with_a_huge_number_is_damaged() -> None:
    payload = {"k": "thread", "u": 10**30, "i": "x"}
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    with pytest.raises(InvalidInput) as refused:
        service.list_threads(InMemoryUnitOfWork(), cursor=forged)
    assert refused.value.field == "cursor"


def test_retry_attempts_are_checked_and_waits_grow_within_bounds() -> None:
    with pytest.raises(InvalidInput) as refused:
        list(conflict_delays(0))
    assert refused.value.field == "attempts"
    waits = list(conflict_delays(10, rng=lambda: 1.0))
    assert len(waits) == 9 and waits[0] == BASE_DELAY and max(waits) == MAX_DELAY
    assert waits == sorted(waits)


def test_a_deeply_nested_record_is_malformed_and_the_rest_imported() -> None:
    good = b'{"id": "ok%d", "conversations": [{"from": "human", "value": "hi"}]}\n'
    data = good % 1 + b"[" * 50_000 + b"]" * 50_000 + b"\n" + good % 2
    results = list(parse_stream(io.BytesIO(data), "deep.jsonl"))
    assert [type(r) for r in results] == [Parsed, Malformed, Parsed]
    bad = results[1]
    assert isinstance(bad, Malformed) and bad.location == "deep.jsonl:2" and "too deeply" in bad.reason


def test_messages_check_keeps_a_message_from_another_thread_out() -> None:
    uow = InMemoryUnitOfWork()
    thread = service.start_thread(uow, "r")
    with pytest.raises(InvalidInput) as refused:
        service.append_messages(uow, thread.id, [Message.new("elsewhere", "user", "x")])
    assert refused.value.field == "messages[0].thread_id"
