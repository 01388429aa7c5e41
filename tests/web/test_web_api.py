"""The JSON API and the portal settings, through FastAPI's TestClient.

Plumbing (auth, limits, CORS, root path, health) runs against a recording fake assistant; the contract shape is
also checked against the real Assistant once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.contract import Answer
from assistant.settings import Settings
from assistant.web import create_app
from assistant.web.logs import PathOnlyAccessFilter

PORTAL = "https://portal.example.org"
SUBQ = {"question": "how do I code 2.5 hours subq"}


@pytest.fixture(scope="module")
def shared_fake(recording_assistant: type) -> Any:
    return recording_assistant()


@pytest.fixture
def fake_assistant(shared_fake: Any) -> Any:
    """One fake for the module (apps are shared: building one takes about a second), its calls cleared per test."""
    shared_fake.calls.clear()
    return shared_fake


@pytest.fixture(scope="module")
def _apps() -> dict[tuple, Any]:
    return {}


@pytest.fixture
def client_for(
    fake_assistant: Any, make_settings: Callable[..., Settings], _apps: dict[tuple, Any]
) -> Callable[..., TestClient]:
    """A TestClient for an app with the given web settings; apps with equal settings are built once a module."""

    def make(**settings: Any) -> TestClient:
        key = tuple(sorted((name, repr(value)) for name, value in settings.items()))
        if key not in _apps:
            _apps[key] = create_app(fake_assistant, make_settings(**settings))
        return TestClient(_apps[key])

    return make


# --- the ask contract -----------------------------------------------------------------------------------------


def test_ask_returns_the_contract_answer_and_forwards_every_field(client_for, fake_assistant) -> None:
    body = {
        "question": "and for 3 hours?",
        "history": [{"role": "user", "content": "how do I code 2.5 hours subq"}, {"role": "assistant", "content": "x"}],
        "payer": "medicare",
        "setting": "facility",
    }
    response = client_for().post("/api/ask", json=body)
    assert response.status_code == 200
    answer = Answer.model_validate(response.json())
    assert answer.route == "units"
    assert [(line.code, line.units) for line in answer.codes] == [("96369", 1)]
    (call,) = fake_assistant.calls
    assert call["question"] == "and for 3 hours?"
    assert call["payer"] == "medicare" and call["setting"] == "facility"
    assert [(m.role, m.content) for m in call["history"]] == [("user", "how do I code 2.5 hours subq"),
                                                              ("assistant", "x")]


def test_real_assistant_answers_units_through_the_api(assistant, make_settings) -> None:
    client = TestClient(create_app(assistant, make_settings()))
    response = client.post("/api/ask", json=SUBQ)
    assert response.status_code == 200
    answer = Answer.model_validate(response.json())
    assert answer.route == "units"
    # 150 minutes: the first hour plus one additional hour (a second needs more than 30 min past 120: 151).
    assert {line.code: line.units for line in answer.codes} == {"96369": 1, "96370": 1}
    assert answer.citations, "a units answer names its sources"
    assert "| 96369 | 1 |" in answer.answer and "| 96370 | 1 |" in answer.answer


def test_openapi_documents_the_contract_models(client_for) -> None:
    schema = client_for().get("/openapi.json").json()
    operation = schema["paths"]["/api/ask"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AskRequest")
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Answer")
    assert {"AskRequest", "Answer", "CodeLine", "Message"} <= set(schema["components"]["schemas"])
    assert "/healthz" in schema["paths"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="no-question"),
        pytest.param({"question": 42}, id="question-not-text"),
        pytest.param({"question": "x", "payer": "aetna"}, id="unknown-payer"),
        pytest.param({"question": "x", "setting": "home"}, id="unknown-setting"),
        pytest.param({"question": "x", "history": [{"role": "system", "content": "y"}]}, id="bad-history-role"),
        pytest.param({"question": "x", "temperature": 1}, id="unknown-field"),
    ],
)
def test_malformed_body_is_422_and_never_reaches_the_assistant(client_for, fake_assistant, body) -> None:
    response = client_for().post("/api/ask", json=body)
    assert response.status_code == 422
    assert fake_assistant.calls == []


def test_body_that_is_not_json_is_422(client_for) -> None:
    response = client_for().post("/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422


# --- limits ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        pytest.param(True, 413, id="content-length-over-limit"),
        pytest.param(False, 413, id="chunked-over-limit"),
    ],
)
def test_oversized_body_is_413(client_for, fake_assistant, declared: bool, expected: int) -> None:
    client = client_for(max_body_bytes=1_000)
    payload = ('{"question": "' + "subq " * 400 + '"}').encode()
    assert len(payload) > 1_000
    if declared:
        response = client.post("/api/ask", content=payload, headers={"Content-Type": "application/json"})
    else:
        chunks = (payload[i : i + 256] for i in range(0, len(payload), 256))  # a generator: sent chunked
        response = client.post("/api/ask", content=chunks, headers={"Content-Type": "application/json"})
    assert response.status_code == expected
    assert "1,000-byte limit" in response.json()["detail"]
    assert fake_assistant.calls == []


def test_body_just_under_the_limit_is_answered(client_for) -> None:
    client = client_for(max_body_bytes=1_000)
    assert client.post("/api/ask", json={"question": "q" * 900}).status_code == 200


# --- bearer token ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({}, 401, id="no-token"),
        pytest.param({"Authorization": "Bearer wrong"}, 401, id="wrong-token"),
        pytest.param({"Authorization": "Basic czNjcmV0"}, 401, id="not-bearer"),
        pytest.param({"Authorization": "Bearer s3cret-token"}, 200, id="right-token"),
    ],
)
def test_api_token_is_required_when_set(client_for, fake_assistant, headers: dict, expected: int) -> None:
    response = client_for(api_token="s3cret-token").post("/api/ask", json=SUBQ, headers=headers)
    assert response.status_code == expected
    if expected == 401:
        assert response.headers["www-authenticate"] == "Bearer"
        assert fake_assistant.calls == []


def test_without_a_token_setting_the_api_is_open(client_for) -> None:
    assert client_for().post("/api/ask", json=SUBQ).status_code == 200


def test_healthz_needs_no_token(client_for) -> None:
    assert client_for(api_token="s3cret-token").get("/healthz").status_code == 200


# --- CORS -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        pytest.param(PORTAL, True, id="allowed-origin"),
        pytest.param("https://evil.example.com", False, id="other-origin"),
        pytest.param("https://portal.example.org.evil.com", False, id="lookalike-origin"),
    ],
)
def test_cors_headers_only_for_allowed_origins(client_for, origin: str, allowed: bool) -> None:
    client = client_for(cors_origins=[PORTAL], api_token="t0k")
    preflight = client.options(
        "/api/ask",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"},
    )
    post = client.post("/api/ask", json=SUBQ, headers={"Origin": origin, "Authorization": "Bearer t0k"})
    assert post.status_code == 200
    if allowed:
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == origin
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        assert post.headers["access-control-allow-origin"] == origin
    else:
        assert "access-control-allow-origin" not in preflight.headers
        assert "access-control-allow-origin" not in post.headers


def test_cors_headers_on_a_401_so_the_portal_can_read_it(client_for) -> None:
    response = client_for(cors_origins=[PORTAL], api_token="t0k").post("/api/ask", json=SUBQ,
                                                                       headers={"Origin": PORTAL})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == PORTAL


def test_no_cors_origins_means_no_cors_headers(client_for) -> None:
    response = client_for().post("/api/ask", json=SUBQ, headers={"Origin": PORTAL})
    assert "access-control-allow-origin" not in response.headers


# --- root path ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/coding/healthz", id="proxy-keeps-prefix"),
        pytest.param("/healthz", id="proxy-strips-prefix"),
    ],
)
def test_root_path_serves_with_or_without_the_prefix(client_for, path: str) -> None:
    response = client_for(root_path="/coding").get(path)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_root_path_puts_the_chat_and_api_docs_under_the_prefix(client_for) -> None:
    client = client_for(root_path="/coding/")
    config = client.get("/coding/config").json()
    assert config["root"] == "http://testserver/coding"
    page = client.get("/coding/")
    assert page.status_code == 200
    assert '"root":"http://testserver/coding"' in page.text.replace(" ", "")  # the page loads its API from there
    assert client.get("/openapi.json").json()["servers"] == [{"url": "/coding"}]
    assert client.post("/coding/api/ask", json=SUBQ).status_code == 200


def test_without_root_path_the_chat_is_at_the_site_root(client_for) -> None:
    config = client_for().get("/config").json()
    assert config["root"] == "http://testserver"


# --- health ---------------------------------------------------------------------------------------------------


def test_healthz_reports_what_the_assistant_exposes(client_for) -> None:
    body = client_for().get("/healthz").json()
    assert body == {"status": "ok", "index_loaded": True, "records": 7, "model": "fake-model"}


def test_healthz_is_503_when_the_assistant_health_fails(recording_assistant, make_settings) -> None:
    broken = recording_assistant(health_info=None)
    response = TestClient(create_app(broken, make_settings())).get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_healthz_of_the_real_assistant(assistant, make_settings) -> None:
    body = TestClient(create_app(assistant, make_settings())).get("/healthz").json()
    assert body["status"] == "ok" and body["index_loaded"] is True
    assert body["records"] == len(assistant.corpus) and body["records"] > 0
    assert body["indexed"] == body["records"]  # every record has its vector in the active generation
    assert body["model"]


def test_healthz_without_a_health_method(make_settings) -> None:
    class Bare:
        def ask(self, *args: Any, **kwargs: Any) -> Answer:
            return Answer(route="help", answer="help")

    body = TestClient(create_app(Bare(), make_settings())).get("/healthz").json()
    assert body == {"status": "ok", "index_loaded": True, "records": None, "model": None}


# --- privacy --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_path", "logged"),
    [
        pytest.param("/api/ask", "/api/ask", id="plain-path"),
        pytest.param("/gradio_api/queue/data?session_hash=abc", "/gradio_api/queue/data", id="query-dropped"),
        pytest.param("/?q=how+do+I+code+subq", "/", id="question-in-query-dropped"),
    ],
)
def test_access_log_keeps_the_path_only(full_path: str, logged: str) -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", full_path, "1.1", 200), None)
    assert PathOnlyAccessFilter().filter(record)
    assert record.getMessage() == f'127.0.0.1:5000 - "GET {logged} HTTP/1.1" 200'


def test_questions_and_answers_are_not_logged(client_for, caplog) -> None:
    secret = "patient Zebedee Quux 3 hours subq"
    with caplog.at_level(logging.DEBUG):
        response = client_for().post("/api/ask", json={"question": secret})
    assert response.status_code == 200
    assert "Zebedee" not in caplog.text
