"""Parse a file into conversations: pick the reader (JSON list or JSON Lines) and the record format
(detected from the first recognisable record unless given), then convert record by record."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import BinaryIO

import attrs

from adapters.formats import native, openai_chat, sharegpt
from adapters.formats.kinds import Format
from adapters.formats.records import DEFAULT_RESOURCE_ID, RecordContext
from adapters.formats.sources import Located, Malformed, json_list_records, jsonl_records, starts_with_list
from domain.conversation import Conversation
from domain.errors import InvalidInput
from domain.json_values import JsonValue

#: How many records detection may look at before giving up (and asking for --format).
DETECTION_LOOKAHEAD = 100

RecordParser = Callable[[JsonValue, int], Conversation]


@attrs.frozen
class Parsed:
    location: str
    conversation: Conversation


def detect_format(record: JsonValue) -> Format | None:
    if not isinstance(record, dict):
        return None
    if "conversations" in record:
        return Format.SHAREGPT
    if "messages" in record:
        return Format.JSONL if "resource_id" in record else Format.OPENAI
    return None


def record_parser(format: Format, resource_id: str | None) -> RecordParser:
    """``resource_id`` is where the threads go; for our own format it overrides the record's."""
    if format is Format.JSONL:
        return lambda record, _index: native.parse_record(record, resource_id)
    module = sharegpt if format is Format.SHAREGPT else openai_chat
    resource = DEFAULT_RESOURCE_ID if resource_id is None else resource_id
    return lambda record, index: module.parse_record(record, RecordContext(index, resource))


def _detected(
    name: str, records: Iterator[Located | Malformed]
) -> tuple[Format | None, Iterator[Located | Malformed]]:
    seen: list[Located | Malformed] = []
    for item in itertools.islice(records, DETECTION_LOOKAHEAD):
        seen.append(item)
        if isinstance(item, Located) and (found := detect_format(item.value)) is not None:
            return found, itertools.chain(seen, records)
    if any(isinstance(item, Located) for item in seen):
        choices = ", ".join(f.value for f in Format)
        raise InvalidInput("format", f"cannot tell the format of {name}; pass --format ({choices})")
    return None, itertools.chain(seen, records)


def parse_stream(
    stream: BinaryIO, name: str, *, format: Format | None = None, resource_id: str | None = None
) -> Iterator[Parsed | Malformed]:
    """Conversations in file order; a record that cannot be imported is a ``Malformed`` note instead.

    ``stream`` must be seekable (its first bytes are peeked). Raises ``InvalidInput("format")``
    when no format is given and none can be recognised.
    """
    reader = json_list_records if starts_with_list(stream) else jsonl_records
    records: Iterator[Located | Malformed] = reader(stream, name)
    if format is None:
        format, records = _detected(name, records)
    parse = None if format is None else record_parser(format, resource_id)
    for index, item in enumerate(records):
        if isinstance(item, Malformed):
            yield item
            continue
        if parse is None:  # unreachable: without a format only malformed notes are left
            continue
        try:
            yield Parsed(item.location, parse(item.value, index))
        except InvalidInput as exc:
            yield Malformed(item.location, str(exc))
