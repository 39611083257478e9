"""Split multi-row statements so each stays inside D1's per-statement limits.

D1 allows at most 100 bound parameters and 100,000 bytes of SQL per statement. We also keep the
bound text of one statement near 1 MB (one oversized row still goes alone), so a batch of many
large messages does not become one enormous statement.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Sequence
from itertools import chain

from adapters.d1.client import Param

MAX_PARAMS = 100
MAX_SQL_BYTES = 100_000
PARAM_BYTES_BUDGET = 1_000_000

Row = tuple[Param, ...]


def _row_bytes(row: Row) -> int:
    return sum(len(value.encode("utf-8")) if isinstance(value, str) else 8 for value in row)


def _row_bytes_bound(row: Row) -> int:
    """At least ``_row_bytes(row)``, without encoding: a character is at most 4 bytes in UTF-8."""
    bound = 0
    for value in row:
        bound += 4 * len(value) if isinstance(value, str) else 8
    return bound


def chunk_rows(
    rows: Sequence[Row], *, fixed_params: int = 0, budget: int = PARAM_BYTES_BUDGET
) -> Iterator[list[Row]]:
    """Consecutive groups of ``rows`` whose params (plus ``fixed_params`` shared ones) fit a statement,
    and whose bound text stays within ``budget`` bytes (a row bigger than that goes alone).

    The cut is made on exact UTF-8 sizes, but they are only computed for a chunk whose upper bound
    (4 bytes a character) could pass the budget: encoding every value just to size it cost ~12% of
    an append.
    """
    if not rows:
        return
    width = len(rows[0])
    per_statement = (MAX_PARAMS - fixed_params) // width
    chunk: list[Row] = []
    bound = 0
    size: int | None = None  # the chunk's exact size, once its bound no longer proves it fits
    for row in rows:
        if chunk and len(chunk) == per_statement:
            yield chunk
            chunk, bound, size = [], 0, None
        row_bound = _row_bytes_bound(row)
        if size is None and bound + row_bound > budget:
            size = sum(map(_row_bytes, chunk))
        if size is not None:
            row_size = _row_bytes(row)
            if chunk and size + row_size > budget:
                yield chunk
                chunk, bound, size = [], 0, None
                # A fresh chunk: its exact size is only needed if this row alone might not fit.
                if row_bound > budget:
                    size = row_size
            else:
                size += row_size
        chunk.append(row)
        bound += row_bound
    yield chunk


def numbered_tuples(count: int, width: int, first: int, row_template: str) -> str:
    """``count`` row expressions; in row i, ``$v0`` ... ``$v{width-1}`` become ``?first+i*width`` ...

    Other ``$names`` (tables) are left for ``Tables.render``.
    """
    template = string.Template(row_template)
    rows = []
    for index in range(count):
        start = first + index * width
        rows.append(template.safe_substitute({f"v{k}": f"?{start + k}" for k in range(width)}))
    return ", ".join(rows)


PLAIN_TRIPLE = "($v0, $v1, $v2)"


def flatten(rows: Sequence[Row]) -> tuple[Param, ...]:
    return tuple(chain.from_iterable(rows))
