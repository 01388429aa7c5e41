"""Server limits (issue 24 item 4): slow or held connections cannot exhaust the process.

- `GuardedH11Protocol`: uvicorn's h11 protocol with a header timeout. uvicorn arms no timer on a new connection
  and cancels its keep-alive timer on any byte received, so a client sending one header byte a minute held a
  connection (and a file descriptor) forever: 1,100 of them exhausted a 1,024-descriptor service. Here a request's
  headers must be complete within `header_timeout` of the connection opening (or of the first byte of the next
  request on a kept-alive connection); otherwise the connection is closed. Serve with
  `uvicorn --http assistant.web.limits:GuardedH11Protocol` (build_server does it).
- `ConcurrencyLimitMiddleware`: at most `limit` requests answered at once (every route but /healthz); beyond it
  503 with `Retry-After`, at once, so a flood of slow questions queues in the proxy, not in memory.
- The body read timeout is in `BodySizeLimitMiddleware` (middleware.py), which reads every body anyway.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import cache
from typing import Any

import h11
from starlette._utils import get_route_path
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.settings import Settings
from assistant.web.middleware import OPEN_PATHS, send_json


@cache
def _default_header_timeout() -> float:
    return Settings().header_timeout_seconds


class GuardedH11Protocol(H11Protocol):
    """H11Protocol that closes a connection whose request headers do not arrive in time (see the module doc)."""

    header_timeout: float | None = None  # None: ASSISTANT_HEADER_TIMEOUT_SECONDS (default 10 s)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._header_deadline is None:
            timeout = self.header_timeout if self.header_timeout is not None else _default_header_timeout()
            self._header_deadline = self.loop.call_later(timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a connection that never sends a request is closed too

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._arm()  # the next request on a kept-alive connection: its headers are timed from its first byte
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the headers are in: the body is timed by the body limit middleware

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def protocol_with_header_timeout(seconds: float) -> type[GuardedH11Protocol]:
    """A GuardedH11Protocol class with its own header timeout (build_server: from the settings it was given)."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"header_timeout": seconds})


class ConcurrencyLimitMiddleware:
    """503 (with Retry-After) for an HTTP request beyond `limit` answered at once; /healthz is never counted or
    refused (the proxy's health check must see a busy process as alive)."""

    def __init__(self, app: ASGIApp, limit: int, open_paths: Iterable[str] = OPEN_PATHS) -> None:
        self.app = app
        self.limit = limit
        self.open_paths = frozenset(open_paths)
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or get_route_path(scope) in self.open_paths:
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            await send_json(send, 503, {"detail": "The assistant is busy: try again in a few seconds."},
                            [(b"retry-after", b"2")])
            return
        self.active += 1  # one event loop per process: no lock needed between awaits
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1
