"""chunk_rows cuts exactly where measuring every row's UTF-8 size would, though it measures less."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.d1.chunking import MAX_PARAMS, Row, chunk_rows


def _measured_everywhere(rows: Sequence[Row], fixed_params: int, budget: int) -> Iterator[list[Row]]:
    """The plain rule: every row's exact size, summed."""
    per_statement = (MAX_PARAMS - fixed_params) // len(rows[0])
    chunk: list[Row] = []
    size = 0
    for row in rows:
        row_size = sum(len(v.encode("utf-8")) if isinstance(v, str) else 8 for v in row)
        if chunk and (len(chunk) == per_statement or size + row_size > budget):
            yield chunk
            chunk, size = [], 0
        chunk.append(row)
        size += row_size
    yield chunk


# Wide characters (2, 3 and 4 UTF-8 bytes) make the 4-bytes-a-character bound far from exact.
_text = st.text(alphabet=st.sampled_from("aé€😀"), max_size=40)
_value = st.one_of(_text, st.integers(), st.floats(allow_nan=False), st.none())


@settings(max_examples=300)
@given(
    width=st.integers(1, 6),
    data=st.data(),
    fixed_params=st.integers(0, 3),
    budget=st.integers(1, 400),
)
def test_cuts_match_exact_measurement(width, data, fixed_params, budget):
    rows = data.draw(st.lists(st.tuples(*[_value] * width), min_size=1, max_size=60))
    assert list(chunk_rows(rows, fixed_params=fixed_params, budget=budget)) == list(
        _measured_everywhere(rows, fixed_params, budget)
    )


def test_no_rows_no_chunks():
    assert list(chunk_rows([])) == []
