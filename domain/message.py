"""A message in a thread. Its position is assigned by the store when the message is committed."""

from __future__ import annotations

import enum
import operator
from datetime import UTC, datetime

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


# A dict lookup, not Role(value): the enum's own lookup is several times slower, once per message.
_ROLE_BY_VALUE = {role.value: role for role in Role}


def _role(value: object) -> Role:
    role = _ROLE_BY_VALUE.get(value) if isinstance(value, str) else None
    if role is None:
        choices = ", ".join(_ROLE_BY_VALUE)
        raise InvalidInput("message.role", f"must be one of {choices}, not {value!r}")
    return role


def _id(value: object) -> str:
    return validate_identifier(value, "message.id")


def _thread_id(value: object) -> str:
    return validate_identifier(value, "message.thread_id")


def _content(value: object) -> Content:
    return validate_content(value, "message.content")


def _created_at(value: object) -> datetime:
    return timestamps.utc_millis(value, "message.created_at")


def _is_utc_millis(value: object) -> bool:
    """Already what ``timestamps.utc_millis`` makes, e.g. a stored epoch read back: a cheap test."""
    return (
        isinstance(value, datetime)
        and value.tzinfo is UTC
        and value.microsecond % 1000 == 0
        and not value.fold
    )


def _structured(value: object) -> Content:
    if not isinstance(value, list | dict):
        raise InvalidInput("message.content", f"stored structured content is a {type(value).__name__}")
    return value


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

    @classmethod
    def from_store(
        cls,
        *,
        id: str,
        thread_id: str,
        position: int,
        role: str,
        content: Content,
        created_at: datetime,
        metadata: Metadata,
    ) -> Message:
        """A message read back from a store, with the checks that are cheap.

        Ids, role, position and text content are checked as on the way in (a corrupt row still
        fails); ``created_at`` is normalised only if it is not UTC milliseconds already.
        Structured content is taken as the store decoded it: it is a fresh parse of canonical
        JSON the store wrote, and re-canonicalising it on every read was most of a read's time.
        """
        # In declaration order (see _assembled).
        values = (
            _id(id),
            _thread_id(thread_id),
            _role(role),
            _content(content) if isinstance(content, str) else _structured(content),
            created_at if _is_utc_millis(created_at) else _created_at(created_at),
            _metadata(metadata),
            validate_int(position, "message.position", minimum=1, maximum=MAX_SAFE_INTEGER),
        )
        return _assembled(values)

    def with_position(self, position: int) -> Message:
        """This message at the position the store gave it; only ``position`` is checked.

        ``attrs.evolve`` would re-run every converter (ids, content through canonical JSON,
        timestamps, metadata) on fields this instance already holds validated: that was ~40% of
        the time to append a message.
        """
        return _assembled((*_ALL_BUT_POSITION(self), _position(position)))


_FIELD_NAMES = tuple(field.name for field in attrs.fields(Message))
# position is declared last, so "every field but position" is one C-level attrgetter call.
assert _FIELD_NAMES[-1] == "position"
_ALL_BUT_POSITION = operator.attrgetter(*_FIELD_NAMES[:-1])


# The slot of each field, in declaration order: attrs' frozen classes are slotted.
_SLOTS = tuple(Message.__dict__[name] for name in _FIELD_NAMES)


def _assembled(values: tuple[object, ...]) -> Message:
    """The ONE place a Message is built without its converters: every value must already be valid.

    ``values`` come in declaration order. A frozen attrs class refuses ``setattr``, but its
    generated ``__init__`` itself stores each field straight into the instance's slots; writing
    the same slots here (through their descriptors, which is also faster than
    ``object.__setattr__``) skips only the converters, so the result is indistinguishable from a
    Message built through ``__init__``.
    """
    message = Message.__new__(Message)
    for slot, value in zip(_SLOTS, values, strict=True):
        slot.__set__(message, value)
    return message
