"""The shared committed state: any number of in-memory units of work commit into one store."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import attrs

from adapters.memory.apply import apply
from adapters.memory.draft import Draft
from adapters.memory.tables import Tables
from adapters.recording import AddMessage, AddThread, Operation, UpdateThread
from domain.message import Message
from domain.thread import Thread
from domain.views import CommitReceipt

T = TypeVar("T")


@attrs.frozen
class StoreSnapshot:
    """Everything committed, as plain values: compare two snapshots to see what a commit changed."""

    threads: Mapping[str, Thread]
    last_positions: Mapping[str, int]
    messages: Mapping[str, Message]
    #: Message ids of each thread in position order.
    message_order: Mapping[str, tuple[str, ...]]
    idempotency_keys: frozenset[str]


def _receipt(operations: Sequence[Operation], view: Draft, key: str, already_applied: bool) -> CommitReceipt:
    """Positions and threads read back from ``view`` after the commit, the same for a first commit
    and for a replay, so rows deleted later in the same commit (or since) are absent."""
    positions: dict[str, int] = {}
    touched: dict[str, None] = {}
    for op in operations:
        if isinstance(op, AddThread):
            touched[op.thread.id] = None
        elif isinstance(op, UpdateThread):
            touched[op.thread_id] = None
        elif isinstance(op, AddMessage):
            touched[op.message.thread_id] = None
            message = view.message(op.message.id)
            if message is not None and message.position is not None:
                positions[message.id] = message.position
    threads = {thread_id: row.thread for thread_id in touched if (row := view.thread(thread_id)) is not None}
    return CommitReceipt(key, positions=positions, threads=threads, already_applied=already_applied)


class InMemoryStore:
    def __init__(self) -> None:
        self._tables = Tables()
        self._lock = threading.Lock()

    def read(self, query: Callable[[Tables], T]) -> T:
        """Run ``query`` against the committed tables, with no commit in between."""
        with self._lock:
            return query(self._tables)

    def commit(self, operations: Sequence[Operation], idempotency_key: str) -> CommitReceipt:
        """Apply ``operations`` in order, all or nothing, once per idempotency key."""
        with self._lock:
            draft = Draft(self._tables)
            if idempotency_key in self._tables.idempotency_keys:
                return _receipt(operations, draft, idempotency_key, already_applied=True)
            for operation in operations:
                apply(operation, draft)
            receipt = _receipt(operations, draft, idempotency_key, already_applied=False)
            draft.write_back()
            self._tables.idempotency_keys.add(idempotency_key)
            return receipt

    def snapshot(self) -> StoreSnapshot:
        with self._lock:
            tables = self._tables
            return StoreSnapshot(
                threads={thread_id: row.thread for thread_id, row in tables.threads.items()},
                last_positions={thread_id: row.last_position for thread_id, row in tables.threads.items()},
                messages=dict(tables.messages),
                message_order={thread_id: tuple(line.ids()) for thread_id, line in tables.timelines.items()},
                idempotency_keys=frozenset(tables.idempotency_keys),
            )
