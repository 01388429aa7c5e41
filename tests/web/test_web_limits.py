"""Server limits (issue 24 item 4): slow headers and held connections are closed, a slow body gets 408, requests
beyond the concurrency cap get 503 at once, and the uvicorn configuration carries the documented limits.

Waits are readiness probes with generous bounds (a closed socket is waited for up to 20 s); no assertion is about
how fast anything is."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from assistant.settings import Settings
from assistant.web.limits import ConcurrencyLimitMiddleware, GuardedH11Protocol, protocol_with_header_timeout
from assistant.web.middleware import BodySizeLimitMiddleware
from assistant.web.server import uvicorn_config


async def _hello(scope: dict, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"5")]})
    await send({"type": "http.response.body", "body": b"hello"})


@pytest.fixture(scope="module")
def slow_guarded_server() -> Iterator[int]:
    """A uvicorn server with the guarded protocol and a 0.5 s header timeout, on a free port."""
    config = uvicorn.Config(_hello, host="127.0.0.1", port=0, http=protocol_with_header_timeout(0.5),
                            log_level="warning", timeout_keep_alive=60)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):  # readiness probe: the socket listens
        if server.started and server.servers:
            break
        time.sleep(0.05)
    assert server.started
    port = server.servers[0].sockets[0].getsockname()[1]
    yield port
    server.should_exit = True
    thread.join(timeout=30)


def _closed_by_server(sock: socket.socket, bound: float = 20.0) -> bool:
    """True when the server closes the connection within `bound` seconds (recv returns b"" or the peer resets)."""
    sock.settimeout(bound)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_slow_headers_are_closed(slow_guarded_server: int) -> None:
    with socket.create_connection(("127.0.0.1", slow_guarded_server)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # ... and the rest of the headers never come
        assert _closed_by_server(sock)


def test_a_connection_that_sends_nothing_is_closed(slow_guarded_server: int) -> None:
    with socket.create_connection(("127.0.0.1", slow_guarded_server)) as sock:
        assert _closed_by_server(sock)


def test_a_whole_request_is_answered_and_kept_alive(slow_guarded_server: int) -> None:
    """The other side: headers in time get their answer, and the kept-alive connection serves a second request."""
    with socket.create_connection(("127.0.0.1", slow_guarded_server)) as sock:
        sock.settimeout(20)
        for _ in range(2):
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = b""
            while not reply.endswith(b"hello"):
                chunk = sock.recv(4096)
                assert chunk, reply
                reply += chunk
            assert reply.startswith(b"HTTP/1.1 200")


def test_slow_header_on_a_kept_alive_connection_is_closed(slow_guarded_server: int) -> None:
    with socket.create_connection(("127.0.0.1", slow_guarded_server)) as sock:
        sock.settimeout(20)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        reply = b""
        while not reply.endswith(b"hello"):
            reply += sock.recv(4096)
        sock.sendall(b"GET / HT")  # the next request starts, then stalls
        assert _closed_by_server(sock)


def _asyncio_run(main: Any) -> Any:
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps an event loop in the main thread."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(main())
        except BaseException as error:  # noqa: BLE001 (re-raised in the test's thread)
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _run(app: Any, scope: dict, messages: list[dict], hold: asyncio.Event | None = None) -> list[dict]:
    """Call an ASGI app with `messages` as the request, then (when `hold` is given) wait on it forever."""
    sent: list[dict] = []

    async def main() -> None:
        queue = list(messages)

        async def receive() -> dict:
            if queue:
                return queue.pop(0)
            await asyncio.Event().wait()  # a client that never sends the rest
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        await app(scope, receive, send)

    _asyncio_run(main)
    return sent


def _scope(path: str = "/api/ask", body: bool = True) -> dict:
    headers = [(b"content-length", b"100")] if body else []
    return {"type": "http", "method": "POST", "path": path, "root_path": "", "headers": headers}


def test_a_body_that_does_not_arrive_in_time_gets_408() -> None:
    reached: list[bool] = []

    async def app(scope: dict, receive: Any, send: Any) -> None:
        reached.append(True)

    middleware = BodySizeLimitMiddleware(app, max_bytes=1000, body_timeout=0.2)
    sent = _run(middleware, _scope(), [{"type": "http.request", "body": b"x" * 10, "more_body": True}])
    assert sent[0]["status"] == 408 and not reached


def test_a_body_in_time_reaches_the_app() -> None:
    bodies: list[bytes] = []

    async def app(scope: dict, receive: Any, send: Any) -> None:
        bodies.append((await receive())["body"])
        await _hello(scope, receive, send)

    middleware = BodySizeLimitMiddleware(app, max_bytes=1000, body_timeout=30)
    sent = _run(middleware, _scope(), [{"type": "http.request", "body": b"x" * 10, "more_body": True},
                                       {"type": "http.request", "body": b"y", "more_body": False}])
    assert bodies == [b"x" * 10 + b"y"] and sent[0]["status"] == 200


def test_requests_beyond_the_cap_get_503_and_healthz_still_answers() -> None:
    async def main() -> list[int]:
        release = asyncio.Event()
        started = asyncio.Event()

        async def slow(scope: dict, receive: Any, send: Any) -> None:
            if scope["path"] != "/healthz":
                started.set()
                await release.wait()
            await _hello(scope, receive, send)

        limited = ConcurrencyLimitMiddleware(slow, limit=1)
        statuses: list[int] = []

        async def call(path: str) -> None:
            async def receive() -> dict:
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message: dict) -> None:
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])
                    if message["status"] == 503:
                        assert (b"retry-after", b"2") in message["headers"]

            await limited(_scope(path, body=False), receive, send)

        first = asyncio.create_task(call("/api/ask"))
        await started.wait()
        await call("/api/ask")  # the second one while the first is answered: 503 at once
        await call("/healthz")  # never counted, never refused
        release.set()
        await first
        await call("/api/ask")  # the slot is free again
        return statuses

    assert _asyncio_run(main) == [503, 200, 200, 200]


def test_uvicorn_config_carries_the_documented_limits() -> None:
    settings = Settings(header_timeout_seconds=7, keep_alive_seconds=80, max_connections=500)
    config = uvicorn_config(_hello, settings)
    config.load()
    assert config.server_header is False  # no "server: uvicorn"
    assert config.timeout_keep_alive == 80 and config.limit_concurrency == 500
    protocol = config.http_protocol_class
    assert isinstance(protocol, type) and issubclass(protocol, GuardedH11Protocol)
    assert protocol.header_timeout == 7
