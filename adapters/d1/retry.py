"""When to try a D1 request again: exponential backoff with full jitter inside a time budget.

Pure decisions (random source and clock are injected), so both clients share them and tests can
check the laws: a delay is within [0, cap] (or exactly a server's Retry-After), no delay ends past
the budget, and a definite refusal (SQL error, auth) is never retried.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import attrs

from adapters.d1.failures import Failure, give_up_error
from domain.errors import InvalidInput, StorageError

# Past 2**60 the cap is far beyond any max_delay anyone would set; stop the float from growing.
_MAX_EXPONENT = 60


def _positive(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:
        raise InvalidInput(attribute.name, f"must be positive, not {value!r}")


def _at_least_one(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(attribute.name, f"must be an integer >= 1, not {value!r}")


@attrs.frozen
class RetryPolicy:
    """Defaults: 5 attempts, 0.2 s base, 5 s cap, 30 s budget (see the module doc and README)."""

    max_attempts: int = attrs.field(default=5, validator=_at_least_one)
    base_delay: float = attrs.field(default=0.2, validator=_positive)
    max_delay: float = attrs.field(default=5.0, validator=_positive)
    #: Seconds from the start of the first attempt after which no new attempt starts.
    budget: float = attrs.field(default=30.0, validator=_positive)
    random: Callable[[], float] = attrs.field(default=random.random, eq=False, repr=False)
    clock: Callable[[], float] = attrs.field(default=time.monotonic, eq=False, repr=False)

    def cap(self, retry_number: int) -> float:
        """The largest jittered delay before retry number ``retry_number`` (0 for the first)."""
        return min(self.max_delay, self.base_delay * 2.0 ** min(retry_number, _MAX_EXPONENT))

    def decide(self, failure: Failure, attempts: int, elapsed: float) -> float | None:
        """Seconds to wait before the next attempt, or None to give up.

        ``attempts`` have been made so far and ``elapsed`` seconds have passed since the first began.
        """
        if not failure.retryable or attempts >= self.max_attempts:
            return None
        remaining = self.budget - elapsed
        if failure.retry_after is not None:
            # The server said when it will take us again; sooner is pointless, later than the
            # budget allows means giving up now instead of sleeping in vain.
            return failure.retry_after if failure.retry_after <= remaining else None
        if remaining <= 0:
            return None
        return min(remaining, self.random() * self.cap(attempts - 1))

    def start(self) -> RetryRun:
        return RetryRun(self)


class RetryRun:
    """The attempts of one call: feed each failure, get a delay or the error to raise."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        self._started = policy.clock()
        self._failures: list[Failure] = []

    @property
    def attempt(self) -> int:
        """The number of the attempt about to be made (1-based)."""
        return len(self._failures) + 1

    def next_delay(self, failure: Failure) -> float | None:
        self._failures.append(failure)
        return self._policy.decide(failure, len(self._failures), self._policy.clock() - self._started)

    def give_up(self) -> StorageError:
        return give_up_error(self._failures)
