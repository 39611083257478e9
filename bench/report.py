"""Results as values, and their two renderings: a Markdown table for people, JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import attrs

#: What an empty cell shows (a dash that Markdown will not take for a list or a rule).
EMPTY = "\u2013"

Value: TypeAlias = str | int | float | None


@attrs.frozen
class Target:
    """A goal from the brief and whether this run met it (None: could not be measured)."""

    text: str
    met: bool | None

    @property
    def verdict(self) -> str:
        return {True: "met", False: "**missed**", None: "n/a"}[self.met]


def target(text: str, met: bool | None) -> Target:
    return Target(text, met)


@attrs.frozen
class Row:
    operation: str
    values: Mapping[str, Value]
    targets: tuple[Target, ...] = ()
    note: str = ""


@attrs.define
class Section:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[Row] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)

    def add(self, operation: str, values: Mapping[str, Value], *targets: Target, note: str = "") -> None:
        self.rows.append(Row(operation, dict(values), tuple(targets), note))


def _cell(value: Value) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, float):
        if value != value:  # NaN: nothing measured
            return EMPTY
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value.replace("|", "\\|")


def section_markdown(section: Section) -> str:
    header = ["operation", *section.columns, "target", "verdict"]
    lines = [f"### {section.title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in section.rows:
        cells = [row.operation, *(_cell(row.values.get(column)) for column in section.columns)]
        cells.append("; ".join(t.text for t in row.targets) or EMPTY)
        cells.append("; ".join(t.verdict for t in row.targets) or EMPTY)
        if row.note:
            cells[0] += f" ({row.note})"
        lines.append("| " + " | ".join(cells) + " |")
    lines.extend(["", *(f"- {note}" for note in section.notes)] if section.notes else [])
    return "\n".join(lines) + "\n"


def machine_markdown(machine: Mapping[str, str]) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in machine.items()) + "\n"


def full_markdown(title: str, machine: Mapping[str, str], sections: Sequence[Section]) -> str:
    parts = [f"## {title}\n", machine_markdown(machine), *(section_markdown(s) for s in sections)]
    return "\n".join(parts)


def missed(sections: Sequence[Section]) -> list[str]:
    return [
        f"{section.key}: {row.operation}: {t.text}"
        for section in sections
        for row in section.rows
        for t in row.targets
        if t.met is False
    ]


def _finite(value: Any) -> Any:
    """JSON has no NaN: a number that could not be measured becomes null."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def to_json(machine: Mapping[str, str], sections: Sequence[Section], **extra: Any) -> str:
    payload = {
        **extra,
        "machine": dict(machine),
        "sections": [attrs.asdict(section) for section in sections],
        "missed": missed(sections),
    }
    return json.dumps(_finite(payload), indent=2, ensure_ascii=False, allow_nan=False)
