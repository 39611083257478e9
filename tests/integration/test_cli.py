"""Every ``d1store`` command through the real entry point, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli_runner import EXAMPLES, Cli, cli_fixture, summary  # noqa: F401  (a fixture)

from adapters.formats import Parsed, parse_stream


def _example_counts() -> tuple[int, int, int]:
    """Threads, messages and metadata entries in the example files, as the parsers read them."""
    threads = messages = metadata = 0
    for path in EXAMPLES:
        with open(path, "rb") as stream:
            for item in parse_stream(stream, path):
                assert isinstance(item, Parsed)
                threads += 1
                messages += len(item.conversation.messages)
                metadata += len(item.conversation.thread.metadata)
                metadata += sum(len(m.metadata) for m in item.conversation.messages)
    return threads, messages, metadata


def test_import_browse_and_count_the_examples(cli: Cli):
    assert "applied migration" in cli("init").stdout
    assert "nothing to apply" in cli("init").stdout
    threads, messages, metadata = _example_counts()
    imported = cli("import", *EXAMPLES)
    assert imported.stdout == summary(threads, messages, 0, 0)
    assert imported.stderr == ""  # not a terminal: no progress line
    assert cli("import", *EXAMPLES).stdout == summary(0, 0, threads, 0)

    first = cli("threads", "--limit", "2").stdout.splitlines()
    assert "demo-weather-agent" in first[0] and "Umbrella check" in first[0]
    assert len(first) == 3 and first[2].startswith("next cursor: ")
    rest = cli.json("threads", "--cursor", first[2].removeprefix("next cursor: "), "--limit", "100")
    assert len(rest["threads"]) == threads - 2 and rest["next_cursor"] is None

    helpdesk = cli.json(
        "threads", "--metadata", "source=helpdesk", "--metadata", "source_id=support-refund-001"
    )
    assert [t["title"] for t in helpdesk["threads"]] == ["Refund for a damaged order"]
    tagged = cli.json("threads", "--metadata", 'tags=["demo", "tools"]', "--resource", "demo-user")
    assert [t["id"] for t in tagged["threads"]] == ["demo-weather-agent"]

    last = cli("show", "demo-weather-agent", "--last", "3").stdout
    assert "[8] tool" in last and "<- result of call_w2" in last and "[10] assistant" in last
    assert "[7]" not in last
    calls = cli("show", "demo-weather-agent").stdout
    assert "-> call call_w1: get_forecast(" in calls and "[1] system" in calls
    window = cli.json(
        "show", "demo-weather-agent", "--around", "demo-weather-agent:5", "--before", "1", "--after", "1"
    )
    assert [m["position"] for m in window["messages"]] == [4, 5, 6]
    assert window["thread"]["metadata"]["agent"] == "weather-agent"

    stats = cli.json("stats")
    assert (stats["threads"], stats["messages"], stats["metadata"]) == (threads, messages, metadata)
    assert "threads" in cli("stats").stdout


def test_export_then_import_into_a_fresh_store_reproduces_everything(cli: Cli, tmp_path: Path):
    cli("init")
    cli("import", *EXAMPLES)
    # The other formats' round trips do not depend on the backend: the embedded one suffices.
    formats = ("jsonl", "sharegpt", "openai") if cli.backend == "embedded" else ("jsonl",)
    for format in formats:
        exported = tmp_path / f"export.{format}"
        cli("export", "--format", format, "-o", str(exported))
        other = cli.fresh()
        other("import", str(exported))
        # Same bytes again: every field the format carries came back (for jsonl: all of them).
        assert other("export", "--format", format).stdout == exported.read_text()
    jsonl = (tmp_path / "export.jsonl").read_text().splitlines()
    assert {json.loads(line)["id"] for line in jsonl} >= {"demo-weather-agent", "support-refund-001"}


def test_malformed_records_are_reported_and_skipped_whole(cli: Cli, tmp_path: Path):
    cli("init")
    good = {
        "id": "good-1",
        "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}],
    }
    partly_bad = {
        "id": "bad-1",
        "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "?"}],
    }
    (tmp_path / "mixed.jsonl").write_text(
        json.dumps(good)
        + "\n"
        + json.dumps(partly_bad)
        + "\n{not json\n"
        + json.dumps(good | {"id": "good-2"})
        + "\n"
    )
    share = [
        {"id": "s1", "conversations": [{"from": "human", "value": "x"}]},
        {"id": "s2", "conversations": 5},
    ]
    (tmp_path / "list.json").write_text(json.dumps(share))

    result = cli("import", "mixed.jsonl", "list.json", expect=1)
    assert result.stdout == summary(3, 5, 0, 3)
    assert result.stderr.splitlines() == [
        "mixed.jsonl:2: messages[2].role: must be one of assistant, developer, function, system, tool, "
        "user, not '?'",
        "mixed.jsonl:3: invalid JSON (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1))",
        "list.json: record 2: conversations: must be a JSON list, not int",
    ]
    # Nothing of the bad conversation was stored, not even its first two messages.
    assert cli.json("stats")["messages"] == 5
    assert cli("show", "bad-1", expect=1).stderr == "d1store: error: thread 'bad-1' not found\n"
    assert cli("import", "mixed.jsonl", "list.json", expect=1).stdout == summary(0, 0, 3, 3)
