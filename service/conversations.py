"""Bulk import and export of whole conversations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from domain.conversation import Conversation
from domain.cursors import Direction
from domain.errors import AlreadyExists, InvalidInput
from domain.message import Message
from domain.ports import UnitOfWork
from domain.views import ThreadQuery

#: A commit carries several conversations for speed, but stays a modest request.
MAX_MESSAGES_PER_COMMIT = 1_000
MAX_CONVERSATIONS_PER_COMMIT = 100


@attrs.define
class ImportReport:
    threads: int = 0
    messages: int = 0
    #: Conversations whose thread id was already stored (or repeated in the input): left as they are.
    skipped_existing: int = 0


def _checked(conversations: Iterable[Conversation]) -> Iterator[Conversation]:
    for index, conversation in enumerate(conversations):
        if not isinstance(conversation, Conversation):
            raise InvalidInput(
                f"conversations[{index}]", f"must be a Conversation, not {type(conversation).__name__}"
            )
        yield conversation


def _batches(conversations: Iterable[Conversation]) -> Iterator[list[Conversation]]:
    batch: list[Conversation] = []
    messages = 0
    for conversation in conversations:
        if batch and (
            len(batch) >= MAX_CONVERSATIONS_PER_COMMIT
            or messages + len(conversation.messages) > MAX_MESSAGES_PER_COMMIT
        ):
            yield batch
            batch, messages = [], 0
        batch.append(conversation)
        messages += len(conversation.messages)
    if batch:
        yield batch


def _commit_new(uow: UnitOfWork, batch: list[Conversation]) -> ImportReport:
    """Commit the conversations of ``batch`` whose thread id is not taken; report what it did."""
    done = ImportReport()
    with uow:
        taken = set(uow.threads.existing([c.thread.id for c in batch]))
        for conversation in batch:
            if conversation.thread.id in taken:
                done.skipped_existing += 1
                continue
            taken.add(conversation.thread.id)
            uow.threads.add(conversation.thread)
            for message in conversation.messages:
                uow.messages.add(message)
            done.threads += 1
            done.messages += len(conversation.messages)
        uow.commit()
    return done


def import_conversations(uow: UnitOfWork, conversations: Iterable[Conversation]) -> ImportReport:
    """Store each conversation whole, skipping thread ids already stored, so importing twice is a no-op.

    Conversations go several to a commit; a commit is all or nothing, so no conversation is ever
    stored in part. If another writer stores one of the same ids meanwhile, the batch is re-checked.
    """
    report = ImportReport()
    for batch in _batches(_checked(conversations)):
        try:
            done = _commit_new(uow, batch)
        except AlreadyExists:
            done = _commit_new(uow, batch)
        report.threads += done.threads
        report.messages += done.messages
        report.skipped_existing += done.skipped_existing
    return report


def export_conversations(
    uow: UnitOfWork, *, resource_id: str | None = None, page_size: int = 100
) -> Iterator[Conversation]:
    """Every conversation (of one resource, or all), newest activity first, messages in order."""
    cursor = None
    while True:
        with uow:
            page = uow.threads.list(ThreadQuery(resource_id=resource_id, cursor=cursor, limit=page_size))
        for thread in page.threads:
            yield Conversation(thread, tuple(thread_messages(uow, thread.id, page_size)))
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def thread_messages(uow: UnitOfWork, thread_id: str, page_size: int = 100) -> Iterator[Message]:
    """Every message of the thread in position order, read page by page."""
    cursor = None
    while True:
        with uow:
            page = uow.messages.page(thread_id, limit=page_size, cursor=cursor, direction=Direction.FORWARD)
        yield from page.messages
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
