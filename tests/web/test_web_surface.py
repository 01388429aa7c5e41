"""The Gradio surface (issue 24 item 5): of the ~90 routes in the live route table exactly the ones the chat and the
API use are served; every other answers 404 before Gradio sees it (uploads, process_recording, proxy=, file=,
vibe-edit, run-history, monitoring, login ...); malformed Gradio calls get 4xx, never 500; Gradio's temp folder is
set before Gradio is imported."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from assistant.settings import Settings
from assistant.web import create_app
from assistant.web.surface import served

REPO = Path(__file__).resolve().parents[2]

EXPECTED = {
    ("GET", "/"), ("HEAD", "/"), ("GET", "/config"), ("GET", "/config/"), ("GET", "/theme.css"),
    ("GET", "/favicon.ico"), ("GET", "/gradio.js"), ("GET", "/healthz"), ("GET", "/openapi.json"),
    ("HEAD", "/openapi.json"), ("POST", "/api/ask"), ("POST", "/api/encounter"), ("POST", "/api/scrub"),
    ("GET", "/gradio_api/info"), ("GET", "/gradio_api/info/"), ("POST", "/gradio_api/queue/join"),
    ("GET", "/gradio_api/queue/data"), ("GET", "/assets/{path:path}"), ("GET", "/static/{path:path}"),
    ("POST", "/gradio_api/run/{api_name}"), ("POST", "/gradio_api/run/{api_name}/"),
}


def _walk(routes: list[Any]) -> Iterator[tuple[str, str]]:
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's included router
            yield from _walk(route.original_router.routes)
        elif isinstance(route, Mount):
            yield from _walk(getattr(route.app, "routes", None) or route.routes)
        else:
            for method in sorted(getattr(route, "methods", None) or ["WEBSOCKET"]):
                yield method, route.path


def _filled(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", template)


def _settings(**overrides: Any) -> Settings:
    return Settings(**{"api_token": None, "cors_origins": [], "root_path": "", "trusted_user_header": None,
                       **overrides})


@pytest.fixture(scope="module")
def app(recording_assistant: Any) -> Any:
    return create_app(recording_assistant(), _settings())


@pytest.fixture(scope="module")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def test_exactly_the_expected_routes_of_the_live_table_are_served(app: Any) -> None:
    table = set(_walk(app.routes))
    assert len(table) > 60  # Gradio's whole table is there ...
    assert {(method, path) for method, path in table if served(method, _filled(path))} == EXPECTED  # ... served: these


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/gradio_api/process_recording"), ("POST", "/gradio_api/upload"),
        ("GET", "/gradio_api/upload_progress"),
        ("GET", "/gradio_api/proxy=http://127.0.0.1:1/x"), ("GET", "/gradio_api/file=/etc/passwd"),
        ("GET", "/gradio_api/file/etc/passwd"), ("POST", "/gradio_api/vibe-edit"), ("GET", "/gradio_api/vibe-code"),
        ("GET", "/gradio_api/run-history/buckets"), ("GET", "/monitoring"), ("GET", "/monitoring/summary"),
        ("POST", "/login"), ("GET", "/logout"), ("GET", "/gradio_api/openapi.json"), ("POST", "/gradio_api/cancel"),
        ("GET", "/gradio_api/heartbeat/abc"), ("POST", "/gradio_api/call/chat"), ("GET", "/gradio_api/startup-events"),
        ("GET", "/manifest.json"), ("GET", "/svelte/x.js"), ("GET", "/assets/../../etc/passwd"), ("PUT", "/api/ask"),
        ("GET", "/docs"),
    ],
)
def test_other_routes_answer_404(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 404, (method, path, response.status_code)


@pytest.mark.parametrize(("method", "path"), [("GET", "/"), ("GET", "/config"), ("GET", "/healthz"),
                                              ("GET", "/gradio.js"), ("GET", "/gradio_api/info")])
def test_the_chats_routes_answer(client: TestClient, method: str, path: str) -> None:
    assert client.request(method, path).status_code == 200


def test_api_docs_are_served_when_turned_on(recording_assistant: Any) -> None:
    with TestClient(create_app(recording_assistant(), _settings(api_docs=True))) as docs_client:
        assert docs_client.get("/docs").status_code == 200


@pytest.mark.parametrize(
    "body",
    [b"not json", b"{}", json.dumps({"data": "x"}).encode(), json.dumps({"data": [1, 2, 3, 4, 5, 6, 7]}).encode(),
     json.dumps({"data": [None, None, None, None], "fn_index": 999}).encode(), json.dumps([1]).encode()],
    ids=["not-json", "empty", "data-not-a-list", "too-many-inputs", "unknown-function", "a-list"],
)
def test_malformed_gradio_calls_get_4xx(client: TestClient, body: bytes) -> None:
    response = client.post("/gradio_api/run/predict", content=body, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])


def test_gradio_temp_dir_is_set_before_gradio_is_imported(tmp_path: Path) -> None:
    script = ("import assistant.web, gradio.route_utils as r, gradio.screen_recording_utils as s; "
              "print(r.DEFAULT_TEMP_DIR); print(s.DEFAULT_TEMP_DIR)")
    environment = {key: value for key, value in os.environ.items() if key != "GRADIO_TEMP_DIR"}
    environment.update(ASSISTANT_DATA_DIR=str(tmp_path), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=environment, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    folders = done.stdout.split()
    assert folders and all(Path(folder).is_relative_to(tmp_path.resolve()) for folder in folders), folders
