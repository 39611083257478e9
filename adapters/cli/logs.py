"""Logging for the command, with the API token scrubbed from every line, whatever logged it."""

from __future__ import annotations

import logging
import sys

MASK = "***"


def scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, MASK) if secret else text


class _ScrubSecret(logging.Filter):
    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        # Render the message now, so a secret in the arguments is masked too.
        record.msg = scrub(record.getMessage(), self._secret)
        record.args = None
        return True


def configure(*, verbose: bool, secret: str | None) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ScrubSecret(secret))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
