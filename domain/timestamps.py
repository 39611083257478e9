"""Timestamps are UTC with millisecond precision: what the store keeps, exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.errors import InvalidInput

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc_millis(value: object, field: str) -> datetime:
    """Normalise to UTC and drop sub-millisecond digits, so a stored value reads back equal."""
    if not isinstance(value, datetime):
        raise InvalidInput(field, f"must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, "must be timezone-aware")
    utc = value.astimezone(UTC)
    # fold only disambiguates local wall times; in UTC it is noise that storage would drop.
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000, fold=0)


def now() -> datetime:
    return utc_millis(datetime.now(UTC), "now")


def to_epoch_ms(value: datetime) -> int:
    return (value - _EPOCH) // timedelta(milliseconds=1)


def from_epoch_ms(millis: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=millis)
