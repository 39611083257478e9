"""``AsyncSqliteD1Client``: the embedded default for asyncio — ``SqliteD1Client`` on its own thread.

Every batch runs on one dedicated worker thread, so sqlite3 never blocks the event loop and
batches run one at a time in the order they were awaited. Cancelling the awaiting task does not
interrupt a batch that has started: its transaction commits or rolls back on that thread (the
connection is never left mid-transaction); a batch not yet started is dropped, never run.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Sequence
from os import PathLike

from adapters.closing import AsyncClosing
from adapters.d1.client import Statement, StatementResult
from adapters.d1.errors import D1QueryError
from adapters.d1.sqlite_client import BUSY_TIMEOUT_S, SqliteD1Client


class AsyncSqliteD1Client(AsyncClosing):
    """Use with ``async with``, or call ``aclose()``."""

    def __init__(self, path: str | PathLike[str], *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="d1store-sqlite")
        # Opened on the worker thread too: connecting may wait on another process's lock.
        self._sync = self._executor.submit(SqliteD1Client, path, busy_timeout_s=busy_timeout_s).result()
        self._closed = False

    async def batch(self, statements: Sequence[Statement]) -> list[StatementResult]:
        if self._closed:
            raise D1QueryError("the client is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._sync.batch, statements)

    async def aclose(self) -> None:
        """Waits for the batch in progress, if any, then closes the file."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._sync.close)
        self._executor.shutdown(wait=False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
