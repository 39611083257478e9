"""Thread use cases. Each is one commit on the injected UnitOfWork, whatever backend is behind it."""

from __future__ import annotations

from collections.abc import Iterable

from domain.metadata import MetadataInput
from domain.patches import KEEP, Keep
from domain.ports import UnitOfWork
from domain.thread import Thread
from domain.views import ThreadPage
from service.inputs import thread_patch, thread_query


def start_thread(
    uow: UnitOfWork,
    resource_id: str,
    *,
    title: str | None = None,
    metadata: MetadataInput | None = None,
    thread_id: str | None = None,
) -> Thread:
    """Create a thread; returns it as committed (version 1)."""
    thread = Thread.new(resource_id, title=title, metadata=metadata, id=thread_id)
    with uow:
        uow.threads.add(thread)
        return uow.commit().threads[thread.id]


def get_thread(uow: UnitOfWork, thread_id: str) -> Thread:
    with uow:
        return uow.threads.get(thread_id)


def update_thread(
    uow: UnitOfWork,
    thread_id: str,
    *,
    title: str | Keep | None = KEEP,
    set_metadata: MetadataInput | None = None,
    remove_metadata: Iterable[str] = (),
    expected_version: int | None = None,
) -> Thread:
    """Edit title and metadata keys in one commit; returns the thread as committed.

    Without ``expected_version`` the edit applies to whatever is current (setting and removing
    keys never loses another writer's other keys); with it, a stale version raises
    ConcurrencyConflict and nothing is written.
    """
    patch = thread_patch(title, set_metadata, remove_metadata)
    with uow:
        uow.threads.update(thread_id, patch, expected_version=expected_version)
        return uow.commit().threads[thread_id]


def delete_thread(uow: UnitOfWork, thread_id: str, *, expected_version: int | None = None) -> None:
    """Delete the thread, its messages and all their metadata, in one commit."""
    with uow:
        uow.threads.delete(thread_id, expected_version=expected_version)
        uow.commit()


def list_threads(
    uow: UnitOfWork,
    *,
    resource_id: str | None = None,
    metadata: MetadataInput | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> ThreadPage:
    """Newest activity first; pass ``page.next_cursor`` back to continue."""
    query = thread_query(resource_id, metadata, cursor, limit)
    with uow:
        return uow.threads.list(query)
