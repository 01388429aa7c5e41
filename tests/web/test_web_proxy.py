"""Issue 13 item 6: the app behind a reverse proxy under /coding, for a proxy that strips the prefix and one that
keeps it. The proxy here does what the nginx block of docs/web.md does: it passes the client's Host header
unchanged (nginx `$http_host`, port included) and streams answers without buffering.

The upstream is a real uvicorn server (the app's own way of applying ASSISTANT_ROOT_PATH, no uvicorn root_path),
around the recording fake assistant; the page is loaded through the proxy by the API and by headless chromium.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from assistant.settings import Settings
from assistant.web import create_app

PREFIX = "/coding"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length"}


def reverse_proxy(upstream: str, prefix: str, strip: bool) -> Any:
    """A tiny ASGI reverse proxy: `prefix/...` goes to `upstream` with the prefix stripped or kept; anything else
    is 404 (as a portal's proxy serves its own site there)."""

    async def app(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                await send({"type": message["type"] + ".complete"})
                message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        path: str = scope["path"]
        if not (path == prefix or path.startswith(prefix + "/")):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"not the assistant"})
            return
        forwarded = (path[len(prefix):] or "/") if strip else path
        query = scope.get("query_string", b"").decode()
        url = upstream.rstrip("/") + forwarded + (f"?{query}" if query else "")
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        # `proxy_set_header Host $http_host`: the Host as the browser sent it, port included.
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k.decode().lower() not in HOP_BY_HOP]
        headers.append(("X-Forwarded-Proto", "http"))
        async with httpx.AsyncClient(timeout=120, trust_env=False) as client:
            request = client.build_request(scope["method"], url, headers=headers, content=body)
            response = await client.send(request, stream=True)
            try:
                out = [(k.encode(), v.encode()) for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP]
                await send({"type": "http.response.start", "status": response.status_code, "headers": out})
                async for chunk in response.aiter_raw():  # `proxy_buffering off`: stream as it comes
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b""})
            finally:
                await response.aclose()

    return app


@pytest.fixture(scope="module")
def proxy_fake(recording_assistant: type) -> Any:
    return recording_assistant()


@pytest.fixture(scope="module")
def upstream(proxy_fake: Any, live_server_factory: Any) -> Iterator[Any]:
    settings = Settings(api_token=None, cors_origins=[], root_path=PREFIX, trusted_user_header=None)
    live = live_server_factory(create_app(proxy_fake, settings))
    yield live
    live.stop()


@pytest.fixture(scope="module", params=[pytest.param(True, id="proxy-strips-prefix"),
                                        pytest.param(False, id="proxy-keeps-prefix")])
def proxied(request: Any, upstream: Any, live_server_factory: Any) -> Iterator[str]:
    """The public URL of the chat through the proxy: http://127.0.0.1:<proxy port>/coding/."""
    live = live_server_factory(reverse_proxy(upstream.url, PREFIX, strip=request.param))
    yield live.url.rstrip("/") + PREFIX + "/"
    live.stop()


def turn_index(http: httpx.Client, base: str) -> int:
    config = http.get(base + "config").json()
    (index,) = [dep["id"] for dep in config["dependencies"] if dep.get("api_name") == "turn"]
    return index


def test_page_config_and_assets_through_the_proxy(proxied: str) -> None:
    with httpx.Client(trust_env=False, timeout=60) as http:
        page = http.get(proxied)
        assert page.status_code == 200
        public_root = proxied.rstrip("/")
        assert f'"root":"{public_root}"' in page.text.replace(" ", "")  # the page loads its API from there
        assert http.get(proxied + "config").json()["root"] == public_root
        assert http.get(proxied + "gradio.js").status_code == 200
        assert http.get(proxied + "healthz").json()["status"] == "ok"
        assert http.get(proxied + "openapi.json").json()["servers"] == [{"url": PREFIX}]


def test_api_and_chat_turn_through_the_proxy(proxied: str, proxy_fake: Any) -> None:
    proxy_fake.calls.clear()
    with httpx.Client(trust_env=False, timeout=60) as http:
        answer = http.post(proxied + "api/ask", json={"question": "what is 96369", "payer": "medicare"})
        assert answer.status_code == 200 and answer.json()["route"] == "units"
        body = {"data": ["subq 2 hours", [], "cpt", "facility"], "fn_index": turn_index(http, proxied),
                "session_hash": "proxy-test"}
        turn = http.post(proxied + "gradio_api/run/predict", json=body)
        assert turn.status_code == 200
        assert "| 96369 | 1 |" in turn.json()["data"][1][-1]["content"][0]["text"]
    assert [call["question"] for call in proxy_fake.calls] == ["what is 96369", "subq 2 hours"]


def test_the_chat_works_in_a_browser_through_the_proxy(proxied: str, browser: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(proxied, wait_until="load")
        box = page.locator('textarea[data-testid="textbox"]')
        box.wait_for(timeout=120_000)
        box.fill("how do I code 2.5 hours subq")
        box.press("Enter")
        expect(page.locator('[data-testid="bot"]').last).to_contain_text("96369", timeout=120_000)
    finally:
        context.close()


def test_outside_the_prefix_is_not_the_assistant(proxied: str) -> None:
    with httpx.Client(trust_env=False, timeout=60) as http:
        assert http.get(proxied.replace(PREFIX + "/", "/config")).status_code == 404

