"""Conversation file formats: pure parsers and serialisers, one module per format, plus detection.

Nothing here touches a store: parsing turns file content into ``Conversation`` values (or a
``Malformed`` note naming where and why), serialising turns conversations into text.
"""

from adapters.formats.kinds import Format
from adapters.formats.reading import Parsed, parse_stream
from adapters.formats.sources import Malformed
from adapters.formats.writing import write_conversations

__all__ = ["Format", "Malformed", "Parsed", "parse_stream", "write_conversations"]
