"""The chat's plumbing: the `/chat` endpoint (api_name="chat") with its payer/setting inputs, the conversation
history handed to the Assistant, the trusted-header identity and what is (not) written to disk."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings
from assistant.web import create_app
from assistant.web.ui import history_messages


@pytest.fixture(scope="module")
def chat_fake(recording_assistant: type) -> Any:
    return recording_assistant()


@pytest.fixture(scope="module")
def fake_live(chat_fake: Any, live_server_factory: Any) -> Iterator[Any]:
    """The app around the recording fake, served on loopback (gradio_client needs a real server)."""
    live = live_server_factory(create_app(chat_fake, Settings(api_token=None, cors_origins=[], root_path="")))
    yield live
    live.stop()


@pytest.mark.parametrize(
    ("payer", "setting"),
    [
        pytest.param("medicare", "facility", id="medicare-facility"),
        pytest.param("cpt", "professional", id="cpt-professional"),
    ],
)
def test_chat_endpoint_passes_payer_and_setting(fake_live, chat_fake, payer: str, setting: str) -> None:
    from gradio_client import Client

    chat_fake.calls.clear()
    client = Client(fake_live.url, verbose=False)
    reply = client.predict("how do I code 2.5 hours subq", payer, setting, api_name="/chat")
    assert "| 96369 | 1 |" in reply, "the answer's Markdown comes back unchanged"
    (call,) = chat_fake.calls
    assert (call["question"], call["payer"], call["setting"]) == ("how do I code 2.5 hours subq", payer, setting)
    assert call["history"] == []


def test_nothing_is_written_to_disk_or_logged(fake_live, chat_fake, caplog) -> None:
    from gradio_client import Client

    secret = "patient Zebedee Quux 3 hours subq"
    # Gradio's flagging and saved-history files would go to .gradio/ under the working directory.
    places = [Path.cwd() / ".gradio", Path(__file__).resolve().parents[2] / ".gradio"]
    before = [place.exists() for place in places]
    with caplog.at_level(logging.DEBUG):
        Client(fake_live.url, verbose=False).predict(secret, "cpt", "professional", api_name="/chat")
    assert chat_fake.calls[-1]["question"] == secret
    assert "Zebedee" not in caplog.text
    assert [place.exists() for place in places] == before, "no flagging or history directory is created"


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param([], [], id="empty"),
        pytest.param(
            [{"role": "user", "content": "2.5 hours subq"}, {"role": "assistant", "content": "**Report 96369 x1**"}],
            [("user", "2.5 hours subq"), ("assistant", "**Report 96369 x1**")],
            id="text-turns",
        ),
        pytest.param(
            [{"role": "user", "content": [{"type": "text", "text": "what about"},
                                          {"type": "text", "text": "3 hours"}]}],
            [("user", "what about 3 hours")],
            id="gradio-content-parts",
        ),
        pytest.param(
            [{"role": "system", "content": "x"}, {"role": "user", "content": "   "}, {"role": "user", "content": None},
             "not a message", {"role": "user", "content": {"path": "/tmp/file.png"}}],
            [],
            id="non-text-and-foreign-turns-skipped",
        ),
    ],
)
def test_history_messages(history: list, expected: list) -> None:
    assert [(m.role, m.content) for m in history_messages(history)] == expected


# --- trusted-header identity ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def header_client(recording_assistant: type) -> TestClient:
    settings = Settings(api_token=None, cors_origins=[], root_path="", trusted_user_header="X-Portal-User",
                        trusted_proxies=["testclient"])  # TestClient's peer stands for the portal's proxy
    return TestClient(create_app(recording_assistant(), settings))


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({}, 401, id="no-header"),
        pytest.param({"X-Portal-User": "  "}, 401, id="blank-header"),
        pytest.param({"X-Portal-User": "coder@example.org"}, 200, id="signed-in-user"),
    ],
)
def test_trusted_header_guards_the_chat(header_client: TestClient, headers: dict, expected: int) -> None:
    response = header_client.get("/config", headers=headers)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["username"] == "coder@example.org"


def test_trusted_header_guards_the_api_too_but_not_health(header_client: TestClient) -> None:
    assert header_client.get("/healthz").status_code == 200
    assert header_client.post("/api/ask", json={"question": "what is 96369"}).status_code == 401
    assert header_client.post("/api/ask", json={"question": "what is 96369"},
                              headers={"X-Portal-User": "coder@example.org"}).status_code == 200
