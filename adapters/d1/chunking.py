"""Split multi-row statements so each stays inside D1's per-statement limits.

D1 allows at most 100 bound parameters and 100,000 bytes of SQL per statement. We also keep the
bound text of one statement near 1 MB (one oversized row still goes alone), so a batch of many
large messages does not become one enormous statement.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Sequence

from adapters.d1.client import Param

MAX_PARAMS = 100
MAX_SQL_BYTES = 100_000
PARAM_BYTES_BUDGET = 1_000_000

Row = tuple[Param, ...]


def _row_bytes(row: Row) -> int:
    return sum(len(value.encode("utf-8")) if isinstance(value, str) else 8 for value in row)


def chunk_rows(rows: Sequence[Row], *, fixed_params: int = 0) -> Iterator[list[Row]]:
    """Consecutive groups of ``rows`` whose params (plus ``fixed_params`` shared ones) fit a statement."""
    if not rows:
        return
    width = len(rows[0])
    per_statement = (MAX_PARAMS - fixed_params) // width
    chunk: list[Row] = []
    size = 0
    for row in rows:
        row_size = _row_bytes(row)
        if chunk and (len(chunk) == per_statement or size + row_size > PARAM_BYTES_BUDGET):
            yield chunk
            chunk, size = [], 0
        chunk.append(row)
        size += row_size
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
    return tuple(value for row in rows for value in row)
