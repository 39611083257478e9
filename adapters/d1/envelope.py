"""D1's REST envelope: the request body for a batch, and the answer parsed into results or a Failure.

Pure (bytes in, values out), so the sync and async clients share every rule. A successful answer
must say so at the top AND for every statement, with exactly one result per statement; anything
else is never trusted as success.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

from adapters.d1.client import Param, Row, Statement, StatementMeta, StatementResult
from adapters.d1.errors import D1ProtocolError
from adapters.d1.failures import Failure, Outcome, Redact
from adapters.d1.response_errors import error_failure
from domain.errors import InvalidInput
from domain.limits import MAX_SAFE_INTEGER


class ResultShape(enum.Enum):
    """``query`` returns rows as objects; ``raw`` as arrays plus column names (but the local engine
    sends no column names for an empty result, so ``query`` is the default)."""

    QUERY = "query"
    RAW = "raw"


_META_INTS: Final = ("changes", "rows_read", "rows_written", "last_row_id", "size_after")


def encode_batch(statements: Sequence[Statement]) -> bytes:
    """``{"batch": [{"sql", "params"}, ...]}``; InvalidInput names the statement and parameter."""
    entries = []
    for index, statement in enumerate(statements):
        field = f"statements[{index}]"
        if not isinstance(statement.sql, str) or not statement.sql.strip():
            raise InvalidInput(f"{field}.sql", "must be a non-empty string")
        _check_text(statement.sql, f"{field}.sql")
        params = [_check_param(value, f"{field}.params[{i}]") for i, value in enumerate(statement.params)]
        entries.append({"sql": statement.sql, "params": params})
    return json.dumps({"batch": entries}, separators=(",", ":"), allow_nan=False).encode()


def _check_text(value: str, field: str) -> None:
    # json.dumps would escape a lone surrogate and D1 would store it as three U+FFFD: corruption.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(field, f"contains a lone surrogate at index {exc.start}") from None


def _check_param(value: object, field: str) -> Param:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput(field, "is a bool; bind 0 or 1")
    if isinstance(value, str):
        _check_text(value, field)
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise InvalidInput(field, f"{value} is beyond ±2^53-1 and would lose precision in D1")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(field, f"{value} is not a finite number")
        return value
    raise InvalidInput(field, f"must be str, int, float or None, not {type(value).__name__}")


def parse_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    expected: int,
    shape: ResultShape = ResultShape.QUERY,
    redact: Redact = str,
) -> list[StatementResult] | Failure:
    """One result per statement, or the Failure the answer describes. ``headers`` keys: lower case."""
    payload = _decode(body)
    if not 200 <= status < 300 or payload is None or payload.get("success") is not True:
        if 200 <= status < 300 and (payload is None or payload.get("success") is None):
            return _malformed(f"HTTP {status} without a D1 envelope", body, redact)
        return error_failure(status, headers, payload, body, redact)
    result = payload.get("result")
    if not isinstance(result, list) or len(result) != expected:
        count = len(result) if isinstance(result, list) else "no"
        return _malformed(f"{count} results for {expected} statements", body, redact)
    try:
        return [_statement_result(entry, index, shape) for index, entry in enumerate(result)]
    except (TypeError, ValueError) as exc:
        return _malformed(str(exc), body, redact)


def _decode(body: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def _malformed(reason: str, body: bytes, redact: Redact) -> Failure:
    # A 2xx we cannot read may well have been committed: never retried, reported as is.
    snippet = body[:300].decode("utf-8", "replace")
    error = D1ProtocolError(redact(f"unexpected D1 answer: {reason}; body starts {snippet!r}"))
    return Failure(error, retryable=False, outcome=Outcome.UNKNOWN)


def _statement_result(entry: object, index: int, shape: ResultShape) -> StatementResult:
    if not isinstance(entry, Mapping) or entry.get("success") is not True:
        raise ValueError(f"result[{index}] does not report success")
    rows = _rows(entry.get("results", []), index, shape)
    meta = entry.get("meta", {})
    if not isinstance(meta, Mapping):
        raise TypeError(f"result[{index}].meta is not an object")
    return StatementResult(rows=rows, meta=_meta(meta, index))


def _rows(results: object, index: int, shape: ResultShape) -> tuple[Row, ...]:
    if shape is ResultShape.QUERY:
        if not isinstance(results, list) or not all(isinstance(row, dict) for row in results):
            raise TypeError(f"result[{index}].results is not a list of row objects")
        return tuple(results)
    if not isinstance(results, Mapping):
        raise TypeError(f"result[{index}].results is not a columns/rows object")
    columns, rows = results.get("columns"), results.get("rows")
    if not isinstance(columns, list) or not all(isinstance(name, str) for name in columns):
        raise TypeError(f"result[{index}].results.columns is not a list of names")
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == len(columns) for r in rows):
        raise TypeError(f"result[{index}].results.rows do not match the {len(columns)} columns")
    return tuple(dict(zip(columns, row, strict=True)) for row in rows)


def _meta(meta: Mapping[str, Any], index: int) -> StatementMeta:
    counts = {name: _optional_int(meta.get(name), f"result[{index}].meta.{name}") for name in _META_INTS}
    duration = meta.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int | float)):
        raise TypeError(f"result[{index}].meta.duration is not a number")
    return StatementMeta(
        changes=counts.pop("changes") or 0,
        duration_ms=None if duration is None else float(duration),
        **counts,
    )


def _optional_int(value: object, where: str) -> int | None:
    # JSON numbers pass through JavaScript: an integral float is still a count.
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{where} is not an integer")
    return value
