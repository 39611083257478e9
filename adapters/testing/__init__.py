"""Hypothesis strategies for property-testing code built on d1store (``pip install 'd1store[testing]'``)."""

try:
    import hypothesis  # noqa: F401
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "adapters.testing needs hypothesis, which is an optional extra: pip install 'd1store[testing]'"
    ) from None

from adapters.testing.strategies import (
    TRICKY_FRAGMENTS,
    contents,
    hostile_text,
    identifiers,
    json_values,
    message_patches,
    messages,
    metadata,
    metadata_keys,
    roles,
    structured_contents,
    text,
    thread_patches,
    threads,
    timestamps,
    tricky_text,
)

__all__ = [
    "TRICKY_FRAGMENTS",
    "contents",
    "hostile_text",
    "identifiers",
    "json_values",
    "message_patches",
    "messages",
    "metadata",
    "metadata_keys",
    "roles",
    "structured_contents",
    "text",
    "thread_patches",
    "threads",
    "timestamps",
    "tricky_text",
]
