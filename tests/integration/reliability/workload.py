"""A seeded stream of random commits, and a driver that commits each one the way a careful user
would: on CommitOutcomeUnknown, commit again with the same idempotency key (or give up).

Every commit leaves *marks* only it can leave — its new thread ids, its message ids, and a thread
metadata key named after it — so the audit can tell, for each commit, whether all of it, none of it
or part of it reached the database.
"""

from __future__ import annotations

import enum
import random

import attrs

from domain import CommitOutcomeUnknown, D1StoreError, Message, Thread, ThreadPatch
from domain.ports import UnitOfWork
from domain.views import CommitReceipt

#: Text that exercises the encoding on every hop: emoji, RTL, combining marks, quotes.
FLAVOURS = ("plain", "emoji 🧪🚀", "RTL שלום עולם", "combining e\u0301", "quotes ' \" ; --")


class Outcome(enum.Enum):
    APPLIED = "applied"  # the first commit call returned a receipt
    RECOVERED = "recovered"  # unknown at first; committing again with the same key succeeded
    REFUSED = "refused"  # a definite error: nothing may have been written
    ABANDONED = "abandoned"  # unknown, and the user gave up: all of it or none of it

    @property
    def succeeded(self) -> bool:
        return self in (Outcome.APPLIED, Outcome.RECOVERED)


@attrs.define
class PlannedCommit:
    number: int
    key: str
    new_threads: list[Thread] = attrs.field(factory=list)
    messages: list[Message] = attrs.field(factory=list)
    #: (thread id, patch, expected version) per metadata edit.
    edits: list[tuple[str, ThreadPatch, int | None]] = attrs.field(factory=list)
    outcome: Outcome | None = None
    receipt: CommitReceipt | None = None
    unknown_calls: int = 0
    error: str = ""

    def marks(self) -> tuple[set[str], set[str], set[tuple[str, str]]]:
        """(thread ids, message ids, (thread id, metadata key)) this commit writes."""
        metadata = {(t.id, key) for t in self.new_threads for key in t.metadata}
        metadata |= {(thread_id, key) for thread_id, patch, _ in self.edits for key in patch.set_metadata}
        return {t.id for t in self.new_threads}, {m.id for m in self.messages}, metadata

    def record(self, uow: UnitOfWork) -> None:
        # Recording order mixes kinds so all-or-nothing spans different statements of one batch.
        for thread in self.new_threads:
            uow.threads.add(thread)
        for thread_id, patch, expected in self.edits:
            uow.threads.update(thread_id, patch, expected_version=expected)
        for message in self.messages:
            uow.messages.add(message)


@attrs.define
class Planner:
    """Draws commits: new threads with messages, appends, metadata edits, and mixtures of them."""

    rng: random.Random
    #: Threads known to exist, with the version the last receipt reported.
    known: dict[str, int] = attrs.field(factory=dict)

    def _messages(self, n: int, thread_id: str, count: int, tag: str) -> list[Message]:
        return [
            Message.new(
                thread_id,
                self.rng.choice(["user", "assistant", "tool"]),
                # Unique per message, so a row stored twice under any id shows up in the audit.
                f"c{n}-{tag}{i} {self.rng.choice(FLAVOURS)}",
                metadata={"commit": n, "index": i},
                id=f"c{n}-{tag}{i}",
            )
            for i in range(count)
        ]

    def _edit(self, n: int, thread_id: str) -> tuple[str, ThreadPatch, int | None]:
        version: int | None = self.known[thread_id]
        roll = self.rng.random()
        if roll < 0.1:
            version = max(1, (version or 1) - 1)  # stale on purpose (or current at version 1)
        elif roll < 0.3:
            version = None
        return thread_id, ThreadPatch(set_metadata={f"c{n}": n}), version

    def next(self, n: int) -> PlannedCommit:
        commit = PlannedCommit(n, f"key-{n}")
        kind = self.rng.choice(["new", "append", "edit", "mixed"]) if self.known else "new"
        if kind in ("new", "mixed"):
            thread = Thread.new(f"resource-{n % 7}", id=f"c{n}-t", metadata={f"c{n}": "created"})
            commit.new_threads.append(thread)
            commit.messages += self._messages(n, thread.id, self.rng.randint(0, 4), "m")
        if kind in ("append", "mixed"):
            target = self.rng.choice(sorted(self.known))
            commit.messages += self._messages(n, target, self.rng.randint(1, 5), "a")
        if kind in ("edit", "mixed"):
            commit.edits.append(self._edit(n, self.rng.choice(sorted(self.known))))
        return commit

    def learn(self, receipt: CommitReceipt) -> None:
        for thread_id, thread in receipt.threads.items():
            self.known[thread_id] = thread.version


def run_commit(uow: UnitOfWork, commit: PlannedCommit, *, user_retries: int) -> None:
    """Commit, then on CommitOutcomeUnknown commit again with the same key up to ``user_retries`` times."""
    with uow:
        commit.record(uow)
        for call in range(user_retries + 1):
            try:
                commit.receipt = uow.commit(idempotency_key=commit.key)
                commit.outcome = Outcome.APPLIED if call == 0 else Outcome.RECOVERED
                return
            except CommitOutcomeUnknown as unknown:
                assert unknown.idempotency_key == commit.key
                commit.unknown_calls += 1
                commit.error = type(unknown).__name__
            except D1StoreError as refused:
                commit.error = type(refused).__name__
                if commit.unknown_calls == 0:
                    # Definite from the first call: every attempt was turned away or refused.
                    commit.outcome = Outcome.REFUSED
                    return
        commit.outcome = Outcome.ABANDONED
