"""Wall-clock measurement: medians over repeats, alternatives interleaved so drift hits all alike."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

#: One run of an alternative: its own untimed setup inside, returning seconds per timed phase.
Run = Callable[[int], Mapping[str, float]]


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Seconds ``action`` took, and what it returned."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def interleaved(alternatives: Mapping[str, Run], rounds: int) -> dict[str, dict[str, float]]:
    """Run every alternative once per round, rotating which goes first; median seconds per phase.

    This machine is noisy (2 shared cores): running A ten times and then B ten times would let a
    noisy minute land on one side only.
    """
    names = list(alternatives)
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in names}
    for round_index in range(rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            for phase, seconds in alternatives[name](round_index).items():
                samples[name].setdefault(phase, []).append(seconds)
    return {name: {phase: median(v) for phase, v in phases.items()} for name, phases in samples.items()}


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")
