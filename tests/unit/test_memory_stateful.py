"""The in-memory unit of work against a deliberately plain model (dicts and lists), step by step.

The model is written from docs/SEMANTICS.md alone; it shares nothing with adapters/memory.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from adapters.memory import InMemoryStore, InMemoryUnitOfWork
from adapters.testing import tricky_text
from domain import (
    KEEP,
    AlreadyExists,
    ConcurrencyConflict,
    Direction,
    Message,
    MessagePatch,
    Metadata,
    NotFound,
    Thread,
    ThreadPatch,
    ThreadQuery,
)
from domain.timestamps import to_epoch_ms

BASE = datetime(2024, 1, 1, tzinfo=UTC)
Meta = dict[str, Any]
RESOURCES = ("alice", "bob")

# Few keys and values that are equal in Python but not in storage (1, 1.0, True): filters must tell.
keys = st.sampled_from(["a", "b", "c"])
values = st.sampled_from([1, 1.0, True, "x", None, [1]])
small_metadata = st.dictionaries(keys, values, max_size=2)
moments = st.integers(min_value=0, max_value=40).map(lambda s: BASE + timedelta(seconds=s))
contents = st.one_of(
    st.sampled_from(["hi", "", "1", '{"a":1}']), tricky_text(2), st.just([{"type": "text", "text": "part"}])
)
titles = st.one_of(st.none(), st.sampled_from(["t", "סשן"]))
version_modes = st.sampled_from(["none", "correct", "stale"])


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def has_all(metadata: Metadata, wanted: Meta) -> bool:
    """Every wanted key with an equal value as stored text: 1, 1.0 and true all differ."""
    return all(k in metadata and canonical(metadata[k]) == canonical(v) for k, v in wanted.items())


class MemoryStoreMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.store = InMemoryStore()
        self.uow = InMemoryUnitOfWork(self.store)  # reused across steps, as services do
        self.counter = 0
        # The model. thread id -> fields; message id -> fields; thread id -> message ids by position.
        self.threads: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.order: dict[str, list[str]] = {}

    # -- helpers ---------------------------------------------------------------------------

    def fresh_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def pick_thread(self, data: st.DataObject) -> str:
        known = sorted(self.threads)
        return data.draw(st.sampled_from([*known, "missing-thread"]) if known else st.just("missing-thread"))

    def expected_thread(self, thread_id: str) -> Thread:
        t = self.threads[thread_id]
        return Thread(
            id=thread_id,
            resource_id=t["resource_id"],
            created_at=t["created_at"],
            updated_at=t["updated_at"],
            title=t["title"],
            metadata=t["metadata"],
            version=t["version"],
        )

    def expected_message(self, message_id: str) -> Message:
        m = self.messages[message_id]
        return Message(
            id=message_id,
            thread_id=m["thread_id"],
            role=m["role"],
            content=m["content"],
            created_at=m["created_at"],
            metadata=m["metadata"],
            position=m["position"],
        )

    def version_for(self, thread_id: str, mode: str) -> int | None:
        if mode == "none" or thread_id not in self.threads:
            return None if mode == "none" else 1
        current: int = self.threads[thread_id]["version"]
        return current if mode == "correct" else current + 1

    # -- writes ----------------------------------------------------------------------------

    @rule(data=st.data(), resource=st.sampled_from(RESOURCES), title=titles, meta=small_metadata, at=moments)
    def add_thread(
        self, data: st.DataObject, resource: str, title: str | None, meta: Meta, at: datetime
    ) -> None:
        duplicate = bool(self.threads) and data.draw(st.booleans())
        thread_id = data.draw(st.sampled_from(sorted(self.threads))) if duplicate else self.fresh_id("t")
        with self.uow:
            self.uow.threads.add(Thread.new(resource, id=thread_id, title=title, metadata=meta, at=at))
            if duplicate:
                with pytest.raises(AlreadyExists):
                    self.uow.commit()
                return
            receipt = self.uow.commit()
        self.threads[thread_id] = dict(
            resource_id=resource,
            title=title,
            metadata=Metadata(meta),
            version=1,
            created_at=at,
            updated_at=at,
            last_position=0,
        )
        self.order[thread_id] = []
        assert receipt.threads == {thread_id: self.expected_thread(thread_id)}

    @rule(
        data=st.data(), batch=st.lists(st.tuples(contents, moments, small_metadata), min_size=1, max_size=5)
    )
    def append_messages(self, data: st.DataObject, batch: list[tuple[Any, datetime, Meta]]) -> None:
        thread_id = self.pick_thread(data)
        ids = [self.fresh_id("m") for _ in batch]
        with InMemoryUnitOfWork(self.store) as uow:
            for message_id, (content, at, meta) in zip(ids, batch, strict=True):
                uow.messages.add(Message.new(thread_id, "user", content, id=message_id, metadata=meta, at=at))
            if thread_id not in self.threads:
                with pytest.raises(NotFound):
                    uow.commit()
                return
            receipt = uow.commit()
        thread = self.threads[thread_id]
        for message_id, (content, at, meta) in zip(ids, batch, strict=True):
            thread["last_position"] += 1
            thread["updated_at"] = max(thread["updated_at"], at)
            self.messages[message_id] = dict(
                thread_id=thread_id,
                role="user",
                content=content,
                created_at=at,
                metadata=Metadata(meta),
                position=thread["last_position"],
            )
            self.order[thread_id].append(message_id)
        assert receipt.positions == {i: self.messages[i]["position"] for i in ids}
        assert receipt.threads == {thread_id: self.expected_thread(thread_id)}

    @rule(
        data=st.data(),
        title=st.one_of(st.just(KEEP), titles),
        meta=small_metadata,
        mode=version_modes,
        at=moments,
    )
    def update_thread(self, data: st.DataObject, title: Any, meta: Meta, mode: str, at: datetime) -> None:
        thread_id = self.pick_thread(data)
        removed = data.draw(st.frozensets(keys)) - set(meta)
        patch = ThreadPatch(title=title, set_metadata=meta, remove_metadata=removed)
        with self.uow:
            self.uow.threads.update(
                thread_id, patch, expected_version=self.version_for(thread_id, mode), at=at
            )
            if thread_id not in self.threads:
                with pytest.raises(NotFound):
                    self.uow.commit()
                return
            if mode == "stale":
                with pytest.raises(ConcurrencyConflict):
                    self.uow.commit()
                return
            receipt = self.uow.commit()
        thread = self.threads[thread_id]
        if title is not KEEP:
            thread["title"] = title
        thread["metadata"] = Metadata({**thread["metadata"], **meta}).without(removed)
        thread["version"] += 1
        thread["updated_at"] = max(thread["updated_at"], at)
        assert receipt.threads == {thread_id: self.expected_thread(thread_id)}

    @rule(data=st.data(), mode=version_modes)
    def delete_thread(self, data: st.DataObject, mode: str) -> None:
        thread_id = self.pick_thread(data)
        with self.uow:
            self.uow.threads.delete(thread_id, expected_version=self.version_for(thread_id, mode))
            if thread_id not in self.threads or mode == "stale":
                with pytest.raises(NotFound if thread_id not in self.threads else ConcurrencyConflict):
                    self.uow.commit()
                return
            assert self.uow.commit().threads == {}
        del self.threads[thread_id]
        for message_id in self.order.pop(thread_id):
            del self.messages[message_id]

    @precondition(lambda self: bool(self.messages))
    @rule(data=st.data(), content=st.one_of(st.just(KEEP), contents), meta=small_metadata)
    def update_message(self, data: st.DataObject, content: Any, meta: Meta) -> None:
        message_id = data.draw(st.sampled_from(sorted(self.messages)))
        removed = data.draw(st.frozensets(keys)) - set(meta)
        with self.uow:
            self.uow.messages.update(
                message_id, MessagePatch(content=content, set_metadata=meta, remove_metadata=removed)
            )
            assert self.uow.commit().threads == {}
        message = self.messages[message_id]
        if content is not KEEP:
            message["content"] = content
        message["metadata"] = Metadata({**message["metadata"], **meta}).without(removed)

    @precondition(lambda self: bool(self.messages))
    @rule(data=st.data(), with_ghost=st.booleans())
    def delete_messages(self, data: st.DataObject, with_ghost: bool) -> None:
        doomed = data.draw(st.lists(st.sampled_from(sorted(self.messages)), min_size=1, max_size=4))
        with self.uow:
            self.uow.messages.delete([*doomed, "ghost"] if with_ghost else doomed)
            if with_ghost:
                with pytest.raises(NotFound):
                    self.uow.commit()
                return
            self.uow.commit()
        for message_id in set(doomed):
            self.order[self.messages.pop(message_id)["thread_id"]].remove(message_id)

    # -- reads -----------------------------------------------------------------------------

    @precondition(lambda self: bool(self.threads))
    @rule(
        data=st.data(),
        limit=st.integers(0, 6),
        before=st.integers(0, 3),
        after=st.integers(0, 3),
    )
    def recent(self, data: st.DataObject, limit: int, before: int, after: int) -> None:
        thread_id = data.draw(st.sampled_from(sorted(self.threads)))
        anchors = (
            data.draw(st.lists(st.sampled_from(sorted(self.messages)), max_size=3)) if self.messages else []
        )
        got = InMemoryUnitOfWork(self.store).messages.recent(
            thread_id, limit, around=anchors, before=before, after=after
        )
        line = self.order[thread_id]
        newest = line[-limit:] if limit else []
        assert got.last == tuple(self.expected_message(i) for i in newest)
        expected_windows = []
        for anchor in dict.fromkeys(anchors):
            own = self.order[self.messages[anchor]["thread_id"]]
            index = own.index(anchor)
            ids = own[max(0, index - before) : index + after + 1]
            expected_windows.append((anchor, tuple(self.expected_message(i) for i in ids)))
        assert [(w.anchor_id, w.messages) for w in got.windows] == expected_windows

    @precondition(lambda self: bool(self.threads))
    @rule(data=st.data(), limit=st.integers(1, 4), direction=st.sampled_from(Direction))
    def page_through_messages(self, data: st.DataObject, limit: int, direction: Direction) -> None:
        thread_id = data.draw(st.sampled_from(sorted(self.threads)))
        seen: list[Message] = []
        cursor = None
        while True:
            page = self.uow.messages.page(thread_id, limit=limit, cursor=cursor, direction=direction)
            assert len(page.messages) <= limit
            seen.extend(page.messages)
            cursor = page.next_cursor
            if cursor is None:
                break
        expected = [self.expected_message(i) for i in self.order[thread_id]]
        assert seen == (expected if direction is Direction.FORWARD else expected[::-1])

    @rule(
        resource=st.one_of(st.none(), st.sampled_from(RESOURCES)),
        wanted=st.dictionaries(keys, values, max_size=1),
        limit=st.integers(1, 4),
    )
    def list_threads(self, resource: str | None, wanted: Meta, limit: int) -> None:
        matching = [
            t
            for t, fields in self.threads.items()
            if (resource is None or fields["resource_id"] == resource) and has_all(fields["metadata"], wanted)
        ]
        matching.sort(key=lambda t: (to_epoch_ms(self.threads[t]["updated_at"]), t), reverse=True)
        seen: list[Thread] = []
        cursor = None
        while True:
            query = ThreadQuery(resource_id=resource, metadata_filter=wanted, limit=limit, cursor=cursor)
            page = self.uow.threads.list(query)
            seen.extend(page.threads)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == [self.expected_thread(t) for t in matching]

    @invariant()
    def counts_match(self) -> None:
        if not hasattr(self, "store"):
            return
        stats = self.uow.stats()
        metadata = sum(len(t["metadata"]) for t in self.threads.values())
        metadata += sum(len(m["metadata"]) for m in self.messages.values())
        assert (stats.threads, stats.messages, stats.metadata) == (
            len(self.threads),
            len(self.messages),
            metadata,
        )


MemoryStoreMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
test_memory_store_against_the_model = MemoryStoreMachine.TestCase
