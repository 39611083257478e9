"""d1store's own format: one JSON object per conversation with every field of Thread and Message.

Timestamps are ISO 8601 UTC with milliseconds; content keeps its kind (a JSON string is text, a
list or object is structured). ``version`` and message ``position`` are written for reference;
on import a thread starts again at version 1 and messages are numbered 1, 2, 3... in the order
written (positions must increase), which reproduces every thread that has no deleted messages.
"""

from __future__ import annotations

from datetime import datetime

from adapters.formats.records import require_list, require_object
from domain import timestamps
from domain.conversation import Conversation
from domain.errors import InvalidInput
from domain.json_values import JsonValue
from domain.message import Message
from domain.metadata import Metadata
from domain.thread import Thread

TURNS_KEY = "messages"


def format_time(moment: datetime) -> str:
    return timestamps.utc_millis(moment, "time").strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_time(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput(field, f"must be an ISO 8601 timestamp string, not {type(value).__name__}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"is not an ISO 8601 timestamp: {value!r}") from None
    if moment.tzinfo is None:
        raise InvalidInput(field, "must carry a time zone (e.g. a trailing Z)")
    return timestamps.utc_millis(moment, field)


def _metadata(record: dict[str, JsonValue], field: str) -> Metadata:
    return Metadata(require_object(record.get("metadata", {}), f"{field}metadata"), field=f"{field}metadata")


def thread_to_record(thread: Thread) -> dict[str, JsonValue]:
    return {
        "id": thread.id,
        "resource_id": thread.resource_id,
        "title": thread.title,
        "metadata": dict(thread.metadata),
        "created_at": format_time(thread.created_at),
        "updated_at": format_time(thread.updated_at),
        "version": thread.version,
    }


def message_to_record(message: Message) -> dict[str, JsonValue]:
    return {
        "id": message.id,
        "role": message.role.value,
        "content": message.content,
        "metadata": dict(message.metadata),
        "created_at": format_time(message.created_at),
        "position": message.position,
    }


def to_record(conversation: Conversation) -> dict[str, JsonValue]:
    record = thread_to_record(conversation.thread)
    record[TURNS_KEY] = [message_to_record(message) for message in conversation.messages]
    return record


def _message(value: JsonValue, thread_id: str, index: int) -> tuple[Message, int | None]:
    field = f"{TURNS_KEY}[{index}]."
    record = require_object(value, f"{TURNS_KEY}[{index}]")
    try:
        message = Message(
            id=record.get("id"),
            thread_id=thread_id,
            role=record.get("role"),
            content=record.get("content"),
            metadata=_metadata(record, field),
            created_at=parse_time(record.get("created_at"), f"{field}created_at"),
        )
    except InvalidInput as exc:
        name = exc.field.removeprefix("message.").removeprefix(field)
        raise InvalidInput(field + name, exc.reason) from None
    position = record.get("position")
    if position is not None and (not isinstance(position, int) or isinstance(position, bool)):
        raise InvalidInput(f"{field}position", f"must be an integer, not {position!r}")
    return message, position


def parse_record(value: JsonValue, resource_id: str | None = None) -> Conversation:
    """``resource_id`` (when given) replaces the record's own: importing into another resource."""
    record = require_object(value, "record")
    try:
        thread = Thread(
            id=record.get("id"),
            resource_id=record.get("resource_id") if resource_id is None else resource_id,
            title=record.get("title"),
            metadata=_metadata(record, ""),
            created_at=parse_time(record.get("created_at"), "created_at"),
            updated_at=parse_time(record.get("updated_at"), "updated_at"),
        )
    except InvalidInput as exc:
        raise InvalidInput(exc.field.removeprefix("thread."), exc.reason) from None
    turns = require_list(record.get(TURNS_KEY, []), TURNS_KEY)
    messages: list[Message] = []
    last_position = 0
    for index, turn in enumerate(turns):
        message, position = _message(turn, thread.id, index)
        if position is not None:
            if position <= last_position:
                raise InvalidInput(f"{TURNS_KEY}[{index}].position", "must increase through the list")
            last_position = position
        messages.append(message)
    return Conversation(thread, tuple(messages))
