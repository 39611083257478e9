"""The API token never shows: not in logs (ours, httpx's, httpcore's, at DEBUG), not in any error's
str/repr (or its causes), not in the clients' reprs — across every error path, sync and async."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from faults.kinds import Fault, FaultKind
from faults.proxy import FaultProxy
from faults.support import PAST_TIMEOUT, SHORT_TIMEOUT, Client, local_engine

from adapters.d1.client import Statement
from adapters.d1.credentials import D1Credentials, Secret
from adapters.d1.errors import (
    D1AuthError,
    D1OutcomeUnknown,
    D1ProtocolError,
    D1QueryError,
    D1TransientError,
)
from adapters.d1.retry import RetryPolicy
from domain.errors import D1StoreError

pytestmark = pytest.mark.d1local

TOKEN = "tok-LEAK-CANARY-8c1f2e"
WRONG_TOKEN = "tok-WRONG-CANARY-77aa01"
CANARIES = (TOKEN, WRONG_TOKEN)
#: Two attempts: every path through a retry, at half the time of three.
RETRY = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05)

engine = pytest.fixture(scope="module")(lambda: (yield from local_engine(api_token=TOKEN)))


class _Echo(BaseHTTPRequestHandler):
    """A server that does what a careless one might: repeats the Authorization header back."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization", "")
        if self.path.startswith("/garbage"):
            status, body = 200, f"not json, you sent {auth}".encode()
        else:
            error = {"code": 7500, "message": f"D1_ERROR: bad request with {auth}"}
            status, body = 400, json.dumps({"success": False, "errors": [error], "result": []}).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _Everything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record):
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))
        self.texts.append(repr(record.__dict__))


@pytest.fixture
def captured() -> Iterator[_Everything]:
    handler = _Everything()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(name) for name in ("", "httpx", "httpcore", "adapters.d1.http")]
    saved = [(log, log.level) for log in loggers]
    for log in loggers:
        log.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
    for log, level in saved:
        log.setLevel(level)


def texts_of(error: BaseException) -> list[str]:
    """str and repr of an error and of everything chained to it."""
    texts, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args)]
        current = current.__cause__ or current.__context__
    return texts


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_the_token_never_leaks(flavor, engine, echo_server, captured):
    select = [Statement("SELECT 1 AS one")]
    texts: list[str] = []
    expected_errors: list[type[Exception]] = []

    def attempt(expected: type[Exception] | None, base_url: str | None = None, statements=select, **kwargs):
        kwargs.setdefault("retry", RETRY)
        client = Client(flavor, engine, base_url, timeout=SHORT_TIMEOUT, **kwargs)
        texts.extend([repr(client), str(client)])
        try:
            client.batch(statements)
            assert expected is None
        except D1StoreError as error:
            assert expected is not None and isinstance(error, expected), error
            expected_errors.append(type(error))
            texts.extend(texts_of(error))
        finally:
            client.close()

    with FaultProxy(engine.url) as proxy:
        attempt(None)
        attempt(D1QueryError, statements=[Statement("SELECT * FROM no_such_table")])
        attempt(D1AuthError, api_token=WRONG_TOKEN)
        attempt(D1TransientError, f"http://127.0.0.1:{closed_port()}/client/v4")
        attempt(D1QueryError, f"{echo_server}/client/v4")
        attempt(D1ProtocolError, f"{echo_server}/garbage")
        for kind in FaultKind:
            fault = Fault(kind, delay=PAST_TIMEOUT, retry_after=0.01)
            proxy.reset()
            proxy.push(*[fault] * RETRY.max_attempts)
            expected = {FaultKind.PASS: None, FaultKind.RATE_LIMIT: D1TransientError}.get(
                kind, D1OutcomeUnknown
            )
            attempt(expected, proxy.api_base_url)
        assert proxy.wait_idle()
    assert D1OutcomeUnknown in expected_errors and D1AuthError in expected_errors
    assert any("Bearer ***" in t for t in texts)  # the echoed header was there, masked
    assert any("httpx" in t for t in captured.texts) and any("adapters.d1.http" in t for t in captured.texts)
    for text in texts + captured.texts:
        for canary in CANARIES:
            assert canary not in text


def test_credentials_and_secret_reprs_hide_the_token():
    creds = D1Credentials("acc", "db", TOKEN)
    for text in (repr(creds), str(creds), repr(creds.api_token), str(Secret(TOKEN)), f"{creds!s}"):
        assert TOKEN not in text
    assert creds.api_token.reveal() == TOKEN


def test_httpx_request_line_carries_no_token(engine, captured):
    with httpx.Client() as http:
        http.post(f"{engine.api_base_url}/x", headers={"Authorization": f"Bearer {TOKEN}"})
    assert any("HTTP Request: POST" in t for t in captured.texts)
    assert not any(TOKEN in t for t in captured.texts)
