"""A thread together with its messages: the unit that is imported and exported whole."""

from __future__ import annotations

import attrs

from domain.errors import InvalidInput
from domain.message import Message
from domain.thread import Thread


def _messages(value: object) -> tuple[Message, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidInput("messages", "must be a sequence of messages")
    return tuple(value)


@attrs.frozen
class Conversation:
    thread: Thread
    messages: tuple[Message, ...] = attrs.field(default=(), converter=_messages)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for index, message in enumerate(self.messages):
            if message.thread_id != self.thread.id:
                raise InvalidInput(f"messages[{index}].thread_id", f"must be {self.thread.id!r}")
            if message.id in seen:
                raise InvalidInput(f"messages[{index}].id", f"{message.id!r} appears twice")
            seen.add(message.id)
