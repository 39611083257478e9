"""The public strategies (adapters.testing) make values the domain accepts, and hostile ones it refuses."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings

from adapters.testing import (
    contents,
    hostile_text,
    identifiers,
    message_patches,
    messages,
    metadata,
    thread_patches,
    threads,
)
from domain import InvalidInput, Message, MessagePatch, Metadata, Thread, ThreadPatch
from domain.content import Content
from domain.validation import validate_identifier, validate_text


@settings(max_examples=60)
@given(threads(resource_ids=["alice", "bob"]), contents())
def test_threads_and_contents_are_valid(thread: Thread, content: Content) -> None:
    assert thread.resource_id in {"alice", "bob"} and thread.version == 1
    assert thread.updated_at >= thread.created_at
    assert Message.new(thread.id, "tool", content).content == content


@settings(max_examples=60)
@given(messages(thread_id="t1"), thread_patches(), message_patches())
def test_messages_and_patches_are_valid(
    message: Message, thread_patch: ThreadPatch, patch: MessagePatch
) -> None:
    assert (message.thread_id, message.position) == ("t1", None)
    assert not set(thread_patch.set_metadata) & thread_patch.remove_metadata
    assert message.patched(patch).id == message.id


@settings(max_examples=100)
@given(identifiers(), metadata())
def test_identifiers_and_metadata_survive_validation(identifier: str, value: Metadata) -> None:
    assert validate_identifier(identifier, "id") == identifier
    assert Metadata.from_encoded(value.encoded()) == value


@settings(max_examples=100)
@given(hostile_text())
def test_hostile_text_is_always_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        validate_text(bad, "text")


def test_importing_without_hypothesis_says_what_to_install() -> None:
    code = "import sys; sys.modules['hypothesis'] = None; import adapters.testing"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "ImportError" in result.stderr and "d1store[testing]" in result.stderr
