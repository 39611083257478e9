"""Input that tries to change the SQL, or to overflow D1's limits, on every backend:

- metadata keys and filter keys/values with quotes, comments, LIKE/GLOB wildcards, escapes and
  placeholders are data: filters match exactly and the tables survive;
- values just over the limits are refused with LimitExceeded naming field and limit, before a
  single request is sent;
- a table prefix that tries injection is refused before any SQL exists.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Backend

from adapters.bootstrap import open_store
from adapters.config import Backend as StoreBackend
from adapters.config import StoreConfig
from adapters.d1.client import Statement
from adapters.d1.migrations import migrate
from adapters.d1.sqlite_client import SqliteD1Client
from adapters.d1.unit_of_work import D1UnitOfWork
from domain import InvalidInput, LimitExceeded, Message, MessagePatch, Thread, ThreadPatch, ThreadQuery
from domain.json_values import JsonValue
from domain.limits import MAX_ID_CHARS, MAX_KEY_CHARS, MAX_TEXT_BYTES
from domain.ports import UnitOfWork

pytestmark = pytest.mark.reliability

#: Each would match more than itself if it reached SQL as a pattern, or break it as text.
HOSTILE_KEYS = [
    "x'); DROP TABLE threads; --",
    '"',
    "'",
    "%",
    "_",
    "\\",
    "*",
    "?",
    "?1",
    "[a]",
    "$threads",
    "k%_\\*",
    "a' OR '1'='1",
]
#: Keys a wildcard or a broken escape would also match.
DECOYS = ["", "a", "x", "anything", "k", "kk", "\\\\", "x'); DROP TABLE threads; -- and more"]


def test_hostile_metadata_keys_and_filters_match_exactly(backend: Backend) -> None:
    uow = backend.uow()
    for index, key in enumerate(HOSTILE_KEYS):
        uow.threads.add(Thread.new("r", id=f"hostile-{index}", metadata={key: "%", "shared": key}))
    for index, decoy in enumerate(d for d in DECOYS if d):
        uow.threads.add(Thread.new("r", id=f"decoy-{index}", metadata={decoy: "v", "shared": decoy + "~"}))
    uow.commit()

    for index, key in enumerate(HOSTILE_KEYS):
        by_key = uow.threads.list(ThreadQuery(metadata_filter={key: "%"}, limit=100)).threads
        assert [t.id for t in by_key] == [f"hostile-{index}"], key
        by_value = uow.threads.list(ThreadQuery(metadata_filter={"shared": key}, limit=100)).threads
        assert [t.id for t in by_value] == [f"hostile-{index}"], key
        assert uow.threads.get(f"hostile-{index}").metadata == {key: "%", "shared": key}
    # A value that is a pattern matches only itself: "%" is stored on hostile threads, not "v".
    assert uow.threads.list(ThreadQuery(metadata_filter={"a": "%"})).threads == ()
    stats = uow.stats()
    assert stats.threads == len(HOSTILE_KEYS) + len(DECOYS) - 1  # every table is still there


def _over(limit: int) -> str:
    # Two-byte characters: a limit counted in characters instead of bytes would let this through.
    return "é" * (limit // 2) + "x"


BIG = _over(MAX_TEXT_BYTES)
#: Inside a JSON value: the limit holds for the whole encoded value.
BIG_LIST: JsonValue = [BIG]
LONG_ID = "t" * (MAX_ID_CHARS + 1)
LONG_KEY = "k" * (MAX_KEY_CHARS + 1)


@pytest.mark.parametrize(
    ("field", "limit", "attempt"),
    [
        ("message.content", MAX_TEXT_BYTES, lambda uow: uow.messages.add(Message.new("t1", "user", BIG))),
        ("content", MAX_TEXT_BYTES, lambda uow: uow.messages.update("m1", MessagePatch(content=[BIG]))),
        ("thread.title", MAX_TEXT_BYTES, lambda uow: uow.threads.add(Thread.new("r", title=BIG))),
        (
            "set_metadata.k",
            MAX_TEXT_BYTES,
            lambda uow: uow.threads.update("t1", ThreadPatch(set_metadata={"k": BIG})),
        ),
        (
            "message.metadata.k",
            MAX_TEXT_BYTES,
            lambda uow: uow.messages.add(Message.new("t1", "user", "hi", metadata={"k": BIG_LIST})),
        ),
        (
            "set_metadata key",
            MAX_KEY_CHARS,
            lambda uow: uow.threads.update("t1", ThreadPatch(set_metadata={LONG_KEY: 1})),
        ),
        ("thread.id", MAX_ID_CHARS, lambda uow: uow.threads.add(Thread.new("r", id=LONG_ID))),
        ("message.thread_id", MAX_ID_CHARS, lambda uow: uow.messages.add(Message.new(LONG_ID, "user", "hi"))),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_oversize_input_is_refused_before_anything_is_sent(
    backend: Backend, field: str, limit: int, attempt: Callable[[UnitOfWork], None]
) -> None:
    uow = backend.uow()
    uow.threads.add(Thread.new("r", id="t1"))
    uow.messages.add(Message.new("t1", "user", "hi", id="m1"))
    uow.commit()
    sent = len(backend.requests)
    with pytest.raises(LimitExceeded) as refused:
        attempt(uow)
    assert (refused.value.field, refused.value.limit) == (field, limit)
    assert refused.value.actual > limit and str(limit) in str(refused.value)
    assert uow.commit().positions == {}  # nothing was recorded either
    assert len(backend.requests) == sent
    assert uow.stats().messages == 1


TABLES_IN_FILE = Statement("SELECT name AS name FROM sqlite_master WHERE type = 'table'")
INJECTING_PREFIXES = [
    "x; DROP TABLE threads; --",
    "a b",
    "a-b",
    'a"',
    "a'",
    "a.b",
    "a$p",
    "a\x00",
    "é",
    "1abc",
    "_cf_x",
    "sqlite_x",
    "SQLITE_x",
    "a" * 33,
]


@pytest.mark.parametrize("prefix", INJECTING_PREFIXES)
def test_a_table_prefix_that_could_inject_is_refused_before_any_sql(tmp_path: Path, prefix: str) -> None:
    path = tmp_path / "store.db"
    with SqliteD1Client(path) as client:
        for build in (lambda: D1UnitOfWork(client, prefix), lambda: migrate(client, prefix)):
            with pytest.raises(InvalidInput) as refused:
                build()
            assert refused.value.field == "table_prefix"
        config = StoreConfig(backend=StoreBackend.EMBEDDED, db_path=str(path), table_prefix=prefix)
        with open_store(config) as store, pytest.raises(InvalidInput) as refused:
            store.init()
        assert refused.value.field == "table_prefix"
        tables = client.batch([TABLES_IN_FILE])[0].rows
    assert tables == ()  # not one table was created under any name
