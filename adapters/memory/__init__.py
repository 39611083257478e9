"""The in-memory backend: the reference model every other backend is checked against, and a test
double to inject into your own service tests (share one ``InMemoryStore`` between units of work)."""

from adapters.memory.repositories import InMemoryMessageRepository, InMemoryThreadRepository
from adapters.memory.store import InMemoryStore, StoreSnapshot
from adapters.memory.unit_of_work import InMemoryUnitOfWork

__all__ = [
    "InMemoryMessageRepository",
    "InMemoryStore",
    "InMemoryThreadRepository",
    "InMemoryUnitOfWork",
    "StoreSnapshot",
]
