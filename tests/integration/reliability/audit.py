"""Read back what the database really holds (straight from the engine, no proxy) and hold every
commit to its outcome: succeeded -> all of it exactly once; refused -> none of it; abandoned after an
unknown outcome -> all of it or none of it. Positions per thread must be 1..n with no gap."""

from __future__ import annotations

import collections
from collections.abc import Iterable, Mapping

import attrs

from adapters.d1.client import D1Client, Statement
from adapters.d1.schema import Tables

from .workload import Outcome, PlannedCommit


@attrs.frozen
class Stored:
    threads: frozenset[str]
    #: message id -> (thread id, position)
    messages: Mapping[str, tuple[str, int]]
    #: how many message rows carry each content text (each commit's texts are unique)
    contents: collections.Counter[str]
    thread_metadata: frozenset[tuple[str, str]]
    message_metadata_keys: Mapping[str, frozenset[str]]


def read_stored(client: D1Client, tables: Tables) -> Stored:
    threads, messages, thread_metadata, message_metadata = client.batch(
        [
            Statement(tables.render("SELECT id AS id FROM $threads")),
            Statement(
                tables.render(
                    "SELECT id AS id, thread_id AS thread_id, position AS position, content AS content "
                    "FROM $messages"
                )
            ),
            Statement(tables.render("SELECT thread_id AS owner, key AS key FROM $thread_metadata")),
            Statement(tables.render("SELECT message_id AS owner, key AS key FROM $message_metadata")),
        ]
    )
    keys: dict[str, set[str]] = collections.defaultdict(set)
    for row in message_metadata.rows:
        keys[row["owner"]].add(row["key"])
    return Stored(
        threads=frozenset(row["id"] for row in threads.rows),
        messages={row["id"]: (row["thread_id"], int(row["position"])) for row in messages.rows},
        contents=collections.Counter(row["content"] for row in messages.rows),
        thread_metadata=frozenset((row["owner"], row["key"]) for row in thread_metadata.rows),
        message_metadata_keys={owner: frozenset(found) for owner, found in keys.items()},
    )


@attrs.define
class Tally:
    commits: int = 0
    outcomes: collections.Counter[str] = attrs.field(factory=collections.Counter)
    faults: collections.Counter[str] = attrs.field(factory=collections.Counter)
    #: Writes (threads, messages, metadata entries) of commits that reported success, missing.
    lost: int = 0
    #: Message rows beyond one per written message (by id or by content), or from no commit at all.
    duplicated: int = 0
    #: Commits found partly written, whatever they reported.
    partial: int = 0
    #: Commits that raised a definite error yet left writes behind.
    refused_but_written: int = 0
    #: Abandoned (unknown) commits found applied whole vs. not at all.
    abandoned_applied: int = 0
    abandoned_absent: int = 0
    receipt_mismatches: int = 0
    position_errors: list[str] = attrs.field(factory=list)

    @property
    def clean(self) -> bool:
        problems = (self.lost, self.duplicated, self.partial, self.refused_but_written)
        return not any(problems) and not self.receipt_mismatches and not self.position_errors

    def render(self) -> str:
        faults = ", ".join(f"{kind} {count}" for kind, count in sorted(self.faults.items()))
        outcomes = ", ".join(f"{kind} {count}" for kind, count in sorted(self.outcomes.items()))
        return (
            f"commits: {self.commits} ({outcomes})\n"
            f"requests by fault kind: {faults}\n"
            f"abandoned after an unknown outcome: {self.abandoned_applied} found applied whole, "
            f"{self.abandoned_absent} found absent\n"
            f"lost: {self.lost}  duplicated: {self.duplicated}  partial: {self.partial}  "
            f"refused-but-written: {self.refused_but_written}  "
            f"receipt mismatches: {self.receipt_mismatches}  position errors: {len(self.position_errors)}"
        )


def present_marks(commit: PlannedCommit, stored: Stored) -> tuple[int, int]:
    """(marks present, marks in all) for one commit; a message counts only with its metadata."""
    threads, messages, metadata = commit.marks()
    wanted = {m.id: frozenset(m.metadata) for m in commit.messages}
    present = len(threads & stored.threads) + len(metadata & stored.thread_metadata)
    present += sum(
        1
        for message_id in messages
        if message_id in stored.messages
        and stored.message_metadata_keys.get(message_id, frozenset()) == wanted[message_id]
    )
    return present, len(threads) + len(messages) + len(metadata)


def _positions(stored: Stored) -> list[str]:
    by_thread: dict[str, list[int]] = collections.defaultdict(list)
    for thread_id, position in stored.messages.values():
        by_thread[thread_id].append(position)
    return [
        f"thread {thread_id}: positions {sorted(positions)}"
        for thread_id, positions in by_thread.items()
        if sorted(positions) != list(range(1, len(positions) + 1))
    ]


def audit(commits: Iterable[PlannedCommit], stored: Stored) -> Tally:
    tally = Tally()
    planned_ids: set[str] = set()
    for commit in commits:
        assert commit.outcome is not None
        tally.commits += 1
        tally.outcomes[commit.outcome.value] += 1
        planned_ids |= {m.id for m in commit.messages}
        present, total = present_marks(commit, stored)
        if 0 < present < total:
            tally.partial += 1
        if commit.outcome.succeeded:
            tally.lost += total - present
            assert commit.receipt is not None
            expected = {m.id: stored.messages[m.id][1] for m in commit.messages if m.id in stored.messages}
            tally.receipt_mismatches += dict(commit.receipt.positions) != expected
        elif commit.outcome is Outcome.REFUSED:
            tally.refused_but_written += present > 0
        elif present == total:
            tally.abandoned_applied += 1
        elif present == 0:
            tally.abandoned_absent += 1
    tally.duplicated = sum(count - 1 for count in stored.contents.values() if count > 1)
    tally.duplicated += len(set(stored.messages) - planned_ids)
    tally.position_errors = _positions(stored)
    return tally
