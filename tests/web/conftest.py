"""Fixtures of the web tests: a recording fake assistant for the API/UI plumbing, live servers on loopback and one
headless Debian chromium for the whole session.

The browser tests use the real Assistant (the session `assistant` fixture) and assert real answers.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant.contract import Answer, CodeLine
from assistant.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@dataclass
class RecordingAssistant:
    """A stand-in for the Assistant that records each call and answers with a small units table.

    It exists to test the web plumbing (what reaches `ask`, what comes back); real answers are tested with the
    real Assistant."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    health_info: dict[str, Any] | None = field(default_factory=lambda: {"records": 7, "model": "fake-model"})

    def ask(self, question: str, history: Any = None, payer: Any = None, setting: Any = None) -> Answer:
        self.calls.append({"question": question, "history": list(history or []), "payer": payer, "setting": setting})
        text = (
            f"**Report 96369 x1.**\n\n_Rules: {payer or 'default'}, setting: {setting or 'default'}, "
            f"earlier turns: {len(history or [])}._\n\n| Code | Units | What it is |\n|---|---|---|\n"
            "| 96369 | 1 | Subcutaneous infusion, first hour |\n"
        )
        return Answer(route="units", answer=text, codes=[CodeLine(code="96369", units=1)], citations=["a rule"])

    def health(self) -> dict[str, Any]:
        if self.health_info is None:
            raise RuntimeError("index missing")
        return dict(self.health_info)


@pytest.fixture(scope="session")
def recording_assistant() -> type[RecordingAssistant]:
    """The fake's class, for tests that need their own instance (test modules cannot import a conftest)."""
    return RecordingAssistant


@pytest.fixture
def fake_assistant() -> RecordingAssistant:
    return RecordingAssistant()


@pytest.fixture
def make_settings() -> Callable[..., Settings]:
    """Settings for a test app: defaults plus the given web fields (never the environment's token or origins)."""

    def make(**overrides: Any) -> Settings:
        # TestClient's peer is "testclient": trusted like the loopback proxy (issue 24 ASSISTANT_TRUSTED_PROXIES).
        base: dict[str, Any] = {"api_token": None, "cors_origins": [], "root_path": "", "trusted_user_header": None,
                                "trusted_proxies": ["127.0.0.1", "::1", "testclient"]}
        base.update(overrides)
        return Settings(**base)

    return make


# --------------------------------------------------------------------------------------------------------
# live servers
# --------------------------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_live_app(app: Any) -> LiveServer:
    """Serve an ASGI app with uvicorn on a free loopback port in a daemon thread; returns once it listens."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="web-test-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 300  # a bound for a busy machine; readiness is polled, not assumed
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test web server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return LiveServer(url=f"http://127.0.0.1:{port}/", server=server, thread=thread)


@pytest.fixture(scope="session")
def live_server_factory() -> Callable[[Any], LiveServer]:
    """`start_live_app` for test modules (they cannot import a conftest); the caller stops the server."""
    return start_live_app


@pytest.fixture(scope="session")
def live_app(assistant: Any) -> Iterator[LiveServer]:
    """The real app (real Assistant, default web settings) on a loopback port, once per session."""
    from assistant.web import create_app

    # The portal test frames the chat from another loopback port: allow that origin (the default is 'self' only).
    settings = Settings(api_token=None, cors_origins=[], root_path="", frame_ancestors="'self' http://127.0.0.1:*")
    live = start_live_app(create_app(assistant, settings))
    yield live
    live.stop()


def serve_page(html: str) -> tuple[str, Callable[[], None]]:
    """Serve one HTML page from another loopback port (another origin, as a portal would be)."""
    body = html.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (quiet test server)
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, name="web-test-portal", daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()

    return f"http://127.0.0.1:{httpd.server_address[1]}/", stop


PORTAL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portal</title></head>
<body style="margin:0;font-family:sans-serif">
<header style="padding:8px 16px;background:#1e293b;color:white">Our portal</header>
<!-- the iframe snippet of docs/web.md -->
<iframe id="coding-assistant" src="{url}" title="Coding Assistant"
        style="width:100%;height:900px;border:0" allow="clipboard-write"></iframe>
</body></html>
"""


@pytest.fixture(scope="session")
def portal_url(live_app: LiveServer) -> Iterator[str]:
    """A page on another loopback origin that embeds the live app in an iframe, as a portal would."""
    url, stop = serve_page(PORTAL_PAGE.format(url=live_app.url))
    yield url
    stop()


# --------------------------------------------------------------------------------------------------------
# the browser
# --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian chromium driven by Playwright (never `playwright install`). Missing chromium: skip with the
    reason, but fail on CI (CI=true), where the browser tests must run."""
    if not CHROMIUM.exists():
        reason = f"chromium not found at {CHROMIUM}: run `make browser` (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true: browser tests are required)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
