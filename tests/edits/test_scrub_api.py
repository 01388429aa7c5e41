"""`POST /api/scrub` (assistant/web/scrub.py) and `python -m assistant scrub` on small tables the tests write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.chat.edits_chat import scrub_lines
from assistant.edits import EditsStore
from assistant.edits.scrubber import ClaimLine, ScrubResult
from assistant.settings import Settings
from assistant.web.scrub import scrub_router

WriteTable = Callable[..., Path]
ImportTables = Callable[..., EditsStore]  # the import_tables fixture of conftest.py
REPO_ROOT = Path(__file__).resolve().parents[2]
MUE_ROWS = ["96372,4,3,Date of Service Edit: Clinical,Clinical: Data", "96376,0,3,Date of Service Edit: Clinical,P"]
PTP_ROWS = ["96372,99214,1,Standards of medical/surgical practice", "96374,96376,0,Misuse of Column Two code"]


@dataclass
class _Record:
    code: str
    title: str
    add_on_to: list[str] = field(default_factory=list)
    system: str = "CPT"


class _Corpus:
    """A corpus with one add-on record (96376, reported with 96374 or 96375)."""

    def __init__(self) -> None:
        self.records = [_Record("96376", "Each additional sequential IV push, same drug", ["96374", "96375"])]

    def get(self, code: str) -> _Record | None:
        return next((record for record in self.records if record.code == code), None)

    def __iter__(self):
        return iter(self.records)


@dataclass
class _Assistant:
    """What the scrub API reads of the assistant: `scrub(lines, setting)` (`Assistant.scrub`)."""

    edits: EditsStore
    corpus: _Corpus

    def scrub(self, lines: list[ClaimLine], setting: str) -> ScrubResult:
        return scrub_lines(lines, setting, self.edits, self.corpus)


@pytest.fixture
def client(settings: Settings, import_tables: ImportTables) -> TestClient:
    store = import_tables(MUE_ROWS, PTP_ROWS)
    app = FastAPI()
    app.include_router(scrub_router(_Assistant(store, _Corpus()), settings))
    return TestClient(app)


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param("99214-25, 96372, 96376", id="text"),
        pytest.param([{"code": "99214", "modifiers": ["25"]}, {"code": "96372"}, {"code": "96376", "units": 1}],
                     id="json-lines"),
    ],
)
def test_api_scrub(client: TestClient, lines: object) -> None:
    response = client.post("/api/scrub", json={"lines": lines})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["setting"] == "professional" and body["verdict"] == "deny"
    assert [(line["code"], line["verdict"]) for line in body["lines"]] == [
        ("99214", "pass"), ("96372", "pass"), ("96376", "deny")]
    assert "96376 is an add-on code reported without its primary (96374, 96375)" in json.dumps(body)
    assert "exceeds the MUE of 0" in json.dumps(body)
    assert any("practitioner MUE table, 2026 Q2" in c for c in body["citations"])
    assert "| 3 | 96376 | deny |" in body["answer"]


def test_api_scrub_facility_without_oph_tables(client: TestClient) -> None:
    body = client.post("/api/scrub", json={"lines": "96374, 96376", "setting": "facility"}).json()
    assert body["verdict"] != "pass" and "MUE of 0" not in json.dumps(body)
    assert any("outpatient hospital MUE table is not loaded" in note for note in body["notes"])


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        pytest.param({"lines": "nothing here"}, "no claim line found", id="no-line"),
        pytest.param({"lines": [{"code": "9921"}]}, "line 1: code '9921'", id="bad-code"),
        pytest.param({"lines": "96372", "setting": "office"}, "setting", id="bad-setting"),
        pytest.param({"lines": "96372", "extra": 1}, "extra", id="unknown-field"),
        pytest.param({"lines": ", ".join(["96372"] * 201)}, "at most 200", id="too-many-lines"),
    ],
)
def test_api_scrub_bad_input_is_422(client: TestClient, payload: dict, problem: str) -> None:
    response = client.post("/api/scrub", json=payload)
    assert response.status_code == 422
    assert problem in response.text


def test_cli_scrub(tmp_path: Path, settings: Settings, import_tables: ImportTables) -> None:
    """Text in, Markdown out (exit 1: a line needs a fix); --json FILE in, --output-json out; bad input exits 2."""
    import_tables(MUE_ROWS, PTP_ROWS)
    environment = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.resolved_data_dir)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant", "scrub", *args], cwd=REPO_ROOT, env=environment,
                              capture_output=True, text=True, timeout=300)

    text = run("99214, 96372 x5")
    assert text.returncode == 1, text.stderr
    assert "| 1 | 99214 | fix |" in text.stdout and "exceed the MUE of 4" in text.stdout
    lines = tmp_path / "claim.json"
    lines.write_text(json.dumps([{"code": "99214", "modifiers": ["25"]}, {"code": "96372", "units": 2}]))
    as_json = run("--json", str(lines), "--output-json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["verdict"] == "pass"
    bad = run("no codes")
    assert bad.returncode == 2 and "no claim line found" in bad.stderr
