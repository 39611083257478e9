"""The in-memory unit of work: recording, committing, discarding, receipts and idempotency."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.memory import InMemoryStore, InMemoryUnitOfWork
from domain import (
    AlreadyExists,
    ConcurrencyConflict,
    InvalidInput,
    Message,
    MessagePatch,
    NotFound,
    Thread,
    ThreadPatch,
    ThreadQuery,
)
from domain.json_values import JsonValue

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def new_thread(thread_id: str = "t1", **metadata: JsonValue) -> Thread:
    return Thread.new("r1", id=thread_id, metadata=metadata, at=T0)


def new_message(thread_id: str = "t1", message_id: str | None = None, seconds: int = 0) -> Message:
    return Message.new(thread_id, "user", f"hello {message_id}", id=message_id, at=at(seconds))


def committed_thread(store: InMemoryStore, thread_id: str = "t1", messages: int = 0) -> None:
    with InMemoryUnitOfWork(store) as uow:
        uow.threads.add(new_thread(thread_id))
        for index in range(messages):
            uow.messages.add(new_message(thread_id, f"{thread_id}-m{index + 1}"))
        uow.commit()


def test_leaving_the_block_without_commit_discards_the_work() -> None:
    store = InMemoryStore()
    with InMemoryUnitOfWork(store) as uow:
        uow.threads.add(new_thread())
        assert uow.threads.get("t1").id == "t1"  # pending additions are visible inside
    assert uow.commit().positions == {}  # nothing left to commit
    assert store.snapshot().threads == {}


def test_an_exception_inside_the_block_discards_the_work() -> None:
    store = InMemoryStore()
    uow = InMemoryUnitOfWork(store)
    with pytest.raises(RuntimeError), uow:
        uow.threads.add(new_thread())
        raise RuntimeError("boom")
    with uow:
        uow.commit()
    assert store.snapshot().threads == {}


def test_committed_state_is_seen_by_a_new_unit_of_work_and_the_same_one_keeps_working() -> None:
    store = InMemoryStore()
    uow = InMemoryUnitOfWork(store)
    with uow:
        uow.threads.add(new_thread())
        uow.messages.add(new_message(message_id="m1"))
        uow.commit()
    with uow:
        uow.messages.add(new_message(message_id="m2"))
        uow.commit()
    with InMemoryUnitOfWork(store) as other:
        assert other.threads.get("t1").resource_id == "r1"
        assert [m.position for m in other.messages.page("t1").messages] == [1, 2]
        assert other.stats().messages == 2


def test_pending_additions_are_visible_but_pending_edits_are_not() -> None:
    store = InMemoryStore()
    committed_thread(store, messages=1)
    with InMemoryUnitOfWork(store) as uow:
        uow.threads.add(new_thread("t2"))
        uow.messages.add(new_message("t2", "m-new"))
        uow.threads.update("t1", ThreadPatch(title="edited"))
        uow.messages.delete(["t1-m1"])
        assert uow.messages.get("m-new").position is None
        assert uow.threads.existing(["t1", "t2", "t3"]) == {"t1", "t2"}
        assert uow.threads.get("t1").title is None
        assert uow.messages.get("t1-m1").position == 1
        assert [t.title for t in uow.threads.list(ThreadQuery()).threads] == [None]
        assert uow.stats().threads == 1


def test_commit_with_nothing_recorded_returns_an_empty_receipt() -> None:
    store = InMemoryStore()
    receipt = InMemoryUnitOfWork(store).commit(idempotency_key="k1")
    assert (receipt.idempotency_key, receipt.positions, receipt.threads) == ("k1", {}, {})
    assert store.snapshot().idempotency_keys == frozenset()


def test_receipt_has_positions_and_threads_as_committed() -> None:
    store = InMemoryStore()
    committed_thread(store, "t1", messages=2)
    with InMemoryUnitOfWork(store) as uow:
        uow.threads.add(new_thread("t2"))
        uow.messages.add(new_message("t1", "a", seconds=60))
        uow.messages.add(new_message("t2", "b", seconds=30))
        uow.threads.update("t2", ThreadPatch(title="x"), at=at(10))
        receipt = uow.commit()
    assert receipt.positions == {"a": 3, "b": 1}
    assert receipt.threads["t1"].updated_at == at(60)
    assert receipt.threads["t1"].version == 1  # messages do not bump the version
    assert (receipt.threads["t2"].version, receipt.threads["t2"].updated_at) == (2, at(30))
    assert receipt.threads == {t: InMemoryUnitOfWork(store).threads.get(t) for t in ("t1", "t2")}


@settings(max_examples=40)
@given(st.lists(st.integers(min_value=1, max_value=15), min_size=1, max_size=6))
def test_positions_are_gap_free_for_pure_appends(batches: list[int]) -> None:
    store = InMemoryStore()
    committed_thread(store)
    given_positions: list[int] = []
    for batch, size in enumerate(batches):
        with InMemoryUnitOfWork(store) as uow:
            for index in range(size):
                uow.messages.add(new_message(message_id=f"b{batch}-{index}"))
            given_positions.extend(uow.commit().positions.values())
    assert given_positions == list(range(1, sum(batches) + 1))


@settings(max_examples=40)
@given(st.data())
def test_positions_are_never_reused_after_deletes(data: st.DataObject) -> None:
    store = InMemoryStore()
    committed_thread(store, messages=8)
    doomed = data.draw(st.sets(st.sampled_from([f"t1-m{i}" for i in range(1, 9)]), min_size=1))
    with InMemoryUnitOfWork(store) as uow:
        uow.messages.delete(sorted(doomed))
        uow.commit()
        uow.messages.add(new_message(message_id="after"))
        assert uow.commit().positions == {"after": 9}
    assert store.snapshot().last_positions["t1"] == 9


def test_idempotency_key_applies_once_and_reads_back() -> None:
    store = InMemoryStore()
    committed_thread(store)

    def append() -> object:
        with InMemoryUnitOfWork(store) as uow:
            uow.messages.add(new_message(message_id="once"))
            uow.threads.update("t1", ThreadPatch(title="t"))
            return uow.commit(idempotency_key="key-1")

    first, second = append(), append()
    assert second == type(first)(  # type: ignore[call-arg]
        "key-1", positions={"once": 1}, threads={"t1": store.snapshot().threads["t1"]}, already_applied=True
    )
    assert store.snapshot().threads["t1"].version == 2
    assert store.snapshot().last_positions["t1"] == 1


def test_failed_commit_keeps_the_work_for_a_retry_with_the_same_key() -> None:
    store = InMemoryStore()
    committed_thread(store)
    first = InMemoryUnitOfWork(store)
    first.threads.update("t1", ThreadPatch(title="mine"), expected_version=1)
    first.messages.add(new_message(message_id="m"))
    with InMemoryUnitOfWork(store) as rival:
        rival.threads.update("t1", ThreadPatch(title="theirs"))
        rival.commit()
    with pytest.raises(ConcurrencyConflict) as conflict:
        first.commit(idempotency_key="k")
    assert (conflict.value.thread_id, conflict.value.expected_version) == ("t1", 1)
    with pytest.raises(ConcurrencyConflict):
        first.commit(idempotency_key="k")  # still recorded: fails the same way
    first.rollback()
    first.threads.update("t1", ThreadPatch(title="mine"), expected_version=2)
    assert first.commit(idempotency_key="k").threads["t1"].title == "mine"


@pytest.mark.parametrize(
    ("record", "error", "kind", "identifier"),
    [
        (lambda u: u.threads.add(new_thread("t1")), AlreadyExists, "thread", "t1"),
        (lambda u: u.messages.add(new_message("zz", "m")), NotFound, "thread", "zz"),
        (lambda u: u.messages.add(new_message("t1", "t1-m1")), AlreadyExists, "message", "t1-m1"),
        (lambda u: u.threads.update("zz", ThreadPatch()), NotFound, "thread", "zz"),
        (lambda u: u.threads.delete("zz"), NotFound, "thread", "zz"),
        (lambda u: u.messages.update("zz", MessagePatch()), NotFound, "message", "zz"),
        (lambda u: u.messages.delete(["t1-m1", "zz", "yy"]), NotFound, "message", "zz"),
    ],
)
def test_commit_conditions_raise_the_right_kind_and_id(
    record: Callable[[InMemoryUnitOfWork], None],
    error: type[NotFound | AlreadyExists],
    kind: str,
    identifier: str,
) -> None:
    store = InMemoryStore()
    committed_thread(store, messages=1)
    before = store.snapshot()
    uow = InMemoryUnitOfWork(store)
    record(uow)
    with pytest.raises(error) as caught:
        uow.commit()
    failure = caught.value
    assert isinstance(failure, NotFound | AlreadyExists)
    assert (failure.kind, failure.identifier) == (kind, identifier)
    assert store.snapshot() == before


def test_a_message_may_go_to_a_thread_added_earlier_in_the_same_commit_but_not_later() -> None:
    store = InMemoryStore()
    with InMemoryUnitOfWork(store) as uow:
        uow.messages.add(new_message("t1", "m"))
        uow.threads.add(new_thread("t1"))
        with pytest.raises(NotFound):
            uow.commit()
        uow.rollback()
        uow.threads.add(new_thread("t1"))
        uow.messages.add(new_message("t1", "m"))
        assert uow.commit().positions == {"m": 1}


def test_deleting_a_thread_takes_its_messages_and_metadata() -> None:
    store = InMemoryStore()
    with InMemoryUnitOfWork(store) as uow:
        uow.threads.add(new_thread("t1", a=1, b=2))
        uow.threads.add(new_thread("t2", c=3))
        uow.messages.add(Message.new("t1", "user", "x", id="m1", metadata={"k": 1}, at=T0))
        uow.commit()
        assert uow.stats().metadata == 4
        uow.threads.delete("t1", expected_version=1)
        uow.commit()
        assert (uow.stats().threads, uow.stats().messages, uow.stats().metadata) == (1, 0, 1)
        with pytest.raises(NotFound):
            uow.messages.get("m1")


def test_thread_update_bumps_version_and_never_moves_activity_back() -> None:
    store = InMemoryStore()
    committed_thread(store)
    with InMemoryUnitOfWork(store) as uow:
        uow.threads.update("t1", ThreadPatch(title="a", set_metadata={"x": 1}), at=T0 - timedelta(days=1))
        uow.threads.update("t1", ThreadPatch(remove_metadata={"x"}), expected_version=2, at=at(5))
        thread = uow.commit().threads["t1"]
    assert (thread.title, dict(thread.metadata), thread.version, thread.updated_at) == ("a", {}, 3, at(5))


def test_message_update_leaves_the_thread_alone() -> None:
    store = InMemoryStore()
    committed_thread(store, messages=1)
    before = store.snapshot().threads["t1"]
    with InMemoryUnitOfWork(store) as uow:
        uow.messages.update(
            "t1-m1", MessagePatch(content=[{"type": "text", "text": "new"}], set_metadata={"e": 1})
        )
        assert uow.commit().threads == {}
        edited = uow.messages.get("t1-m1")
    assert (edited.content, dict(edited.metadata), edited.position) == (
        [{"type": "text", "text": "new"}],
        {"e": 1},
        1,
    )
    assert store.snapshot().threads["t1"] == before


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (lambda u: u.threads.add({"id": "t"}), "thread"),
        (
            lambda u: u.threads.add(Thread.new("r", id="t", at=T0).patched(ThreadPatch(), T0)),
            "thread.version",
        ),
        (lambda u: u.messages.add(attrs.evolve(new_message(), position=3)), "message.position"),
        (lambda u: u.threads.update("", ThreadPatch()), "thread_id"),
        (lambda u: u.threads.update("t1", {"title": "x"}), "patch"),
        (lambda u: u.threads.update("t1", ThreadPatch(), expected_version=0), "expected_version"),
        (lambda u: u.threads.update("t1", ThreadPatch(), at=datetime(2024, 1, 1)), "at"),
        (lambda u: u.threads.delete("t1", expected_version=True), "expected_version"),
        (lambda u: u.messages.update("m\n", MessagePatch()), "message_id"),
        (lambda u: u.messages.delete("m1"), "message_ids"),
        (lambda u: u.messages.delete(["ok", " "]), "message_ids[1]"),
        (lambda u: u.commit(idempotency_key=""), "idempotency_key"),
    ],
)
def test_bad_arguments_are_refused_at_once_and_record_nothing(
    record: Callable[[InMemoryUnitOfWork], object], field: str
) -> None:
    store = InMemoryStore()
    committed_thread(store)
    uow = InMemoryUnitOfWork(store)
    with pytest.raises(InvalidInput) as caught:
        record(uow)
    assert caught.value.field == field
    assert uow.commit().positions == {} and store.snapshot().threads["t1"].version == 1


def test_empty_delete_records_nothing() -> None:
    uow = InMemoryUnitOfWork()
    uow.messages.delete([])
    assert uow.commit(idempotency_key="k").threads == {}
    assert uow.store.snapshot().idempotency_keys == frozenset()


def test_concurrent_units_of_work_get_distinct_positions_and_conflict_on_versions() -> None:
    store = InMemoryStore()
    committed_thread(store)

    def append(worker: int) -> list[int]:
        given: list[int] = []
        for index in range(25):
            with InMemoryUnitOfWork(store) as uow:
                uow.messages.add(new_message(message_id=f"w{worker}-{index}"))
                given.extend(uow.commit().positions.values())
        return given

    def bump() -> bool:
        with InMemoryUnitOfWork(store) as uow:
            uow.threads.update("t1", ThreadPatch(title="mine"), expected_version=1)
            try:
                uow.commit()
            except ConcurrencyConflict:
                return False
            return True

    with ThreadPoolExecutor(max_workers=4) as pool:
        appended = [p for ps in pool.map(append, range(4)) for p in ps]
        winners = list(pool.map(lambda _: bump(), range(4)))
    assert sorted(appended) == list(range(1, 101))
    assert winners.count(True) == 1
