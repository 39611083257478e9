"""The local D1 engine (workerd via miniflare) of tests/integration, loaded without a tests package."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import TracebackType
from typing import Protocol, cast

ENGINE_FOLDER = str(Path(__file__).resolve().parent.parent / "tests" / "integration" / "d1_local")


class LocalEngine(Protocol):
    account_id: str
    database_id: str
    api_token: str

    @property
    def api_base_url(self) -> str: ...

    def start(self) -> LocalEngine: ...

    def stop(self) -> None: ...


class RunningEngine:
    """A started engine, stopped on exit."""

    def __init__(self) -> None:
        if ENGINE_FOLDER not in sys.path:
            sys.path.insert(0, ENGINE_FOLDER)
        module = importlib.import_module("engine")
        module.ensure_installed()
        self.engine = cast(LocalEngine, module.LocalD1Engine())

    def __enter__(self) -> LocalEngine:
        return self.engine.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.engine.stop()


def query_url(engine: LocalEngine) -> str:
    return f"{engine.api_base_url}/accounts/{engine.account_id}/d1/database/{engine.database_id}/query"
