"""Strategies for the building blocks: text (plain, tricky, hostile), ids, JSON, metadata, time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import ParamSpec, TypeVar, cast

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from domain.json_values import JsonValue
from domain.limits import MAX_SAFE_INTEGER
from domain.message import Role
from domain.metadata import Metadata
from domain.timestamps import utc_millis

P = ParamSpec("P")
R = TypeVar("R")


def memoised(factory: Callable[P, R]) -> Callable[P, R]:
    """Build each strategy once: hypothesis validates every new strategy object, which is slow."""
    return cast(Callable[P, R], functools.cache(factory))


#: Fragments that have broken text handling somewhere: each is valid and must round-trip exactly.
TRICKY_FRAGMENTS: tuple[str, ...] = (
    "👋",
    "👨‍👩‍👧‍👦",  # one grapheme, seven code points joined by ZWJ
    "🇺🇦",
    "\U0001d518\U0001d52b\U0001d526",  # Fraktur "Uni", astral plane: two UTF-16 units each
    "e\u0301",  # e + combining acute: not the same string as "é"
    "é",
    "Z\u0364\u0311a\u0308\u0347l\u036e\u0312",  # stacked combining marks
    "مرحبا بالعالم",
    "שָׁלוֹם",
    "\u202eevil\u202c",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width space, zero-width joiner, byte order mark
    "日本語テキスト",
    "'; DROP TABLE threads; --",
    "%_\\",  # LIKE wildcards and escape
    '"quoted" \\u0000',  # looks like an escape, is plain text
    "null",
    "1.0",
)

#: Valid in free text but not in identifiers (control characters).
_WHITESPACE_FRAGMENTS: tuple[str, ...] = ("\r\n", "\t", " ")

_STORABLE_CHARS = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_IDENTIFIER_CHARS = st.characters(exclude_categories=["Cs", "Cc"])
#: Plain ASCII names (function names, URL paths, tool-call ids): hypothesis draws these fast.
SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_UNSTORABLE = ("\x00", "\ud800", "\udbff", "\udc00", "\udfff")


@memoised
def tricky_text(max_fragments: int = 3) -> SearchStrategy[str]:
    """Text built from the fragments that break stores, mixed with random storable text."""
    fragment = st.one_of(
        st.sampled_from(TRICKY_FRAGMENTS + _WHITESPACE_FRAGMENTS), st.text(_STORABLE_CHARS, max_size=6)
    )
    return st.lists(fragment, min_size=1, max_size=max_fragments).map("".join)


@memoised
def text(max_size: int = 24) -> SearchStrategy[str]:
    """Free text (content, titles, JSON strings): any storable text, often tricky. May be empty."""
    return st.one_of(st.text(_STORABLE_CHARS, max_size=max_size), tricky_text().map(lambda s: s[:max_size]))


@memoised
def hostile_text() -> SearchStrategy[str]:
    """Text with a NUL or a lone surrogate: content, titles and ids must refuse it with InvalidInput.

    (NUL inside a JSON string value is allowed — JSON escapes it — so only a lone surrogate makes
    metadata invalid; use ``hostile_text().filter(lambda s: "\\x00" not in s)`` there.)
    """
    return st.tuples(text(max_size=10), st.sampled_from(_UNSTORABLE), text(max_size=10)).map("".join)


@memoised
def identifiers(max_size: int = 24) -> SearchStrategy[str]:
    """Valid ids and keys: non-blank, no control characters, sometimes far from ASCII."""
    tricky = st.sampled_from([f for f in TRICKY_FRAGMENTS if f.strip()])
    return st.one_of(
        st.uuids().map(str),
        st.text(SLUG_CHARS, min_size=1, max_size=16),
        st.text(_IDENTIFIER_CHARS, min_size=1, max_size=max_size),
        tricky,
    ).filter(lambda s: bool(s.strip()) and len(s) <= 256)


@memoised
def metadata_keys() -> SearchStrategy[str]:
    return identifiers(max_size=12)


def _json_scalars() -> SearchStrategy[JsonValue]:
    return st.one_of(
        st.none(),
        st.booleans(),
        # D1 passes numbers through doubles: larger integers would not survive.
        st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER),
        st.floats(allow_nan=False, allow_infinity=False),
        text(max_size=12),
    )


@memoised
def json_values(max_leaves: int = 6) -> SearchStrategy[JsonValue]:
    """Any JSON value the domain accepts, kept small."""

    def nest(children: SearchStrategy[JsonValue]) -> SearchStrategy[JsonValue]:
        return st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(text(max_size=8), children, max_size=3),
        )

    return cast(SearchStrategy[JsonValue], st.recursive(_json_scalars(), nest, max_leaves=max_leaves))


@memoised
def metadata(max_size: int = 3) -> SearchStrategy[Metadata]:
    return st.dictionaries(metadata_keys(), json_values(max_leaves=3), max_size=max_size).map(Metadata)


@memoised
def roles() -> SearchStrategy[Role]:
    return st.sampled_from(Role)


@memoised
def timestamps() -> SearchStrategy[datetime]:
    """Aware datetimes from several zones, normalised as the store keeps them (UTC, milliseconds)."""
    zones = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))])
    moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=zones)
    # fold=1 (from ambiguous local times) would survive normalisation yet not a round trip through storage.
    return moments.map(lambda moment: utc_millis(moment, "timestamp").replace(fold=0))
