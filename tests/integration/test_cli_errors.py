"""Failures of the ``d1store`` command: one line, the right exit code, never the API token."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import attrs
import pytest
from test_cli_runner import EXAMPLES, Cli, cli_fixture, d1local_cli, embedded_cli  # noqa: F401  (a fixture)


def test_failures_are_one_line_and_usage_errors_exit_2(cli: Cli):
    missing_schema = cli("stats", expect=1).stderr
    assert missing_schema.startswith("d1store: error: ") and "d1store init" in missing_schema
    assert len(missing_schema.splitlines()) == 1
    cli("init")
    assert cli("show", "nope", expect=1).stderr == "d1store: error: thread 'nope' not found\n"
    assert cli("threads", "--cursor", "garbage", expect=1).stderr.startswith("d1store: error: cursor: ")
    assert "Traceback" in cli("show", "nope", "--verbose", expect=1).stderr
    assert "--limit: must be at least 1" in cli("threads", "--limit", "0", expect=2).stderr
    assert "expected KEY=VALUE" in cli("threads", "--metadata", "novalue", expect=2).stderr
    assert (
        cli("import", "no-such-file.json", expect=1).stderr
        == "d1store: error: no-such-file.json: no such file\n"
    )


@pytest.mark.d1local
def test_the_api_token_is_never_shown(request, tmp_path):
    engine = request.getfixturevalue("d1_engine")
    cli = d1local_cli(tmp_path, engine)
    secret = "d1store-test-secret-4c0ffee"
    refused = attrs.evolve(cli, env=cli.env | {"CLOUDFLARE_API_TOKEN": secret})
    for args in (("stats",), ("stats", "--verbose"), ("import", *EXAMPLES, "--verbose")):
        result = refused(*args, expect=1)
        assert secret not in result.stdout + result.stderr
        assert "d1store: error: " in result.stderr
    # With the right token, debug logging (requests and all) still never shows it.
    debug = cli("init", "--verbose")
    assert "DEBUG" in debug.stderr and engine.api_token not in debug.stdout + debug.stderr


def test_progress_is_drawn_in_place_on_a_terminal_only(tmp_path):
    cli = embedded_cli(tmp_path)
    cli("init")
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "adapters.cli", *cli.options, "import", *EXAMPLES],
            cwd=tmp_path,
            env=cli.env,
            stdout=subprocess.PIPE,
            stderr=terminal,
            text=True,
            timeout=120,
        )
        os.close(terminal)
        drawn = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal side is closed: everything was read
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(controller)
    assert proc.returncode == 0 and proc.stdout.startswith("imported 5 threads")
    assert b"\r" in drawn and b"conversations," in drawn and b"messages," in drawn and b"/s" in drawn
