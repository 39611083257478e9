"""The example Worker's routes, free of the Workers runtime so they run (and are tested) anywhere.

POST /threads                  {"resource_id", "title"?, "metadata"?, "id"?}  -> the thread
GET  /threads?resource_id=...  -> newest activity first
GET  /threads/{id}             -> the thread
POST /threads/{id}/messages    {"messages": [{"role", "content", "metadata"?, "id"?}]}
GET  /threads/{id}/messages?last=20  -> the newest messages, oldest first
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from adapters.d1.async_migrations import amigrate
from adapters.d1.async_unit_of_work import AsyncD1UnitOfWork
from adapters.d1.workers_binding import WorkersBindingD1Client
from adapters.formats.native import message_to_record, thread_to_record
from domain import Message
from domain.errors import AlreadyExists, ConcurrencyConflict, InvalidInput, NotFound
from service import aio

#: Per isolate: the schema is checked (and created) by the first request only.
_schema_ready = False


async def handle(db: Any, method: str, path: str, query: Mapping[str, str], body: str) -> tuple[int, Any]:
    """(HTTP status, JSON-able answer) for one request; ``db`` is the D1 binding (``env.DB``)."""
    global _schema_ready
    client = WorkersBindingD1Client(db)
    if not _schema_ready:
        await amigrate(client)
        _schema_ready = True
    uow = AsyncD1UnitOfWork(client)
    try:
        return await _route(uow, method, path.strip("/").split("/"), query, body)
    except InvalidInput as exc:
        return 400, {"error": str(exc), "field": exc.field}
    except NotFound as exc:
        return 404, {"error": str(exc)}
    except (AlreadyExists, ConcurrencyConflict) as exc:
        return 409, {"error": str(exc)}


async def _route(
    uow: AsyncD1UnitOfWork, method: str, parts: list[str], query: Mapping[str, str], body: str
) -> tuple[int, Any]:
    match method, parts:
        case "POST", ["threads"]:
            fields = _object(body)
            thread = await aio.start_thread(
                uow,
                fields.get("resource_id"),  # type: ignore[arg-type]  # the domain checks it
                title=fields.get("title"),
                metadata=fields.get("metadata"),
                thread_id=fields.get("id"),
            )
            return 201, thread_to_record(thread)
        case "GET", ["threads"]:
            page = await aio.list_threads(
                uow, resource_id=query.get("resource_id"), cursor=query.get("cursor")
            )
            return 200, {
                "threads": [thread_to_record(t) for t in page.threads],
                "next_cursor": page.next_cursor,
            }
        case "GET", ["threads", thread_id]:
            return 200, thread_to_record(await aio.get_thread(uow, thread_id))
        case "POST", ["threads", thread_id, "messages"]:
            turns = _object(body).get("messages")
            if not isinstance(turns, list) or not all(isinstance(turn, dict) for turn in turns):
                raise InvalidInput("messages", "must be a list of objects")
            messages = [
                Message.new(
                    thread_id, t.get("role"), t.get("content"), metadata=t.get("metadata"), id=t.get("id")
                )
                for t in turns
            ]
            stored = await aio.append_messages(uow, thread_id, messages)
            return 201, {"messages": [message_to_record(m) for m in stored]}
        case "GET", ["threads", thread_id, "messages"]:
            recent = await aio.recent_messages(uow, thread_id, last=_count(query.get("last", "20"), "last"))
            return 200, {"messages": [message_to_record(m) for m in recent.last]}
    return 404, {"error": f"no route for {method} /{'/'.join(parts)}"}


def _object(body: str) -> dict[str, Any]:
    try:
        value = json.loads(body or "{}")
    except ValueError:
        raise InvalidInput("body", "is not JSON") from None
    if not isinstance(value, dict):
        raise InvalidInput("body", "must be a JSON object")
    return value


def _messages(thread_id: str, body: str) -> list[Message]:
    turns = _object(body).get("messages")
    if not isinstance(turns, list) or not all(isinstance(turn, dict) for turn in turns):
        raise InvalidInput("messages", "must be a list of objects")
    return [
        Message.new(
            thread_id, turn.get("role"), turn.get("content"), metadata=turn.get("metadata"), id=turn.get("id")
        )
        for turn in turns
    ]


def _count(text: str, field: str) -> int:
    if not text.isdigit():
        raise InvalidInput(field, "must be a whole number")
    return int(text)
