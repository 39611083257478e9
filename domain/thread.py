"""A conversation thread: who owns it, what it is called, and its optimistic-concurrency version."""

from __future__ import annotations

from datetime import datetime

import attrs

from domain import timestamps
from domain.errors import InvalidInput
from domain.ids import new_id
from domain.limits import MAX_SAFE_INTEGER
from domain.metadata import Metadata, MetadataInput, as_metadata
from domain.patches import ThreadPatch
from domain.validation import validate_identifier, validate_int, validate_text


def _id(value: object) -> str:
    return validate_identifier(value, "thread.id")


def _resource_id(value: object) -> str:
    return validate_identifier(value, "thread.resource_id")


def _title(value: object) -> str | None:
    return None if value is None else validate_text(value, "thread.title")


def _metadata(value: object) -> Metadata:
    return as_metadata(value, "thread.metadata")


def _created_at(value: object) -> datetime:
    return timestamps.utc_millis(value, "thread.created_at")


def _updated_at(value: object) -> datetime:
    return timestamps.utc_millis(value, "thread.updated_at")


def _version(value: object) -> int:
    return validate_int(value, "thread.version", minimum=1, maximum=MAX_SAFE_INTEGER)


@attrs.frozen(kw_only=True)
class Thread:
    id: str = attrs.field(converter=_id)
    resource_id: str = attrs.field(converter=_resource_id)
    created_at: datetime = attrs.field(converter=_created_at)
    updated_at: datetime = attrs.field(converter=_updated_at)
    title: str | None = attrs.field(default=None, converter=_title)
    metadata: Metadata = attrs.field(factory=Metadata, converter=_metadata)
    version: int = attrs.field(default=1, converter=_version)

    def __attrs_post_init__(self) -> None:
        if self.updated_at < self.created_at:
            raise InvalidInput("thread.updated_at", "must not be before created_at")

    @classmethod
    def new(
        cls,
        resource_id: str,
        *,
        title: str | None = None,
        metadata: MetadataInput | None = None,
        id: str | None = None,
        at: datetime | None = None,
    ) -> Thread:
        moment = timestamps.now() if at is None else at
        return cls(
            id=new_id() if id is None else id,
            resource_id=resource_id,
            title=title,
            metadata=Metadata() if metadata is None else Metadata(metadata, field="thread.metadata"),
            created_at=moment,
            updated_at=moment,
        )

    def patched(self, patch: ThreadPatch, at: datetime) -> Thread:
        """The thread after ``patch``: a new version, and activity never moves backwards."""
        at = timestamps.utc_millis(at, "at")
        return attrs.evolve(
            self,
            title=patch.new_title(self.title),
            metadata=patch.metadata_after(self.metadata),
            updated_at=max(self.updated_at, at),
            version=self.version + 1,
        )

    def touched(self, at: datetime) -> Thread:
        """Activity (a new message) moves ``updated_at`` forward, never back; the version stays."""
        return attrs.evolve(self, updated_at=max(self.updated_at, timestamps.utc_millis(at, "at")))
