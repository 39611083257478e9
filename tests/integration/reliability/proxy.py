"""The shared fault proxy, set up for long runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from faults.proxy import FaultProxy


@contextlib.contextmanager
def fault_proxy(upstream: str, *, max_requests: int) -> Iterator[FaultProxy]:
    """A running FaultProxy that lives long enough for thousands of commits."""
    with FaultProxy(upstream, max_requests=max_requests, max_lifetime=3_600) as proxy:
        yield proxy
