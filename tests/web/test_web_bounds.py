"""The repros of issue 24 item 2 through the API: `/api/encounter` with `"minutes": 100000000` (a core busy for 11
minutes) and `/api/ask` with 400 nines in the question and the history get a clean answer at once: the numbers are
said to be out of range, nothing is coded, nothing is an error."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings
from assistant.web import create_app


@pytest.fixture(scope="module")
def client(assistant: Any) -> TestClient:
    settings = Settings(api_token=None, cors_origins=[], root_path="", trusted_user_header=None)
    return TestClient(create_app(assistant, settings))


def test_api_encounter_with_100_million_minutes_is_asked(client: TestClient) -> None:
    body = {"setting": "facility", "administrations": [
        {"substance": "rituximab", "route": "iv_infusion", "category": "chemotherapy", "minutes": 100_000_000}]}
    response = client.post("/api/encounter", json=body)
    assert response.status_code == 200, response.text[:300]
    result = response.json()["result"]
    assert result["lines"] == [] and any("outside the range" in q for q in result["questions"])


@pytest.mark.parametrize("history", [[], [{"role": "user", "content": "9" * 400 + " minutes"}]],
                         ids=["question", "question-and-history"])
def test_api_ask_with_400_nines(client: TestClient, history: list[dict[str, str]]) -> None:
    response = client.post("/api/ask", json={"question": "9" * 400 + " minutes", "history": history})
    assert response.status_code == 200
    answer = response.json()
    assert answer["route"] == "units" and answer["codes"] == [] and "outside the range" in answer["answer"]
    after = client.post("/api/ask", json={"question": "subq 60 minutes", "history": history}).json()
    assert after["route"] == "units" and [line["code"] for line in after["codes"]] == ["96369"]
