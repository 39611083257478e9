"""The commit as pure functions: recorded operations -> ONE batch, and its results -> a receipt.

Batch layout: [ledger insert] + each operation's statements in recording order + [threads read]
+ [ledger prune]. The ledger insert comes first so a repeated key fails before anything else.

The receipt shows the state as committed, exactly as a replay's read-back does. Its threads are
read back at the end of the batch. Its positions come from the appends themselves: each run's
thread update returns the thread's new ``last_position``, and the run's k messages hold the k
positions up to it. Which added messages still exist at the end is known from the recorded
operations alone (a later delete of the id, or of the thread, the only ways a row goes), so a
message added and then deleted in the same commit has no position, as SEMANTICS.md requires. A
replay has no such results and reads the positions back by id.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from adapters.d1 import sql_messages, sql_reads, sql_threads
from adapters.d1.client import Statement, StatementResult
from adapters.d1.rows import integer, text, thread_from_row
from adapters.d1.schema import Tables
from adapters.recording import (
    AddMessage,
    AddThread,
    DeleteMessages,
    DeleteThread,
    Operation,
    UpdateMessage,
    UpdateThread,
    added_message_ids,
    touched_threads,
)
from domain.thread import Thread
from domain.timestamps import to_epoch_ms
from domain.views import CommitReceipt

#: Keys are kept at least 24 h (SEMANTICS.md); the extra hour absorbs clock skew between clients,
#: since the key's time and the prune's cut-off come from different clients' clocks.
LEDGER_RETENTION_MS = 25 * 60 * 60 * 1000


#: Where an added message's position comes from, for one still present at the end of the commit:
#: (index in the batch of its run's thread update, which returns the new ``last_position``; how
#: far before that it sits, 0 for the run's last message; its thread). A plain tuple, not an attrs
#: class: one is made per message appended.
_Added = tuple[int, int, str]


@attrs.frozen
class CommitPlan:
    statements: tuple[Statement, ...]
    #: Where the receipt's threads read is.
    receipt_index: int
    #: Added message id -> where its position is, for those not deleted later in the commit.
    added: dict[str, _Added]


def _runs(ops: list[Operation]) -> Iterator[Operation | list[AddMessage]]:
    """Operations, with each run of consecutive adds to one thread grouped together."""
    run: list[AddMessage] = []
    for op in ops:
        if run and not (isinstance(op, AddMessage) and op.message.thread_id == run[0].message.thread_id):
            yield run
            run = []
        if isinstance(op, AddMessage):
            run.append(op)
        else:
            yield op
    if run:
        yield run


def _op_statements(tables: Tables, op: Operation) -> list[Statement]:
    if isinstance(op, AddThread):
        return sql_threads.add_thread(tables, op.thread)
    if isinstance(op, UpdateThread):
        return sql_threads.update_thread(
            tables, op.thread_id, op.patch, op.expected_version, to_epoch_ms(op.at)
        )
    if isinstance(op, DeleteThread):
        return sql_threads.delete_thread(tables, op.thread_id, op.expected_version)
    if isinstance(op, UpdateMessage):
        return sql_messages.update_message(tables, op.message_id, op.patch)
    if isinstance(op, DeleteMessages):
        return sql_messages.delete_messages(tables, op.message_ids)
    raise TypeError(f"not an operation: {op!r}")  # AddMessage goes through _runs


def plan_commit(tables: Tables, ops: list[Operation], idempotency_key: str, now_ms: int) -> CommitPlan:
    statements = [
        Statement(
            tables.render("INSERT INTO $commits (key, committed_at) VALUES (?1, CAST(?2 AS INTEGER))"),
            (idempotency_key, now_ms),
        )
    ]
    added: dict[str, _Added] = {}
    for item in _runs(ops):
        if isinstance(item, list):
            messages = [op.message for op in item]
            thread_id = messages[0].thread_id
            run = sql_messages.append_run(tables, thread_id, messages)
            moved = len(statements) + run.moved
            statements += run.statements
            for back, message in enumerate(reversed(messages)):
                added[message.id] = (moved, back, thread_id)
        else:
            statements += _op_statements(tables, item)
            _forget_deleted(added, item)
    receipt_index = len(statements)
    statements.append(sql_reads.threads_by_ids(tables, touched_threads(ops)))
    statements.append(
        Statement(
            tables.render("DELETE FROM $commits WHERE committed_at < CAST(?1 AS INTEGER)"),
            (now_ms - LEDGER_RETENTION_MS,),
        )
    )
    return CommitPlan(tuple(statements), receipt_index, added)


def _forget_deleted(added: dict[str, _Added], op: Operation) -> None:
    """Drop the added messages ``op`` deletes: by id, or with their thread (foreign-key cascade)."""
    if isinstance(op, DeleteMessages):
        for message_id in op.message_ids:
            added.pop(message_id, None)
    elif isinstance(op, DeleteThread):
        for message_id in [key for key, (_, _, thread_id) in added.items() if thread_id == op.thread_id]:
            del added[message_id]


def receipt(plan: CommitPlan, results: list[StatementResult], idempotency_key: str) -> CommitReceipt:
    last_positions: dict[int, int] = {}
    positions: dict[str, int] = {}
    for message_id, (moved, back, _) in plan.added.items():
        last = last_positions.get(moved)
        if last is None:
            last = last_positions[moved] = integer(results[moved].rows[0], "last_position")
        positions[message_id] = last - back
    return CommitReceipt(
        idempotency_key=idempotency_key,
        positions=positions,
        threads=_threads(results[plan.receipt_index]),
        already_applied=False,
    )


def readback_statements(tables: Tables, ops: list[Operation]) -> list[Statement]:
    """For a key applied before: the positions and threads as they are now."""
    return [
        sql_reads.message_positions(tables, added_message_ids(ops)),
        sql_reads.threads_by_ids(tables, touched_threads(ops)),
    ]


def readback_receipt(results: list[StatementResult], idempotency_key: str) -> CommitReceipt:
    return CommitReceipt(
        idempotency_key=idempotency_key,
        positions={text(row, "message_id"): integer(row, "message_position") for row in results[0].rows},
        threads=_threads(results[1]),
        already_applied=True,
    )


def _threads(result: StatementResult) -> dict[str, Thread]:
    return {thread.id: thread for thread in map(thread_from_row, result.rows)}
