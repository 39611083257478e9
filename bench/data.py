"""The conversations every alternative stores: the same texts, roles and order for all of them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.message import Message, Role

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

# Agent turns are mostly a few sentences; ~250 characters keeps rows realistic without making
# the benchmark about bulk text copying.
_USER = "Could you check the status of order {n} and tell me when it ships? I also need the invoice."
_ASSISTANT = (
    "Order {n} is packed and leaves the warehouse tomorrow morning; tracking arrives by e-mail. "
    "I attached the invoice as a PDF to this thread, and you can download it from your account "
    "page any time."
)


def text(index: int) -> tuple[Role, str]:
    role = Role.USER if index % 2 == 0 else Role.ASSISTANT
    return role, (_USER if role is Role.USER else _ASSISTANT).format(n=index)


def messages(thread_id: str, count: int, *, first_index: int = 0, id_prefix: str = "") -> list[Message]:
    """``count`` messages in time order; ``id_prefix`` keeps ids distinct between fills."""
    out = []
    for index in range(first_index, first_index + count):
        role, content = text(index)
        out.append(
            Message.new(
                thread_id,
                role,
                content,
                id=f"{id_prefix}{thread_id}-m{index:08d}",
                at=_EPOCH + timedelta(milliseconds=index),
            )
        )
    return out


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def agent_items(count: int) -> list[dict[str, str]]:
    """The same turns as openai-agents input items (EasyInputMessage: role + text content)."""
    return [{"role": role.value, "content": content} for role, content in map(text, range(count))]
