"""Fixtures of the reliability suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import unique_prefix

from .targets import Target


@pytest.fixture(params=["sqlite", pytest.param("d1local", marks=pytest.mark.d1local)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    """A store for concurrent writers: an embedded SQLite file, or a fresh prefix on the local engine."""
    if request.param == "sqlite":
        return Target.sqlite(str(tmp_path / "store.db"))
    return Target.d1local(request.getfixturevalue("d1_engine"), unique_prefix())
