"""Table names (with their validated prefix) and the SQL templates that use them.

The table prefix is the only text ever interpolated into SQL, so it is validated once here and
every statement is rendered from a ``$name`` template through :meth:`Tables.render`.
"""

from __future__ import annotations

import re
import string

import attrs

from domain.errors import InvalidInput

# Starts with a letter so every derived name is a plain identifier; SQLite and D1 reserve
# names starting with ``sqlite_`` and ``_cf_``, which a leading letter other than those rules out.
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
_RESERVED = ("sqlite_",)

TABLE_NAMES = (
    "threads",
    "messages",
    "thread_metadata",
    "message_metadata",
    "commits",
    "guards",
    "d1store_migrations",
)


def validate_prefix(prefix: object) -> str:
    if not isinstance(prefix, str):
        raise InvalidInput("table_prefix", f"must be a string, not {type(prefix).__name__}")
    if prefix == "":
        return prefix
    if not _PREFIX.fullmatch(prefix) or prefix.lower().startswith(_RESERVED):
        raise InvalidInput(
            "table_prefix",
            "must be 1-32 letters, digits or underscores, starting with a letter and not with sqlite_; "
            f"got {prefix!r}",
        )
    return prefix


@attrs.frozen
class Tables:
    """Every schema object's name for one prefix; ``Tables("dev_").threads == "dev_threads"``."""

    prefix: str = attrs.field(default="", converter=validate_prefix)

    def name(self, base: str) -> str:
        return self.prefix + base

    @property
    def threads(self) -> str:
        return self.name("threads")

    @property
    def messages(self) -> str:
        return self.name("messages")

    @property
    def commits(self) -> str:
        return self.name("commits")

    @property
    def migrations(self) -> str:
        return self.name("d1store_migrations")

    def render(self, template: str, **fragments: str) -> str:
        """Fill ``$threads``, ``$messages``, ... and ``$p`` (the bare prefix, for index names).

        ``fragments`` are SQL pieces this package generated (placeholder lists, column lists),
        never user data; they are filled first, so they may name tables themselves.
        """
        names = {base: self.name(base) for base in TABLE_NAMES}
        text = string.Template(template).safe_substitute(fragments)
        return string.Template(text).substitute(names, p=self.prefix)
