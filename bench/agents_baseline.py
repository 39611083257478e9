"""openai-agents' ``SQLiteSession``: the store an agent built on that SDK gets by default.

It is not a dependency of d1store: ``make bench`` installs it into the venv, and without it this
part of the benchmark reports "not installed" instead of failing.
"""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

from bench.data import batches

PACKAGE = "openai-agents"


def session_class() -> Any | None:
    """``agents.SQLiteSession``, or None when openai-agents is not installed."""
    try:
        module = importlib.import_module("agents")
    except ImportError:
        return None
    return getattr(module, "SQLiteSession", None)


class AgentsSession:
    def __init__(self, path: str | Path, session_id: str) -> None:
        cls = session_class()
        if cls is None:
            raise RuntimeError(f"{PACKAGE} is not installed")
        self._session = cls(session_id, str(path))

    def append_all(self, items: list[dict[str, str]], batch_size: int) -> None:
        async def append() -> None:
            for batch in batches(items, batch_size):
                await self._session.add_items(list(batch))

        asyncio.run(append())

    def read_all(self) -> list[Any]:
        return list(asyncio.run(self._session.get_items()))

    def close(self) -> None:
        self._session.close()
