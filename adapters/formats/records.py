"""What the ShareGPT and OpenAI formats share: record shape checks, and the mapping of a record's
id, title and other keys onto a thread (and back)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import attrs

from adapters.formats import identity
from domain.content import Content
from domain.conversation import Conversation
from domain.errors import InvalidInput
from domain.json_values import JsonValue
from domain.message import Message, Role
from domain.metadata import Metadata
from domain.thread import Thread

#: Thread metadata key that keeps the id the record had in its source file.
SOURCE_ID_KEY = "source_id"

#: Used when neither the record nor the command names a resource.
DEFAULT_RESOURCE_ID = "imported"


@attrs.frozen
class RecordContext:
    """Where a record sits: its index in the file (for timestamps) and the resource it goes to."""

    index: int
    resource_id: str = DEFAULT_RESOURCE_ID


@attrs.frozen
class Turn:
    role: Role
    content: Content
    metadata: Mapping[str, JsonValue] = attrs.field(factory=dict)


def require_object(value: object, field: str) -> dict[str, JsonValue]:
    if not isinstance(value, dict):
        raise InvalidInput(field, f"must be a JSON object, not {type(value).__name__}")
    return value


def require_role(value: object, names: Mapping[str, Role], field: str) -> Role:
    """The role a format's speaker name stands for; an unknown name is refused, listing the known."""
    if not isinstance(value, str) or value not in names:
        raise InvalidInput(field, f"must be one of {', '.join(sorted(names))}, not {value!r}")
    return names[value]


def require_list(value: object, field: str) -> list[JsonValue]:
    if not isinstance(value, list):
        raise InvalidInput(field, f"must be a JSON list, not {type(value).__name__}")
    return value


def conversation_from_record(
    record: Mapping[str, JsonValue], turns_key: str, turns: Sequence[Turn], context: RecordContext
) -> Conversation:
    """A thread from the record's id/title/other keys, with ``turns`` as its messages."""
    source_id = record.get("id")
    metadata = {key: value for key, value in record.items() if key not in {"id", "title", turns_key}}
    if source_id is None:
        thread_id = identity.thread_id_for_content(dict(record))
    elif isinstance(source_id, str | int) and not isinstance(source_id, bool):
        thread_id = identity.thread_id_for_source(source_id)
        metadata[SOURCE_ID_KEY] = source_id
    else:
        raise InvalidInput("id", f"must be a string or an integer, not {type(source_id).__name__}")
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise InvalidInput("title", f"must be a string, not {type(title).__name__}")
    start = identity.thread_created_at(context.index)
    messages = tuple(_message(thread_id, start, index, turn, turns_key) for index, turn in enumerate(turns))
    thread = Thread(
        id=thread_id,
        resource_id=context.resource_id,
        title=title,
        metadata=Metadata(metadata, field="record"),
        created_at=start,
        updated_at=messages[-1].created_at if messages else start,
    )
    return Conversation(thread, messages)


def _message(thread_id: str, start: datetime, index: int, turn: Turn, turns_key: str) -> Message:
    try:
        return Message(
            id=identity.message_id(thread_id, index),
            thread_id=thread_id,
            role=turn.role,
            content=turn.content,
            metadata=Metadata(turn.metadata),
            created_at=identity.message_created_at(start, index),
        )
    except InvalidInput as exc:
        # "message.content: ..." -> "conversations[3].content: ...": the user can find it in the file.
        field = exc.field.removeprefix("message.")
        raise InvalidInput(f"{turns_key}[{index}].{field}", exc.reason) from None


def record_head(thread: Thread, turns_key: str) -> dict[str, JsonValue]:
    """The record keys a thread maps to (its source id, title, metadata); the turns go after."""
    metadata = dict(thread.metadata)
    source_id = metadata.pop(SOURCE_ID_KEY, None)
    head: dict[str, JsonValue] = {
        "id": source_id if isinstance(source_id, str | int) and not isinstance(source_id, bool) else thread.id
    }
    if thread.title is not None:
        head["title"] = thread.title
    head.update((key, value) for key, value in metadata.items() if key not in {"id", "title", turns_key})
    return head
