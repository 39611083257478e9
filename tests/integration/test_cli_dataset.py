"""The public ShareGPT sample (500 conversations, 2,000 messages) through the command, when present."""

from __future__ import annotations

import json
import time

import pytest
from test_cli_runner import SHARED_DATASET, Cli, cli_fixture, summary  # noqa: F401  (a fixture)

pytestmark = pytest.mark.skipif(not SHARED_DATASET.is_file(), reason=f"{SHARED_DATASET} is absent")


def test_the_shared_sharegpt_dataset_imports_browses_and_round_trips(cli: Cli, tmp_path):
    cli("init")
    started = time.perf_counter()
    assert cli("import", str(SHARED_DATASET)).stdout == summary(500, 2000, 0, 0)
    elapsed = time.perf_counter() - started
    rate = 500 / elapsed
    print(f"\n{cli.backend}: imported 500 conversations in {elapsed:.2f} s ({rate:.0f}/s, startup included)")
    assert cli("import", str(SHARED_DATASET)).stdout == summary(0, 0, 500, 0)

    stats = cli.json("stats")
    assert (stats["threads"], stats["messages"]) == (500, 2000)
    listed = cli("threads", "--limit", "3").stdout.splitlines()
    assert "identity_0" in listed[0] and listed[-1].startswith("next cursor: ")  # file order, first first
    source = json.loads(SHARED_DATASET.read_text())
    shown = cli.json("show", "identity_2")
    assert [m["content"] for m in shown["messages"]] == [turn["value"] for turn in source[2]["conversations"]]
    assert "[1] user" in cli("show", "identity_2", "--last", "6").stdout

    exported = tmp_path / "all.jsonl"
    cli("export", "-o", str(exported))
    other = cli.fresh()
    assert other("import", str(exported)).stdout == summary(500, 2000, 0, 0)
    assert other("export").stdout == exported.read_text()
