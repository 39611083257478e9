"""What every backend's repositories record: one immutable value per write call, applied in order
at commit, and the checks that run when the call is made — shared so all backends refuse alike.

A backend adds only its reads and its commit; recording never does I/O, so sync and async
repositories share it too.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TypeAlias

import attrs

from adapters import arguments
from domain.cursors import Direction, MessageCursor
from domain.errors import InvalidInput
from domain.message import Message
from domain.patches import MessagePatch, ThreadPatch
from domain.thread import Thread
from domain.views import validate_limit


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


def touched_threads(operations: Sequence[Operation]) -> list[str]:
    """Threads a receipt reports: added, updated or given messages (in first-touch order)."""
    seen: dict[str, None] = {}
    for operation in operations:
        if isinstance(operation, AddThread):
            seen[operation.thread.id] = None
        elif isinstance(operation, AddMessage):
            seen[operation.message.thread_id] = None
        elif isinstance(operation, UpdateThread):
            seen[operation.thread_id] = None
    return list(seen)


def added_message_ids(operations: Sequence[Operation]) -> list[str]:
    return [op.message.id for op in operations if isinstance(op, AddMessage)]


@attrs.define
class PendingWork:
    """The work a unit of work has recorded but not committed, shared by its two repositories."""

    operations: list[Operation] = attrs.field(factory=list)
    #: Pending additions by id, so reads see them before commit. The first addition of an id is
    #: the one shown: a second one fails at commit anyway.
    threads: dict[str, Thread] = attrs.field(factory=dict)
    messages: dict[str, Message] = attrs.field(factory=dict)
    #: Set when a commit of this work ended with an unknown outcome: its key, for the retry.
    unsettled_key: str | None = None

    def record(self, operation: Operation) -> None:
        if self.unsettled_key is not None:
            # Retrying with more work under the same key would report the extra work applied
            # when the first attempt had landed; under a new key it could apply the first twice.
            raise InvalidInput(
                "unit of work",
                "the last commit's outcome is unknown: commit again to settle it, or roll back",
            )
        self.operations.append(operation)
        if isinstance(operation, AddThread):
            self.threads.setdefault(operation.thread.id, operation.thread)
        elif isinstance(operation, AddMessage):
            self.messages.setdefault(operation.message.id, operation.message)

    def clear(self) -> None:
        self.unsettled_key = None
        self.operations.clear()
        self.threads.clear()
        self.messages.clear()


class ThreadRecorder:
    """The write half of a thread repository."""

    _pending: PendingWork

    def add(self, thread: Thread) -> None:
        thread = arguments.instance(thread, Thread, "thread")
        if thread.version != 1:
            raise InvalidInput("thread.version", f"a new thread starts at version 1, not {thread.version}")
        self._pending.record(AddThread(thread))

    def update(
        self,
        thread_id: str,
        patch: ThreadPatch,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> None:
        self._pending.record(
            UpdateThread(
                arguments.identifier(thread_id, "thread_id"),
                arguments.instance(patch, ThreadPatch, "patch"),
                arguments.expected_version(expected_version),
                arguments.moment(at),
            )
        )

    def delete(self, thread_id: str, *, expected_version: int | None = None) -> None:
        self._pending.record(
            DeleteThread(
                arguments.identifier(thread_id, "thread_id"), arguments.expected_version(expected_version)
            )
        )


class MessageRecorder:
    """The write half of a message repository."""

    _pending: PendingWork

    def add(self, message: Message) -> None:
        message = arguments.instance(message, Message, "message")
        if message.position is not None:
            raise InvalidInput("message.position", "is assigned by the store; add messages without one")
        self._pending.record(AddMessage(message))

    def update(self, message_id: str, patch: MessagePatch) -> None:
        self._pending.record(
            UpdateMessage(
                arguments.identifier(message_id, "message_id"),
                arguments.instance(patch, MessagePatch, "patch"),
            )
        )

    def delete(self, message_ids: Collection[str]) -> None:
        distinct = arguments.identifiers(message_ids, "message_ids")
        if distinct:
            self._pending.record(DeleteMessages(distinct))


@attrs.frozen
class RecentRequest:
    """The checked arguments of ``messages.recent``."""

    thread_id: str
    limit: int
    anchors: tuple[str, ...]
    before: int
    after: int

    @classmethod
    def check(
        cls, thread_id: object, limit: object, around: object, before: object, after: object
    ) -> RecentRequest:
        return cls(
            arguments.identifier(thread_id, "thread_id"),
            arguments.count(limit, "limit"),
            arguments.anchors(around),
            arguments.count(before, "before"),
            arguments.count(after, "after"),
        )


@attrs.frozen
class PageRequest:
    """The checked arguments of ``messages.page``."""

    thread_id: str
    limit: int
    direction: Direction
    cursor: MessageCursor | None

    @classmethod
    def check(cls, thread_id: object, limit: object, cursor: object, direction: object) -> PageRequest:
        checked_id = arguments.identifier(thread_id, "thread_id")
        checked_direction = arguments.direction(direction)
        return cls(
            checked_id,
            validate_limit(limit),
            checked_direction,
            arguments.message_cursor(cursor, checked_id, checked_direction),
        )
