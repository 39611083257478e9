"""The Worker's entry point: turn the request into ``app.handle``'s arguments and its answer into a
Response. ``self.env.DB`` is the D1 binding declared in wrangler.toml."""

import json
from urllib.parse import parse_qsl, urlparse

from app import handle
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        url = urlparse(request.url)
        body = await request.text() if request.method in ("POST", "PUT", "PATCH") else ""
        status, answer = await handle(self.env.DB, request.method, url.path, dict(parse_qsl(url.query)), body)
        return Response(json.dumps(answer), status=status, headers={"content-type": "application/json"})
