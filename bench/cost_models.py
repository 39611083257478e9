"""What each write should cost in D1's rows_written: the rows it changes plus stated overhead.

D1 counts one written row per b-tree entry it inserts or changes on insert and update (the table
row and each index entry), and one per deleted table row on delete. The models below spell that
out against d1store's schema (adapters/d1/migrations.py); a measured number above its model is
waste worth finding.
"""

from __future__ import annotations

import attrs

#: A commit inserts its idempotency key: the ledger row, its primary key, the by-time index.
LEDGER = 3
#: A new thread row: the row, its primary key, threads_by_resource and threads_by_activity.
NEW_THREAD = 4
#: A thread whose updated_at (and version or last_position) moves: the row plus both activity indexes.
TOUCHED_THREAD = 3
#: A new message: the row, its primary key and the (thread_id, position) unique index.
NEW_MESSAGE = 3
#: A new metadata entry: the row, its (owner, key) primary key and the (key, value) index.
NEW_METADATA = 3
#: A metadata value replaced: the row plus its (key, value) index entry.
CHANGED_METADATA = 2


@attrs.frozen
class RowsWrittenModel:
    expected: int
    explanation: str

    def met_by(self, measured: int) -> bool:
        return measured <= self.expected


def start_thread(metadata_keys: int) -> RowsWrittenModel:
    total = NEW_THREAD + NEW_METADATA * metadata_keys + LEDGER
    return RowsWrittenModel(
        total, f"thread {NEW_THREAD} + {metadata_keys} metadata * {NEW_METADATA} + ledger {LEDGER}"
    )


def append(messages: int) -> RowsWrittenModel:
    total = NEW_MESSAGE * messages + TOUCHED_THREAD + LEDGER
    return RowsWrittenModel(
        total, f"{messages} messages * {NEW_MESSAGE} + thread {TOUCHED_THREAD} + ledger {LEDGER}"
    )


def replace_thread_metadata(keys: int) -> RowsWrittenModel:
    total = TOUCHED_THREAD + CHANGED_METADATA * keys + LEDGER
    return RowsWrittenModel(
        total, f"thread {TOUCHED_THREAD} + {keys} metadata * {CHANGED_METADATA} + ledger {LEDGER}"
    )


def delete_thread(messages: int, metadata_entries: int) -> RowsWrittenModel:
    deleted = 1 + messages + metadata_entries
    return RowsWrittenModel(deleted + LEDGER, f"{deleted:,} deleted rows * 1 + ledger {LEDGER}")


def read_only() -> RowsWrittenModel:
    return RowsWrittenModel(0, "a read writes nothing")
