"""The use cases in service/, driven on the in-memory adapter and checked against plain dicts and lists.

The model knows only docs/SEMANTICS.md: positions count up per thread and are never reused, edits
bump the version, a stale expected version changes nothing, a delete takes everything with it.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import service
from adapters.memory import InMemoryUnitOfWork
from domain import ConcurrencyConflict, InvalidInput, Message, NotFound, Thread, ThreadPatch

keys = st.sampled_from(["a", "b", "c"])
values = st.sampled_from([1, 1.0, True, "x", None, {"n": [1]}])
metadata = st.dictionaries(keys, values, max_size=3)
contents = st.one_of(st.sampled_from(["hi", "שלום", "🙂", ""]), st.just([{"type": "text", "text": "p"}]))
roles = st.sampled_from(["user", "assistant", "tool", "system"])


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class ServiceMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.uow = InMemoryUnitOfWork()
        # thread id -> {"resource", "title", "metadata" (key -> canonical JSON), "version", "updated_at"}
        self.threads: dict[str, dict[str, Any]] = {}
        # thread id -> [(message id, position, content)]; message id -> thread id
        self.messages: dict[str, list[tuple[str, int, Any]]] = {}
        self.last_position: dict[str, int] = {}

    def _pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.threads)))

    def _adopt(self, thread: Thread) -> None:
        """A committed thread must match the model; then its new version and activity are taken over."""
        model = self.threads[thread.id]
        assert thread.title == model["title"]
        assert thread.resource_id == model["resource"]
        assert {k: canonical(v) for k, v in thread.metadata.items()} == model["metadata"]
        assert thread.version == model["version"]
        assert thread.updated_at >= model["updated_at"]
        model["updated_at"] = thread.updated_at

    @rule(resource=st.sampled_from(["alice", "bob"]), title=st.none() | st.just("t"), meta=metadata)
    def start_thread(self, resource: str, title: str | None, meta: dict[str, Any]) -> None:
        thread = service.start_thread(self.uow, resource, title=title, metadata=meta)
        self.threads[thread.id] = {
            "resource": resource,
            "title": title,
            "metadata": {k: canonical(v) for k, v in meta.items()},
            "version": 1,
            "updated_at": thread.updated_at,
        }
        self.messages[thread.id] = []
        self.last_position[thread.id] = 0
        self._adopt(thread)

    @precondition(lambda self: self.threads)
    @rule(data=st.data(), batch=st.lists(st.tuples(roles, contents), min_size=1, max_size=4))
    def append(self, data: st.DataObject, batch: list[tuple[str, Any]]) -> None:
        thread_id = self._pick(data)
        drafts = [Message.new(thread_id, role, content) for role, content in batch]
        stored = service.append_messages(self.uow, thread_id, drafts)
        expected = self.last_position[thread_id]
        for message in stored:
            expected += 1
            assert message.position == expected
            self.messages[thread_id].append((message.id, expected, message.content))
        self.last_position[thread_id] = expected
        self._adopt(service.get_thread(self.uow, thread_id))

    @precondition(lambda self: self.threads)
    @rule(data=st.data(), set_=metadata, remove=st.sets(keys, max_size=2), stale=st.booleans())
    def update(self, data: st.DataObject, set_: dict[str, Any], remove: set[str], stale: bool) -> None:
        thread_id = self._pick(data)
        model = self.threads[thread_id]
        remove -= set(set_)
        expected = model["version"] + (1 if stale else 0)
        try:
            thread = service.update_thread(
                self.uow,
                thread_id,
                set_metadata=set_,
                remove_metadata=remove,
                expected_version=expected,
            )
        except ConcurrencyConflict:
            assert stale
            return
        assert not stale
        model["metadata"].update({k: canonical(v) for k, v in set_.items()})
        for key in remove:
            model["metadata"].pop(key, None)
        model["version"] += 1
        self._adopt(thread)

    @precondition(lambda self: self.threads)
    @rule(data=st.data(), value=values)
    def edit_with_retry(self, data: st.DataObject, value: Any) -> None:
        """Read-modify-write through the retry helper: the new key is added on top of what was read."""
        thread_id = self._pick(data)
        model = self.threads[thread_id]
        thread = service.edit_thread(self.uow, thread_id, lambda t: ThreadPatch(set_metadata={"c": value}))
        model["metadata"]["c"] = canonical(value)
        model["version"] += 1
        self._adopt(thread)

    @precondition(lambda self: any(self.messages.values()))
    @rule(data=st.data())
    def delete_some_messages(self, data: st.DataObject) -> None:
        thread_id = data.draw(st.sampled_from(sorted(t for t, ms in self.messages.items() if ms)))
        ids = [message_id for message_id, _, _ in self.messages[thread_id]]
        doomed = set(data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)))
        service.delete_messages(self.uow, sorted(doomed))
        self.messages[thread_id] = [m for m in self.messages[thread_id] if m[0] not in doomed]

    @precondition(lambda self: self.threads)
    @rule(data=st.data())
    def delete_thread(self, data: st.DataObject) -> None:
        thread_id = self._pick(data)
        service.delete_thread(self.uow, thread_id)
        del self.threads[thread_id], self.messages[thread_id], self.last_position[thread_id]
        try:
            service.get_thread(self.uow, thread_id)
        except NotFound:
            return
        raise AssertionError("a deleted thread is still there")

    @precondition(lambda self: self.threads)
    @rule(data=st.data(), last=st.integers(0, 5), k=st.integers(0, 2))
    def recent(self, data: st.DataObject, last: int, k: int) -> None:
        thread_id = self._pick(data)
        stored = self.messages[thread_id]
        anchors = [stored[0][0]] if stored else []
        got = service.recent_messages(self.uow, thread_id, last=last, around=anchors, before=k, after=k)
        newest = stored[max(0, len(stored) - last) :] if last else []
        assert [(m.id, m.position, m.content) for m in got.last] == newest
        for window in got.windows:
            index = [m for m, _, _ in stored].index(window.anchor_id)
            lo, hi = max(0, index - k), index + k + 1
            assert [m.id for m in window.messages] == [m for m, _, _ in stored[lo:hi]]

    @rule(resource=st.sampled_from(["alice", "bob", None]), wanted=metadata, limit=st.integers(1, 3))
    def list_all_pages(self, resource: str | None, wanted: dict[str, Any], limit: int) -> None:
        seen: list[str] = []
        cursor = None
        while True:
            page = service.list_threads(
                self.uow, resource_id=resource, metadata=wanted, cursor=cursor, limit=limit
            )
            seen.extend(t.id for t in page.threads)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        expected = sorted(
            (
                t
                for t, m in self.threads.items()
                if resource in (None, m["resource"])
                and all(m["metadata"].get(k) == canonical(v) for k, v in wanted.items())
            ),
            key=lambda t: (self.threads[t]["updated_at"], t),
            reverse=True,
        )
        assert seen == expected

    @rule()
    def refuse_bad_input(self) -> None:
        try:
            service.start_thread(self.uow, "")
        except InvalidInput as error:
            assert error.field == "thread.resource_id"
        else:
            raise AssertionError("an empty resource id was accepted")

    @invariant()
    def positions_are_increasing(self) -> None:
        for stored in self.messages.values():
            positions = [p for _, p, _ in stored]
            assert positions == sorted(set(positions))


ServiceMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=20, deadline=None)
test_services_against_the_model = ServiceMachine.TestCase
