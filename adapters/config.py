"""Which backend to use, from arguments or the environment (Cloudflare's own variable names)."""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping

import attrs

from domain.errors import InvalidInput

DEFAULT_DB_PATH = "d1store.db"
DEFAULT_API_BASE_URL = "https://api.cloudflare.com/client/v4"


class Backend(enum.StrEnum):
    EMBEDDED = "embedded"  # a local SQLite file with D1's semantics: the zero-setup default
    D1 = "d1"  # Cloudflare D1 over the REST API
    MEMORY = "memory"  # the in-memory model: tests and experiments


@attrs.frozen(kw_only=True)
class StoreConfig:
    backend: Backend = Backend.EMBEDDED
    db_path: str = DEFAULT_DB_PATH
    table_prefix: str = ""
    account_id: str | None = None
    database_id: str | None = None
    #: Kept out of repr so a logged config never shows it.
    api_token: str | None = attrs.field(default=None, repr=lambda token: "None" if token is None else "'***'")
    api_base_url: str = DEFAULT_API_BASE_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> StoreConfig:
        """Read ``D1STORE_DB``, ``D1STORE_TABLE_PREFIX``, ``CLOUDFLARE_ACCOUNT_ID``,
        ``CLOUDFLARE_D1_DATABASE_ID``, ``CLOUDFLARE_API_TOKEN``, ``D1STORE_API_BASE_URL``;
        explicit ``overrides`` (None means "not given") win over the environment."""
        env = os.environ if env is None else env
        values: dict[str, object] = {
            "db_path": env.get("D1STORE_DB", DEFAULT_DB_PATH),
            "table_prefix": env.get("D1STORE_TABLE_PREFIX", ""),
            "account_id": env.get("CLOUDFLARE_ACCOUNT_ID"),
            "database_id": env.get("CLOUDFLARE_D1_DATABASE_ID"),
            "api_token": env.get("CLOUDFLARE_API_TOKEN"),
            "api_base_url": env.get("D1STORE_API_BASE_URL", DEFAULT_API_BASE_URL),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]

    def require_d1_credentials(self) -> tuple[str, str, str]:
        missing = [
            name
            for name, value in (
                ("CLOUDFLARE_ACCOUNT_ID", self.account_id),
                ("CLOUDFLARE_D1_DATABASE_ID", self.database_id),
                ("CLOUDFLARE_API_TOKEN", self.api_token),
            )
            if not value
        ]
        if missing:
            raise InvalidInput("d1 credentials", f"set {', '.join(missing)} to use Cloudflare D1")
        assert self.account_id and self.database_id and self.api_token
        return self.account_id, self.database_id, self.api_token
