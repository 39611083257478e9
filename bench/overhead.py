"""Client overhead on the REST path: a unit of work through d1store's HttpD1Client beside a bare
httpx POST of the very body d1store sent, both to the local engine.

The bare side does the least any client must: POST the prepared bytes on a kept-alive connection
and decode the JSON answer. The d1store side does the whole unit of work: validation, SQL
building, encoding, the POST, envelope checks and mapping rows back to domain objects.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping

import attrs
import httpx

from adapters.d1.http_client import HttpD1Client
from adapters.d1.migrations import migrate
from adapters.d1.unit_of_work import D1UnitOfWork
from bench.data import messages
from bench.fill import fill_thread
from bench.local_engine import LocalEngine, RunningEngine
from bench.report import Section, target
from bench.sizes import Sizes
from bench.timing import Run, interleaved, ratio, timed
from domain.ids import new_id
from domain.message import Message
from service import append_messages, recent_messages, start_thread

PREFIX = "o_"
READ_THREAD = "ovh-read"
D1STORE_THREAD = "ovh-d"
BARE_THREAD = "ovh-b"
APPENDED = 10
D1STORE = "d1store"
BARE = "bare"


@attrs.frozen
class SentRequest:
    url: str
    headers: Mapping[str, str]
    body: bytes


class _Capture:
    """An httpx request hook keeping the last request d1store sent (url, headers, body)."""

    def __init__(self) -> None:
        self.last: SentRequest | None = None

    def __call__(self, request: httpx.Request) -> None:
        self.last = SentRequest(str(request.url), dict(request.headers), request.content)

    def take(self) -> SentRequest:
        if self.last is None:
            raise RuntimeError("d1store sent no request")
        return self.last


def _bare_post(http: httpx.Client, sent: SentRequest) -> None:
    response = http.post(sent.url, content=sent.body, headers=sent.headers)
    if not response.json().get("success"):
        raise RuntimeError(f"the bare replay failed: {response.text[:300]}")


def _ledger_key(body: bytes) -> str:
    """The idempotency key d1store put in the commit (the first statement's first parameter)."""
    return str(json.loads(body)["batch"][0]["params"][0])


def _retarget(sent: SentRequest, source_round: int, round_index: int) -> SentRequest:
    """The same append for the bare thread: other message ids, other key, same sizes and SQL."""
    old_key = _ledger_key(sent.body)
    body = sent.body.replace(
        _message_prefix(D1STORE_THREAD, source_round), _message_prefix(BARE_THREAD, round_index)
    )
    body = body.replace(D1STORE_THREAD.encode(), BARE_THREAD.encode()).replace(
        old_key.encode(), new_id().encode()
    )
    return attrs.evolve(sent, body=body)


def _message_prefix(thread_id: str, round_index: int) -> bytes:
    return f"{thread_id}-{round_index:06d}-".encode()


def _append_batch(thread_id: str, round_index: int) -> list[Message]:
    prefix = _message_prefix(thread_id, round_index).decode()
    return messages(thread_id, APPENDED, first_index=round_index * APPENDED, id_prefix=prefix)


class _Pair:
    def __init__(self, engine: LocalEngine, capture: _Capture) -> None:
        self.capture = capture
        self.client = HttpD1Client(
            engine.account_id,
            engine.database_id,
            engine.api_token,
            base_url=engine.api_base_url,
            event_hooks={"request": [capture]},
        )
        self.bare = httpx.Client()
        migrate(self.client, PREFIX)
        self.uow = D1UnitOfWork(self.client, PREFIX)

    def close(self) -> None:
        self.client.close()
        self.bare.close()

    def read_runs(self) -> dict[str, Run]:
        """recent(50) of a 1,000-message thread: the same request every time."""
        fill_thread(self.uow, READ_THREAD, 1_000, commit_size=1_000)
        recent_messages(self.uow, READ_THREAD, last=50, around=())
        sent = self.capture.take()

        def d1store(_: int) -> Mapping[str, float]:
            return {"wall": timed(lambda: recent_messages(self.uow, READ_THREAD, last=50, around=()))[0]}

        def bare(_: int) -> Mapping[str, float]:
            return {"wall": timed(lambda: _bare_post(self.bare, sent))[0]}

        return {D1STORE: d1store, BARE: bare}

    def write_runs(self) -> dict[str, Run]:
        """Append 10 messages: d1store on one thread, the bare replay of its last body on another."""
        for thread_id in (D1STORE_THREAD, BARE_THREAD):
            start_thread(self.uow, "bench", thread_id=thread_id)
        # A first append, untimed, gives the bare side a body to replay when it goes first.
        append_messages(self.uow, D1STORE_THREAD, _append_batch(D1STORE_THREAD, 0))
        latest = _Latest(0, self.capture.take())

        # Rounds repeat across warm-up and measurement: ids are numbered by this counter instead.
        serial = itertools.count(1)

        def d1store(_round: int) -> Mapping[str, float]:
            index = next(serial)
            batch = _append_batch(D1STORE_THREAD, index)
            seconds, _ = timed(lambda: append_messages(self.uow, D1STORE_THREAD, batch))
            latest.round, latest.sent = index, self.capture.take()
            return {"wall": seconds}

        def bare(_: int) -> Mapping[str, float]:
            sent = _retarget(latest.sent, latest.round, next(serial))
            return {"wall": timed(lambda: _bare_post(self.bare, sent))[0]}

        return {D1STORE: d1store, BARE: bare}


@attrs.define
class _Latest:
    round: int
    sent: SentRequest


def run(sizes: Sizes) -> Section:
    section = Section(
        "overhead",
        f"3. Client overhead on the REST path: d1store vs a bare httpx POST of the identical body "
        f"(local engine, median of {sizes.overhead_rounds} interleaved rounds)",
        ("d1store ms", "bare POST ms", "d1store ÷ bare"),
    )
    with RunningEngine() as engine:
        pair = _Pair(engine, _Capture())
        try:
            cases = {
                "recent 50 of a 1,000-message thread (read)": pair.read_runs(),
                f"append {APPENDED} messages (write)": pair.write_runs(),
            }
            for name, runs in cases.items():
                interleaved(runs, 5)  # warm both connections and the engine's caches
                medians = interleaved(runs, sizes.overhead_rounds)
                mine, bare = medians[D1STORE]["wall"], medians[BARE]["wall"]
                section.add(
                    name,
                    {
                        "d1store ms": mine * 1000,
                        "bare POST ms": bare * 1000,
                        "d1store ÷ bare": ratio(mine, bare),
                    },
                    target("≤ 1.3x bare wall time", ratio(mine, bare) <= 1.3),
                )
        finally:
            pair.close()
    section.notes.append(
        "The bare side POSTs the exact bytes, URL and headers d1store sent (captured by an httpx request "
        "hook) on its own kept-alive httpx.Client and decodes the JSON; for the write, d1store's last body "
        "is replayed on a second thread with fresh message ids and idempotency key (same length, same SQL)."
    )
    return section
