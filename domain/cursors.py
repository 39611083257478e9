"""Keyset cursors: where the next page starts, as an opaque string users pass back."""

from __future__ import annotations

import base64
import binascii
import enum
import json
from typing import Any, TypeGuard

import attrs

from domain.errors import InvalidInput
from domain.limits import MAX_SAFE_INTEGER


class Direction(enum.StrEnum):
    FORWARD = "forward"  # oldest first
    BACKWARD = "backward"  # newest first


def _encode(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _safe_int(value: object, minimum: int) -> TypeGuard[int]:
    """A forged cursor must not smuggle a number D1 cannot bind exactly (beyond 2**53)."""
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= MAX_SAFE_INTEGER


def _decode(text: object, kind: str) -> dict[str, Any]:
    if not isinstance(text, str) or not text:
        raise InvalidInput("cursor", "must be a non-empty string from a previous page")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        raise InvalidInput("cursor", "is not a cursor this store issued") from None
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise InvalidInput("cursor", f"is not a {kind} cursor")
    return payload


@attrs.frozen
class ThreadCursor:
    """Threads are ordered by (updated_at, id) descending; the next page starts after this pair."""

    updated_at_ms: int
    thread_id: str

    def encode(self) -> str:
        return _encode({"k": "thread", "u": self.updated_at_ms, "i": self.thread_id})

    @classmethod
    def decode(cls, text: object) -> ThreadCursor:
        payload = _decode(text, "thread")
        updated, thread_id = payload.get("u"), payload.get("i")
        if not _safe_int(updated, -MAX_SAFE_INTEGER) or not isinstance(thread_id, str):
            raise InvalidInput("cursor", "is damaged")
        return cls(updated, thread_id)


@attrs.frozen
class MessageCursor:
    """Messages are ordered by position; the next page starts after ``position`` in ``direction``."""

    thread_id: str
    position: int
    direction: Direction

    def encode(self) -> str:
        return _encode({"k": "message", "t": self.thread_id, "p": self.position, "d": self.direction.value})

    @classmethod
    def decode(cls, text: object) -> MessageCursor:
        payload = _decode(text, "message")
        thread_id, position, direction = payload.get("t"), payload.get("p"), payload.get("d")
        if (
            not isinstance(thread_id, str)
            or not _safe_int(position, 0)
            or direction not in {d.value for d in Direction}
        ):
            raise InvalidInput("cursor", "is damaged")
        return cls(thread_id, position, Direction(direction))
