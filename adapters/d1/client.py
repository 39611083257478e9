"""The D1 client port: send a list of statements as ONE request that commits all or nothing.

Every transport (embedded SQLite, REST over httpx, the Workers binding; sync or async) implements
this, and returns the same result shape, so the SQL layer and the unit of work never know which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeAlias

import attrs

#: What D1 accepts as a bound parameter. Bools become 0/1 and bytes hex text before they get here.
Param: TypeAlias = str | int | float | None

Row: TypeAlias = Mapping[str, Any]


@attrs.frozen
class Statement:
    sql: str
    params: tuple[Param, ...] = ()


@attrs.frozen
class StatementMeta:
    """D1's per-statement ``meta``; fields a transport cannot know are None."""

    changes: int = 0
    rows_read: int | None = None
    rows_written: int | None = None
    last_row_id: int | None = None
    size_after: int | None = None
    duration_ms: float | None = None


@attrs.frozen
class StatementResult:
    rows: tuple[Row, ...] = ()
    meta: StatementMeta = StatementMeta()


class D1Client(Protocol):
    def batch(self, statements: Sequence[Statement]) -> list[StatementResult]:
        """Run ``statements`` in one transaction, one request; one result per statement, in order.

        Raises ``D1QueryError`` (the SQL failed: nothing was committed), ``TransientStorageError``
        (after retries; nothing was committed), ``CommitOutcomeUnknown``-worthy
        ``D1OutcomeUnknown`` (the request may or may not have been applied), or ``StorageError``.
        """
        ...

    def close(self) -> None: ...


class AsyncD1Client(Protocol):
    async def batch(self, statements: Sequence[Statement]) -> list[StatementResult]: ...

    async def aclose(self) -> None: ...
