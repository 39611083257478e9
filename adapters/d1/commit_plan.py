"""The commit as pure functions: recorded operations -> ONE batch, and its results -> a receipt.

Batch layout: [ledger insert] + each operation's statements in recording order + [receipt read]
+ [ledger prune]. The ledger insert comes first so a repeated key fails before anything else.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from adapters.d1 import sql_messages, sql_reads, sql_threads
from adapters.d1.client import Statement, StatementResult
from adapters.d1.ops import (
    AddMessage,
    AddThread,
    DeleteMessages,
    DeleteThread,
    Op,
    UpdateMessage,
    UpdateThread,
    added_message_ids,
    touched_threads,
)
from adapters.d1.rows import integer, text, thread_from_row
from adapters.d1.schema import Tables
from domain.thread import Thread
from domain.views import CommitReceipt

#: Keys are kept at least 24 h (SEMANTICS.md); the extra hour absorbs clock skew between clients,
#: since the key's time and the prune's cut-off come from different clients' clocks.
LEDGER_RETENTION_MS = 25 * 60 * 60 * 1000


@attrs.frozen
class CommitPlan:
    statements: tuple[Statement, ...]
    #: Statements whose rows are (message_id, message_position) of new messages.
    position_indexes: tuple[int, ...]
    receipt_index: int


def _runs(ops: list[Op]) -> Iterator[Op | list[AddMessage]]:
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


def _op_statements(tables: Tables, op: Op, now_ms: int) -> list[Statement]:
    if isinstance(op, AddThread):
        return sql_threads.add_thread(tables, op.thread)
    if isinstance(op, UpdateThread):
        at = now_ms if op.at_ms is None else op.at_ms
        return sql_threads.update_thread(tables, op.thread_id, op.patch, op.expected_version, at)
    if isinstance(op, DeleteThread):
        return sql_threads.delete_thread(tables, op.thread_id, op.expected_version)
    if isinstance(op, UpdateMessage):
        return sql_messages.update_message(tables, op.message_id, op.patch)
    if isinstance(op, DeleteMessages):
        return sql_messages.delete_messages(tables, op.message_ids)
    raise TypeError(f"not an operation: {op!r}")  # AddMessage goes through _runs


def plan_commit(tables: Tables, ops: list[Op], idempotency_key: str, now_ms: int) -> CommitPlan:
    statements = [
        Statement(
            tables.render("INSERT INTO $commits (key, committed_at) VALUES (?1, CAST(?2 AS INTEGER))"),
            (idempotency_key, now_ms),
        )
    ]
    position_indexes: list[int] = []
    for item in _runs(ops):
        if isinstance(item, list):
            run = sql_messages.append_run(tables, item[0].message.thread_id, [op.message for op in item])
            first = len(statements) + 1  # after the run's guard
            statements += run.inserts
            position_indexes += range(first, len(statements))
            statements += run.after
        else:
            statements += _op_statements(tables, item, now_ms)
    receipt_index = len(statements)
    statements.append(sql_reads.threads_by_ids(tables, touched_threads(ops)))
    statements.append(
        Statement(
            tables.render("DELETE FROM $commits WHERE committed_at < CAST(?1 AS INTEGER)"),
            (now_ms - LEDGER_RETENTION_MS,),
        )
    )
    return CommitPlan(tuple(statements), tuple(position_indexes), receipt_index)


def _positions(results: list[StatementResult], indexes: tuple[int, ...] | range) -> dict[str, int]:
    return {
        text(row, "message_id"): integer(row, "message_position") for i in indexes for row in results[i].rows
    }


def _threads(result: StatementResult) -> dict[str, Thread]:
    return {thread.id: thread for thread in map(thread_from_row, result.rows)}


def receipt(plan: CommitPlan, results: list[StatementResult], idempotency_key: str) -> CommitReceipt:
    return CommitReceipt(
        idempotency_key=idempotency_key,
        positions=_positions(results, plan.position_indexes),
        threads=_threads(results[plan.receipt_index]),
    )


def readback_statements(tables: Tables, ops: list[Op]) -> list[Statement]:
    """For a key applied before: the positions and threads as they are now."""
    return [
        sql_reads.message_positions(tables, added_message_ids(ops)),
        sql_reads.threads_by_ids(tables, touched_threads(ops)),
    ]


def readback_receipt(results: list[StatementResult], idempotency_key: str) -> CommitReceipt:
    return CommitReceipt(
        idempotency_key=idempotency_key,
        positions=_positions(results, range(1)),
        threads=_threads(results[1]),
        already_applied=True,
    )
