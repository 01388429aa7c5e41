"""Small ASGI middlewares for serving behind a portal: a fixed path prefix and a request body limit.

Both are plain ASGI (not `BaseHTTPMiddleware`) so they never buffer a response and add nothing to streaming
(the chat streams its queue events over server-sent events).
"""

from __future__ import annotations

import json

from starlette._utils import get_route_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RootPathMiddleware:
    """Tells the app it is served under `root_path` (e.g. "/coding") when the server did not say so.

    Behind a reverse proxy the public URL has a prefix the app never sees in its own routes. With
    `scope["root_path"]` set, Starlette matches routes with or without the prefix in the path (so proxies that
    strip it and proxies that keep it both work) and the chat builds its asset and API URLs under the prefix.
    """

    def __init__(self, app: ASGIApp, root_path: str) -> None:
        self.app = app
        self.root_path = "/" + root_path.strip("/") if root_path.strip("/") else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.root_path and scope["type"] in ("http", "websocket") and not scope.get("root_path"):
            scope = dict(scope)
            scope["root_path"] = self.root_path
        await self.app(scope, receive, send)


class BodySizeLimitMiddleware:
    """Answers 413 to a request under `path_prefix` whose body is larger than `max_bytes`.

    A declared Content-Length over the limit is refused before anything is read. Otherwise the body (small by
    definition: at most `max_bytes`) is read first, counting chunked bodies as they arrive, and refused as soon as
    it passes the limit; a body within the limit is handed on unchanged. The body is never logged or echoed.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, path_prefix: str = "/api/") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_prefix = path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not get_route_path(scope).startswith(self.path_prefix):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return

        # Read the whole body here (the app would anyway) so an oversized one never reaches the app's parser.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: wait for the client's disconnect as usual

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": f"Request body is larger than the {self.max_bytes:,}-byte limit."}).encode()
        await send({
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
