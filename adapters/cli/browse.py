"""``d1store threads`` and ``d1store show``: read-only views of the store."""

from __future__ import annotations

import argparse
import json

from adapters.bootstrap import Store
from adapters.cli import render
from adapters.formats.native import message_to_record, thread_to_record
from domain.message import Message
from domain.ports import UnitOfWork
from service.conversations import thread_messages
from service.messages import recent_messages
from service.threads import get_thread, list_threads


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def threads(store: Store, args: argparse.Namespace) -> int:
    page = list_threads(
        store.unit_of_work(),
        resource_id=args.resource,
        metadata=dict(args.metadata),
        cursor=args.cursor,
        limit=args.limit,
    )
    if args.json:
        listed = [thread_to_record(thread) for thread in page.threads]
        _print_json({"threads": listed, "next_cursor": page.next_cursor})
        return 0
    for row in render.thread_rows(page.threads):
        print(row)
    if not page.threads:
        print("no threads")
    if page.next_cursor is not None:
        print(f"next cursor: {page.next_cursor}")
    return 0


def _messages(uow: UnitOfWork, args: argparse.Namespace) -> tuple[Message, ...]:
    if args.last is None and not args.around:
        return tuple(thread_messages(uow, args.thread_id, page_size=1000))
    recent = recent_messages(
        uow,
        args.thread_id,
        last=args.last or 0,
        around=args.around,
        before=args.before,
        after=args.after,
    )
    return recent.merged()


def show(store: Store, args: argparse.Namespace) -> int:
    uow = store.unit_of_work()
    thread = get_thread(uow, args.thread_id)
    messages = _messages(uow, args)
    if args.json:
        shown = [message_to_record(message) for message in messages]
        _print_json({"thread": thread_to_record(thread), "messages": shown})
        return 0
    for line in render.thread_header(thread):
        print(line)
    for message in messages:
        print()
        for line in render.message_block(message):
            print(line)
    if not messages:
        print("(no messages)")
    return 0
