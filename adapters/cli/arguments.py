"""The command line: global options (accepted before or after the subcommand) and subcommands."""

from __future__ import annotations

import argparse
import json
from typing import Any

from adapters.formats import Format
from domain.json_values import JsonValue

PROG = "d1store"


def _add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """On subcommands the defaults are suppressed, so an option given before the subcommand
    is not overwritten by the subcommand's default."""

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("store options")
    group.add_argument(
        "--db",
        metavar="PATH",
        default=default(None),
        help="embedded database file (default: $D1STORE_DB or ./d1store.db)",
    )
    group.add_argument(
        "--d1",
        action="store_true",
        default=default(False),
        help="use Cloudflare D1 over REST (CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_D1_DATABASE_ID, "
        "CLOUDFLARE_API_TOKEN; D1STORE_API_BASE_URL for another endpoint)",
    )
    group.add_argument(
        "--table-prefix",
        metavar="PREFIX",
        default=default(None),
        help="prefix of the store's table names (default: $D1STORE_TABLE_PREFIX or none)",
    )
    group.add_argument(
        "--verbose", action="store_true", default=default(False), help="debug logging and tracebacks"
    )


def metadata_pair(text: str) -> tuple[str, JsonValue]:
    """``KEY=VALUE``; VALUE is JSON if it parses as JSON, else the plain string."""
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        value: JsonValue = json.loads(raw)
    except ValueError:
        value = raw
    return key, value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _subcommand(
    commands: Any, name: str, help: str, description: str | None = None
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help, description=description or help)
    _add_global_options(parser, suppress=True)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Store, browse, import and export AI-agent conversations in Cloudflare D1."
    )
    _add_global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _subcommand(commands, "init", "create or upgrade the schema (safe to repeat)")

    importing = _subcommand(commands, "import", "import conversations from files")
    importing.add_argument("files", nargs="+", metavar="FILE")
    importing.add_argument("--format", choices=["auto", *(f.value for f in Format)], default="auto")
    importing.add_argument("--resource-id", metavar="R", help="resource the imported threads belong to")

    listing = _subcommand(commands, "threads", "list threads, newest activity first")
    listing.add_argument("--resource", metavar="R")
    listing.add_argument("--metadata", metavar="KEY=VALUE", action="append", type=metadata_pair, default=[])
    listing.add_argument("--limit", type=_positive, default=20)
    listing.add_argument("--cursor", metavar="C")
    listing.add_argument("--json", action="store_true")

    showing = _subcommand(commands, "show", "show a thread's messages")
    showing.add_argument("thread_id", metavar="THREAD_ID")
    showing.add_argument("--last", type=_non_negative, metavar="N", help="only the newest N messages")
    showing.add_argument("--around", nargs="+", default=[], metavar="MESSAGE_ID")
    showing.add_argument("--before", type=_non_negative, default=2, metavar="K")
    showing.add_argument("--after", type=_non_negative, default=2, metavar="K")
    showing.add_argument("--json", action="store_true")

    exporting = _subcommand(commands, "export", "export conversations")
    exporting.add_argument("--resource", metavar="R")
    exporting.add_argument("--format", choices=[f.value for f in Format], default=Format.JSONL.value)
    exporting.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    stats = _subcommand(commands, "stats", "count threads, messages and metadata")
    stats.add_argument("--json", action="store_true")
    return parser
