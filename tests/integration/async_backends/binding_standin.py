"""A stand-in for a D1 binding as a Python Worker sees it (Pyodide 0.28+), on a local SQLite file.

It mirrors the documented shapes, not our client: ``db.prepare(sql).bind(*args)`` (``None``
arrives as JavaScript ``undefined`` and is refused with D1_TYPE_ERROR; only ``JS_NULL`` is NULL),
``await db.batch([...])`` returns a JS array proxy of D1Result objects (``success``, ``results``,
``meta``) whose ``to_py()`` keeps ``null`` as ``JS_NULL``, as Pyodide 0.28 does, and whose
integral numbers come back as ``int``. Errors are raised as ``JsException("D1_ERROR: ...")``.
The batch runs in one SQLite transaction, as D1 runs it.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Sequence
from typing import Any

from adapters.d1.client import Statement
from adapters.d1.errors import D1QueryError
from adapters.d1.sqlite_client import SqliteD1Client


class JsNull:
    """Named as Pyodide's ``pyodide.ffi.JsNull``; ``JS_NULL`` is its one value."""

    def __repr__(self) -> str:
        return "jsnull"


JS_NULL = JsNull()


class JsException(Exception):
    pass


class JsProxy:
    """A JavaScript object or array: attribute/index access, and ``to_py()`` for a deep copy."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def __getattr__(self, name: str) -> Any:
        if isinstance(self._value, dict) and name in self._value:
            return _proxied(self._value[name])
        raise AttributeError(name)

    def __getitem__(self, index: int) -> Any:
        return _proxied(self._value[index])

    def __len__(self) -> int:
        return len(self._value)

    def to_py(self) -> Any:
        return copy.deepcopy(self._value)


def _proxied(value: Any) -> Any:
    return JsProxy(value) if isinstance(value, dict | list) else value


def _from_js(value: Any) -> Any:
    if value is JS_NULL:
        return None
    if value is None:
        raise JsException("D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'")
    return value


def _to_js(value: Any) -> Any:
    # Through JavaScript, NULL is null and every integral number is a safe integer.
    if value is None:
        return JS_NULL
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


class StandInStatement:
    def __init__(self, db: StandInD1Database, sql: str, params: tuple[Any, ...] = ()) -> None:
        self.db, self.sql, self.params = db, sql, params

    def bind(self, *params: Any) -> StandInStatement:
        return StandInStatement(self.db, self.sql, tuple(_from_js(value) for value in params))


class StandInD1Database:
    def __init__(self, path: Any) -> None:
        self._sqlite = SqliteD1Client(path)
        #: Messages to fail the next batches with, before running them (one per batch).
        self.fail_next: list[str] = []
        self.batches = 0

    def prepare(self, sql: str) -> StandInStatement:
        return StandInStatement(self, sql)

    async def batch(self, statements: Sequence[StandInStatement]) -> JsProxy:
        self.batches += 1
        if self.fail_next:
            raise JsException(self.fail_next.pop(0))
        if any(statement.db is not self for statement in statements):
            raise JsException("D1_ERROR: statements of another database")
        await asyncio.sleep(0)  # the request travels: a cancellation may land before it runs...
        try:
            results = self._sqlite.batch([Statement(s.sql, s.params) for s in statements])
        except D1QueryError as exc:
            raise JsException(f"D1_ERROR: {exc.d1_message}") from None
        await asyncio.sleep(0)  # ...or after it committed, before the answer is back
        return JsProxy(
            [
                {
                    "success": True,
                    "results": [{k: _to_js(v) for k, v in row.items()} for row in result.rows],
                    "meta": {
                        "changes": result.meta.changes,
                        "last_row_id": 0,
                        "changed_db": result.meta.changes > 0,
                        "size_after": result.meta.size_after,
                        "rows_read": JS_NULL,
                        "rows_written": JS_NULL,
                        "duration": 0.25,
                    },
                }
                for result in results
            ]
        )

    def close(self) -> None:
        self._sqlite.close()
