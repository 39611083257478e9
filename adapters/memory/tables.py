"""The committed state of an in-memory store: rows by id, plus each thread's messages by position."""

from __future__ import annotations

import bisect

import attrs

from domain.message import Message
from domain.thread import Thread


@attrs.frozen
class StoredThread:
    """A thread row: the thread and the last position handed out in it (kept after deletes)."""

    thread: Thread
    last_position: int = 0


class Timeline:
    """One thread's message ids ordered by position, so ordered reads need no sort and no full scan."""

    __slots__ = ("_ids", "_positions")

    def __init__(self) -> None:
        self._positions: list[int] = []
        self._ids: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._positions)

    def insert(self, position: int, message_id: str) -> None:
        bisect.insort(self._positions, position)
        self._ids[position] = message_id

    def remove(self, position: int) -> None:
        del self._positions[bisect.bisect_left(self._positions, position)]
        del self._ids[position]

    def ids(self) -> list[str]:
        return [self._ids[p] for p in self._positions]

    def after(self, position: int, limit: int) -> list[str]:
        """Up to ``limit`` ids with a larger position, nearest first."""
        start = bisect.bisect_right(self._positions, position)
        return [self._ids[p] for p in self._positions[start : start + limit]]

    def before(self, position: int | None, limit: int) -> list[str]:
        """Up to ``limit`` ids with a smaller position (any, when None), nearest first."""
        end = len(self._positions) if position is None else bisect.bisect_left(self._positions, position)
        start = max(0, end - limit)
        return [self._ids[p] for p in reversed(self._positions[start:end])]


@attrs.define
class Tables:
    threads: dict[str, StoredThread] = attrs.Factory(dict)
    messages: dict[str, Message] = attrs.Factory(dict)
    timelines: dict[str, Timeline] = attrs.Factory(dict)
    idempotency_keys: set[str] = attrs.Factory(set)
