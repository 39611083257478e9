"""Which recorded operation made a failed batch fail.

D1's error names the kind of failure (a guard's kind, or the UNIQUE index) but not the statement,
and RAISE cannot carry the subject. When more than one operation could have failed that way, one
read of the state involved lets us replay the operations in order and find the first that fails —
exactly the rule the in-memory model follows.
"""

from __future__ import annotations

import re

import attrs

from adapters.d1 import sql_reads
from adapters.d1.client import Statement, StatementResult
from adapters.d1.errors import D1QueryError, SqlFailure
from adapters.d1.guards import GuardKind, fired_guard
from adapters.d1.rows import integer, text
from adapters.d1.schema import Tables
from adapters.recording import (
    AddMessage,
    AddThread,
    DeleteMessages,
    DeleteThread,
    Operation,
    UpdateMessage,
    UpdateThread,
)
from domain.errors import AlreadyExists, ConcurrencyConflict, D1StoreError, NotFound


def _unique_on(exc: D1QueryError, table: str, column: str) -> bool:
    if exc.failure is not SqlFailure.UNIQUE:
        return False
    return re.search(rf"(?<![\w]){re.escape(table)}\.{column}\b", exc.d1_message) is not None


def is_ledger_hit(tables: Tables, exc: D1QueryError) -> bool:
    """The commit's idempotency key was already recorded: it was applied before."""
    return _unique_on(exc, tables.commits, "key")


def _candidates(tables: Tables, ops: list[Operation], exc: D1QueryError) -> list[D1StoreError]:
    """The error each operation that could have failed this way would raise."""
    guard = fired_guard(exc.d1_message)
    found: list[D1StoreError] = []
    for op in ops:
        if guard is GuardKind.THREAD_MISSING:
            if isinstance(op, AddMessage):
                found.append(NotFound("thread", op.message.thread_id))
            elif isinstance(op, UpdateThread | DeleteThread):
                found.append(NotFound("thread", op.thread_id))
        elif guard is GuardKind.VERSION_CONFLICT:
            if isinstance(op, UpdateThread | DeleteThread) and op.expected_version is not None:
                found.append(ConcurrencyConflict(op.thread_id, op.expected_version))
        elif guard is GuardKind.MESSAGE_MISSING:
            if isinstance(op, UpdateMessage):
                found.append(NotFound("message", op.message_id))
            elif isinstance(op, DeleteMessages):
                found += [NotFound("message", message_id) for message_id in op.message_ids]
        elif isinstance(op, AddThread) and _unique_on(exc, tables.threads, "id"):
            found.append(AlreadyExists("thread", op.thread.id))
        elif isinstance(op, AddMessage) and _unique_on(exc, tables.messages, "id"):
            found.append(AlreadyExists("message", op.message.id))
    return found


def obvious_error(tables: Tables, ops: list[Operation], exc: D1QueryError) -> D1StoreError | None:
    """The domain error when only one operation could have failed this way."""
    distinct = {str(error): error for error in _candidates(tables, ops, exc)}
    return next(iter(distinct.values())) if len(distinct) == 1 else None


def explains(tables: Tables, ops: list[Operation], exc: D1QueryError) -> bool:
    """Whether the failure is one an operation's condition causes (else it is a storage fault)."""
    return bool(_candidates(tables, ops, exc))


def snapshot_statements(tables: Tables, ops: list[Operation]) -> list[Statement]:
    thread_ids: dict[str, None] = {}
    message_ids: dict[str, None] = {}
    for op in ops:
        if isinstance(op, AddThread):
            thread_ids[op.thread.id] = None
        elif isinstance(op, AddMessage):
            thread_ids[op.message.thread_id] = None
            message_ids[op.message.id] = None
        elif isinstance(op, UpdateThread | DeleteThread):
            thread_ids[op.thread_id] = None
        elif isinstance(op, UpdateMessage):
            message_ids[op.message_id] = None
        else:
            message_ids.update(dict.fromkeys(op.message_ids))
    return [sql_reads.thread_versions(tables, thread_ids), sql_reads.message_owners(tables, message_ids)]


@attrs.define
class _State:
    versions: dict[str, int]
    owners: dict[str, str]

    def thread_check(self, thread_id: str, expected: int | None) -> D1StoreError | None:
        if thread_id not in self.versions:
            return NotFound("thread", thread_id)
        if expected is not None and self.versions[thread_id] != expected:
            return ConcurrencyConflict(thread_id, expected)
        return None


def _apply(state: _State, op: Operation) -> D1StoreError | None:
    if isinstance(op, AddThread):
        if op.thread.id in state.versions:
            return AlreadyExists("thread", op.thread.id)
        state.versions[op.thread.id] = op.thread.version
    elif isinstance(op, AddMessage):
        if op.message.thread_id not in state.versions:
            return NotFound("thread", op.message.thread_id)
        if op.message.id in state.owners:
            return AlreadyExists("message", op.message.id)
        state.owners[op.message.id] = op.message.thread_id
    elif isinstance(op, UpdateThread):
        error = state.thread_check(op.thread_id, op.expected_version)
        if error is None:
            state.versions[op.thread_id] += 1
        return error
    elif isinstance(op, DeleteThread):
        error = state.thread_check(op.thread_id, op.expected_version)
        if error is None:
            del state.versions[op.thread_id]
            state.owners = {m: t for m, t in state.owners.items() if t != op.thread_id}
        return error
    elif isinstance(op, UpdateMessage):
        if op.message_id not in state.owners:
            return NotFound("message", op.message_id)
    else:
        missing = [m for m in op.message_ids if m not in state.owners]
        if missing:
            return NotFound("message", missing[0])
        for message_id in op.message_ids:
            del state.owners[message_id]
    return None


def first_failure(ops: list[Operation], results: list[StatementResult]) -> D1StoreError | None:
    """Replay ``ops`` on the state ``snapshot_statements`` read; the first error, if any."""
    versions = {text(row, "id"): integer(row, "version") for row in results[0].rows}
    owners = {text(row, "id"): text(row, "thread_id") for row in results[1].rows}
    state = _State(versions, owners)
    for op in ops:
        error = _apply(state, op)
        if error is not None:
            return error
    return None


def fallback_error(tables: Tables, ops: list[Operation], exc: D1QueryError) -> D1StoreError:
    """When the replay finds nothing (the state moved on since): the first candidate."""
    candidates = _candidates(tables, ops, exc)
    return candidates[0] if candidates else exc
