"""Metadata writes for threads and messages: chunked upserts and key deletions."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

import attrs

from adapters.d1.chunking import PLAIN_TRIPLE, chunk_rows, flatten, numbered_tuples
from adapters.d1.client import Statement
from adapters.d1.schema import Tables


@attrs.frozen
class MetadataTable:
    """Which table holds the entries and which column names their owner."""

    table: str  # unprefixed name
    owner: str  # "thread_id" or "message_id"


THREAD_METADATA = MetadataTable("thread_metadata", "thread_id")
MESSAGE_METADATA = MetadataTable("message_metadata", "message_id")


def upsert(
    tables: Tables, where: MetadataTable, entries: Collection[tuple[str, str, str]]
) -> list[Statement]:
    """Set (owner, key, canonical JSON) entries, replacing existing values."""
    statements = []
    for chunk in chunk_rows(list(entries)):
        sql = tables.render(
            "INSERT INTO $table ($owner, key, value) VALUES $values "
            "ON CONFLICT ($owner, key) DO UPDATE SET value = excluded.value",
            table=tables.name(where.table),
            owner=where.owner,
            values=numbered_tuples(len(chunk), 3, 1, PLAIN_TRIPLE),
        )
        statements.append(Statement(sql, flatten(chunk)))
    return statements


def owner_entries(owner_id: str, encoded: Mapping[str, str]) -> list[tuple[str, str, str]]:
    return [(owner_id, key, value) for key, value in encoded.items()]


def remove_keys(
    tables: Tables, where: MetadataTable, owner_id: str, keys: Collection[str]
) -> list[Statement]:
    if not keys:
        return []
    sql = tables.render(
        "DELETE FROM $table WHERE $owner = ?1 AND key IN (SELECT value FROM json_each(?2))",
        table=tables.name(where.table),
        owner=where.owner,
    )
    return [Statement(sql, (owner_id, json.dumps(sorted(keys))))]
