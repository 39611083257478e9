"""Stateful comparison: every step runs on a D1 backend AND on the in-memory reference model, and
the two must agree on everything observable — receipts, positions, versions, errors, list order
and cursors, recent windows, pages, counts."""

from __future__ import annotations

import os

import attrs
import hypothesis.strategies as st
from hypothesis import HealthCheck, event, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from adapters.memory import InMemoryUnitOfWork
from domain import D1StoreError, Direction, Message, MessagePatch, Thread, ThreadPatch, ThreadQuery

from .helpers import at

THREADS = ["t0", "t1", "t2"]
MESSAGES = [f"m{i}" for i in range(8)]

thread_ids = st.sampled_from(THREADS)
message_ids = st.sampled_from(MESSAGES)
seconds = st.integers(0, 50)
small_metadata = st.dictionaries(
    st.sampled_from(["a", "b"]), st.sampled_from([1, 1.0, True, "x", [1]]), max_size=2
)
versions = st.none() | st.integers(1, 4)
counts = st.integers(0, 4)
#: After a write: commit now (most often with a fresh key, sometimes with a reused one), or not.
then_commit = st.sampled_from([None, None, "fresh", "fresh", "k0", "k1"])
EXAMPLES = int(os.environ.get("D1STORE_MODEL_EXAMPLES", "40"))


def outcome(call):
    """A call's result, or its error as (type, message): both sides must match either way."""
    try:
        return ("ok", call())
    except D1StoreError as exc:
        return ("error", type(exc).__name__, str(exc))


def make_machine(new_backend_uow):
    class ModelComparison(RuleBasedStateMachine):
        @initialize()
        def fresh(self):
            self.sut = new_backend_uow()
            self.model = InMemoryUnitOfWork()
            # Two committed threads to start from, so most examples reach successful appends.
            for thread_id in THREADS[:2]:
                self.both(lambda uow, t=thread_id: uow.threads.add(Thread.new("r1", id=t, at=at(0))))
            self.commit_both("seed")

        def both(self, action):
            got, want = outcome(lambda: action(self.sut)), outcome(lambda: action(self.model))
            assert got == want
            return got

        def commit_both(self, key: str | None, keep_on_failure: bool = False) -> None:
            got = outcome(lambda: self.sut.commit(idempotency_key=key))
            want = outcome(lambda: self.model.commit(idempotency_key=key))
            if got[0] == want[0] == "ok" and key is None:
                # Fresh keys differ; everything else must not.
                got = ("ok", attrs.evolve(got[1], idempotency_key="fresh"))
                want = ("ok", attrs.evolve(want[1], idempotency_key="fresh"))
            assert got == want
            event("commit: " + (f"ok, {len(got[1].positions)} positions" if got[0] == "ok" else got[1]))
            if got[0] == "error" and not keep_on_failure:
                self.sut.rollback()
                self.model.rollback()

        def record(self, action, finish: str | None) -> None:
            self.both(action)
            if finish is not None:
                self.commit_both(None if finish == "fresh" else finish)

        def existing_or_any_message(self, data) -> str:
            """Mostly ids that exist, so edits and deletions usually get through."""
            existing = sorted(self.model.store.snapshot().messages)
            pick_existing = existing and data.draw(st.booleans())
            return data.draw(st.sampled_from(existing) if pick_existing else message_ids)

        @rule(
            thread_id=thread_ids, resource=st.sampled_from(["r1", "r2"]), s=seconds, metadata=small_metadata
        )
        def add_thread(self, thread_id, resource, s, metadata):
            new = Thread.new(resource, id=thread_id, at=at(s), metadata=metadata, title=f"title {s}")
            self.record(lambda uow: uow.threads.add(new), "fresh")

        @rule(
            thread_id=st.sampled_from(["t0", "t0", "t1", "t2"]),
            message_id=message_ids,
            s=seconds,
            metadata=small_metadata,
            text=st.booleans(),
            finish=then_commit,
        )
        def add_message(self, thread_id, message_id, s, metadata, text, finish):
            content = f"said {s}" if text else [{"type": "tool", "n": s}]
            new = Message.new(thread_id, "assistant", content, id=message_id, at=at(s), metadata=metadata)
            self.record(lambda uow: uow.messages.add(new), finish)

        @rule(
            thread_id=thread_ids,
            title=st.none() | st.just("renamed"),
            metadata=small_metadata,
            remove=st.sampled_from([(), ("a",), ("c",)]),
            expected=versions,
            s=seconds,
            finish=then_commit,
        )
        def update_thread(self, thread_id, title, metadata, remove, expected, s, finish):
            metadata = {k: v for k, v in metadata.items() if k not in remove}
            patch = ThreadPatch(title=title, set_metadata=metadata, remove_metadata=remove)
            self.record(
                lambda uow: uow.threads.update(thread_id, patch, expected_version=expected, at=at(s)), finish
            )

        @rule(thread_id=thread_ids, expected=versions, finish=then_commit)
        def delete_thread(self, thread_id, expected, finish):
            self.record(lambda uow: uow.threads.delete(thread_id, expected_version=expected), finish)

        @rule(
            data=st.data(),
            content=st.sampled_from(["edited", {"x": 1}]),
            metadata=small_metadata,
            finish=then_commit,
        )
        def update_message(self, data, content, metadata, finish):
            message_id = self.existing_or_any_message(data)
            patch = MessagePatch(content=content, set_metadata=metadata)
            self.record(lambda uow: uow.messages.update(message_id, patch), finish)

        @rule(data=st.data(), size=st.integers(0, 2), finish=then_commit)
        def delete_messages(self, data, size, finish):
            ids = [self.existing_or_any_message(data) for _ in range(size)]
            self.record(lambda uow: uow.messages.delete(ids), finish)

        @rule(key=st.sampled_from([None, "k0"]), keep_on_failure=st.booleans())
        def commit(self, key, keep_on_failure):
            self.commit_both(key, keep_on_failure)

        @rule(resource=st.none() | st.just("r1"), metadata=small_metadata, limit=st.integers(1, 3))
        def list_all_pages(self, resource, metadata, limit):
            query = ThreadQuery(resource_id=resource, metadata_filter=metadata, limit=limit)
            while True:
                page = self.both(lambda uow, q=query: uow.threads.list(q))[1]
                if page.next_cursor is None:
                    return
                query = attrs.evolve(query, cursor=page.next_cursor)

        @rule(
            thread_id=thread_ids,
            limit=counts,
            around=st.lists(message_ids, max_size=3),
            before=counts,
            after=counts,
        )
        def recent(self, thread_id, limit, around, before, after):
            self.both(
                lambda uow: uow.messages.recent(thread_id, limit, around=around, before=before, after=after)
            )

        @rule(thread_id=thread_ids, limit=st.integers(1, 3), direction=st.sampled_from(list(Direction)))
        def page_through(self, thread_id, limit, direction):
            cursor = None
            while True:
                result = self.both(
                    lambda uow, c=cursor: uow.messages.page(
                        thread_id, limit=limit, cursor=c, direction=direction
                    )
                )
                if result[0] == "error" or result[1].next_cursor is None:
                    return
                cursor = result[1].next_cursor

        @rule(thread_id=thread_ids, message_id=message_ids)
        def get_and_count(self, thread_id, message_id):
            self.both(lambda uow: uow.threads.get(thread_id))
            self.both(lambda uow: uow.messages.get(message_id))
            self.both(lambda uow: uow.threads.existing(THREADS))
            self.both(lambda uow: (uow.stats().threads, uow.stats().messages, uow.stats().metadata))

    return ModelComparison


MODEL_SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_d1_backend_matches_the_model(fresh_d1_stores):
    run_state_machine_as_test(make_machine(fresh_d1_stores), settings=MODEL_SETTINGS)
