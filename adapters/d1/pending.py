"""The work a unit of work has recorded but not committed, shared by its two repositories."""

from __future__ import annotations

import attrs

from adapters.d1.ops import AddMessage, AddThread, Op
from domain.message import Message
from domain.thread import Thread


@attrs.define
class PendingWork:
    ops: list[Op] = attrs.field(factory=list)
    #: Pending additions by id: reads see them before they are committed.
    threads: dict[str, Thread] = attrs.field(factory=dict)
    messages: dict[str, Message] = attrs.field(factory=dict)

    def record(self, op: Op) -> None:
        self.ops.append(op)
        if isinstance(op, AddThread):
            self.threads.setdefault(op.thread.id, op.thread)
        elif isinstance(op, AddMessage):
            self.messages.setdefault(op.message.id, op.message)

    def clear(self) -> None:
        self.ops.clear()
        self.threads.clear()
        self.messages.clear()
