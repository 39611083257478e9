"""The formats d1store reads and writes."""

from __future__ import annotations

import enum


class Format(enum.StrEnum):
    #: d1store's own export: one JSON object per line per conversation, every field kept.
    JSONL = "jsonl"
    #: ShareGPT: ``{"id", "conversations": [{"from", "value"}]}`` records.
    SHAREGPT = "sharegpt"
    #: OpenAI chat fine-tuning records: ``{"messages": [{"role", "content", ...}], ...}``.
    OPENAI = "openai"
