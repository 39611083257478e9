"""The work a unit of work has recorded but not yet committed, shared by its two repositories."""

from __future__ import annotations

from adapters.memory.operations import AddMessage, AddThread, Operation
from domain.message import Message
from domain.thread import Thread


class PendingWork:
    def __init__(self) -> None:
        self._operations: list[Operation] = []
        # Indexes of the pending additions, so reads by id need no scan. The first addition of an
        # id is the one shown: a second one will fail at commit anyway.
        self._threads: dict[str, Thread] = {}
        self._messages: dict[str, Message] = {}

    def record(self, operation: Operation) -> None:
        self._operations.append(operation)
        if isinstance(operation, AddThread):
            self._threads.setdefault(operation.thread.id, operation.thread)
        elif isinstance(operation, AddMessage):
            self._messages.setdefault(operation.message.id, operation.message)

    def operations(self) -> tuple[Operation, ...]:
        return tuple(self._operations)

    def clear(self) -> None:
        self._operations.clear()
        self._threads.clear()
        self._messages.clear()

    def added_thread(self, thread_id: str) -> Thread | None:
        return self._threads.get(thread_id)

    def added_message(self, message_id: str) -> Message | None:
        return self._messages.get(message_id)
