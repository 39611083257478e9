"""The commit as pure functions: recorded operations -> ONE batch, and its results -> a receipt.

Batch layout: [ledger insert] + each operation's statements in recording order + [receipt reads]
+ [ledger prune]. The ledger insert comes first so a repeated key fails before anything else. The
receipt is read back at the end of the batch, so it shows the state as committed (a message added
and then deleted in the same commit has no position), exactly as a replay's read-back does.
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
from domain.timestamps import to_epoch_ms
from domain.views import CommitReceipt

#: Keys are kept at least 24 h (SEMANTICS.md); the extra hour absorbs clock skew between clients,
#: since the key's time and the prune's cut-off come from different clients' clocks.
LEDGER_RETENTION_MS = 25 * 60 * 60 * 1000


@attrs.frozen
class CommitPlan:
    statements: tuple[Statement, ...]
    #: Where the two receipt reads (positions, threads) are.
    receipt_index: int


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
    for item in _runs(ops):
        if isinstance(item, list):
            messages = [op.message for op in item]
            statements += sql_messages.append_run(tables, messages[0].thread_id, messages)
        else:
            statements += _op_statements(tables, item)
    receipt_index = len(statements)
    statements += readback_statements(tables, ops)
    statements.append(
        Statement(
            tables.render("DELETE FROM $commits WHERE committed_at < CAST(?1 AS INTEGER)"),
            (now_ms - LEDGER_RETENTION_MS,),
        )
    )
    return CommitPlan(tuple(statements), receipt_index)


def receipt(plan: CommitPlan, results: list[StatementResult], idempotency_key: str) -> CommitReceipt:
    return readback_receipt(results[plan.receipt_index : plan.receipt_index + 2], idempotency_key, False)


def readback_statements(tables: Tables, ops: list[Operation]) -> list[Statement]:
    """For a key applied before: the positions and threads as they are now."""
    return [
        sql_reads.message_positions(tables, added_message_ids(ops)),
        sql_reads.threads_by_ids(tables, touched_threads(ops)),
    ]


def readback_receipt(
    results: list[StatementResult], idempotency_key: str, already_applied: bool = True
) -> CommitReceipt:
    positions, threads = results[0].rows, results[1].rows
    return CommitReceipt(
        idempotency_key=idempotency_key,
        positions={text(row, "message_id"): integer(row, "message_position") for row in positions},
        threads={thread.id: thread for thread in map(thread_from_row, threads)},
        already_applied=already_applied,
    )
