"""SEMANTICS.md, "Effects": versions, positions, activity time, cascades, message edits."""

from __future__ import annotations

import pytest

from domain import KEEP, MessagePatch, NotFound, ThreadPatch

from .helpers import at, message, seed, thread


def test_a_new_thread_has_version_1_and_no_messages(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1", title="hello", metadata={"a": 1}))
    committed = uow.commit().threads["t1"]
    assert committed.version == 1
    assert committed == backend.uow().threads.get("t1")
    assert backend.uow().messages.recent("t1", 10).last == ()


def test_positions_follow_recording_order_across_threads(backend):
    seed(backend.uow(), "a", 2)
    seed(backend.uow(), "b", 0)
    uow = backend.uow()
    uow.messages.add(message("b", "b1"))
    uow.messages.add(message("a", "a3"))
    uow.messages.add(message("b", "b2"))
    uow.messages.add(message("a", "a4"))
    assert uow.commit().positions == {"b1": 1, "a3": 3, "b2": 2, "a4": 4}


def test_messages_move_updated_at_forward_only_and_keep_the_version(backend):
    seed(backend.uow(), "t1", 0, seconds=100)
    uow = backend.uow()
    uow.messages.add(message("t1", "late", seconds=200))
    uow.messages.add(message("t1", "early", seconds=50))
    committed = uow.commit().threads["t1"]
    assert committed.updated_at == at(200)
    assert committed.version == 1


def test_positions_are_never_reused(backend):
    ids = seed(backend.uow(), "t1", 3)
    uow = backend.uow()
    uow.messages.delete([ids[2], ids[1]])
    uow.commit()
    uow.messages.add(message("t1", "next"))
    assert uow.commit().positions == {"next": 4}
    assert [m.position for m in uow.messages.page("t1").messages] == [1, 4]


def test_thread_update_applies_the_patch(backend):
    seed(backend.uow(), "t1", 0, seconds=100)
    uow = backend.uow()
    uow.threads.add(thread("t2", title="keep me", metadata={"a": 1, "b": 2}))
    uow.commit()
    uow.threads.update("t2", ThreadPatch(set_metadata={"c": [1.0]}, remove_metadata=["a"]), at=at(500))
    uow.threads.update("t1", ThreadPatch(title="named"), at=at(10))
    receipt = uow.commit()
    t2, t1 = receipt.threads["t2"], receipt.threads["t1"]
    assert (t2.title, t2.version, t2.updated_at) == ("keep me", 2, at(500))
    assert dict(t2.metadata) == {"b": 2, "c": [1.0]}
    assert (t1.title, t1.updated_at) == ("named", at(100))  # never moves backwards
    uow.threads.update("t2", ThreadPatch(title=None))
    assert uow.commit().threads["t2"].title is None


def test_update_without_at_uses_now(backend):
    seed(backend.uow(), "t1", 0)
    uow = backend.uow()
    uow.threads.update("t1", ThreadPatch(title="now"))
    assert uow.commit().threads["t1"].updated_at > at(0)


def test_thread_delete_takes_messages_and_metadata(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1", metadata={"k": "v"}))
    uow.messages.add(message("t1", "m1", metadata={"x": 1}))
    uow.commit()
    seed(backend.uow(), "t2", 1)
    uow.threads.delete("t1", expected_version=1)
    assert uow.commit().threads == {}
    with pytest.raises(NotFound):
        uow.messages.get("m1")
    stats = uow.stats()
    assert (stats.threads, stats.messages, stats.metadata) == (1, 1, 0)
    # The ids are free again.
    uow.threads.add(thread("t1"))
    uow.messages.add(message("t1", "m1"))
    assert uow.commit().positions == {"m1": 1}


def test_message_update_changes_content_and_metadata_not_the_thread(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    uow.messages.add(message("t1", "m1", content="text", metadata={"a": 1, "b": 2}))
    before = uow.commit().threads["t1"]
    uow.messages.update("m1", MessagePatch(content=[{"type": "tool", "n": 1}], remove_metadata=["a"]))
    assert uow.commit().threads == {}
    edited = uow.messages.get("m1")
    assert (edited.content, edited.position) == ([{"n": 1, "type": "tool"}], 1)
    assert dict(edited.metadata) == {"b": 2}
    uow.messages.update("m1", MessagePatch(content=KEEP, set_metadata={"a": True}))
    uow.commit()
    assert dict(uow.messages.get("m1").metadata) == {"a": True, "b": 2}
    assert uow.threads.get("t1") == before


def test_content_is_decoded_by_its_kind_not_its_looks(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    uow.messages.add(message("t1", "looks-json", content='{"a": 1}'))
    uow.messages.add(message("t1", "is-json", content={"a": 1}))
    uow.commit()
    assert uow.messages.get("looks-json").content == '{"a": 1}'
    assert uow.messages.get("is-json").content == {"a": 1}
