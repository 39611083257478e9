"""The ``d1store`` command run for real (``python -m adapters.cli`` in a subprocess), on the
embedded default and on the local D1 engine. Shared by the test_cli* files; holds no tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import attrs
import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(str(path) for path in (REPO / "examples" / "conversations").iterdir())
#: CI clones the repo with shared/ beside it: resolve from the repo root's parent.
SHARED_DATASET = REPO.parent / "shared" / "datasets" / "sharegpt_dummy_conversation.json"

_STORE_VARIABLES = ("D1STORE_", "CLOUDFLARE_")


def base_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(_STORE_VARIABLES)}
    env["PYTHONPATH"] = str(REPO)
    return env


@attrs.define
class Cli:
    """Runs the command against one store; ``options`` go after the subcommand when ``trailing``."""

    backend: str
    cwd: Path
    env: dict[str, str]
    options: list[str]
    trailing: bool
    make_options: object  # () -> list[str]: the options of a new, empty store on the same backend

    def __call__(self, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        command, rest = args[0], list(args[1:])
        argv = [command, *rest, *self.options] if self.trailing else [*self.options, command, *rest]
        proc = subprocess.run(
            [sys.executable, "-m", "adapters.cli", *argv],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == expect, (argv, proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
        return proc

    def json(self, *args: str) -> dict:
        return json.loads(self(*args, "--json").stdout)

    def fresh(self) -> Cli:
        """Another empty store on the same backend, schema created."""
        other = attrs.evolve(self, options=self.make_options())  # type: ignore[operator]
        other("init")
        return other


def embedded_cli(tmp_path: Path) -> Cli:
    names = iter(range(1000))
    return Cli(
        "embedded",
        tmp_path,
        base_env(),
        ["--db", str(tmp_path / "store.db")],
        trailing=False,
        make_options=lambda: ["--db", str(tmp_path / f"other-{next(names)}.db")],
    )


def d1local_cli(tmp_path: Path, engine) -> Cli:
    env = base_env() | {
        "CLOUDFLARE_ACCOUNT_ID": engine.account_id,
        "CLOUDFLARE_D1_DATABASE_ID": engine.database_id,
        "CLOUDFLARE_API_TOKEN": engine.api_token,
        "D1STORE_API_BASE_URL": engine.api_base_url,
    }

    def options() -> list[str]:
        return ["--d1", "--table-prefix", f"cli{uuid.uuid4().hex[:10]}_"]

    return Cli("d1local", tmp_path, env, options(), trailing=True, make_options=options)


@pytest.fixture(name="cli", params=["embedded", pytest.param("d1local", marks=pytest.mark.d1local)])
def cli_fixture(request, tmp_path) -> Cli:
    """A CLI on an empty store (schema not yet created) of each backend."""
    if request.param == "embedded":
        return embedded_cli(tmp_path)
    return d1local_cli(tmp_path, request.getfixturevalue("d1_engine"))


def summary(threads: int, messages: int, present: int, malformed: int) -> str:
    return (
        f"imported {threads} threads, {messages} messages, {present} already present, {malformed} malformed\n"
    )
