"""Issue 13 items 1-4 and 8: one guard on every route, one body limit on every route, no file upload, security
headers, no CDN docs, the user's own words shown as text, and what the page says about long questions.

Plumbing against the recording fake assistant through FastAPI's TestClient (no server, no model).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given
from hypothesis import strategies as st

from assistant.contract import Answer
from assistant.settings import Settings
from assistant.web import create_app
from assistant.web.ui import (
    READING_MARK,
    escape_user_text,
    history_messages,
    render_reading,
    unescape_user_text,
)

TOKEN = "s3cret-token"
HEADER = "X-Portal-User"
SUBQ = {"question": "how do I code 2.5 hours subq"}


@pytest.fixture(scope="module")
def shared_fake(recording_assistant: type) -> Any:
    return recording_assistant()


@pytest.fixture(scope="module")
def _apps() -> dict[tuple, Any]:
    return {}


@pytest.fixture
def client_for(shared_fake: Any, make_settings: Callable[..., Settings], _apps: dict[tuple, Any]
               ) -> Callable[..., TestClient]:
    """A TestClient for an app with the given web settings; apps with equal settings are built once a module."""

    def make(**settings: Any) -> TestClient:
        key = tuple(sorted((name, repr(value)) for name, value in settings.items()))
        if key not in _apps:
            _apps[key] = create_app(shared_fake, make_settings(**settings))
        return TestClient(_apps[key])

    shared_fake.calls.clear()
    return make


def predict_body(question: str, history: list | None = None, fn_index: int = 0) -> dict[str, Any]:
    """The body the chat page posts for one turn (`queue=False`: one request, no queue)."""
    return {"data": [question, history or [], "cpt", "professional"], "fn_index": fn_index,
            "session_hash": "test-session", "event_data": None, "trigger_id": None}


# Every kind of route: the chat page, its config and Gradio API, the JSON API, the schema, the loader script, a
# path nobody serves (as a router added later by another tab would be: the guard is middleware, not per route).
GUARDED: list[tuple[str, str, dict | None]] = [
    ("GET", "/", None),
    ("GET", "/config", None),
    ("GET", "/gradio_api/info", None),
    ("POST", "/gradio_api/run/predict", predict_body("what is 96369")),
    ("POST", "/gradio_api/queue/join", predict_body("what is 96369")),
    ("POST", "/api/ask", SUBQ),
    ("GET", "/openapi.json", None),
    ("GET", "/gradio.js", None),
    ("GET", "/encounter/api/not-yet-a-route", None),
]

CREDENTIALS: dict[str, dict[str, str]] = {
    "none": {},
    "right-token": {"Authorization": f"Bearer {TOKEN}"},
    "wrong-token": {"Authorization": "Bearer wrong"},
    "basic-auth": {"Authorization": "Basic czNjcmV0"},
    "user-header": {HEADER: "coder@example.org"},
    "blank-header": {HEADER: "   "},
}

# (configured, credential) -> let in?   Either credential is enough where both are set.
GUARD_CASES = [
    ("token", "none", False), ("token", "right-token", True), ("token", "wrong-token", False),
    ("token", "basic-auth", False), ("token", "user-header", False),
    ("header", "none", False), ("header", "user-header", True), ("header", "blank-header", False),
    ("header", "right-token", False),
    ("both", "none", False), ("both", "right-token", True), ("both", "user-header", True),
    ("both", "wrong-token", False), ("both", "blank-header", False),
]
CONFIGS: dict[str, dict[str, Any]] = {
    "token": {"api_token": TOKEN},
    "header": {"trusted_user_header": HEADER},
    "both": {"api_token": TOKEN, "trusted_user_header": HEADER},
}


@pytest.mark.parametrize(("configured", "credential", "let_in"),
                         [pytest.param(*case, id=f"{case[0]}-set-{case[1]}") for case in GUARD_CASES])
@pytest.mark.parametrize(("method", "path", "body"), [pytest.param(*route, id=route[1]) for route in GUARDED])
def test_one_guard_on_every_route(client_for, configured: str, credential: str, let_in: bool,
                                  method: str, path: str, body: dict | None) -> None:
    client = client_for(**CONFIGS[configured])
    response = client.request(method, path, json=body, headers=CREDENTIALS[credential])
    if let_in:
        assert response.status_code != 401
    else:
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "requires" in response.json()["detail"]


@pytest.mark.parametrize("configured", list(CONFIGS))
def test_healthz_answers_without_credentials(client_for, configured: str) -> None:
    response = client_for(**CONFIGS[configured]).get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.parametrize("configured", list(CONFIGS))
def test_a_refused_request_never_reaches_the_assistant(client_for, shared_fake, configured: str) -> None:
    client = client_for(**CONFIGS[configured])
    assert client.post("/api/ask", json=SUBQ).status_code == 401
    assert client.post("/gradio_api/run/predict", json=predict_body("subq 2 hours")).status_code == 401
    assert shared_fake.calls == []


@pytest.mark.parametrize(("method", "path", "body"), [pytest.param(*route, id=route[1]) for route in GUARDED[:7]])
def test_without_credentials_configured_everything_is_open(client_for, method: str, path: str,
                                                           body: dict | None) -> None:
    assert client_for().request(method, path, json=body).status_code == 200


@pytest.mark.parametrize(("headers", "user"), [
    pytest.param({HEADER: "coder@example.org"}, "coder@example.org", id="header-names-the-user"),
    pytest.param({"Authorization": f"Bearer {TOKEN}"}, "api-token", id="token-user"),
])
def test_the_chat_knows_who_was_let_in(client_for, headers: dict, user: str) -> None:
    config = client_for(**CONFIGS["both"]).get("/config", headers=headers).json()
    assert config["username"] == user


def test_the_chat_answers_a_turn_with_either_credential(client_for, shared_fake) -> None:
    client = client_for(**CONFIGS["both"])
    for headers in (CREDENTIALS["right-token"], CREDENTIALS["user-header"]):
        response = client.post("/gradio_api/run/predict", json=predict_body("subq 2 hours"), headers=headers)
        assert response.status_code == 200
    assert [call["question"] for call in shared_fake.calls] == ["subq 2 hours", "subq 2 hours"]


# --- one body limit on every route; no upload ---------------------------------------------------------------

EIGHT_MB = 8 * 1024 * 1024


@pytest.mark.parametrize("path", ["/api/ask", "/gradio_api/run/predict", "/gradio_api/queue/join",
                                  "/gradio_api/upload", "/config"])
@pytest.mark.parametrize("declared", [pytest.param(True, id="content-length"), pytest.param(False, id="chunked")])
def test_an_8_mb_body_is_refused_on_every_route(client_for, shared_fake, path: str, declared: bool) -> None:
    client = client_for()  # the default limit
    assert Settings().max_body_bytes < EIGHT_MB
    payload = b'{"question": "' + b"x" * EIGHT_MB + b'"}'
    content: Any = payload if declared else (payload[i:i + 65536] for i in range(0, len(payload), 65536))
    response = client.post(path, content=content, headers={"Content-Type": "application/json"})
    if path.endswith("/upload") and not declared:
        assert response.status_code == 404  # refused before any of it is read: upload is turned off
    else:
        assert response.status_code == 413
        assert "byte limit" in response.json()["detail"]
    assert shared_fake.calls == []


@pytest.mark.parametrize(("size", "expected"), [
    pytest.param(999, 200, id="under-limit"), pytest.param(1_000, 200, id="at-limit"),
    pytest.param(1_001, 413, id="one-over"),
])
def test_chat_turn_body_limit_boundary(client_for, size: int, expected: int) -> None:
    client = client_for(max_body_bytes=1_000)
    import json

    base = json.dumps(predict_body("")).encode()
    padding = size - len(base)
    body = json.dumps(predict_body("q" * padding)).encode()
    assert len(body) == size
    response = client.post("/gradio_api/run/predict", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == expected


def test_file_upload_is_turned_off_and_writes_nothing(client_for, tmp_path: Path) -> None:
    client = client_for()
    temp = Path(Settings().resolved_data_dir / "gradio-tmp")
    before = sorted(temp.rglob("*")) if temp.exists() else []
    response = client.post("/gradio_api/upload", files={"files": ("note.txt", b"hello", "text/plain")})
    assert response.status_code == 404
    assert "upload is turned off" in response.json()["detail"]
    assert (sorted(temp.rglob("*")) if temp.exists() else []) == before


# --- security headers and docs --------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "settings", "status"), [
    pytest.param("GET", "/", {}, 200, id="chat-page"),
    pytest.param("GET", "/healthz", {}, 200, id="health"),
    pytest.param("POST", "/api/ask", {}, 200, id="api"),
    pytest.param("POST", "/api/ask", {"api_token": TOKEN}, 401, id="refusal-401"),
    pytest.param("POST", "/api/ask", {"max_body_bytes": 10}, 413, id="refusal-413"),
])
def test_security_headers_on_every_answer(client_for, method: str, path: str, settings: dict, status: int) -> None:
    response = client_for(**settings).request(method, path, json=SUBQ if method == "POST" else None)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["content-security-policy"].endswith("; frame-ancestors 'self'")
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_frame_ancestors_comes_from_the_setting(client_for) -> None:
    ancestors = "'self' https://portal.example.org"
    response = client_for(frame_ancestors=ancestors).get("/")
    assert response.headers["content-security-policy"].endswith(f"; frame-ancestors {ancestors}")
    assert "x-frame-options" not in response.headers


@pytest.mark.parametrize(("api_docs", "expected"), [pytest.param(False, 404, id="off-by-default"),
                                                    pytest.param(True, 200, id="on-by-setting")])
def test_swagger_docs_only_when_turned_on(client_for, api_docs: bool, expected: int) -> None:
    client = client_for(api_docs=api_docs)
    assert client.get("/docs").status_code == expected
    assert client.get("/openapi.json").status_code == 200  # the schema itself needs no CDN


def test_the_chat_page_loads_nothing_from_a_cdn(client_for) -> None:
    page = client_for().get("/").text
    for host in ("cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com", "gradio.s3", "huggingface.co"):
        assert host not in page


# --- the user's words are text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    pytest.param('<img src="http://127.0.0.1:9/pixel.png">', id="html-image"),
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param("![x](http://127.0.0.1:9/p.png)", id="markdown-image"),
    pytest.param("[click](javascript:alert(1))", id="markdown-link"),
    pytest.param("**bold** _it_ # heading", id="markdown-emphasis"),
    pytest.param("&lt;b&gt; stays as typed", id="typed-entities"),
])
def test_the_users_message_is_shown_escaped(client_for, shared_fake, typed: str) -> None:
    response = client_for().post("/gradio_api/run/predict", json=predict_body(typed))
    shown_user, shown_bot = response.json()["data"][1]
    text = shown_user["content"][0]["text"]
    assert "<" not in text and ">" not in text
    assert "](" not in text and "**" not in text
    assert unescape_user_text(text) == typed
    assert shared_fake.calls[-1]["question"] == typed, "the assistant gets the words as typed"


@given(st.text(max_size=200))
@example("\\*not bold\\*")
@example("&amp;")
@example("a\\")
def test_escaping_the_users_words_round_trips(typed: str) -> None:
    shown = escape_user_text(typed)
    assert "<" not in shown and ">" not in shown
    assert unescape_user_text(shown) == typed


def test_history_comes_back_as_typed_without_the_reading_trail() -> None:
    typed = "subq 2.5 hours <b>"
    history = [{"role": "user", "content": [{"type": "text", "text": escape_user_text(typed)}]},
               {"role": "assistant",
                "content": "**Report 96369 x1.**" + READING_MARK + "<summary>x</summary></details>"}]
    assert [(m.role, m.content) for m in history_messages(history)] == [("user", typed),
                                                                        ("assistant", "**Report 96369 x1.**")]


def test_the_reading_trail_is_collapsed_and_escaped() -> None:
    answer = Answer(route="units", answer="x")
    steps = [{"kind": "duration", "text": "2.5 <b>hours</b>", "value": "150 minutes"},
             {"kind": "payer", "text": "", "value": "CPT: the default"}]
    object.__setattr__(answer, "reading", steps)  # READ adds the field; the page reads it when present
    block = render_reading(answer)
    assert block.startswith(READING_MARK) and block.endswith("</details>")
    assert "<summary>How I read your question</summary>" in block
    assert "<b>" not in block and "&lt;b&gt;" in block
    assert "150 minutes" in block and "CPT rules \\(the default\\)" in block  # coders' words, Markdown-escaped


def test_no_reading_no_trail() -> None:
    assert render_reading(Answer(route="help", answer="x")) == ""


# --- long input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("length", "cut"), [pytest.param(2_000, False, id="at-limit"),
                                             pytest.param(2_001, True, id="one-over"),
                                             pytest.param(10_000, True, id="long-paste")])
def test_the_page_says_when_it_cut_a_long_question(client_for, shared_fake, length: int, cut: bool) -> None:
    question = ("subq 2 hours " * 1000)[:length]
    response = client_for(max_body_bytes=100_000).post("/gradio_api/run/predict", json=predict_body(question))
    notice = response.json()["data"][2]
    if cut:
        assert f"{length:,} characters; only the first 2,000 were read" in notice
    else:
        assert notice == ""
    assert shared_fake.calls[-1]["question"] == question  # the Assistant cuts, and warns in its answer too


def test_the_textbox_does_not_cut_a_paste_silently(client_for) -> None:
    config = client_for().get("/config").json()
    boxes = [c for c in config["components"] if c.get("props", {}).get("elem_id") == "ca-input"]
    assert boxes and boxes[0]["props"].get("max_length") in (None, 0)
