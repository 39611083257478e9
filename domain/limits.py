"""The store's limits. They follow D1's, so data accepted locally is accepted by Cloudflare."""

from __future__ import annotations

#: D1 refuses a string, BLOB or row over 2,000,000 bytes; we keep room for a row's other columns.
MAX_TEXT_BYTES = 1_900_000

#: Identifiers (thread, message, resource ids) are short keys, indexed and repeated in every row.
MAX_ID_CHARS = 256

#: Metadata keys are indexed too.
MAX_KEY_CHARS = 256

#: Nesting beyond this is almost surely a bug, and deep recursion would crash the encoder.
MAX_JSON_DEPTH = 64

#: D1 passes numbers through JavaScript doubles: integers beyond this lose precision.
MAX_SAFE_INTEGER = 2**53 - 1

#: Largest page a single read returns.
MAX_PAGE_SIZE = 1_000

#: Keys a thread-list metadata filter may match on: each binds two parameters of the one query,
#: and D1 allows 100 per statement.
MAX_FILTER_KEYS = 40
