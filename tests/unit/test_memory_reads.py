"""Reads of the in-memory store: windows, pages, listings, and the arguments they refuse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from adapters.memory import InMemoryStore, InMemoryUnitOfWork
from domain import Direction, InvalidInput, LimitExceeded, Message, NotFound, Thread, ThreadQuery

T0 = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    """Thread a (10 messages, m3 and m7 deleted), thread b (3 messages), committed."""
    unit = InMemoryUnitOfWork(InMemoryStore())
    with unit:
        unit.threads.add(Thread.new("r", id="a", metadata={"kind": 1}, at=T0))
        unit.threads.add(Thread.new("r", id="b", metadata={"kind": 1.0}, at=T0))
        for index in range(1, 11):
            unit.messages.add(Message.new("a", "user", f"a{index}", id=f"a{index}", at=T0))
        for index in range(1, 4):
            unit.messages.add(Message.new("b", "user", f"b{index}", id=f"b{index}", at=T0))
        unit.commit()
        unit.messages.delete(["a3", "a7"])
        unit.commit()
    return unit


def ids(messages: tuple[Message, ...]) -> list[str]:
    return [m.id for m in messages]


def test_recent_returns_the_newest_oldest_first_and_windows_skip_gaps(uow: InMemoryUnitOfWork) -> None:
    got = uow.messages.recent("a", 3, around=["a4", "b2", "a4"], before=2, after=2)
    assert ids(got.last) == ["a8", "a9", "a10"]
    assert [(w.anchor_id, ids(w.messages)) for w in got.windows] == [
        ("a4", ["a1", "a2", "a4", "a5", "a6"]),
        ("b2", ["b1", "b2", "b3"]),  # in the anchor's own thread
    ]
    assert ids(uow.messages.recent("a", 0).last) == []
    assert ids(uow.messages.recent("a", 1000).last) == ["a1", "a2", "a4", "a5", "a6", "a8", "a9", "a10"]


def test_recent_unknown_thread_or_anchor_is_not_found(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(NotFound) as thread:
        uow.messages.recent("zz", 1)
    with pytest.raises(NotFound) as anchor:
        uow.messages.recent("a", 1, around=["a3"])  # deleted
    assert (thread.value.kind, anchor.value.kind, anchor.value.identifier) == ("thread", "message", "a3")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"limit": -1}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": 1, "before": 1001}, "before"),
        ({"limit": 1, "after": True}, "after"),
        ({"limit": 1, "around": "a1"}, "around"),
        ({"limit": 1, "around": [f"x{i}" for i in range(101)]}, "around"),
    ],
)
def test_recent_refuses_bad_arguments(
    uow: InMemoryUnitOfWork, arguments: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        uow.messages.recent("a", **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_too_many_anchors_is_a_limit(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(LimitExceeded):
        uow.messages.recent("a", 1, around=[f"x{i}" for i in range(101)])
    assert len(uow.messages.recent("a", 1, around=["a1"] * 150).windows) == 1  # duplicates do not count


@pytest.mark.parametrize("direction", list(Direction))
def test_pages_cover_the_thread_once_in_order(uow: InMemoryUnitOfWork, direction: Direction) -> None:
    first = uow.messages.page("a", limit=3, direction=direction)
    second = uow.messages.page("a", limit=3, cursor=first.next_cursor, direction=direction)
    third = uow.messages.page("a", limit=3, cursor=second.next_cursor, direction=direction)
    forward = ["a1", "a2", "a4", "a5", "a6", "a8", "a9", "a10"]
    expected = forward if direction is Direction.FORWARD else forward[::-1]
    assert ids(first.messages) + ids(second.messages) + ids(third.messages) == expected
    assert third.next_cursor is None


def test_an_exact_last_page_has_no_cursor(uow: InMemoryUnitOfWork) -> None:
    assert uow.messages.page("b", limit=3).next_cursor is None
    assert uow.messages.page("b", limit=2).next_cursor is not None


def test_a_cursor_from_another_thread_or_direction_is_refused(uow: InMemoryUnitOfWork) -> None:
    cursor = uow.messages.page("a", limit=1).next_cursor
    for thread_id, direction in [("b", Direction.FORWARD), ("a", Direction.BACKWARD)]:
        with pytest.raises(InvalidInput) as caught:
            uow.messages.page(thread_id, limit=1, cursor=cursor, direction=direction)
        assert caught.value.field == "cursor"
    with pytest.raises(InvalidInput) as damaged:
        uow.messages.page("a", cursor="not-a-cursor")
    with pytest.raises(InvalidInput) as sideways:
        uow.messages.page("a", direction="sideways")  # type: ignore[arg-type]
    assert (damaged.value.field, sideways.value.field) == ("cursor", "direction")


def test_page_of_an_unknown_thread_is_not_found(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(NotFound):
        uow.messages.page("zz")


def test_listing_filters_by_canonical_json_and_orders_by_activity(uow: InMemoryUnitOfWork) -> None:
    assert [t.id for t in uow.threads.list(ThreadQuery()).threads] == ["b", "a"]  # same time: id desc
    assert [t.id for t in uow.threads.list(ThreadQuery(metadata_filter={"kind": 1})).threads] == ["a"]
    assert [t.id for t in uow.threads.list(ThreadQuery(metadata_filter={"kind": 1.0})).threads] == ["b"]
    assert uow.threads.list(ThreadQuery(metadata_filter={"kind": True})).threads == ()
    assert uow.threads.list(ThreadQuery(resource_id="other")).threads == ()
    with uow:
        uow.messages.add(Message.new("a", "user", "late", at=T0 + timedelta(hours=1)))
        uow.threads.add(Thread.new("r", id="c", at=T0))  # pending: not listed
        first = uow.threads.list(ThreadQuery(limit=1))
        assert [t.id for t in first.threads] == ["b"]
        uow.commit()
    first = uow.threads.list(ThreadQuery(limit=1))
    rest = uow.threads.list(ThreadQuery(limit=5, cursor=first.next_cursor))
    assert [t.id for t in first.threads + rest.threads] == ["a", "c", "b"]
    assert rest.next_cursor is None


def test_reads_refuse_bad_arguments(uow: InMemoryUnitOfWork) -> None:
    reads: list[tuple[Callable[[], object], str]] = [
        (lambda: uow.threads.get(""), "thread_id"),
        (lambda: uow.messages.get(None), "message_id"),  # type: ignore[arg-type]
        (lambda: uow.threads.existing("abc"), "thread_ids"),
        (lambda: uow.threads.list({"limit": 5}), "query"),  # type: ignore[arg-type]
        (lambda: uow.messages.page("a", limit=0), "limit"),
    ]
    for read, field in reads:
        with pytest.raises(InvalidInput) as caught:
            read()
        assert caught.value.field == field


def test_stats_count_everything_committed(uow: InMemoryUnitOfWork) -> None:
    stats = uow.stats()
    assert (stats.threads, stats.messages, stats.metadata, stats.size_bytes) == (2, 11, 2, None)
