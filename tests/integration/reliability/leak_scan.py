"""Everything a secret could leak through, gathered as text: log records (message, args, every
attribute, formatted traceback), exceptions with their whole chain and traceback, and the repr/str
of every object reachable from a root (a store, a client, a config)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

#: Loggers that could see a request: ours, httpx's and httpcore's (which logs at DEBUG).
LOGGERS = ("", "adapters", "domain", "service", "httpx", "httpcore")
#: Objects of these packages (and plain containers) are walked into; anything else is only repr'd.
_WALKED_PACKAGES = ("adapters", "domain", "service", "httpx", "httpcore")


class RecordEverything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.texts: list[str] = []
        self.records = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.records += 1
        # format() renders msg % args and, with exc_info, the traceback with every cause.
        self.texts += [self.format(record), repr(record.args), repr(record.__dict__)]


class debug_logging:
    """Every logger at DEBUG, every record captured, levels and handlers restored after."""

    def __enter__(self) -> RecordEverything:
        self.handler = RecordEverything()
        self.saved = [(logging.getLogger(name), logging.getLogger(name).level) for name in LOGGERS]
        for logger, _level in self.saved:
            logger.setLevel(logging.DEBUG)
        logging.getLogger().addHandler(self.handler)
        return self.handler

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self.handler)
        for logger, level in self.saved:
            logger.setLevel(level)


def exception_texts(error: BaseException) -> list[str]:
    """str, repr and args of the error and everything chained to it, and the printed traceback."""
    texts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args), repr(vars(current))]
        current = current.__cause__ or current.__context__
    return texts


def _children(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        yield from value.keys()
        yield from value.values()
    elif isinstance(value, list | tuple | set | frozenset):
        yield from value
    else:
        module = type(value).__module__ or ""
        if not module.startswith(_WALKED_PACKAGES):
            return
        yield from getattr(value, "__dict__", {}).values()
        for slot in getattr(type(value), "__slots__", ()):
            if slot != "_value":  # a Secret's own storage: the one place the token may be
                yield getattr(value, slot, None)


def reachable_reprs(root: object, *, limit: int = 20_000) -> list[str]:
    """repr() and str() of every non-string object reachable from ``root`` through attributes."""
    texts: list[str] = []
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) < limit:
        value = stack.pop()
        if id(value) in seen or isinstance(value, str | bytes | int | float | bool | type(None)):
            continue
        seen.add(id(value))
        if not isinstance(value, dict | list | tuple | set | frozenset):
            texts += [repr(value), str(value)]
        stack.extend(_children(value))
    return texts
