"""Laws of metadata edits: what merge, without and MetadataChanges promise whatever the data."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.testing import json_values, metadata, metadata_keys
from domain import Metadata, MetadataChanges
from domain.json_values import JsonValue

laws = settings(max_examples=80)
key_sets = st.frozensets(metadata_keys(), max_size=4)


@laws
@given(metadata(), metadata())
def test_merge_is_idempotent(base: Metadata, changes: Metadata) -> None:
    once = base.merge(changes)
    assert once.merge(changes) == once


@laws
@given(metadata(), metadata(), metadata())
def test_the_last_write_of_a_key_wins(base: Metadata, first: Metadata, second: Metadata) -> None:
    merged = base.merge(first).merge(second)
    for key in {*base, *first, *second}:
        expected = second if key in second else first if key in first else base
        assert merged.encoded()[key] == expected.encoded()[key]
    assert set(merged) == {*base, *first, *second}


@laws
@given(metadata(), metadata_keys(), json_values())
def test_remove_after_set_removes(base: Metadata, key: str, value: JsonValue) -> None:
    after = base.merge({key: value}).without([key])
    assert key not in after
    assert after == base.without([key])


@laws
@given(metadata())
def test_merge_with_empty_is_identity(base: Metadata) -> None:
    assert base.merge(Metadata()) == base
    assert base.merge({}) == base
    assert Metadata().merge(base) == base


@laws
@given(metadata(), key_sets)
def test_without_absent_keys_is_identity(base: Metadata, keys: frozenset[str]) -> None:
    absent = keys - set(base)
    assert base.without(absent) == base


@laws
@given(metadata(), metadata(), key_sets)
def test_set_and_remove_of_disjoint_keys_commute(
    base: Metadata, to_set: Metadata, keys: frozenset[str]
) -> None:
    to_remove = keys - set(to_set)
    changes = MetadataChanges(set_metadata=to_set, remove_metadata=to_remove)
    after = changes.metadata_after(base)
    assert after == base.without(to_remove).merge(to_set)
    assert set(after) == (set(base) - to_remove) | set(to_set)


@laws
@given(metadata(), metadata())
def test_merge_returns_new_values_and_leaves_inputs_alone(base: Metadata, changes: Metadata) -> None:
    before = (base.encoded(), changes.encoded())
    base.merge(changes).without(list(base))
    assert (base.encoded(), changes.encoded()) == before
