"""The in-memory unit of work: the reference model of docs/SEMANTICS.md and a test double."""

from __future__ import annotations

from adapters.memory import reads
from adapters.memory.repositories import InMemoryMessageRepository, InMemoryThreadRepository
from adapters.memory.store import InMemoryStore
from adapters.recording import PendingWork
from domain.ids import new_id
from domain.ports import UnitOfWork
from domain.validation import validate_identifier
from domain.views import CommitReceipt, StoreStats


class InMemoryUnitOfWork(UnitOfWork):
    """Pass the same ``store`` to several units of work to share committed state (and conflicts)."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = InMemoryStore() if store is None else store
        self._pending = PendingWork()
        self.threads = InMemoryThreadRepository(self.store, self._pending)
        self.messages = InMemoryMessageRepository(self.store, self._pending)

    def commit(self, *, idempotency_key: str | None = None) -> CommitReceipt:
        key = new_id() if idempotency_key is None else validate_identifier(idempotency_key, "idempotency_key")
        operations = tuple(self._pending.operations)
        if not operations:
            return CommitReceipt(key)
        # On failure the store raises before anything is applied, and the work stays recorded
        # so the caller can retry it (with the same key) or roll it back.
        receipt = self.store.commit(operations, key)
        self._pending.clear()
        return receipt

    def rollback(self) -> None:
        self._pending.clear()

    def stats(self) -> StoreStats:
        return self.store.read(reads.stats)
