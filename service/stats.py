"""Store statistics: how much the store holds."""

from __future__ import annotations

from domain.ports import UnitOfWork
from domain.views import StoreStats


def store_stats(uow: UnitOfWork) -> StoreStats:
    """Counts of threads, messages and metadata entries, and the size in bytes where known."""
    with uow:
        return uow.stats()
