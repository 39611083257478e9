"""A commit whose k-th operation fails leaves the store exactly as it was, whatever came before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.memory import InMemoryStore, InMemoryUnitOfWork
from domain import (
    AlreadyExists,
    ConcurrencyConflict,
    D1StoreError,
    Message,
    MessagePatch,
    NotFound,
    Thread,
    ThreadPatch,
)

AT = datetime(2024, 5, 1, tzinfo=UTC)
Record = Callable[[InMemoryUnitOfWork], None]


def seeded_store() -> InMemoryStore:
    store = InMemoryStore()
    with InMemoryUnitOfWork(store) as uow:
        uow.threads.add(Thread.new("r", id="base", metadata={"m": 1}, at=AT))
        for index in range(3):
            uow.messages.add(Message.new("base", "user", f"m{index}", id=f"base-{index}", at=AT))
        uow.commit()
    return store


def valid_operations(index: int) -> st.SearchStrategy[Record]:
    """Operations that succeed before any failing one, and never change which error it raises."""

    def add_thread(u: InMemoryUnitOfWork) -> None:
        u.threads.add(Thread.new("r", id=f"new-{index}", at=AT))

    def add_message(u: InMemoryUnitOfWork) -> None:
        u.messages.add(Message.new("base", "assistant", "x", id=f"msg-{index}", at=AT))

    def update_thread(u: InMemoryUnitOfWork) -> None:
        u.threads.update("base", ThreadPatch(title=f"t{index}", set_metadata={"i": index}))

    def update_message(u: InMemoryUnitOfWork) -> None:
        u.messages.update("base-0", MessagePatch(content=f"edit {index}"))

    def add_and_delete_message(u: InMemoryUnitOfWork) -> None:
        u.messages.add(Message.new("base", "tool", "x", id=f"tmp-{index}", at=AT))
        u.messages.delete([f"tmp-{index}"])

    return st.sampled_from([add_thread, add_message, update_thread, update_message, add_and_delete_message])


FAILURES: dict[str, tuple[Record, type[D1StoreError]]] = {
    "duplicate thread": (lambda u: u.threads.add(Thread.new("r", id="base", at=AT)), AlreadyExists),
    "duplicate message": (
        lambda u: u.messages.add(Message.new("base", "user", "dup", id="base-0", at=AT)),
        AlreadyExists,
    ),
    "missing thread": (lambda u: u.messages.add(Message.new("nowhere", "user", "x", at=AT)), NotFound),
    "stale version on update": (
        lambda u: u.threads.update("base", ThreadPatch(title="late"), expected_version=1000),
        ConcurrencyConflict,
    ),
    "stale version on delete": (
        lambda u: u.threads.delete("base", expected_version=1000),
        ConcurrencyConflict,
    ),
    "missing message": (lambda u: u.messages.update("ghost", MessagePatch(content="x")), NotFound),
    "missing message in delete": (lambda u: u.messages.delete(["base-0", "ghost"]), NotFound),
}


@settings(max_examples=150)
@given(st.data(), st.sampled_from(sorted(FAILURES)), st.integers(min_value=0, max_value=8))
def test_a_commit_failing_at_step_k_changes_nothing(data: st.DataObject, failure: str, k: int) -> None:
    store = seeded_store()
    before = store.snapshot()
    uow = InMemoryUnitOfWork(store)
    prefix = [data.draw(valid_operations(index)) for index in range(k)]
    suffix = data.draw(st.lists(valid_operations(k + 1), max_size=3))
    record_failure, error = FAILURES[failure]
    for record in prefix:
        record(uow)
    record_failure(uow)
    for record in suffix:
        record(uow)

    with pytest.raises(error):
        uow.commit(idempotency_key="key")
    assert store.snapshot() == before
    with pytest.raises(error):  # the work is kept: a retry meets the same condition
        uow.commit(idempotency_key="key")

    # The same unit of work, without the failing step, commits the rest under the same key.
    uow.rollback()
    for record in prefix:
        record(uow)
    uow.commit(idempotency_key="key")
    # (With nothing recorded nothing is sent, so the key is not recorded either.)
    assert ("key" in store.snapshot().idempotency_keys) == bool(prefix)
