"""Limits: big commits work, oversized values are refused before anything is sent, and the SQL
layer keeps every statement inside D1's per-statement limits."""

from __future__ import annotations

import re

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from adapters.d1.chunking import MAX_PARAMS, MAX_SQL_BYTES
from adapters.d1.commit_plan import plan_commit
from adapters.d1.schema import Tables
from adapters.recording import AddMessage, AddThread, DeleteMessages, UpdateMessage, UpdateThread
from domain import LimitExceeded, Message, MessagePatch, ThreadPatch
from domain.limits import MAX_TEXT_BYTES
from domain.timestamps import from_epoch_ms

from .helpers import message, seed, thread


def test_append_1000_then_delete_500_by_id(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1"))
    for i in range(1000):
        uow.messages.add(message("t1", f"m{i}", metadata={"i": i}))
    receipt = uow.commit()
    assert sorted(receipt.positions.values()) == list(range(1, 1001))
    uow.messages.delete([f"m{i}" for i in range(0, 1000, 2)])
    uow.commit()
    page = uow.messages.page("t1", limit=1000)
    assert [m.position for m in page.messages] == list(range(2, 1001, 2))
    assert uow.stats().metadata == 500


def test_a_message_at_the_size_limit_is_stored_whole(backend):
    seed(backend.uow(), "t1", 0)
    uow = backend.uow()
    big = "é" * (MAX_TEXT_BYTES // 2)
    uow.messages.add(message("t1", "big", content=big))
    uow.commit()
    assert uow.messages.get("big").content == big


def test_an_oversized_message_fails_before_anything_is_sent(backend):
    seed(backend.uow(), "t1", 0)
    uow = backend.uow()
    uow.messages.add(message("t1", "fine"))
    sent = len(backend.requests)
    with pytest.raises(LimitExceeded) as too_big:
        uow.messages.add(Message.new("t1", "user", "x" * (MAX_TEXT_BYTES + 1)))
    assert too_big.value.field == "message.content"
    with pytest.raises(LimitExceeded):
        uow.messages.update("fine", MessagePatch(set_metadata={"blob": "x" * (MAX_TEXT_BYTES + 1)}))
    assert len(backend.requests) == sent
    uow.rollback()
    assert uow.stats().messages == 0


@settings(max_examples=25, deadline=None)
@given(
    count=st.integers(1, 400),
    text_size=st.sampled_from([1, 500, 20_000, 400_000]),
    metadata_keys=st.integers(0, 40),
    deletions=st.integers(0, 3000),
)
def test_every_statement_stays_inside_d1_limits(count, text_size, metadata_keys, deletions):
    metadata = {f"k{i}": i for i in range(metadata_keys)}
    ops = [AddThread(thread("t1", metadata=metadata))]
    ops += [
        AddMessage(message("t1", f"m{i}", content="x" * text_size, metadata=metadata)) for i in range(count)
    ]
    ops.append(
        UpdateThread("t1", ThreadPatch(set_metadata=metadata, remove_metadata=["gone"]), 1, from_epoch_ms(5))
    )
    ops.append(UpdateMessage("m0", MessagePatch(set_metadata=metadata)))
    ops.append(DeleteMessages(tuple(f"m{i}" for i in range(deletions))))
    plan = plan_commit(Tables("prefix_"), ops, "key", 0)
    for statement in plan.statements:
        assert len(statement.params) <= MAX_PARAMS
        assert len(statement.sql.encode()) <= MAX_SQL_BYTES
        # Numbered placeholders ?1..?n: exactly as many parameters as the SQL uses.
        assert max(map(int, re.findall(r"\?(\d+)", statement.sql)), default=0) == len(statement.params)
