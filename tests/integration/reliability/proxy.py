"""The shared fault proxy, set up for long runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from faults.proxy import FaultProxy


@contextlib.contextmanager
def fault_proxy(upstream: str, *, max_requests: int) -> Iterator[FaultProxy]:
    """A running FaultProxy whose answers are not held back by Nagle's algorithm.

    The proxy's handler writes headers and body separately; with Nagle on, the body waits for the
    client's delayed ACK (~40 ms a request), which would triple the run time of a thousand commits.
    Its handler class is made per proxy, so setting TCP_NODELAY here touches no other proxy.
    """
    with FaultProxy(upstream, max_requests=max_requests, max_lifetime=3_600) as proxy:
        assert proxy._server is not None
        proxy._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        yield proxy
