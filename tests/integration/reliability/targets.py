"""Where concurrent writers connect: plain data, picklable for spawned processes, so each writer
opens its own client (clients are never shared across processes)."""

from __future__ import annotations

import attrs

from adapters.d1.http_client import HttpD1Client
from adapters.d1.sqlite_client import SqliteD1Client
from adapters.d1.unit_of_work import D1UnitOfWork


@attrs.frozen
class Target:
    #: "sqlite" (path = the database file) or "d1local" (path = the engine's API base URL).
    kind: str
    path: str
    prefix: str = ""
    account_id: str = ""
    database_id: str = ""
    #: A throwaway token of the local engine, never a real one.
    api_token: str = attrs.field(default="", repr=False)

    @classmethod
    def sqlite(cls, path: str) -> Target:
        return cls("sqlite", path)

    @classmethod
    def d1local(cls, engine: object, prefix: str) -> Target:
        return cls(
            "d1local",
            engine.api_base_url,  # type: ignore[attr-defined]
            prefix,
            engine.account_id,  # type: ignore[attr-defined]
            engine.database_id,  # type: ignore[attr-defined]
            engine.api_token,  # type: ignore[attr-defined]
        )

    def client(self) -> SqliteD1Client | HttpD1Client:
        if self.kind == "sqlite":
            return SqliteD1Client(self.path)
        return HttpD1Client(self.account_id, self.database_id, self.api_token, base_url=self.path)

    def unit_of_work(self, client: SqliteD1Client | HttpD1Client) -> D1UnitOfWork:
        return D1UnitOfWork(client, self.prefix)
