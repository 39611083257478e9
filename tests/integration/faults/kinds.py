"""The faults the proxy can inject, and what it records per request."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FaultKind(enum.Enum):
    PASS = "pass"
    #: Read the request, then close the connection: the engine never sees it.
    DROP_BEFORE_FORWARD = "drop-before-forward"
    #: Forward, let the engine commit, then close the connection without answering.
    DROP_AFTER_COMMIT = "drop-after-commit"
    #: Hold the request past the client's timeout, then forward it: the engine commits late.
    DELAY_THEN_FORWARD = "delay-then-forward"
    #: Forward at once (the engine commits), then hold the answer past the client's timeout.
    FORWARD_THEN_DELAY = "forward-then-delay"
    #: 429 with Retry-After, not forwarded.
    RATE_LIMIT = "rate-limit-429"
    #: 500 with a D1 JSON error envelope, not forwarded.
    SERVER_ERROR = "server-error-500"
    #: 502 with an HTML gateway page, not forwarded.
    BAD_GATEWAY_HTML = "bad-gateway-502-html"


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    delay: float = 1.0  # seconds, for the two delay kinds
    retry_after: float = 0.0  # seconds, for RATE_LIMIT


@dataclass(frozen=True)
class ProxyEvent:
    kind: FaultKind
    path: str
    #: The engine's status when the request was forwarded (it ran there), else None.
    upstream_status: int | None = None
