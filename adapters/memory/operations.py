"""What the in-memory repositories record: one small immutable value per write, applied at commit."""

from __future__ import annotations

from datetime import datetime
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
    #: Resolved when recorded, so a retried commit applies the same edit.
    at: datetime


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
    #: Distinct ids in the order given, never empty.
    message_ids: tuple[str, ...]


Operation: TypeAlias = AddThread | AddMessage | UpdateThread | DeleteThread | UpdateMessage | DeleteMessages
