"""A message in a thread. Its position is assigned by the store when the message is committed."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from domain import timestamps
from domain.content import Content, validate_content
from domain.errors import InvalidInput
from domain.ids import new_id
from domain.limits import MAX_SAFE_INTEGER
from domain.metadata import Metadata, MetadataInput, as_metadata
from domain.patches import MessagePatch
from domain.validation import validate_identifier, validate_int


class Role(enum.StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


_ROLES = tuple(role.value for role in Role)


def _role(value: object) -> Role:
    if isinstance(value, str) and value in _ROLES:
        return Role(value)
    choices = ", ".join(_ROLES)
    raise InvalidInput("message.role", f"must be one of {choices}, not {value!r}")


def _id(value: object) -> str:
    return validate_identifier(value, "message.id")


def _thread_id(value: object) -> str:
    return validate_identifier(value, "message.thread_id")


def _content(value: object) -> Content:
    return validate_content(value, "message.content")


def _created_at(value: object) -> datetime:
    return timestamps.utc_millis(value, "message.created_at")


def _metadata(value: object) -> Metadata:
    return as_metadata(value, "message.metadata")


def _position(value: object) -> int | None:
    if value is None:
        return None
    return validate_int(value, "message.position", minimum=1, maximum=MAX_SAFE_INTEGER)


@attrs.frozen(kw_only=True)
class Message:
    id: str = attrs.field(converter=_id)
    thread_id: str = attrs.field(converter=_thread_id)
    role: Role = attrs.field(converter=_role)
    content: Content = attrs.field(converter=_content)
    created_at: datetime = attrs.field(converter=_created_at)
    metadata: Metadata = attrs.field(factory=Metadata, converter=_metadata)
    #: 1, 2, 3... within the thread, in commit order; None until the message is committed.
    position: int | None = attrs.field(default=None, converter=_position)

    @classmethod
    def new(
        cls,
        thread_id: str,
        role: Role | str,
        content: Content,
        *,
        metadata: MetadataInput | None = None,
        id: str | None = None,
        at: datetime | None = None,
    ) -> Message:
        return cls(
            id=new_id() if id is None else id,
            thread_id=thread_id,
            role=role,
            content=content,
            metadata=Metadata() if metadata is None else Metadata(metadata, field="message.metadata"),
            created_at=timestamps.now() if at is None else at,
        )

    def patched(self, patch: MessagePatch) -> Message:
        return attrs.evolve(
            self,
            content=patch.new_content(self.content),
            metadata=patch.metadata_after(self.metadata),
        )
