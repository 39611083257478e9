"""SEMANTICS.md, "Receipts and idempotency"."""

from __future__ import annotations

from domain import MessagePatch, ThreadPatch

from .helpers import message, seed, thread


def test_receipt_lists_positions_and_touched_threads(backend):
    seed(backend.uow(), "quiet", 1)
    seed(backend.uow(), "gone", 0)
    seed(backend.uow(), "edited", 0)
    uow = backend.uow()
    uow.threads.add(thread("new"))
    uow.messages.add(message("new", "n1"))
    uow.threads.update("edited", ThreadPatch(title="x"))
    uow.messages.update("quiet-m1", MessagePatch(content="changed"))
    uow.threads.delete("gone")
    receipt = uow.commit(idempotency_key="key-1")
    assert receipt.idempotency_key == "key-1"
    assert not receipt.already_applied
    assert receipt.positions == {"n1": 1}
    assert set(receipt.threads) == {"new", "edited"}
    assert receipt.threads["new"] == uow.threads.get("new")


def test_a_key_is_applied_once(backend):
    seed(backend.uow(), "t1", 2)
    first = backend.uow()
    first.messages.add(message("t1", "once"))
    first.threads.update("t1", ThreadPatch(title="once"))
    receipt = first.commit(idempotency_key="same")
    again = backend.uow()
    again.messages.add(message("t1", "once"))
    again.threads.update("t1", ThreadPatch(title="once"))
    replay = again.commit(idempotency_key="same")
    assert replay.already_applied
    assert replay.positions == receipt.positions == {"once": 3}
    assert replay.threads == receipt.threads
    assert backend.uow().threads.get("t1").version == 2
    assert backend.uow().stats().messages == 3


def test_a_replay_reads_back_current_state(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    uow.messages.add(message("t1", "m1"))
    uow.commit(idempotency_key="k")
    uow.messages.delete(["m1"])
    uow.commit()
    uow.threads.add(thread("t1"))
    uow.messages.add(message("t1", "m1"))
    replay = uow.commit(idempotency_key="k")
    assert replay.already_applied and replay.positions == {} and set(replay.threads) == {"t1"}


def test_a_message_added_and_deleted_in_one_commit_has_no_position(backend):
    seed(backend.uow(), "t1", 0)
    uow = backend.uow()
    uow.messages.add(message("t1", "brief"))
    uow.messages.add(message("t1", "stays"))
    uow.messages.delete(["brief"])
    assert uow.commit().positions == {"stays": 2}


def test_generated_keys_are_fresh(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    first = uow.commit()
    uow.threads.add(thread("t2"))
    second = uow.commit()
    assert first.idempotency_key != second.idempotency_key
    assert not second.already_applied
