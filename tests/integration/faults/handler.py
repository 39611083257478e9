"""The proxy's per-request handler: read the request, apply the chosen fault, answer (or not)."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

import httpx

from faults.kinds import Fault, FaultKind, ProxyEvent

if TYPE_CHECKING:
    from faults.proxy import FaultProxy

_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
)
_ENVELOPE_429 = (
    b'{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your'
    b' request speed"}],"messages":[],"result":[]}'
)
_ENVELOPE_500 = (
    b'{"success":false,"errors":[{"code":7500,"message":"internal error; reference = fault-proxy"}],'
    b'"messages":[],"result":[]}'
)

_CANNED = {
    FaultKind.RATE_LIMIT: (429, _ENVELOPE_429, "application/json"),
    FaultKind.SERVER_ERROR: (500, _ENVELOPE_500, "application/json"),
    FaultKind.BAD_GATEWAY_HTML: (502, _HTML_502, "text/html"),
}


def make_handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(_FaultHandler):
        pass

    Handler.proxy = proxy
    return Handler


class _FaultHandler(BaseHTTPRequestHandler):
    proxy: FaultProxy
    protocol_version = "HTTP/1.1"
    timeout = 30  # a silent client cannot hold a handler thread forever
    # Headers and body go out in separate writes; with Nagle the body waits ~40 ms for an ACK.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # the proxy's record is ``events``; stderr noise helps nobody

    def do_POST(self) -> None:
        self._handle()

    do_GET = do_POST

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fault = self.proxy.begin_request()
        self._upstream_status: int | None = None
        try:
            if fault is None:
                self._answer(503, b"fault proxy: request budget exhausted", "text/plain")
            else:
                self._apply(fault, body)
        except OSError:
            self.close_connection = True  # the client went away: nothing left to tell it
        except httpx.HTTPError:
            # The engine is unreachable: say so the way a gateway would.
            with contextlib.suppress(OSError):
                self._answer(502, _HTML_502, "text/html")
        finally:
            # Recorded even when answering failed: what reached the engine is what tests need.
            event = None if fault is None else ProxyEvent(fault.kind, self.path, self._upstream_status)
            self.proxy.finish_request(event)

    def _apply(self, fault: Fault, body: bytes) -> None:
        kind, proxy = fault.kind, self.proxy
        canned = _CANNED.get(kind)
        if canned is not None:
            status, payload, content_type = canned
            extra = {"Retry-After": f"{fault.retry_after:g}"} if kind is FaultKind.RATE_LIMIT else {}
            self._answer(status, payload, content_type, extra)
            return
        if kind is FaultKind.DROP_BEFORE_FORWARD:
            self._drop()
            return
        if kind is FaultKind.DELAY_THEN_FORWARD and proxy.pause(fault.delay):
            self._drop()  # the proxy is stopping: don't start new work on the engine
            return
        upstream = proxy.forward(self.command, self.path, dict(self.headers.items()), body)
        self._upstream_status = upstream.status_code
        if kind is FaultKind.DROP_AFTER_COMMIT:
            self._drop()
            return
        if kind is FaultKind.FORWARD_THEN_DELAY:
            proxy.pause(fault.delay)
        self._answer(upstream.status_code, upstream.content, upstream.headers.get("content-type", ""))

    def _answer(self, status: int, body: bytes, content_type: str, extra: Mapping[str, str] = {}) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _drop(self) -> None:
        self.close_connection = True
        # Shut both directions now so the client sees the connection end with no answer at all.
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
