"""SqliteD1Client binds parameters as D1 does, in one pass, and refuses what D1 refuses."""

from __future__ import annotations

import enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.d1.client import Param, Statement
from adapters.d1.errors import D1QueryError
from adapters.d1.sqlite_client import MAX_STRING_BYTES, SqliteD1Client


class Colour(enum.StrEnum):
    RED = "red"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with SqliteD1Client(tmp_path_factory.mktemp("binding") / "db.sqlite") as client:
        yield client


params = st.lists(
    st.none()
    | st.text(max_size=20)
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False),
    max_size=8,
)


def _expected(value: Param) -> tuple[str, object]:
    if value is None:
        return "null", None
    if isinstance(value, str):
        return "text", value
    return "real", float(value)


@settings(max_examples=60, deadline=None)
@given(params)
def test_numbers_bind_as_real_and_text_as_text(client: SqliteD1Client, values: list[Param]) -> None:
    columns = (
        ", ".join(f"typeof(?{i}) AS t{i}, ?{i} AS v{i}" for i in range(1, len(values) + 1)) or "1 AS one"
    )
    (row,) = client.batch([Statement(f"SELECT {columns}", tuple(values))])[0].rows
    for index, value in enumerate(values, start=1):
        kind, bound = _expected(value)
        assert (row[f"t{index}"], row[f"v{index}"]) == (kind, bound)


def test_a_str_subclass_binds_as_its_text(client: SqliteD1Client) -> None:
    (row,) = client.batch([Statement("SELECT typeof(?1) AS t, ?1 AS v", (Colour.RED,))])[0].rows
    assert row == {"t": "text", "v": "red"}


@pytest.mark.parametrize("value", [True, b"bytes", [1], object()])
def test_unsupported_types_are_refused_before_anything_runs(client: SqliteD1Client, value: object) -> None:
    client.batch([Statement("CREATE TABLE IF NOT EXISTS seen (n INTEGER)")])
    ran = Statement("INSERT INTO seen (n) VALUES (1)")
    with pytest.raises(D1QueryError, match="not supported"):
        client.batch([ran, Statement("SELECT ?1", (value,))])  # type: ignore[arg-type]
    assert client.batch([Statement("SELECT COUNT(*) AS c FROM seen")])[0].rows == ({"c": 0},)


@pytest.mark.parametrize("size", [MAX_STRING_BYTES // 4, MAX_STRING_BYTES // 2 + 1])
def test_string_size_is_measured_in_utf8_bytes(client: SqliteD1Client, size: int) -> None:
    # "é" is 2 bytes: half a million of them fit, 1,000,001 of them do not.
    statement = Statement("SELECT length(?1) AS n", ("é" * size,))
    if size * 2 > MAX_STRING_BYTES:
        with pytest.raises(D1QueryError, match="SQLITE_TOOBIG"):
            client.batch([statement])
    else:
        assert client.batch([statement])[0].rows == ({"n": size},)
