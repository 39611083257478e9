"""SEMANTICS.md, "Reads": lists with filters and cursors, recent with windows, pages, stats."""

from __future__ import annotations

import pytest

from domain import Direction, InvalidInput, LimitExceeded, NotFound, ThreadQuery

from .helpers import message, seed, thread


def all_pages(uow, query: ThreadQuery) -> list[list[str]]:
    pages = []
    while True:
        page = uow.threads.list(query)
        pages.append([t.id for t in page.threads])
        if page.next_cursor is None:
            return pages
        query = ThreadQuery(
            resource_id=query.resource_id,
            metadata_filter=query.metadata_filter,
            limit=query.limit,
            cursor=page.next_cursor,
        )


def test_list_orders_by_activity_then_id_and_pages_with_cursors(backend):
    uow = backend.uow()
    for thread_id, seconds in [("a", 1), ("b", 3), ("c", 3), ("d", 2), ("e", 5)]:
        uow.threads.add(thread(thread_id, seconds=seconds))
    uow.commit()
    assert all_pages(uow, ThreadQuery(limit=2)) == [["e", "c"], ["b", "d"], ["a"]]
    assert all_pages(uow, ThreadQuery(limit=5)) == [["e", "c", "b", "d", "a"]]


def test_list_filters_by_resource_and_canonical_metadata(backend):
    uow = backend.uow()
    uow.threads.add(thread("int", metadata={"n": 1, "tag": "x"}))
    uow.threads.add(thread("float", metadata={"n": 1.0, "tag": "x"}))
    uow.threads.add(thread("bool", metadata={"n": True}, resource="user-2"))
    uow.threads.add(thread("nested", metadata={"n": {"b": 1, "a": [1]}}))
    uow.commit()

    def ids(**query) -> set[str]:
        return {t.id for t in uow.threads.list(ThreadQuery(limit=10, **query)).threads}

    assert ids(metadata_filter={"n": 1}) == {"int"}
    assert ids(metadata_filter={"n": 1.0}) == {"float"}
    assert ids(metadata_filter={"n": True}) == {"bool"}
    assert ids(metadata_filter={"n": {"a": [1], "b": 1}}) == {"nested"}
    assert ids(metadata_filter={"n": 1, "tag": "x"}) == {"int"}
    assert ids(metadata_filter={"tag": "x", "missing": 1}) == set()
    assert ids(resource_id="user-2") == {"bool"}
    assert ids(resource_id="user-1", metadata_filter={"tag": "x"}) == {"int", "float"}


def test_recent_returns_the_newest_oldest_first(backend):
    ids = seed(backend.uow(), "t1", 6)
    uow = backend.uow()
    assert [m.id for m in uow.messages.recent("t1", 3).last] == ids[3:]
    assert [m.id for m in uow.messages.recent("t1", 100).last] == ids
    assert uow.messages.recent("t1", 0).last == ()


def test_recent_windows_per_anchor(backend):
    ids = seed(backend.uow(), "t1", 10)
    other = seed(backend.uow(), "t2", 3)
    uow = backend.uow()
    uow.messages.delete([ids[3]])  # position 4: a gap inside a window
    uow.commit()
    recent = uow.messages.recent("t1", 2, around=[ids[5], other[0], ids[5], ids[0]], before=2, after=1)
    windows = {w.anchor_id: [m.position for m in w.messages] for w in recent.windows}
    assert [w.anchor_id for w in recent.windows] == [ids[5], other[0], ids[0]]
    assert windows == {ids[5]: [3, 5, 6, 7], other[0]: [1, 2], ids[0]: [1, 2]}
    assert [w.messages[0].thread_id for w in recent.windows] == ["t1", "t2", "t1"]
    zero = uow.messages.recent("t1", 0, around=[ids[9]])
    assert [[m.id for m in w.messages] for w in zero.windows] == [[ids[9]]]


def test_recent_errors(backend):
    seed(backend.uow(), "t1", 1)
    uow = backend.uow()
    with pytest.raises(NotFound) as thread_missing:
        uow.messages.recent("ghost", 5)
    assert thread_missing.value.kind == "thread"
    with pytest.raises(NotFound) as anchor_missing:
        uow.messages.recent("t1", 5, around=["t1-m1", "ghost"], before=1)
    assert (anchor_missing.value.kind, anchor_missing.value.identifier) == ("message", "ghost")
    with pytest.raises(InvalidInput):
        uow.messages.recent("t1", 1001)
    with pytest.raises(LimitExceeded):
        uow.messages.recent("t1", 1, around=[f"m{i}" for i in range(101)])


@pytest.mark.parametrize("direction", list(Direction))
def test_pages_walk_every_message_once(backend, direction):
    ids = seed(backend.uow(), "t1", 7)
    uow = backend.uow()
    uow.messages.delete([ids[2]])
    uow.commit()
    expected = [i for i in ids if i != ids[2]]
    if direction is Direction.BACKWARD:
        expected.reverse()
    seen, cursor = [], None
    while True:
        page = uow.messages.page("t1", limit=3, cursor=cursor, direction=direction)
        seen += [m.id for m in page.messages]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_page_errors(backend):
    seed(backend.uow(), "t1", 3)
    seed(backend.uow(), "t2", 3)
    uow = backend.uow()
    with pytest.raises(NotFound):
        uow.messages.page("ghost")
    cursor = uow.messages.page("t1", limit=1).next_cursor
    with pytest.raises(InvalidInput) as other_thread:
        uow.messages.page("t2", cursor=cursor)
    assert other_thread.value.field == "cursor"
    with pytest.raises(InvalidInput):
        uow.messages.page("t1", cursor=cursor, direction=Direction.BACKWARD)
    with pytest.raises(InvalidInput):
        uow.messages.page("t1", cursor="garbage")


def test_stats_counts_threads_messages_and_metadata(backend):
    uow = backend.uow()
    uow.threads.add(thread("t1", metadata={"a": 1, "b": 2}))
    uow.messages.add(message("t1", "m1", metadata={"c": 3}))
    uow.messages.add(message("t1", "m2"))
    uow.commit()
    stats = uow.stats()
    assert (stats.threads, stats.messages, stats.metadata) == (1, 2, 3)
    if backend.client is not None:
        assert stats.size_bytes is not None and stats.size_bytes > 0
