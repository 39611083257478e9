"""Where a D1 database lives on the REST API, and the token that opens it.

The token is wrapped in ``Secret`` the moment it enters, so no repr, str, log line or error built
from these objects can show it; only the code that writes the Authorization header unwraps it.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Final

import attrs

from adapters.config import DEFAULT_API_BASE_URL
from domain.errors import InvalidInput

# Cloudflare account ids are 32 hex digits and database ids UUIDs; local engines use short names.
# Anything outside this set could add path segments or a query to the URL.
_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
# Visible ASCII only: a CR/LF in a header value would let a token inject headers.
_TOKEN_PATTERN: Final = re.compile(r"[\x21-\x7e]+")
_MASK: Final = "***"


class Secret:
    """A string that shows as ``'***'`` everywhere; ``reveal()`` is the one way to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def scrub(self, text: str) -> str:
        """``text`` with every occurrence of the secret masked, for text a server echoes back."""
        return text.replace(self._value, _MASK) if self._value else text

    def __repr__(self) -> str:
        return repr(_MASK)

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> str | tuple[object, ...]:
        # Pickling would write the secret in clear text to wherever the pickle goes.
        raise TypeError("a Secret cannot be pickled")


def _to_secret(value: str | Secret) -> Secret:
    if isinstance(value, Secret):
        token = value.reveal()
    elif isinstance(value, str):
        token = value
    else:
        raise InvalidInput("api_token", f"must be a string, not {type(value).__name__}")
    if not _TOKEN_PATTERN.fullmatch(token):
        # Never echo the value: it is (almost) a token.
        raise InvalidInput("api_token", "must be non-empty visible ASCII without spaces")
    return value if isinstance(value, Secret) else Secret(token)


def _check_id(field: str) -> Callable[[object, attrs.Attribute[str], str], None]:
    def check(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not _ID_PATTERN.fullmatch(value):
            raise InvalidInput(field, f"must be 1-128 letters, digits, '-' or '_', not {value!r}")

    return check


def _normalize_base_url(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput("base_url", f"must be a string, not {type(value).__name__}")
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("base_url", f"must be an http(s) URL with a host, not {value!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInput("base_url", "must not carry a query, fragment or credentials")
    return value.rstrip("/")


@attrs.frozen
class D1Credentials:
    """``base_url`` includes ``/client/v4``, like Cloudflare's ``CLOUDFLARE_API_BASE_URL``."""

    account_id: str = attrs.field(validator=_check_id("account_id"))
    database_id: str = attrs.field(validator=_check_id("database_id"))
    api_token: Secret = attrs.field(converter=_to_secret)
    base_url: str = attrs.field(default=DEFAULT_API_BASE_URL, converter=_normalize_base_url)

    def endpoint(self, kind: str) -> str:
        """The URL of the ``query`` or ``raw`` endpoint."""
        return f"{self.base_url}/accounts/{self.account_id}/d1/database/{self.database_id}/{kind}"

    def authorization(self) -> dict[str, str]:
        """The request header that carries the token; build it per request, keep it nowhere."""
        return {"Authorization": f"Bearer {self.api_token.reveal()}"}
