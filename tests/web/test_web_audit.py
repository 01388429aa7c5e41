"""Who may send the trusted header, and the audit trail (issue 24 item 5).

- ASSISTANT_TRUSTED_PROXIES: the trusted user header admits a request only from those peers; from anyone else it
  is ignored (the bearer token still works).
- The audit log: one JSON line per request with who, when, the route and the answer's kind; never the question
  text, in the audit file or in any other log (HIPAA 164.312(b)), whichever way the question comes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings
from assistant.web import create_app
from assistant.web.middleware import TrustedPeers

MARKER = "zebra-7731-question-text"


def _settings(tmp_path: Path, **overrides: Any) -> Settings:
    base: dict[str, Any] = {"api_token": None, "cors_origins": [], "root_path": "", "trusted_user_header": None,
                            "audit_log": tmp_path / "logs" / "audit.log", "data_dir": tmp_path / "data"}
    return Settings(**{**base, **overrides})


@pytest.mark.parametrize(
    ("proxies", "peer", "admitted"),
    [
        pytest.param(["127.0.0.1"], "127.0.0.1", True, id="loopback-proxy"),
        pytest.param(["10.0.0.0/8"], "10.1.2.3", True, id="proxy-network"),
        pytest.param(["127.0.0.1", "::1"], "192.168.1.9", False, id="another-host-ignored"),
        pytest.param([], "127.0.0.1", False, id="no-trusted-proxy-ignored"),
        pytest.param(["::1"], "::1", True, id="ipv6-loopback"),
    ],
)
def test_trusted_header_only_from_trusted_peers(tmp_path: Path, recording_assistant: Any, proxies: list[str],
                                                peer: str, admitted: bool) -> None:
    settings = _settings(tmp_path, trusted_user_header="X-Portal-User", api_token="s3cret", trusted_proxies=proxies)
    app = create_app(recording_assistant(), settings)
    with TestClient(app, client=(peer, 50000)) as client:
        body = {"question": "subq 60 minutes"}
        response = client.post("/api/ask", json=body, headers={"X-Portal-User": "alice"})
        assert response.status_code == (200 if admitted else 401)
        # The token is honoured from anyone.
        assert client.post("/api/ask", json=body, headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_trusted_peers_match_addresses_and_networks() -> None:
    peers = TrustedPeers(["127.0.0.1", "10.0.0.0/8", "fd00::/8", "testclient"])
    assert [peers.contains(host) for host in ("127.0.0.1", "10.9.9.9", "fd00::1", "testclient")] == [True] * 4
    assert [peers.contains(host) for host in ("127.0.0.2", "11.0.0.1", "::1", "other", None)] == [False] * 5


def test_forwarded_for_is_applied_only_from_a_trusted_proxy(tmp_path: Path, recording_assistant: Any) -> None:
    """The audit line names the end user's address from a trusted proxy's X-Forwarded-For, and the real peer's
    address when an untrusted client sends one."""
    audit = tmp_path / "logs" / "audit.log"
    for peer, expected in (("127.0.0.1", "203.0.113.5"), ("198.51.100.7", "198.51.100.7")):
        app = create_app(recording_assistant(), _settings(tmp_path))
        with TestClient(app, client=(peer, 50000)) as client:
            client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.5"})
        lines = [json.loads(line) for line in audit.read_text().splitlines()]
        assert lines and lines[-1]["route"] == "/healthz"
        assert lines[-1]["client"] == expected and lines[-1]["peer"] == peer


def test_no_question_text_reaches_any_log(tmp_path: Path, recording_assistant: Any,
                                          caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(tmp_path, trusted_user_header="X-Portal-User", trusted_proxies=["testclient"])
    app = create_app(recording_assistant(), settings)
    caplog.set_level(logging.DEBUG)  # every logger, every level
    question = f"subq 60 minutes {MARKER}"
    with TestClient(app) as client:
        user = {"X-Portal-User": "alice"}
        assert client.post("/api/ask", json={"question": question, "history": [
            {"role": "user", "content": MARKER}]}, headers=user).status_code == 200
        chat = client.post("/gradio_api/run/chat", json={"data": [question, "", ""]}, headers=user)
        assert chat.status_code == 200, chat.text[:300]
        assert client.post(f"/api/ask?q={MARKER}", json={"question": question}).status_code == 401
        assert client.post("/api/ask", json={"question": question, "x": MARKER}, headers=user).status_code == 422
    audit = (tmp_path / "logs" / "audit.log").read_text()
    lines = [json.loads(line) for line in audit.splitlines()]
    # Every server-side record (the test's own HTTP client logs the URL it sends: not the server's log).
    server_side = [r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert server_side and MARKER not in audit and not [m for m in server_side if MARKER in m]
    for log_file in tmp_path.rglob("*.log*"):
        assert MARKER not in log_file.read_text(errors="replace"), log_file
    asked = [line for line in lines if line["route"] == "/api/ask" and line["status"] == 200]
    assert asked and asked[0]["who"] == "alice" and asked[0]["kind"] == "units"
    assert all(set(line) == {"at", "who", "peer", "client", "method", "route", "status", "kind"} for line in lines)
    assert any(line["route"] == "/gradio_api/run/chat" and line["kind"] == "units" for line in lines)
    assert any(line["status"] == 401 and line["who"] == "-" for line in lines)


def test_audit_log_rotates_daily_and_keeps_the_configured_days(tmp_path: Path, recording_assistant: Any) -> None:
    from logging.handlers import TimedRotatingFileHandler

    create_app(recording_assistant(), _settings(tmp_path, audit_log_days=30))
    handlers = [h for h in logging.getLogger("assistant.audit").handlers if isinstance(h, TimedRotatingFileHandler)]
    assert len(handlers) == 1
    assert handlers[0].when == "MIDNIGHT" and handlers[0].backupCount == 30 and handlers[0].utc
