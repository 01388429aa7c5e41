"""Starting the app: the embedding model warms up in the background while /healthz and units answers are served,
the ASGI factory for several workers, and the server's own handling of ASSISTANT_ROOT_PATH (issue 13 items 5, 6, 9).

Deterministic: the background warm-up is held on an Event the test controls, never a sleep."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings
from assistant.web.app import create_app, start_warm_up


class Retriever:
    def __init__(self, fail: bool = False) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.calls = 0
        self.fail = fail

    def warm_up(self) -> None:
        self.calls += 1
        self.started.set()
        self.release.wait(timeout=120)
        if self.fail:
            raise RuntimeError("model files missing")


def with_retriever(recording_assistant: type, retriever: Any) -> Any:
    fake = recording_assistant()
    fake.retriever = retriever
    return fake


def test_health_and_answers_are_served_while_the_model_warms_up(recording_assistant, make_settings) -> None:
    retriever = Retriever()
    fake = with_retriever(recording_assistant, retriever)
    thread = start_warm_up(fake)
    assert thread is not None and thread.daemon
    assert retriever.started.wait(timeout=120)
    client = TestClient(create_app(fake, make_settings()))
    assert client.get("/healthz").json()["status"] == "ok"  # the warm-up is still holding
    assert client.post("/api/ask", json={"question": "subq 2 hours"}).status_code == 200
    assert thread.is_alive()
    retriever.release.set()
    thread.join(timeout=120)
    assert not thread.is_alive() and retriever.calls == 1


def test_a_failed_warm_up_is_logged_not_raised(recording_assistant, caplog) -> None:
    retriever = Retriever(fail=True)
    retriever.release.set()
    with caplog.at_level(logging.ERROR):
        thread = start_warm_up(with_retriever(recording_assistant, retriever))
        assert thread is not None
        thread.join(timeout=120)
    assert "warm-up of the embedding model failed" in caplog.text


@pytest.mark.parametrize("retriever", [pytest.param(None, id="no-retriever"),
                                       pytest.param(object(), id="retriever-without-warm-up")])
def test_nothing_to_warm_up(recording_assistant, retriever: Any) -> None:
    assert start_warm_up(with_retriever(recording_assistant, retriever)) is None


def test_the_factory_builds_the_assistant_from_settings_and_warms_it(monkeypatch, recording_assistant) -> None:
    import assistant as package
    from assistant.web.app import create_app_from_settings

    retriever = Retriever()
    retriever.release.set()
    built: list[Settings] = []

    def from_settings(settings: Settings) -> Any:
        built.append(settings)
        return with_retriever(recording_assistant, retriever)

    monkeypatch.setattr(package.Assistant, "from_settings", staticmethod(from_settings))
    monkeypatch.setenv("ASSISTANT_FRAME_ANCESTORS", "'self' https://portal.example.org")
    app = create_app_from_settings()
    assert len(built) == 1 and built[0].frame_ancestors == "'self' https://portal.example.org"
    assert retriever.started.wait(timeout=120)
    response = TestClient(app).get("/healthz")
    assert response.headers["content-security-policy"].endswith("; frame-ancestors 'self' https://portal.example.org")


@pytest.mark.parametrize(("root_path", "prefix"), [pytest.param("", "", id="no-prefix"),
                                                   pytest.param("coding/", "/coding", id="prefix")])
def test_the_server_leaves_the_prefix_to_the_app(monkeypatch, recording_assistant, root_path: str,
                                                 prefix: str) -> None:
    """uvicorn's root_path would be prepended to a path whose proxy kept the prefix ("/coding/coding/...": 404);
    the app's RootPathMiddleware handles both kinds of proxy instead."""
    import assistant as package
    from assistant.web.server import build_server

    monkeypatch.setattr(package.Assistant, "from_settings",
                        staticmethod(lambda settings: with_retriever(recording_assistant, None)))
    server = build_server(Settings(root_path=root_path, port=0))
    assert server.config.root_path == ""
    assert server.prefix == prefix
