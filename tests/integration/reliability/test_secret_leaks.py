"""The API token never shows — end to end. The client-level scan (every fault kind, echoing
servers, reprs of the clients) is tests/integration/test_http_client_leaks.py; this adds:

- the ``d1store`` command with ``--d1 --verbose``: every command, and failing ones (wrong token,
  unknown database, unreachable endpoint, bad input), scanning stdout, stderr and written files;
- the library through its front door (StoreConfig -> open_store -> Store -> services) with every
  logger at DEBUG: every log record (args and formatted tracebacks included), every exception
  with its chain, and the repr/str of every object reachable from the store.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from d1_local.engine import LocalD1Engine
from faults.support import local_engine
from test_cli_runner import EXAMPLES, Cli, d1local_cli

from adapters.bootstrap import Store, open_store
from adapters.config import Backend, StoreConfig
from domain import D1StoreError, Message
from service import append_messages, export_conversations, get_thread, list_threads, start_thread

from .leak_scan import debug_logging, exception_texts, reachable_reprs

pytestmark = [pytest.mark.d1local, pytest.mark.reliability]

TOKEN = "tok-RELIABILITY-CANARY-5e1f"
WRONG_TOKEN = "tok-WRONG-RELIABILITY-CANARY-90b2"
CANARIES = (TOKEN, WRONG_TOKEN)


@pytest.fixture(scope="module")
def engine() -> Iterator[LocalD1Engine]:
    yield from local_engine(api_token=TOKEN)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/client/v4"


def assert_clean(texts: list[str], where: str) -> None:
    for text in texts:
        for canary in CANARIES:
            assert canary not in text, f"{where}: the token shows in {text[:300]!r}"


def test_the_command_never_shows_the_token(engine: LocalD1Engine, tmp_path: Path) -> None:
    cli = d1local_cli(tmp_path, engine)
    outputs: list[str] = []

    def run(cli: Cli, *args: str, expect: int = 0) -> str:
        result = cli(*args, "--verbose", expect=expect)
        outputs.extend([result.stdout, result.stderr])
        return result.stderr

    debug = run(cli, "init")
    run(cli, "import", *EXAMPLES)
    listed = json.loads(cli("threads", "--json", "--verbose").stdout)
    thread_id = listed["threads"][0]["id"]
    run(cli, "threads", "--metadata", "topic=weather", "--limit", "2")
    run(cli, "show", thread_id)
    run(cli, "show", thread_id, "--last", "2", "--json")
    run(cli, "export", "--format", "sharegpt", "-o", str(tmp_path / "out.json"))
    run(cli, "export")
    run(cli, "stats", "--json")
    outputs.append((tmp_path / "out.json").read_text())

    failing: list[tuple[Cli, tuple[str, ...]]] = [
        (attrs.evolve(cli, env=cli.env | {"CLOUDFLARE_API_TOKEN": WRONG_TOKEN}), ("stats",)),
        (attrs.evolve(cli, env=cli.env | {"CLOUDFLARE_API_TOKEN": WRONG_TOKEN}), ("import", *EXAMPLES)),
        (attrs.evolve(cli, env=cli.env | {"CLOUDFLARE_D1_DATABASE_ID": "no-such-db"}), ("stats",)),
        (attrs.evolve(cli, env=cli.env | {"D1STORE_API_BASE_URL": closed_port_url()}), ("stats",)),
        (cli, ("show", "no-such-thread")),
        (cli, ("threads", "--cursor", "garbage")),
        (cli, ("show", "bad\x01id")),
        (cli, ("import", str(tmp_path / "missing.json"))),
        (attrs.evolve(cli, options=["--d1", "--table-prefix", "x; DROP TABLE threads; --"]), ("stats",)),
    ]
    for failing_cli, args in failing:
        stderr = run(failing_cli, *args, expect=1)
        assert "d1store: error: " in stderr and "Traceback" in stderr, stderr[-500:]

    assert "DEBUG" in debug and "HTTP Request: POST" in debug  # the requests really were logged
    assert_clean(outputs, "d1store output")


def _library_session(store: Store) -> None:
    """The library used through its front door: every service a user would call."""
    store.init()
    uow = store.unit_of_work()
    thread = start_thread(uow, "user-1", title="leak check", metadata={"k": "v"})
    append_messages(uow, thread.id, [Message.new(thread.id, "user", "hello")])
    list_threads(uow, metadata={"k": "v"})
    get_thread(uow, thread.id)
    list(export_conversations(uow))
    uow.stats()


def _config(engine: LocalD1Engine, **overrides: str) -> StoreConfig:
    assert engine.url is not None
    values = {
        "account_id": engine.account_id,
        "database_id": engine.database_id,
        "api_token": TOKEN,
        "api_base_url": engine.api_base_url,
        "table_prefix": "leaks_",
    }
    return StoreConfig(backend=Backend.D1, **(values | overrides))


def test_the_library_never_shows_the_token(engine: LocalD1Engine) -> None:
    texts: list[str] = []
    failures: dict[str, Callable[[Store], object]] = {
        "not found": lambda store: get_thread(store.unit_of_work(), "missing"),
        "bad input": lambda store: start_thread(store.unit_of_work(), "bad\x01resource"),
    }
    with debug_logging() as seen:
        config = _config(engine)
        texts += [repr(config), str(config)]
        with open_store(config) as store:
            _library_session(store)
            texts += reachable_reprs(store)
            for failure in failures.values():
                with pytest.raises(D1StoreError) as caught:
                    failure(store)
                texts += exception_texts(caught.value)
        for broken in (
            _config(engine, api_token=WRONG_TOKEN),
            _config(engine, database_id="no-such-db"),
            _config(engine, api_base_url=closed_port_url()),
        ):
            with open_store(broken) as store:
                texts += reachable_reprs(store)
                with pytest.raises(D1StoreError) as caught:
                    store.init()
                texts += exception_texts(caught.value)
                texts += reachable_reprs(caught.value)
    assert seen.records > 0 and any("HTTP Request: POST" in text for text in seen.texts)
    assert any("D1Credentials(" in text for text in texts)  # the walk reached the client's credentials
    assert_clean(texts, "library object or error")
    assert_clean(seen.texts, "log record")
