"""What the repositories record: one value per write call, applied in order at commit."""

from __future__ import annotations

from typing import TypeAlias

import attrs

from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.thread import Thread


@attrs.frozen
class AddThread:
    thread: Thread


@attrs.frozen
class AddMessage:
    message: Message


@attrs.frozen
class UpdateThread:
    thread_id: str
    patch: ThreadPatch
    expected_version: int | None
    #: Epoch ms, resolved when recorded so a retried commit applies the same edit.
    at_ms: int


@attrs.frozen
class DeleteThread:
    thread_id: str
    expected_version: int | None


@attrs.frozen
class UpdateMessage:
    message_id: str
    patch: MessagePatch


@attrs.frozen
class DeleteMessages:
    message_ids: tuple[str, ...]


Op: TypeAlias = AddThread | AddMessage | UpdateThread | DeleteThread | UpdateMessage | DeleteMessages


def touched_threads(ops: list[Op]) -> list[str]:
    """Threads a receipt reports: added, updated or given messages (in first-touch order)."""
    seen: dict[str, None] = {}
    for op in ops:
        if isinstance(op, AddThread):
            seen[op.thread.id] = None
        elif isinstance(op, AddMessage):
            seen[op.message.thread_id] = None
        elif isinstance(op, UpdateThread):
            seen[op.thread_id] = None
    return list(seen)


def added_message_ids(ops: list[Op]) -> list[str]:
    return [op.message.id for op in ops if isinstance(op, AddMessage)]
