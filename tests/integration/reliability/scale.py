"""How big the reliability suite runs: ``D1STORE_RELIABILITY_SCALE=ci`` (the default, a few minutes
in ``make test``) or ``full`` (``make test-reliability``)."""

from __future__ import annotations

import os

import attrs

SCALE_VARIABLE = "D1STORE_RELIABILITY_SCALE"


@attrs.frozen
class Scale:
    name: str
    #: Randomized commits through the fault proxy.
    commits: int
    #: Appends per process in the many-writers test (8 processes).
    appends_per_writer: int
    #: Racing rounds of the two-editors test.
    edit_rounds: int


SCALES = {
    "ci": Scale("ci", commits=1_000, appends_per_writer=200, edit_rounds=30),
    "full": Scale("full", commits=5_000, appends_per_writer=200, edit_rounds=200),
}


def current_scale() -> Scale:
    name = os.environ.get(SCALE_VARIABLE, "ci").strip().lower() or "ci"
    if name not in SCALES:
        raise ValueError(f"{SCALE_VARIABLE} must be one of {sorted(SCALES)}, not {name!r}")
    return SCALES[name]
