"""Records out of a file, one at a time: JSON Lines line by line, a JSON list element by element.

Neither reader holds more than one record (plus a read buffer) in memory, so a large file is
never loaded whole. A record that is not valid JSON becomes a ``Malformed`` note; in JSON Lines
the next line is read as usual, in a JSON list nothing after a syntax error can be trusted.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import BinaryIO

import attrs

from domain.json_values import JsonValue

_CHUNK_CHARS = 1 << 16
_WHITESPACE = " \t\r\n"


@attrs.frozen
class Located:
    """A record and where it is in its file (``FILE:LINE`` or ``FILE: record N``)."""

    location: str
    value: JsonValue


@attrs.frozen
class Malformed:
    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


def starts_with_list(stream: BinaryIO) -> bool:
    """Whether the content is one JSON list (else JSON Lines); the stream is left at its start."""
    start = stream.tell()
    head = b""
    while (chunk := stream.read(4096)) and not (head := head + chunk).lstrip(b" \t\r\n\xef\xbb\xbf"):
        pass
    stream.seek(start)
    return head.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"[")


#: Python's JSON decoder recurses per nesting level; a hostile record must not end the import.
_TOO_DEEP = "JSON nested too deeply to read"


def jsonl_records(stream: BinaryIO, name: str) -> Iterator[Located | Malformed]:
    for number, raw in enumerate(stream, start=1):
        location = f"{name}:{number}"
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Malformed(location, f"not UTF-8 text (byte {exc.start})")
            continue
        if not text.strip():
            continue
        try:
            yield Located(location, json.loads(text))
        except ValueError as exc:
            yield Malformed(location, f"invalid JSON ({exc})")
        except RecursionError:
            yield Malformed(location, _TOO_DEEP)


class _ListReader:
    """Walks ``[ v1, v2, ... ]`` with ``raw_decode`` on a sliding buffer."""

    def __init__(self, stream: BinaryIO) -> None:
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self._decoder = json.JSONDecoder()

    def _fill(self, at_least: int = _CHUNK_CHARS) -> bool:
        if self._eof:
            return False
        # Drop what was consumed, so the buffer holds one record at most plus a chunk.
        self._buffer = self._buffer[self._pos :]
        self._pos = 0
        chunk = self._text.read(max(at_least, _CHUNK_CHARS))
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def next_char(self) -> str:
        """The next non-blank character (not consumed), or '' at the end."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in _WHITESPACE:
                self._pos += 1
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._fill():
                return ""

    def release(self) -> None:
        """Let go of the caller's stream without closing it."""
        self._text.detach()

    def take(self) -> None:
        self._pos += 1

    def value(self) -> JsonValue:
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except ValueError:
                # Perhaps only cut off by the buffer's end: read more (doubling) and try again.
                if self._fill(len(self._buffer)):
                    continue
                raise
            # A number or literal ending right at the buffer's end may continue in the next chunk.
            if end == len(self._buffer) and self._fill():
                continue
            self._pos = end
            result: JsonValue = value
            return result


def json_list_records(stream: BinaryIO, name: str) -> Iterator[Located | Malformed]:
    reader = _ListReader(stream)
    number = 1
    try:
        if reader.next_char() != "[":
            yield Malformed(f"{name}: record 1", "the file does not start a JSON list")
            return
        reader.take()
        while True:
            location = f"{name}: record {number}"
            if reader.next_char() == "]":
                reader.take()
                if reader.next_char() != "":
                    yield Malformed(location, "unexpected content after the end of the list")
                return
            try:
                value = reader.value()
            except ValueError as exc:
                yield Malformed(location, f"invalid JSON, the rest of the file is skipped ({exc})")
                return
            except RecursionError:
                yield Malformed(location, f"{_TOO_DEEP}; the rest of the file is skipped")
                return
            yield Located(location, value)
            number += 1
            separator = reader.next_char()
            if separator == ",":
                reader.take()
            elif separator != "]":
                yield Malformed(location, "expected ',' or ']' after the record; the rest is skipped")
                return
    except UnicodeDecodeError as exc:
        yield Malformed(f"{name}: record {number}", f"not UTF-8 text ({exc.reason}); the rest is skipped")
    finally:
        reader.release()
