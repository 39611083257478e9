"""The commit use case as a flow: one request normally, one more only on the failure paths."""

from __future__ import annotations

from adapters.d1 import diagnosis
from adapters.d1.commit_plan import plan_commit, readback_receipt, readback_statements, receipt
from adapters.d1.errors import D1OutcomeUnknown, D1QueryError
from adapters.d1.flows import Flow
from adapters.d1.schema import Tables
from adapters.recording import Operation
from domain.errors import CommitOutcomeUnknown, StorageError
from domain.views import CommitReceipt


def commit(tables: Tables, ops: list[Operation], idempotency_key: str, now_ms: int) -> Flow[CommitReceipt]:
    if not ops:
        return CommitReceipt(idempotency_key=idempotency_key)
    plan = plan_commit(tables, ops, idempotency_key, now_ms)
    try:
        results = yield plan.statements
    except D1OutcomeUnknown as exc:
        raise CommitOutcomeUnknown(str(exc), idempotency_key) from exc
    except D1QueryError as exc:
        if diagnosis.is_ledger_hit(tables, exc):
            try:
                applied = yield readback_statements(tables, ops)
            except StorageError as lost:
                # The commit IS applied; only its receipt could not be read. Any other error would
                # claim nothing was written. Committing again with the key reads the receipt.
                message = f"the commit was applied, but reading its receipt failed: {lost}"
                raise CommitOutcomeUnknown(message, idempotency_key) from lost
            return readback_receipt(applied, idempotency_key)
        if not diagnosis.explains(tables, ops, exc):
            raise
        error = diagnosis.obvious_error(tables, ops, exc)
        if error is None:
            try:
                snapshot = yield diagnosis.snapshot_statements(tables, ops)
            except StorageError:
                # Nothing was written either way; only naming the culprit exactly failed.
                raise diagnosis.fallback_error(tables, ops, exc) from exc
            error = diagnosis.first_failure(ops, snapshot) or diagnosis.fallback_error(tables, ops, exc)
        raise error from exc
    return receipt(plan, results, idempotency_key)
