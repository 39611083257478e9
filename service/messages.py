"""Message use cases: append, read the recent context, edit, delete."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from domain.content import Content
from domain.cursors import Direction
from domain.message import Message
from domain.metadata import MetadataInput
from domain.patches import KEEP, Keep
from domain.ports import UnitOfWork
from domain.views import MessagePage, RecentMessages
from service.inputs import check_thread, message_patch, positioned


def append_messages(uow: UnitOfWork, thread_id: str, messages: Sequence[Message]) -> tuple[Message, ...]:
    """Append in one commit; returns the messages with the positions the store gave them.

    The thread's ``updated_at`` moves to the newest message in the same commit, so the thread
    lists as recently active exactly when its messages exist.
    """
    check_thread(thread_id, messages)
    if not messages:
        return ()
    with uow:
        for message in messages:
            uow.messages.add(message)
        positions = uow.commit().positions
    return positioned(messages, positions)


def recent_messages(
    uow: UnitOfWork,
    thread_id: str,
    *,
    last: int = 20,
    around: Sequence[str] = (),
    before: int = 2,
    after: int = 2,
) -> RecentMessages:
    """The last ``last`` messages plus a window around each id in ``around``: one read."""
    with uow:
        return uow.messages.recent(thread_id, last, around=around, before=before, after=after)


def page_messages(
    uow: UnitOfWork,
    thread_id: str,
    *,
    limit: int = 100,
    cursor: str | None = None,
    direction: Direction = Direction.FORWARD,
) -> MessagePage:
    with uow:
        return uow.messages.page(thread_id, limit=limit, cursor=cursor, direction=direction)


def update_message(
    uow: UnitOfWork,
    message_id: str,
    *,
    content: Content | Keep = KEEP,
    set_metadata: MetadataInput | None = None,
    remove_metadata: Iterable[str] = (),
) -> None:
    patch = message_patch(content, set_metadata, remove_metadata)
    with uow:
        uow.messages.update(message_id, patch)
        uow.commit()


def delete_messages(uow: UnitOfWork, message_ids: Collection[str]) -> None:
    """Delete these messages and their metadata in one commit; NotFound if any is absent."""
    with uow:
        uow.messages.delete(message_ids)
        uow.commit()
