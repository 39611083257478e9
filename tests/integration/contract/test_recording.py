"""SEMANTICS.md, "Recording and committing": validation at call time, kept work, empty commits."""

from __future__ import annotations

import attrs
import pytest

from domain import (
    AlreadyExists,
    CommitReceipt,
    InvalidInput,
    NotFound,
    ThreadPatch,
    ThreadQuery,
)

from .helpers import message, seed, thread


def test_bad_arguments_raise_at_once_and_record_nothing(backend):
    uow = backend.uow()
    with pytest.raises(InvalidInput) as bad_id:
        uow.threads.update("", ThreadPatch(title="x"))
    assert bad_id.value.field == "thread_id"
    with pytest.raises(InvalidInput) as positioned:
        uow.messages.add(attrs.evolve(message("t", "m"), position=3))
    assert positioned.value.field == "message.position"
    with pytest.raises(InvalidInput) as one_string:
        uow.messages.delete("m1")
    assert one_string.value.field == "message_ids"
    with pytest.raises(InvalidInput) as version:
        uow.threads.delete("t", expected_version=0)
    assert version.value.field == "expected_version"
    assert uow.commit(idempotency_key="nothing") == CommitReceipt("nothing")


def test_empty_delete_records_nothing(backend):
    uow = backend.uow()
    uow.messages.delete([])
    assert uow.commit().positions == {}


def test_commit_with_nothing_recorded_returns_empty_receipt(backend):
    receipt = backend.uow().commit(idempotency_key="k-empty")
    assert receipt == CommitReceipt("k-empty")
    # The key was not recorded: real work under it later is applied.
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    assert not uow.commit(idempotency_key="k-empty").already_applied


def test_failed_commit_keeps_the_work_for_a_retry(backend):
    uow = backend.uow()
    uow.messages.add(message("t1", "m1"))
    with pytest.raises(NotFound):
        uow.commit(idempotency_key="retry-me")
    # Someone adds the thread; the same unit of work retried with the same key now succeeds.
    other = backend.uow()
    other.threads.add(thread("t1"))
    other.commit()
    receipt = uow.commit(idempotency_key="retry-me")
    assert receipt.positions == {"m1": 1}
    # ... and its work was cleared by the success.
    assert uow.commit().positions == {}


def test_rollback_and_leaving_the_block_discard_the_work(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    uow.rollback()
    assert uow.commit().threads == {}
    with backend.uow() as scoped:
        scoped.threads.add(thread("t2"))
    assert backend.uow().threads.existing(["t1", "t2"]) == frozenset()


def test_success_clears_recorded_work(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    uow.commit()
    assert uow.commit().threads == {}  # nothing left to re-apply
    uow.threads.add(thread("t1"))
    with pytest.raises(AlreadyExists):
        uow.commit()


def test_reads_see_pending_additions_but_not_pending_edits(backend):
    seed(backend.uow(), "t1", 1)
    uow = backend.uow()
    uow.threads.add(thread("t2", title="new"))
    uow.messages.add(message("t2", "p1"))
    uow.threads.update("t1", ThreadPatch(title="edited"))
    uow.messages.delete(["t1-m1"])
    assert uow.threads.get("t2").title == "new"
    assert uow.messages.get("p1").position is None
    assert uow.threads.existing(["t1", "t2", "t3"]) == frozenset({"t1", "t2"})
    assert uow.threads.get("t1").title is None
    assert uow.messages.get("t1-m1").position == 1
    # Lists and pages show committed state only.
    assert [t.id for t in uow.threads.list(ThreadQuery()).threads] == ["t1"]
    assert [m.id for m in uow.messages.page("t1").messages] == ["t1-m1"]


def test_missing_reads_raise_not_found(backend):
    uow = backend.uow()
    with pytest.raises(NotFound) as thread_missing:
        uow.threads.get("nope")
    assert (thread_missing.value.kind, thread_missing.value.identifier) == ("thread", "nope")
    with pytest.raises(NotFound) as message_missing:
        uow.messages.get("nope")
    assert message_missing.value.kind == "message"
