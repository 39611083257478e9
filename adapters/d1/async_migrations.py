"""``amigrate``: the schema migrations (``adapters.d1.migrations``) over an ``AsyncD1Client``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from adapters.d1.async_flows import arun
from adapters.d1.client import AsyncD1Client
from adapters.d1.migrations import MIGRATIONS, Migration, migration_flow


async def amigrate(
    client: AsyncD1Client,
    table_prefix: str = "",
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    now_ms: Callable[[], int] | None = None,
) -> list[int]:
    """Apply every migration not yet applied; returns the versions this call applied."""
    return await arun(client, migration_flow(table_prefix, migrations=migrations, now_ms=now_ms))
