"""OpenAI chat records: ``{"messages": [{"role", "content", "tool_calls"?, "tool_call_id"?, "name"?}], ...}``.

A message that is just a role and text (or a list of content parts) keeps that as its content.
Any other message — a tool call, a tool result, a named or ``developer`` message — keeps every
field except a standard role as structured content, so exporting writes it back field for field.
Other keys of the record (``tools``, ``id``...) are thread metadata.

Not carried: message metadata, and the difference between the text "hi" and structured content
that is exactly ``{"content": "hi"}`` (both are written as the same OpenAI message).
"""

from __future__ import annotations

from adapters.formats.records import (
    RecordContext,
    Turn,
    conversation_from_record,
    record_head,
    require_list,
    require_object,
    require_role,
)
from domain.content import Content
from domain.conversation import Conversation
from domain.json_values import JsonValue
from domain.message import Role

TURNS_KEY = "messages"

ROLE_NAMES: dict[str, Role] = {
    **{role.value: role for role in Role},
    "developer": Role.SYSTEM,
    "function": Role.TOOL,
}


def _turn(value: JsonValue, index: int) -> Turn:
    field = f"{TURNS_KEY}[{index}]"
    message = require_object(value, field)
    name = message.get("role")
    role = require_role(name, ROLE_NAMES, f"{field}.role")
    standard_role = name == role.value
    content = message.get("content")
    if standard_role and set(message) == {"role", "content"} and isinstance(content, str | list):
        return Turn(role, content)
    # Everything but a standard role is kept, so export can write the message back as it was.
    structured = {key: item for key, item in message.items() if key != "role" or not standard_role}
    return Turn(role, structured)


def parse_record(value: JsonValue, context: RecordContext) -> Conversation:
    record = require_object(value, "record")
    turns = require_list(record.get(TURNS_KEY), TURNS_KEY)
    return conversation_from_record(
        record, TURNS_KEY, [_turn(turn, index) for index, turn in enumerate(turns)], context
    )


def _message(role: Role, content: Content) -> dict[str, JsonValue]:
    if not isinstance(content, dict):
        return {"role": role.value, "content": content}
    kept = content.get("role")
    name = kept if isinstance(kept, str) and ROLE_NAMES.get(kept) is role else role.value
    return {**content, "role": name}


def to_record(conversation: Conversation) -> dict[str, JsonValue]:
    record = record_head(conversation.thread, TURNS_KEY)
    record[TURNS_KEY] = [_message(m.role, m.content) for m in conversation.messages]
    return record
