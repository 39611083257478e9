"""The rare paths the randomized run found: a commit that was applied, whose retry meets its own
idempotency key, and whose receipt read-back then fails. The commit must still say "unknown"
(CommitOutcomeUnknown, so the user commits again) — never a plain storage error that means
"nothing was written" — and committing again must report it applied, once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from adapters.d1.client import Statement, StatementResult
from adapters.d1.errors import D1OutcomeUnknown, D1TransientError
from adapters.d1.migrations import migrate
from adapters.d1.sqlite_client import SqliteD1Client
from adapters.d1.unit_of_work import D1UnitOfWork
from domain import CommitOutcomeUnknown, Message, Thread

pytestmark = pytest.mark.reliability


class ScriptedFailures:
    """Runs each batch on SQLite, then raises the scripted error for it (None: answer normally).

    A ``D1OutcomeUnknown`` is raised after the batch ran (the answer was lost); any other error
    before (the request was turned away).
    """

    def __init__(self, inner: SqliteD1Client, script: list[Exception | None]) -> None:
        self.inner = inner
        self.script = script

    def batch(self, statements: Sequence[Statement]) -> list[StatementResult]:
        error = self.script.pop(0) if self.script else None
        if error is not None and not isinstance(error, D1OutcomeUnknown):
            raise error
        results = self.inner.batch(statements)
        if error is not None:
            raise error
        return results

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize(
    "readback_failure",
    [D1OutcomeUnknown("read timeout"), D1TransientError("HTTP 429", retry_after=1.0)],
    ids=["readback-unknown", "readback-transient"],
)
def test_a_failed_receipt_read_after_a_ledger_hit_is_still_unknown(
    tmp_path: Path, readback_failure: Exception
) -> None:
    with SqliteD1Client(tmp_path / "db.sqlite") as sqlite:
        migrate(sqlite)
        # 1: applied, answer lost. 2: the retry hits the key (the engine answers with the UNIQUE
        # error, for real). 3: reading the receipt fails.
        client = ScriptedFailures(sqlite, [D1OutcomeUnknown("dropped"), None, readback_failure])
        uow = D1UnitOfWork(client)
        uow.threads.add(Thread.new("r", id="t1"))
        uow.messages.add(Message.new("t1", "user", "hello", id="m1"))
        with pytest.raises(CommitOutcomeUnknown):
            uow.commit(idempotency_key="k")
        with pytest.raises(CommitOutcomeUnknown) as unknown:
            uow.commit(idempotency_key="k")
        assert unknown.value.idempotency_key == "k" and "was applied" in str(unknown.value)
        receipt = uow.commit(idempotency_key="k")
        assert receipt.already_applied and receipt.positions == {"m1": 1}
        assert uow.stats().messages == 1
