"""SEMANTICS.md: conditions are checked at commit, in recording order; the first failure raises
and nothing of the unit of work is applied."""

from __future__ import annotations

import pytest

from domain import (
    AlreadyExists,
    ConcurrencyConflict,
    D1StoreError,
    MessagePatch,
    NotFound,
    ThreadPatch,
    ThreadQuery,
)

from .helpers import message, seed, thread


def snapshot(backend) -> tuple:
    """What a reader sees of every thread and message: nothing may change on a failed commit."""
    uow = backend.uow()
    threads = uow.threads.list(ThreadQuery(limit=1000)).threads
    pages = {t.id: uow.messages.page(t.id, limit=1000).messages for t in threads}
    return threads, pages, uow.stats().messages


def assert_fails(backend, uow, error: type[D1StoreError], **attributes) -> None:
    before = snapshot(backend)
    with pytest.raises(error) as raised:
        uow.commit()
    for name, value in attributes.items():
        assert getattr(raised.value, name) == value, (name, raised.value)
    assert snapshot(backend) == before


def test_adding_a_taken_thread_id(backend):
    seed(backend.uow(), "t1", 0)
    uow = backend.uow()
    uow.threads.add(thread("t0"))
    uow.threads.add(thread("t1"))
    assert_fails(backend, uow, AlreadyExists, kind="thread", identifier="t1")


def test_adding_a_message_to_a_missing_thread(backend):
    uow = backend.uow()
    uow.messages.add(message("ghost", "m1"))
    assert_fails(backend, uow, NotFound, kind="thread", identifier="ghost")


def test_a_thread_added_earlier_in_the_same_commit_counts(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    uow.messages.add(message("t1", "m1"))
    assert uow.commit().positions == {"m1": 1}


def test_a_message_before_its_thread_in_recording_order_fails(backend):
    uow = backend.uow()
    uow.messages.add(message("t1", "m1"))
    uow.threads.add(thread("t1"))
    assert_fails(backend, uow, NotFound, kind="thread", identifier="t1")


def test_adding_a_taken_message_id(backend):
    seed(backend.uow(), "t1", 1)
    uow = backend.uow()
    uow.messages.add(message("t1", "fresh"))
    uow.messages.add(message("t1", "t1-m1"))
    assert_fails(backend, uow, AlreadyExists, kind="message", identifier="t1-m1")


def test_the_same_message_twice_in_one_commit(backend):
    seed(backend.uow(), "t1", 0)
    uow = backend.uow()
    uow.messages.add(message("t1", "dup"))
    uow.messages.add(message("t1", "dup"))
    assert_fails(backend, uow, AlreadyExists, kind="message", identifier="dup")


@pytest.mark.parametrize("edit", ["update", "delete"])
def test_editing_a_missing_thread(backend, edit):
    uow = backend.uow()
    if edit == "update":
        uow.threads.update("ghost", ThreadPatch(title="x"))
    else:
        uow.threads.delete("ghost")
    assert_fails(backend, uow, NotFound, kind="thread", identifier="ghost")


@pytest.mark.parametrize("edit", ["update", "delete"])
def test_expected_version_that_no_longer_matches(backend, edit):
    seed(backend.uow(), "t1", 1)
    bump = backend.uow()
    bump.threads.update("t1", ThreadPatch(title="v2"))
    bump.commit()
    uow = backend.uow()
    if edit == "update":
        uow.threads.update("t1", ThreadPatch(title="stale"), expected_version=1)
    else:
        uow.threads.delete("t1", expected_version=1)
    assert_fails(backend, uow, ConcurrencyConflict, thread_id="t1", expected_version=1)


def test_versions_move_within_one_commit(backend):
    seed(backend.uow(), "t1", 0)
    uow = backend.uow()
    uow.threads.update("t1", ThreadPatch(title="a"), expected_version=1)
    uow.threads.update("t1", ThreadPatch(title="b"), expected_version=2)
    assert uow.commit().threads["t1"].version == 3
    stale = backend.uow()
    stale.threads.update("t1", ThreadPatch(title="c"), expected_version=3)
    stale.threads.update("t1", ThreadPatch(title="d"), expected_version=3)
    assert_fails(backend, stale, ConcurrencyConflict, thread_id="t1", expected_version=3)


def test_editing_a_missing_message(backend):
    seed(backend.uow(), "t1", 1)
    uow = backend.uow()
    uow.messages.update("ghost", MessagePatch(content="x"))
    assert_fails(backend, uow, NotFound, kind="message", identifier="ghost")


def test_deleting_messages_when_any_is_absent(backend):
    ids = seed(backend.uow(), "t1", 3)
    uow = backend.uow()
    uow.messages.delete([ids[0], ids[0], "ghost", ids[1]])
    assert_fails(backend, uow, NotFound, kind="message", identifier="ghost")


def test_the_first_failing_condition_is_the_one_raised(backend):
    seed(backend.uow(), "t1", 1)
    seed(backend.uow(), "t2", 0, seconds=50)
    uow = backend.uow()
    uow.threads.update("t1", ThreadPatch(title="ok"), expected_version=1)
    uow.messages.delete(["t1-m1"])
    uow.messages.delete(["t1-m1"])  # now missing: this is the first failure
    uow.threads.delete("ghost")
    uow.threads.add(thread("t2"))
    assert_fails(backend, uow, NotFound, kind="message", identifier="t1-m1")


def test_a_thread_deleted_earlier_in_the_commit_is_missing_later(backend):
    seed(backend.uow(), "t1", 1)
    seed(backend.uow(), "t2", 0)
    uow = backend.uow()
    uow.messages.add(message("t2", "ok"))
    uow.threads.delete("t1")
    uow.messages.add(message("t2", "ok2"))
    uow.messages.add(message("t1", "orphan"))
    assert_fails(backend, uow, NotFound, kind="thread", identifier="t1")
