"""Two writers edit one thread's metadata at the same instant (a barrier releases both), round after
round, each with its own client:

- guarded by the version both read: exactly one wins, the other gets ConcurrencyConflict and
  nothing of its batch is written (its metadata key is absent, the version moved by one);
- through ``service.edit_thread`` (read-decide-commit, again on conflict): both edits land.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.d1.migrations import migrate
from adapters.d1.unit_of_work import D1UnitOfWork
from domain import ConcurrencyConflict, Thread, ThreadPatch
from service import edit_thread

from .scale import current_scale
from .targets import Target

pytestmark = pytest.mark.reliability

WRITERS = 2


def race(target: Target, edit: Callable[[D1UnitOfWork, int], str]) -> list[str]:
    """Run ``edit(unit_of_work, writer)`` in both writers at once; each returns how it ended."""
    start = threading.Barrier(WRITERS)
    clients = [target.client() for _ in range(WRITERS)]

    def writer(number: int) -> str:
        uow = target.unit_of_work(clients[number])
        start.wait(30)
        return edit(uow, number)

    try:
        with ThreadPoolExecutor(WRITERS) as pool:
            return list(pool.map(writer, range(WRITERS)))
    finally:
        for client in clients:
            client.close()


def guarded_edit(version: int, round_: int) -> Callable[[D1UnitOfWork, int], str]:
    """Set this writer's key, expecting ``version``: "won", or "conflict" (then nothing is written)."""

    def edit(uow: D1UnitOfWork, writer: int) -> str:
        patch = ThreadPatch(set_metadata={f"guarded-{round_}-{writer}": writer})
        uow.threads.update("raced", patch, expected_version=version)
        try:
            uow.commit()
            return "won"
        except ConcurrencyConflict as conflict:
            assert conflict.thread_id == "raced" and conflict.expected_version == version
            uow.rollback()
            return "conflict"

    return edit


def helped_edit(round_: int) -> Callable[[D1UnitOfWork, int], str]:
    """Set this writer's key to the version it read, through the service's retry helper."""

    def edit(uow: D1UnitOfWork, writer: int) -> str:
        def decide(current: Thread) -> ThreadPatch:
            return ThreadPatch(set_metadata={f"helped-{round_}-{writer}": current.version})

        return str(edit_thread(uow, "raced", decide, attempts=10).version)

    return edit


def test_two_writers_race_on_one_thread(target: Target) -> None:
    rounds = current_scale().edit_rounds
    with target.client() as client:
        migrate(client, target.prefix)
        uow = target.unit_of_work(client)
        uow.threads.add(Thread.new("r", id="raced"))
        uow.commit()

        for round_ in range(rounds):
            version = uow.threads.get("raced").version
            outcomes = race(target, guarded_edit(version, round_))
            assert sorted(outcomes) == ["conflict", "won"], outcomes
            after = uow.threads.get("raced")
            winner = outcomes.index("won")
            assert after.version == version + 1
            assert f"guarded-{round_}-{winner}" in after.metadata
            assert f"guarded-{round_}-{1 - winner}" not in after.metadata  # the loser wrote nothing

            race(target, helped_edit(round_))
            after = uow.threads.get("raced")
            assert after.version == version + 3
            # Both keys landed, each decided on the version it really replaced (one apart).
            seen = [after.metadata[f"helped-{round_}-{w}"] for w in range(WRITERS)]
            assert seen in ([version + 1, version + 2], [version + 2, version + 1]), seen

    # Nothing lost over all rounds: one guarded key per round (the winner's) and both helped keys.
    assert len(after.metadata) == 3 * rounds
