"""Human-readable text for threads and messages: compact, one idea per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from domain.content import Content
from domain.json_values import JsonValue
from domain.message import Message
from domain.metadata import Metadata
from domain.thread import Thread

INDENT = "    "


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


def compact(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _metadata(metadata: Metadata) -> str:
    return compact(dict(metadata)) if metadata else ""


def _text_or_json(value: JsonValue) -> list[str]:
    return value.splitlines() or [""] if isinstance(value, str) else [compact(value)]


def _tool_call(call: JsonValue) -> str:
    if isinstance(call, dict) and isinstance(function := call.get("function"), dict):
        arguments = function.get("arguments")
        shown = arguments if isinstance(arguments, str) else compact(arguments)
        return f"-> call {call.get('id', '?')}: {function.get('name', '?')}({shown})"
    return f"-> call {compact(call)}"


def _part(part: JsonValue) -> list[str]:
    if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
        return _text_or_json(part["text"])
    return [compact(part)]


def content_lines(content: Content) -> list[str]:
    """Text as it is; OpenAI tool calls and results, and content parts, one line each."""
    if isinstance(content, str):
        return _text_or_json(content)
    if isinstance(content, list):
        return [line for part in content for line in _part(part)]
    lines: list[str] = []
    calls = content.get("tool_calls")
    if isinstance(calls, list):
        if content.get("content") is not None:
            lines += _text_or_json(content["content"])
        return lines + [_tool_call(call) for call in calls]
    if "tool_call_id" in content:
        body = _text_or_json(content.get("content"))
        return [f"<- result of {content['tool_call_id']}: {body[0]}", *body[1:]]
    return [compact(content)]


def message_block(message: Message) -> Iterator[str]:
    header = f"[{message.position}] {message.role.value}  {when(message.created_at)}"
    if message.metadata:
        header += f"  {_metadata(message.metadata)}"
    yield header
    for line in content_lines(message.content):
        yield INDENT + line


def thread_header(thread: Thread) -> Iterator[str]:
    yield f"thread {thread.id}  (resource {thread.resource_id}, version {thread.version})"
    if thread.title is not None:
        yield f"title: {thread.title}"
    if thread.metadata:
        yield f"metadata: {_metadata(thread.metadata)}"
    yield f"created {when(thread.created_at)}, last activity {when(thread.updated_at)}"


#: A listing is for finding a thread; ``show`` has the whole metadata.
LISTED_METADATA_CHARS = 60


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def thread_rows(threads: tuple[Thread, ...]) -> Iterator[str]:
    """One line per thread: activity, id, resource, title, metadata (shortened); columns aligned."""
    id_width = max((len(thread.id) for thread in threads), default=0)
    resource_width = max((len(thread.resource_id) for thread in threads), default=0)
    for thread in threads:
        title = "-" if thread.title is None else thread.title.replace("\n", " ")
        metadata = _shortened(_metadata(thread.metadata), LISTED_METADATA_CHARS)
        row = f"{when(thread.updated_at)}  {thread.id:<{id_width}}  {thread.resource_id:<{resource_width}}"
        yield f"{row}  {title}  {metadata}".rstrip()
