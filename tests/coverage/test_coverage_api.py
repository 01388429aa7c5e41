"""The coverage state as a request field: `POST /api/ask {"state": "TX"}` and `ask --jsonl` carry it to `ask`;
a request without it reaches an assistant that has no such parameter unchanged."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.chat.assistant import Assistant
from assistant.cli import run_jsonl
from assistant.contract import Answer
from assistant.corpus.loader import load_corpus
from assistant.coverage.importer import import_mcd
from assistant.settings import Settings
from assistant.web.api import api_router
from tests.coverage.layout import write_folder


@pytest.fixture(scope="module")
def coverage(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    work = tmp_path_factory.mktemp("coverage-api")
    settings = Settings(data_dir=work / "data")
    import_mcd(write_folder(work / "mcd"), settings)
    return Assistant(settings, load_corpus(settings), retriever=None, edits=None)


def client(assistant: Any) -> TestClient:
    app = FastAPI()
    app.include_router(api_router(assistant, Settings()))
    return TestClient(app)


def test_api_state_field_answers_for_that_states_mac(coverage: Assistant) -> None:
    response = client(coverage).post("/api/ask", json={"question": "is J1439 covered for D50.9", "state": "TX"})
    assert response.status_code == 200 and "Novitas" in response.json()["answer"]


def test_api_without_state_keeps_an_assistant_without_the_parameter_working() -> None:
    class Plain:
        def ask(self, question: str, history: Any = None, payer: Any = None, setting: Any = None) -> Answer:
            return Answer(route="help", answer=f"plain {question}")

    response = client(Plain()).post("/api/ask", json={"question": "hello"})
    assert response.status_code == 200 and response.json()["answer"] == "plain hello"


def test_api_rejects_an_overlong_state(coverage: Assistant) -> None:
    response = client(coverage).post("/api/ask", json={"question": "x", "state": "T" * 41})
    assert response.status_code == 422


def test_jsonl_state_field(coverage: Assistant) -> None:
    out = io.StringIO()
    run_jsonl(coverage, io.StringIO(json.dumps({"question": "which diagnoses cover 93880", "state": "FL"}) + "\n"), out)
    assert "First Coast" in json.loads(out.getvalue())["answer"]


def test_cli_imports_a_folder_and_reports_a_bad_file_with_its_line(tmp_path: Path, monkeypatch, capsys) -> None:
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    assert main(["import", "mcd", str(write_folder(tmp_path / "mcd"))]) == 0
    assert "4 articles" in capsys.readouterr().out
    bad = write_folder(tmp_path / "bad", replace={"state_lookup": "state_id,state_abbrev\r\nx,TX\r\n"})
    assert main(["import", "mcd", str(bad)]) == 1
    assert "state_lookup.csv: line 2: state_id should be a whole number" in capsys.readouterr().err
