"""The D1 backend: pure SQL and row mapping, clients (embedded SQLite, REST, binding), unit of work.

The public names below are imported on first use, so ``d1store`` on the embedded default does not
pay for loading httpx and the async machinery it never touches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "AsyncD1Client": "client",
    "AsyncD1UnitOfWork": "async_unit_of_work",
    "AsyncHttpD1Client": "async_http_client",
    "AsyncSqliteD1Client": "async_sqlite_client",
    "D1Client": "client",
    "D1UnitOfWork": "unit_of_work",
    "HttpD1Client": "http_client",
    "ResultShape": "envelope",
    "RetryPolicy": "retry",
    "Secret": "credentials",
    "SqliteD1Client": "sqlite_client",
    "Statement": "client",
    "StatementMeta": "client",
    "StatementResult": "client",
    "WorkersBindingD1Client": "workers_binding",
    "amigrate": "async_migrations",
    "migrate": "migrations",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)


if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports on first use
    from adapters.d1.async_http_client import AsyncHttpD1Client as AsyncHttpD1Client
    from adapters.d1.async_migrations import amigrate as amigrate
    from adapters.d1.async_sqlite_client import AsyncSqliteD1Client as AsyncSqliteD1Client
    from adapters.d1.async_unit_of_work import AsyncD1UnitOfWork as AsyncD1UnitOfWork
    from adapters.d1.client import (
        AsyncD1Client as AsyncD1Client,
    )
    from adapters.d1.client import (
        D1Client as D1Client,
    )
    from adapters.d1.client import (
        Statement as Statement,
    )
    from adapters.d1.client import (
        StatementMeta as StatementMeta,
    )
    from adapters.d1.client import (
        StatementResult as StatementResult,
    )
    from adapters.d1.credentials import Secret as Secret
    from adapters.d1.envelope import ResultShape as ResultShape
    from adapters.d1.http_client import HttpD1Client as HttpD1Client
    from adapters.d1.migrations import migrate as migrate
    from adapters.d1.retry import RetryPolicy as RetryPolicy
    from adapters.d1.sqlite_client import SqliteD1Client as SqliteD1Client
    from adapters.d1.unit_of_work import D1UnitOfWork as D1UnitOfWork
    from adapters.d1.workers_binding import WorkersBindingD1Client as WorkersBindingD1Client
