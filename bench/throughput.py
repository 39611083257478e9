"""Throughput on the embedded default beside the floor (raw sqlite3) and openai-agents' SQLiteSession.

Each alternative appends the same conversation in batches, one transaction per batch, into a fresh
file, then reads the whole thread back; rounds are interleaved and medians reported.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from adapters.bootstrap import Store, open_store
from adapters.config import StoreConfig
from bench import agents_baseline
from bench.data import agent_items, batches, messages
from bench.floor import CapturedThread, RawSqliteFloor, capture
from bench.report import Section, target
from bench.sizes import Sizes
from bench.timing import interleaved, ratio, timed
from domain.cursors import Direction
from domain.message import Message
from service import append_messages, page_messages, start_thread

THREAD_ID = "bench-throughput"
D1STORE = "d1store embedded (service layer)"
FLOOR = "raw sqlite3 executemany (floor)"
AGENTS = "openai-agents SQLiteSession"


def _open_thread(path: Path) -> Store:
    store = open_store(StoreConfig(db_path=str(path)))
    store.init()
    start_thread(store.unit_of_work(), "bench", thread_id=THREAD_ID)
    return store


def _read_back(store: Store) -> int:
    uow, cursor, count = store.unit_of_work(), None, 0
    while True:
        page = page_messages(uow, THREAD_ID, limit=1000, cursor=cursor, direction=Direction.FORWARD)
        count += len(page.messages)
        if page.next_cursor is None:
            return count
        cursor = page.next_cursor


def _fill(store: Store, conversation: list[Message], batch_size: int) -> None:
    uow = store.unit_of_work()
    for batch in batches(conversation, batch_size):
        append_messages(uow, THREAD_ID, batch)


def _check(name: str, expected: int, got: int) -> None:
    if got != expected:
        raise RuntimeError(f"{name} read back {got} messages, expected {expected}")


class _Runs:
    """One fresh file per run, under ``folder``; each run returns its timed phases."""

    def __init__(self, folder: Path, sizes: Sizes) -> None:
        self.folder = folder
        self.count = sizes.throughput_messages
        self.batch = sizes.throughput_batch
        self.conversation = messages(THREAD_ID, self.count)
        self.items = agent_items(self.count)
        self._serial = 0

    def fresh_path(self) -> Path:
        self._serial += 1
        return self.folder / f"run{self._serial}.db"

    def d1store(self, _round: int) -> Mapping[str, float]:
        store = _open_thread(self.fresh_path())
        try:
            write, _ = timed(lambda: _fill(store, self.conversation, self.batch))
            read, got = timed(lambda: _read_back(store))
        finally:
            store.close()
        _check(D1STORE, self.count, got)
        return {"write": write, "read": read}

    def floor(self, captured: CapturedThread) -> Callable[[int], Mapping[str, float]]:
        def run(_round: int) -> Mapping[str, float]:
            floor = RawSqliteFloor(self.fresh_path(), captured)
            try:
                write, _ = timed(lambda: floor.append_all(self.batch))
                read, rows = timed(floor.read_all)
            finally:
                floor.close()
            _check(FLOOR, self.count, len(rows))
            return {"write": write, "read": read}

        return run

    def agents(self, _round: int) -> Mapping[str, float]:
        session = agents_baseline.AgentsSession(self.fresh_path(), THREAD_ID)
        try:
            write, _ = timed(lambda: session.append_all(self.items, self.batch))
            read, items = timed(session.read_all)
        finally:
            session.close()
        _check(AGENTS, self.count, len(items))
        return {"write": write, "read": read}

    def capture_d1store_rows(self) -> CapturedThread:
        path = self.fresh_path()
        store = _open_thread(path)
        try:
            _fill(store, self.conversation, self.batch)
        finally:
            store.close()
        return capture(path, THREAD_ID)


def run(sizes: Sizes) -> Section:
    section = Section(
        "throughput",
        f"2. Throughput on the embedded default: {sizes.throughput_messages:,} messages appended in "
        f"batches of {sizes.throughput_batch}, then read back (median of {sizes.rounds} interleaved rounds)",
        ("write s", "read s", "total s", "messages/s (write+read)", "d1store throughput ÷ this"),
    )
    with tempfile.TemporaryDirectory(prefix="d1store-bench-") as folder:
        runs = _Runs(Path(folder), sizes)
        alternatives: dict[str, Callable[[int], Mapping[str, float]]] = {
            D1STORE: runs.d1store,
            FLOOR: runs.floor(runs.capture_d1store_rows()),
        }
        agents_installed = agents_baseline.session_class() is not None
        if agents_installed:
            alternatives[AGENTS] = runs.agents
        medians = interleaved(alternatives, sizes.rounds)

    totals = {name: phases["write"] + phases["read"] for name, phases in medians.items()}
    for name, phases in medians.items():
        speedup = ratio(totals[name], totals[D1STORE])
        values = {
            "write s": phases["write"],
            "read s": phases["read"],
            "total s": totals[name],
            "messages/s (write+read)": ratio(sizes.throughput_messages, totals[name]),
            "d1store throughput ÷ this": speedup,
        }
        if name == FLOOR:
            section.add(name, values, target("d1store ≥ 0.5x raw", speedup >= 0.5))
        elif name == AGENTS:
            section.add(name, values, target("d1store ≥ 1x openai-agents", speedup >= 1.0))
        else:
            section.add(name, values)
    if not agents_installed:
        section.add(AGENTS, {}, target("d1store ≥ 1x openai-agents", None), note="not installed")
    section.notes.append(
        "All three write one transaction per batch into a fresh file on the same disk, WAL mode. "
        "The floor inserts the very rows d1store stored (copied from its file) into the same tables and "
        "indexes, plus the same per-batch update of the thread row; it skips validation, SQL building, "
        "guards, the idempotency ledger and receipts."
    )
    return section
