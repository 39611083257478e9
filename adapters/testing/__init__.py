"""Hypothesis strategies for property-testing code built on d1store (``pip install 'd1store[testing]'``)."""

try:
    import hypothesis  # noqa: F401
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "adapters.testing needs hypothesis, which is an optional extra: pip install 'd1store[testing]'"
    ) from None

from adapters.testing.strategies import *  # noqa: F403 - the public strategies, listed once there
from adapters.testing.strategies import __all__ as __all__
