"""A commit's private view of the tables: the rows it changes are kept aside until it succeeds.

Only touched rows are copied, so a commit costs what it changes, not what the store holds, and a
commit that fails part-way simply drops its draft: the tables were never modified.
"""

from __future__ import annotations

from adapters.memory.tables import StoredThread, Tables, Timeline
from domain.message import Message


class Draft:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables
        # id -> new row, or None for a deleted one.
        self._threads: dict[str, StoredThread | None] = {}
        self._messages: dict[str, Message | None] = {}

    def thread(self, thread_id: str) -> StoredThread | None:
        if thread_id in self._threads:
            return self._threads[thread_id]
        return self._tables.threads.get(thread_id)

    def put_thread(self, row: StoredThread) -> None:
        self._threads[row.thread.id] = row

    def drop_thread(self, thread_id: str) -> None:
        self._threads[thread_id] = None

    def message(self, message_id: str) -> Message | None:
        if message_id in self._messages:
            return self._messages[message_id]
        return self._tables.messages.get(message_id)

    def put_message(self, message: Message) -> None:
        self._messages[message.id] = message

    def drop_message(self, message_id: str) -> None:
        self._messages[message_id] = None

    def message_ids_of(self, thread_id: str) -> list[str]:
        """Ids of the messages the thread has in this draft (committed ones and drafted ones)."""
        timeline = self._tables.timelines.get(thread_id)
        candidates = dict.fromkeys([*(timeline.ids() if timeline else ()), *self._messages])
        return [
            message_id
            for message_id in candidates
            if (message := self.message(message_id)) is not None and message.thread_id == thread_id
        ]

    def write_back(self) -> None:
        """Make the draft the committed state. Nothing here can fail half-way."""
        tables = self._tables
        for message_id in self._messages:
            old = tables.messages.get(message_id)
            if old is not None and old.position is not None:
                tables.timelines[old.thread_id].remove(old.position)
        for thread_id, row in self._threads.items():
            if row is None:
                tables.threads.pop(thread_id, None)
                tables.timelines.pop(thread_id, None)
            else:
                tables.threads[thread_id] = row
                tables.timelines.setdefault(thread_id, Timeline())
        for message_id, message in self._messages.items():
            if message is None:
                tables.messages.pop(message_id, None)
            else:
                assert message.position is not None, "a committed message has a position"
                tables.messages[message_id] = message
                tables.timelines[message.thread_id].insert(message.position, message_id)
