"""The use cases for asyncio: the same contract as ``service.threads``/``messages``/``retry``/``stats``,
each one commit (or one read) on an injected ``AsyncUnitOfWork``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from typing import TypeVar

from domain.async_ports import AsyncUnitOfWork
from domain.content import Content
from domain.cursors import Direction
from domain.errors import ConcurrencyConflict
from domain.message import Message
from domain.metadata import MetadataInput
from domain.patches import KEEP, Keep, ThreadPatch
from domain.thread import Thread
from domain.views import MessagePage, RecentMessages, StoreStats, ThreadPage
from service.inputs import check_thread, message_patch, positioned, thread_patch, thread_query
from service.retry import DEFAULT_ATTEMPTS, conflict_delays

T = TypeVar("T")


async def start_thread(
    uow: AsyncUnitOfWork,
    resource_id: str,
    *,
    title: str | None = None,
    metadata: MetadataInput | None = None,
    thread_id: str | None = None,
) -> Thread:
    thread = Thread.new(resource_id, title=title, metadata=metadata, id=thread_id)
    async with uow:
        uow.threads.add(thread)
        return (await uow.commit()).threads[thread.id]


async def get_thread(uow: AsyncUnitOfWork, thread_id: str) -> Thread:
    async with uow:
        return await uow.threads.get(thread_id)


async def update_thread(
    uow: AsyncUnitOfWork,
    thread_id: str,
    *,
    title: str | Keep | None = KEEP,
    set_metadata: MetadataInput | None = None,
    remove_metadata: Iterable[str] = (),
    expected_version: int | None = None,
) -> Thread:
    patch = thread_patch(title, set_metadata, remove_metadata)
    async with uow:
        uow.threads.update(thread_id, patch, expected_version=expected_version)
        return (await uow.commit()).threads[thread_id]


async def delete_thread(uow: AsyncUnitOfWork, thread_id: str, *, expected_version: int | None = None) -> None:
    async with uow:
        uow.threads.delete(thread_id, expected_version=expected_version)
        await uow.commit()


async def list_threads(
    uow: AsyncUnitOfWork,
    *,
    resource_id: str | None = None,
    metadata: MetadataInput | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> ThreadPage:
    query = thread_query(resource_id, metadata, cursor, limit)
    async with uow:
        return await uow.threads.list(query)


async def append_messages(
    uow: AsyncUnitOfWork, thread_id: str, messages: Sequence[Message]
) -> tuple[Message, ...]:
    check_thread(thread_id, messages)
    if not messages:
        return ()
    async with uow:
        for message in messages:
            uow.messages.add(message)
        positions = (await uow.commit()).positions
    return positioned(messages, positions)


async def recent_messages(
    uow: AsyncUnitOfWork,
    thread_id: str,
    *,
    last: int = 20,
    around: Sequence[str] = (),
    before: int = 2,
    after: int = 2,
) -> RecentMessages:
    async with uow:
        return await uow.messages.recent(thread_id, last, around=around, before=before, after=after)


async def page_messages(
    uow: AsyncUnitOfWork,
    thread_id: str,
    *,
    limit: int = 100,
    cursor: str | None = None,
    direction: Direction = Direction.FORWARD,
) -> MessagePage:
    async with uow:
        return await uow.messages.page(thread_id, limit=limit, cursor=cursor, direction=direction)


async def update_message(
    uow: AsyncUnitOfWork,
    message_id: str,
    *,
    content: Content | Keep = KEEP,
    set_metadata: MetadataInput | None = None,
    remove_metadata: Iterable[str] = (),
) -> None:
    patch = message_patch(content, set_metadata, remove_metadata)
    async with uow:
        uow.messages.update(message_id, patch)
        await uow.commit()


async def delete_messages(uow: AsyncUnitOfWork, message_ids: Collection[str]) -> None:
    async with uow:
        uow.messages.delete(message_ids)
        await uow.commit()


async def store_stats(uow: AsyncUnitOfWork) -> StoreStats:
    async with uow:
        return await uow.stats()


async def retry_on_conflict(operation: Callable[[], Awaitable[T]], *, attempts: int = DEFAULT_ATTEMPTS) -> T:
    """Await ``operation()``; on ConcurrencyConflict wait a little and run it again (see service.retry)."""
    for delay in conflict_delays(attempts):
        try:
            return await operation()
        except ConcurrencyConflict:
            await asyncio.sleep(delay)
    return await operation()


async def edit_thread(
    uow: AsyncUnitOfWork,
    thread_id: str,
    decide: Callable[[Thread], ThreadPatch],
    *,
    attempts: int = DEFAULT_ATTEMPTS,
) -> Thread:
    """Read, decide, commit guarded by the version read; re-run on a conflict (see service.retry)."""

    async def attempt() -> Thread:
        async with uow:
            current = await uow.threads.get(thread_id)
            uow.threads.update(thread_id, decide(current), expected_version=current.version)
            return (await uow.commit()).threads[thread_id]

    return await retry_on_conflict(attempt, attempts=attempts)
