"""Applying one recorded operation to a draft, condition by condition as docs/SEMANTICS.md lists them."""

from __future__ import annotations

import attrs

from adapters.memory.draft import Draft
from adapters.memory.tables import StoredThread
from adapters.recording import (
    AddMessage,
    AddThread,
    DeleteMessages,
    DeleteThread,
    Operation,
    UpdateMessage,
    UpdateThread,
)
from domain.errors import AlreadyExists, ConcurrencyConflict, NotFound
from domain.message import Message


def apply(operation: Operation, draft: Draft) -> None:
    """Apply ``operation`` or raise the first condition that fails (the draft is then discarded)."""
    match operation:
        case AddThread():
            _add_thread(operation, draft)
        case AddMessage():
            _add_message(operation, draft)
        case UpdateThread():
            _update_thread(operation, draft)
        case DeleteThread():
            _delete_thread(operation, draft)
        case UpdateMessage():
            _update_message(operation, draft)
        case DeleteMessages():
            _delete_messages(operation, draft)


def _add_thread(op: AddThread, draft: Draft) -> None:
    if draft.thread(op.thread.id) is not None:
        raise AlreadyExists("thread", op.thread.id)
    draft.put_thread(StoredThread(op.thread, last_position=0))


def _add_message(op: AddMessage, draft: Draft) -> None:
    row = draft.thread(op.message.thread_id)
    if row is None:
        raise NotFound("thread", op.message.thread_id)
    if draft.message(op.message.id) is not None:
        raise AlreadyExists("message", op.message.id)
    position = row.last_position + 1
    draft.put_thread(StoredThread(row.thread.touched(op.message.created_at), last_position=position))
    draft.put_message(op.message.with_position(position))


def _current_thread(draft: Draft, thread_id: str, expected_version: int | None) -> StoredThread:
    row = draft.thread(thread_id)
    if row is None:
        raise NotFound("thread", thread_id)
    if expected_version is not None and row.thread.version != expected_version:
        raise ConcurrencyConflict(thread_id, expected_version)
    return row


def _update_thread(op: UpdateThread, draft: Draft) -> None:
    row = _current_thread(draft, op.thread_id, op.expected_version)
    draft.put_thread(attrs.evolve(row, thread=row.thread.patched(op.patch, op.at)))


def _delete_thread(op: DeleteThread, draft: Draft) -> None:
    _current_thread(draft, op.thread_id, op.expected_version)
    for message_id in draft.message_ids_of(op.thread_id):
        draft.drop_message(message_id)
    draft.drop_thread(op.thread_id)


def _existing_message(draft: Draft, message_id: str) -> Message:
    message = draft.message(message_id)
    if message is None:
        raise NotFound("message", message_id)
    return message


def _update_message(op: UpdateMessage, draft: Draft) -> None:
    draft.put_message(_existing_message(draft, op.message_id).patched(op.patch))


def _delete_messages(op: DeleteMessages, draft: Draft) -> None:
    for message_id in op.message_ids:
        _existing_message(draft, message_id)
    for message_id in op.message_ids:
        draft.drop_message(message_id)
