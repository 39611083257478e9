"""SEMANTICS.md, "Receipts": positions are those of the messages that exist once the commit is done.

D1 takes a first commit's positions from its appends (each run's thread update returns the new
``last_position``) and leaves out what the same commit deletes later; these cases pin that down
against every backend, the in-memory reference included.
"""

from __future__ import annotations

from .helpers import message, seed, thread


def test_messages_of_a_thread_deleted_later_in_the_commit_have_no_position(backend):
    seed(backend.uow(), "gone", 0)
    seed(backend.uow(), "kept", 2)
    uow = backend.uow()
    uow.messages.add(message("gone", "g1"))
    uow.messages.add(message("kept", "k3"))
    uow.messages.add(message("gone", "g2"))
    uow.threads.delete("gone")
    receipt = uow.commit()
    assert receipt.positions == {"k3": 3}
    assert set(receipt.threads) == {"kept"}


def test_an_id_added_deleted_and_added_again_has_its_last_position(backend):
    seed(backend.uow(), "t1", 1)
    uow = backend.uow()
    uow.messages.add(message("t1", "again"))
    uow.messages.delete(["again"])
    uow.messages.add(message("t1", "again"))
    uow.messages.add(message("t1", "after"))
    assert uow.commit().positions == {"again": 3, "after": 4}


def test_a_thread_deleted_and_added_again_restarts_its_positions(backend):
    seed(backend.uow(), "t1", 3)
    uow = backend.uow()
    uow.messages.add(message("t1", "old"))
    uow.threads.delete("t1")
    uow.threads.add(thread("t1"))
    uow.messages.add(message("t1", "new"))
    uow.messages.add(message("t1", "newer"))
    receipt = uow.commit()
    assert receipt.positions == {"new": 1, "newer": 2}
    assert receipt.threads["t1"].version == 1


def test_runs_split_by_other_work_each_take_the_positions_that_follow(backend):
    seed(backend.uow(), "t1", 2)
    uow = backend.uow()
    uow.messages.add(message("t1", "a"))
    uow.messages.delete(["t1-m1"])
    uow.messages.add(message("t1", "b"))
    uow.messages.add(message("t1", "c"))
    assert uow.commit().positions == {"a": 3, "b": 4, "c": 5}
