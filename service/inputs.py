"""What the sync and async use cases build from their arguments before touching a unit of work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from domain.content import Content
from domain.errors import InvalidInput
from domain.message import Message
from domain.metadata import Metadata, MetadataInput
from domain.patches import Keep, MessagePatch, ThreadPatch
from domain.views import ThreadQuery


def thread_patch(
    title: str | Keep | None, set_metadata: MetadataInput | None, remove_metadata: Iterable[str]
) -> ThreadPatch:
    return ThreadPatch(title=title, set_metadata=set_metadata, remove_metadata=remove_metadata)


def message_patch(
    content: Content | Keep, set_metadata: MetadataInput | None, remove_metadata: Iterable[str]
) -> MessagePatch:
    return MessagePatch(content=content, set_metadata=set_metadata, remove_metadata=remove_metadata)


def thread_query(
    resource_id: str | None, metadata: MetadataInput | None, cursor: str | None, limit: int
) -> ThreadQuery:
    return ThreadQuery(
        resource_id=resource_id,
        metadata_filter=Metadata() if metadata is None else Metadata(metadata, field="metadata_filter"),
        cursor=cursor,
        limit=limit,
    )


def check_thread(thread_id: str, messages: Sequence[Message]) -> None:
    """Every item must be a Message of ``thread_id``: InvalidInput names the first that is not."""
    if isinstance(messages, str | bytes) or not isinstance(messages, Sequence):
        raise InvalidInput("messages", f"must be a sequence of Message, not {type(messages).__name__}")
    for index, message in enumerate(messages):
        if not isinstance(message, Message):
            raise InvalidInput(f"messages[{index}]", f"must be a Message, not {type(message).__name__}")
        if message.thread_id != thread_id:
            raise InvalidInput(f"messages[{index}].thread_id", f"must be {thread_id!r}")


def positioned(messages: Sequence[Message], positions: Mapping[str, int]) -> tuple[Message, ...]:
    return tuple(message.with_position(positions[message.id]) for message in messages)
