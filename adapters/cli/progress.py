"""A progress line on a terminal, redrawn in place; nothing at all when stderr is not a terminal."""

from __future__ import annotations

import time
from typing import TextIO

_REDRAW_SECONDS = 0.1


class Progress:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._enabled = stream.isatty()
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._visible = False
        self.conversations = 0
        self.messages = 0

    def advance(self, messages: int) -> None:
        self.conversations += 1
        self.messages += messages
        now = time.monotonic()
        if self._enabled and now - self._drawn_at >= _REDRAW_SECONDS:
            self._drawn_at = now
            rate = self.conversations / max(now - self._started, 1e-9)
            line = f"{self.conversations} conversations, {self.messages} messages, {rate:.0f}/s"
            self._stream.write("\r\x1b[2K" + line)
            self._stream.flush()
            self._visible = True

    def clear(self) -> None:
        """Remove the line, before other output goes to the same terminal."""
        if self._visible:
            self._stream.write("\r\x1b[2K")
            self._stream.flush()
            self._visible = False
