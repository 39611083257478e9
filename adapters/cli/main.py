"""Entry point: parse arguments, open the configured store, run one command, report errors in one line.

Exit codes: 0 success, 1 failure (or malformed records skipped on import), 2 usage error,
130 interrupted. Tracebacks only with --verbose; the API token never reaches the output.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from adapters.bootstrap import Store, open_store
from adapters.cli import admin, browse, export_command, import_command, logs
from adapters.cli.arguments import PROG, build_parser
from adapters.config import Backend, StoreConfig

Command = Callable[[Store, argparse.Namespace], int]

COMMANDS: dict[str, Command] = {
    "init": admin.init,
    "import": import_command.run,
    "threads": browse.threads,
    "show": browse.show,
    "export": export_command.run,
    "stats": admin.stats,
}

_log = logging.getLogger(__name__)


def store_config(args: argparse.Namespace) -> StoreConfig:
    """Options win over the environment; the environment over the defaults."""
    return StoreConfig.from_env(
        backend=Backend.D1 if args.d1 else None,
        db_path=args.db,
        table_prefix=args.table_prefix,
    )


def _explain(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "no such table" in text:
        text += f" (has the schema been created? run `{PROG} init`)"
    return text


def _fail(exc: BaseException, *, verbose: bool, secret: str | None) -> int:
    if verbose:
        sys.stderr.write(logs.scrub("".join(traceback.format_exception(exc)), secret))
    print(f"{PROG}: error: {logs.scrub(_explain(exc), secret)}", file=sys.stderr)
    return 1


def _quiet_broken_pipe() -> int:
    # The reader (e.g. `| head`) left: point stdout at devnull so the exit flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    secret: str | None = None
    try:
        config = store_config(args)
        secret = config.api_token
        logs.configure(verbose=args.verbose, secret=secret)
        _log.debug("opening store %r", config)
        with open_store(config) as store:
            code = COMMANDS[args.command](store, args)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except Exception as exc:  # store errors, files, and bugs alike: one scrubbed line unless --verbose
        return _fail(exc, verbose=args.verbose, secret=secret)
