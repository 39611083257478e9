"""Write conversations in a format, streaming: one conversation in memory at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TextIO

from adapters.formats import native, openai_chat, sharegpt
from adapters.formats.kinds import Format
from domain.conversation import Conversation
from domain.json_values import JsonValue

_TO_RECORD: dict[Format, Callable[[Conversation], dict[str, JsonValue]]] = {
    Format.JSONL: native.to_record,
    Format.SHAREGPT: sharegpt.to_record,
    Format.OPENAI: openai_chat.to_record,
}


def dump_json(value: JsonValue) -> str:
    """One line of JSON, as written in every format (UTF-8 kept, never NaN)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write_conversations(conversations: Iterable[Conversation], format: Format, out: TextIO) -> int:
    """ShareGPT is written as a JSON list (one record per line), the others as JSON Lines.

    Returns how many conversations were written.
    """
    to_record = _TO_RECORD[format]
    as_list = format is Format.SHAREGPT
    count = 0
    if as_list:
        out.write("[")
    for conversation in conversations:
        line = dump_json(to_record(conversation))
        if as_list:
            out.write(("\n" if count == 0 else ",\n") + line)
        else:
            out.write(line + "\n")
        count += 1
    if as_list:
        out.write("\n]\n")
    return count
