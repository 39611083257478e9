"""ShareGPT records: ``{"id": ..., "conversations": [{"from": "human", "value": "..."}, ...]}``.

Speakers map to roles; a speaker name other than the role's usual one (``user``, ``function_call``,
``observation``...) is kept in the message metadata under ``from``, and exported as it was. Other
keys of a turn are message metadata; other keys of the record are thread metadata.
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
from domain.conversation import Conversation
from domain.errors import InvalidInput
from domain.json_values import JsonValue
from domain.message import Message, Role

TURNS_KEY = "conversations"

#: The name each role is written with on export.
USUAL_SPEAKER = {Role.USER: "human", Role.ASSISTANT: "gpt", Role.SYSTEM: "system", Role.TOOL: "observation"}

SPEAKER_ROLES: dict[str, Role] = {
    **{name: role for role, name in USUAL_SPEAKER.items()},
    "user": Role.USER,
    "assistant": Role.ASSISTANT,
    "chatgpt": Role.ASSISTANT,
    "bard": Role.ASSISTANT,
    "bing": Role.ASSISTANT,
    "model": Role.ASSISTANT,
    "function_call": Role.ASSISTANT,  # the model calling a tool
    "tool": Role.TOOL,
    "function": Role.TOOL,
    "function_response": Role.TOOL,
    "ipython": Role.TOOL,
}


def _turn(value: JsonValue, index: int) -> Turn:
    field = f"{TURNS_KEY}[{index}]"
    turn = require_object(value, field)
    speaker = turn.get("from")
    role = require_role(speaker, SPEAKER_ROLES, f"{field}.from")
    if "value" not in turn:
        raise InvalidInput(f"{field}.value", "is missing")
    metadata = {key: item for key, item in turn.items() if key not in {"from", "value"}}
    if speaker != USUAL_SPEAKER[role]:
        metadata["from"] = speaker
    content = turn["value"]
    if not isinstance(content, str | list | dict):
        raise InvalidInput(f"{field}.value", f"must be text or JSON parts, not {type(content).__name__}")
    return Turn(role, content, metadata)


def parse_record(value: JsonValue, context: RecordContext) -> Conversation:
    record = require_object(value, "record")
    turns = require_list(record.get(TURNS_KEY), TURNS_KEY)
    return conversation_from_record(
        record, TURNS_KEY, [_turn(turn, index) for index, turn in enumerate(turns)], context
    )


def _speaker(message: Message) -> str:
    kept = message.metadata.get("from")
    if isinstance(kept, str) and SPEAKER_ROLES.get(kept) is message.role:
        return kept
    return USUAL_SPEAKER[message.role]


def to_record(conversation: Conversation) -> dict[str, JsonValue]:
    record = record_head(conversation.thread, TURNS_KEY)
    turns: list[JsonValue] = []
    for message in conversation.messages:
        turn: dict[str, JsonValue] = {"from": _speaker(message), "value": message.content}
        turn.update((k, v) for k, v in message.metadata.items() if k not in {"from", "value"})
        turns.append(turn)
    record[TURNS_KEY] = turns
    return record
