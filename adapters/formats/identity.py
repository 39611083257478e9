"""Deterministic ids and timestamps for records that carry none, so importing twice is a no-op.

A record with a source id keeps it as its thread id when that is a usable identifier; otherwise
the id is a hash (of the source id, or of the whole record when there is none). Message ids are
the thread id plus the message's index. Timestamps count back from a fixed epoch so the same file
always yields the same values: the first record is the newest, as in an export (newest activity
first), so exporting and re-importing keeps every timestamp. Within a conversation, time
increases with the message index, one millisecond apart.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from domain.errors import InvalidInput
from domain.json_values import JsonValue
from domain.validation import validate_identifier

#: Imported conversations without timestamps are placed here: obviously synthetic, never "now".
IMPORT_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

#: Thread ids stay short enough that "<thread id>:<index>" is still a valid message id.
MAX_DERIVED_ID_CHARS = 200


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def thread_id_for_source(source_id: JsonValue) -> str:
    """The thread id for a record whose source id is ``source_id`` (a string or a number)."""
    text = source_id if isinstance(source_id, str) else json.dumps(source_id)
    if len(text) <= MAX_DERIVED_ID_CHARS and not text.startswith("sha-"):
        try:
            return validate_identifier(text, "id")
        except InvalidInput:
            pass
    return "sha-" + _digest("source:" + text)


def thread_id_for_content(record: JsonValue) -> str:
    """The thread id for a record without a source id: a hash of its canonical JSON."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha-" + _digest("record:" + canonical)


def message_id(thread_id: str, index: int) -> str:
    return f"{thread_id}:{index}"


def thread_created_at(record_index: int) -> datetime:
    """Record k starts k minutes before the epoch: listing order (newest first) is file order, as
    long as a conversation has fewer than 60,000 messages (one millisecond each)."""
    return IMPORT_EPOCH - timedelta(minutes=record_index)


def message_created_at(thread_start: datetime, index: int) -> datetime:
    return thread_start + timedelta(milliseconds=index)
