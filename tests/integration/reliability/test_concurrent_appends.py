"""Eight processes append to ONE thread at once, one commit per message: every message lands once,
positions are 1..N with no gap or tie, and each writer's messages keep that writer's order —
on the local D1 engine over REST and on the embedded SQLite file."""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.synchronize import Barrier

import pytest

from adapters.d1.migrations import migrate
from domain import Message, Thread

from .scale import current_scale
from .targets import Target

pytestmark = pytest.mark.reliability

WRITERS = 8


def append_one_by_one(target: Target, thread_id: str, writer: int, count: int, start: Barrier) -> None:
    """One writer process: ``count`` commits of one message each, after every writer is ready."""
    with target.client() as client:
        uow = target.unit_of_work(client)
        start.wait(120)
        for i in range(count):
            uow.messages.add(Message.new(thread_id, "user", f"{writer}:{i}", metadata={"writer": writer}))
            uow.commit()


def test_eight_processes_append_to_one_thread(target: Target) -> None:
    per_writer = current_scale().appends_per_writer
    with target.client() as client:
        migrate(client, target.prefix)
        uow = target.unit_of_work(client)
        uow.threads.add(Thread.new("r", id="shared"))
        uow.commit()

        context = multiprocessing.get_context("spawn")
        start = context.Barrier(WRITERS)
        writers = [
            context.Process(target=append_one_by_one, args=(target, "shared", w, per_writer, start))
            for w in range(WRITERS)
        ]
        began = time.monotonic()
        for process in writers:
            process.start()
        for process in writers:
            process.join(600)
        elapsed = time.monotonic() - began
        assert [p.exitcode for p in writers] == [0] * WRITERS

        page = uow.messages.page("shared", limit=1000)
        messages = list(page.messages)
        while page.next_cursor is not None:
            page = uow.messages.page("shared", limit=1000, cursor=page.next_cursor)
            messages += page.messages

    total = WRITERS * per_writer
    assert [m.position for m in messages] == list(range(1, total + 1))
    assert len({m.id for m in messages}) == total
    by_writer: dict[str, list[int]] = {}
    for message in messages:
        writer, index = str(message.content).split(":")
        assert message.metadata == {"writer": int(writer)}
        by_writer.setdefault(writer, []).append(int(index))
    assert by_writer == {str(w): list(range(per_writer)) for w in range(WRITERS)}
    print(f"\n[reliability] {target.kind}: {WRITERS} processes x {per_writer} appends in {elapsed:.1f} s")
