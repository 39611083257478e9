"""A fault-injecting HTTP proxy for reliability tests: it stands between a client and the local D1
engine and, per request, passes it through or breaks it in one of the ways production breaks.

    with FaultProxy(engine.url) as proxy:
        proxy.push(FaultKind.DROP_AFTER_COMMIT, Fault(FaultKind.RATE_LIMIT, retry_after=0.1))
        client = HttpD1Client(..., base_url=proxy.api_base_url)
        ...
        proxy.wait_idle()          # late forwards have reached the engine
        assert proxy.tally()[FaultKind.DROP_AFTER_COMMIT] == 1

Queued faults are used first, in order; then the random policy (``use_random``) if set; otherwise
requests pass through. Every request is recorded (``events``). The proxy is bounded: after
``max_requests`` it answers 503 without forwarding, after ``max_lifetime`` seconds it shuts
itself down, and ``stop()`` (the context manager's exit) interrupts any pending delay.
"""

from __future__ import annotations

import collections
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

import httpx

from faults.handler import make_handler
from faults.kinds import Fault, FaultKind, ProxyEvent


@dataclass
class _RandomPolicy:
    rng: random.Random
    kinds: list[FaultKind]
    weights: list[float]
    delay: float
    retry_after: float

    def draw(self) -> Fault:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        return Fault(kind, delay=self.delay, retry_after=self.retry_after)


@dataclass
class _State:
    queue: collections.deque[Fault] = field(default_factory=collections.deque)
    policy: _RandomPolicy | None = None
    tally: collections.Counter[FaultKind] = field(default_factory=collections.Counter)
    events: list[ProxyEvent] = field(default_factory=list)
    requests: int = 0
    in_flight: int = 0


class FaultProxy:
    def __init__(
        self,
        upstream: str,
        *,
        max_requests: int = 2_000,
        max_lifetime: float = 300.0,
        upstream_timeout: float = 30.0,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.max_requests = max_requests
        self.max_lifetime = max_lifetime
        self._upstream_timeout = upstream_timeout
        self._state = _State()
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._upstream_client: httpx.Client | None = None
        self.url = ""

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._upstream_client = httpx.Client(timeout=self._upstream_timeout, trust_env=False)
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self))
        server.daemon_threads = True
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        serve = threading.Thread(target=server.serve_forever, args=(0.05,), name="fault-proxy", daemon=True)
        watchdog = threading.Thread(
            target=self._stop_after_lifetime, name="fault-proxy-watchdog", daemon=True
        )
        self._threads = [serve, watchdog]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        if self._stopping.is_set() and self._server is None:
            return
        self._stopping.set()  # wakes pending delays and the watchdog
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        self.wait_idle(timeout=5.0)
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5.0)
        if self._upstream_client is not None:
            self._upstream_client.close()

    def _stop_after_lifetime(self) -> None:
        if not self._stopping.wait(self.max_lifetime):
            self.stop()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def api_base_url(self) -> str:
        return f"{self.url}/client/v4"

    # --- what a test sets and reads --------------------------------------------------------------

    def push(self, *faults: Fault | FaultKind) -> None:
        """Queue faults for the next requests, in order (a bare kind uses Fault's defaults)."""
        with self._lock:
            self._state.queue.extend(f if isinstance(f, Fault) else Fault(f) for f in faults)

    def use_random(
        self,
        seed: int,
        weights: Mapping[FaultKind, float],
        *,
        delay: float = 1.0,
        retry_after: float = 0.0,
    ) -> None:
        """After the queue runs dry, draw each request's fault from ``weights`` with this seed."""
        with self._lock:
            self._state.policy = _RandomPolicy(
                random.Random(seed), list(weights), list(weights.values()), delay, retry_after
            )

    def reset(self) -> None:
        """Forget queued faults, the random policy and the record."""
        with self._lock:
            self._state = _State(in_flight=self._state.in_flight)

    def tally(self) -> collections.Counter[FaultKind]:
        with self._lock:
            return collections.Counter(self._state.tally)

    @property
    def events(self) -> list[ProxyEvent]:
        with self._lock:
            return list(self._state.events)

    @property
    def requests(self) -> int:
        with self._lock:
            return self._state.requests

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no request is being handled (delayed forwards included); False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._state.in_flight == 0, timeout)

    # --- handling ----------------------------------------------------------------------------------

    def begin_request(self) -> Fault | None:
        """The fault for a new request, or None when the request budget is spent."""
        with self._lock:
            self._state.in_flight += 1
            self._state.requests += 1
            if self._state.requests > self.max_requests:
                return None
            state = self._state
            if state.queue:
                fault = state.queue.popleft()
            elif state.policy is not None:
                fault = state.policy.draw()
            else:
                fault = Fault(FaultKind.PASS)
            state.tally[fault.kind] += 1
            return fault

    def finish_request(self, event: ProxyEvent | None) -> None:
        with self._lock:
            if event is not None:
                self._state.events.append(event)
            self._state.in_flight -= 1
            self._lock.notify_all()

    def pause(self, seconds: float) -> bool:
        """Sleep, cut short by stop(); True if the proxy is stopping."""
        return self._stopping.wait(seconds)

    def forward(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> httpx.Response:
        assert self._upstream_client is not None
        keep = {k: v for k, v in headers.items() if k.lower() in ("authorization", "content-type")}
        return self._upstream_client.request(method, self.upstream + path, headers=keep, content=body)
