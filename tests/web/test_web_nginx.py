"""Issue 20 item 6: the nginx examples of docs/web.md, run with real nginx in front of the app under /coding.

- token injection: nginx adds `Authorization: Bearer <token>` (`proxy_set_header Authorization`), the app only
  knows the token; a browser with no credentials uses the chat through nginx, and the app refuses it directly;
- a header set by nginx auth: `auth_basic` signs the user in and `proxy_set_header X-Portal-User $remote_user`
  passes the name; without signing in nginx answers 401 (never an empty header that the app would refuse);
- both prefix styles (nginx strips /coding, or keeps it);
- the `<gradio-app>` web component on a portal page of the same origin: every asset it loads is under /coding.

nginx runs in the foreground as the test's own user (`master_process off`, every temp path in tmp_path). Missing
nginx: skipped with the reason, but fails on CI (CI=true), like the browser tests (`make browser` installs both).
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.settings import Settings
from assistant.web import create_app

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PREFIX = "/coding"
TOKEN = "nginx-test-token"
USER, PASSWORD = "coder1", "pw-for-tests"
TIMEOUT_MS = 120_000

# The location block of docs/web.md, with the two lines each case adds.
LOCATION = """
    location /coding/ {{
        proxy_pass {proxy_pass};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-Proto $scheme;
{extra}
        proxy_buffering off;
        proxy_read_timeout 300s;
        client_max_body_size 256k;
    }}
"""
TOKEN_LINES = f'        proxy_set_header Authorization "Bearer {TOKEN}";  # the token stays in nginx'
AUTH_LINES = """        auth_basic "Coding Assistant";
        auth_basic_user_file {htpasswd};
        proxy_set_header X-Portal-User $remote_user;          # set by nginx, never passed through"""
# A portal page of the same origin with the web component snippet of docs/web.md (served by nginx itself).
PORTAL_HTML = ("<!doctype html><html><head><title>Portal</title>"
               '<script type="module" src="/coding/gradio.js"></script></head><body><h3>Portal</h3>'
               '<gradio-app src="http://127.0.0.1:{port}/coding/"></gradio-app></body></html>')
PORTAL = """
    location = /portal.html {{
        default_type text/html;
        return 200 '{html}';
    }}
"""
CONF = """
worker_processes 1;
master_process off;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream coding_assistant {{
        server 127.0.0.1:{upstream};
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
{portal}
{location}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ssha(password: str) -> str:
    """An RFC 2307 {SSHA} password line for nginx's auth_basic_user_file."""
    salt = b"test-salt"
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


@dataclass
class Nginx:
    url: str  # the public URL of the chat: http://127.0.0.1:<port>/coding/
    origin: str
    process: subprocess.Popen[bytes]


def start_nginx(tmp: Path, upstream_url: str, strip: bool, extra: str) -> Nginx:
    if not Path(NGINX).exists():
        reason = "nginx not found: run `make browser` (apt-get install -y nginx)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true: the nginx tests are required)")
        pytest.skip(reason)
    upstream = upstream_url.rstrip("/").rsplit(":", 1)[1]
    port = free_port()
    proxy_pass = "http://coding_assistant/" if strip else "http://coding_assistant"
    (tmp / "htpasswd").write_text(f"{USER}:{ssha(PASSWORD)}\n")
    location = LOCATION.format(proxy_pass=proxy_pass, extra=extra.format(htpasswd=tmp / "htpasswd"))
    portal = PORTAL.format(html=PORTAL_HTML.format(port=port))
    conf = CONF.format(tmp=tmp, upstream=upstream, port=port, portal=portal, location=location)
    (tmp / "nginx.conf").write_text(conf)
    check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(tmp / "nginx.conf")], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60  # a bound, not an expectation: readiness is polled
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start: " + (tmp / "error.log").read_text()) from None
            time.sleep(0.05)
    origin = f"http://127.0.0.1:{port}"
    return Nginx(url=origin + PREFIX + "/", origin=origin, process=process)


@pytest.fixture(scope="module")
def upstreams(recording_assistant: type, live_server_factory: Callable[[Any], Any]) -> Iterator[dict[str, Any]]:
    """Two apps under /coding: one that only knows the token, one that only trusts the portal header."""
    token_app = create_app(recording_assistant(), Settings(api_token=TOKEN, cors_origins=[], root_path=PREFIX,
                                                           trusted_user_header=None))
    header_app = create_app(recording_assistant(), Settings(api_token=None, cors_origins=[], root_path=PREFIX,
                                                            trusted_user_header="X-Portal-User"))
    live = {"token": live_server_factory(token_app), "header": live_server_factory(header_app)}
    yield live
    for server in live.values():
        server.stop()


CASES = [
    pytest.param(("token", True), id="token-injection-prefix-stripped"),
    pytest.param(("token", False), id="token-injection-prefix-kept"),
    pytest.param(("header", True), id="auth-basic-header-prefix-stripped"),
    pytest.param(("header", False), id="auth-basic-header-prefix-kept"),
]


@pytest.fixture(params=CASES)
def proxied(request: Any, upstreams: dict[str, Any], tmp_path: Path) -> Iterator[tuple[str, Nginx, Any]]:
    kind, strip = request.param
    nginx = start_nginx(tmp_path, upstreams[kind].url, strip, TOKEN_LINES if kind == "token" else AUTH_LINES)
    try:
        yield kind, nginx, upstreams[kind]
    finally:
        nginx.process.terminate()
        nginx.process.wait(timeout=30)


def test_the_api_through_nginx(proxied: tuple[str, Nginx, Any]) -> None:
    kind, nginx, upstream = proxied
    auth = (USER, PASSWORD) if kind == "header" else None
    with httpx.Client(trust_env=False, timeout=60) as http:
        answer = http.post(nginx.url + "api/ask", json={"question": "subq 2 hours"}, auth=auth)
        assert answer.status_code == 200 and answer.json()["route"] == "units"
        assert http.get(nginx.url + "config", auth=auth).json()["root"] == nginx.url.rstrip("/")
        # The app itself refuses the same request without what nginx adds.
        assert http.post(upstream.url + "api/ask", json={"question": "subq 2 hours"}).status_code == 401
        if kind == "header":
            refused = http.post(nginx.url + "api/ask", json={"question": "subq 2 hours"})
            assert refused.status_code == 401 and "Basic" in refused.headers.get("www-authenticate", "")
            wrong = http.post(nginx.url + "api/ask", json={"question": "x"}, auth=(USER, "wrong"))
            assert wrong.status_code == 401


def test_the_chat_and_the_web_component_through_nginx(proxied: tuple[str, Nginx, Any], browser: Any) -> None:
    from playwright.sync_api import expect

    kind, nginx, _ = proxied
    credentials = {"username": USER, "password": PASSWORD} if kind == "header" else None
    context = browser.new_context(viewport={"width": 1280, "height": 900}, http_credentials=credentials)
    try:
        page = context.new_page()
        page.goto(nginx.url, wait_until="load")
        box = page.locator('textarea[data-testid="textbox"]')
        box.wait_for(timeout=TIMEOUT_MS)
        box.fill("how do I code 2.5 hours subq")
        box.press("Enter")
        expect(page.locator('[data-testid="bot"]').last).to_contain_text("96369", timeout=TIMEOUT_MS)

        # The web component on a portal page of the same origin: every request it makes stays under /coding and
        # none fails (gradio.js, its scripts and stylesheets, the config, the turn).
        requested: list[tuple[str, int]] = []
        portal = context.new_page()
        portal.on("response", lambda response: requested.append((response.url, response.status)))
        portal.goto(nginx.origin + "/portal.html", wait_until="load")
        box = portal.locator('textarea[data-testid="textbox"]')
        box.wait_for(timeout=TIMEOUT_MS)
        box.fill("how do I code 2.5 hours subq")
        box.press("Enter")
        expect(portal.locator('[data-testid="bot"]').last).to_contain_text("96369", timeout=TIMEOUT_MS)
        mine = [(url, status) for url, status in requested if url.startswith(nginx.origin)]
        outside = [url for url, _ in mine if not url.startswith(nginx.url) and url != nginx.origin + "/portal.html"]
        assert mine and outside == [], f"requests outside {PREFIX}/: {outside}"
        failed = [(url, status) for url, status in mine if status >= 400]
        assert failed == [], failed
    finally:
        context.close()
