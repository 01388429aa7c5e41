"""A running app picks up new imports and a new index generation without a restart (issue 24 item 6): after an
import in another process, the served Assistant is rebuilt (sharing the loaded model) and swapped whole; /healthz
says which releases and index generation it serves."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from assistant import Assistant
from assistant.corpus.importers.asp import import_asp
from assistant.settings import Settings
from assistant.web import create_app
from assistant.web.live import LiveAssistant


def _asp(folder: Path, name: str, dosage: str) -> Path:
    path = folder / name
    path.write_text(f"hcpcs_code,short_description,hcpcs_code_dosage\r\nJ2405,Ondansetron,{dosage}\r\n"
                    "J1559,Hizentra,100 MG\r\n", encoding="utf-8")
    return path


def _units(assistant: object, question: str) -> dict[str, int | None]:
    return {line.code: line.units for line in assistant.ask(question).codes}  # type: ignore[attr-defined]


def test_a_new_import_is_served_without_a_restart(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", api_token=None, trusted_user_header=None)
    files = tmp_path / "files"
    files.mkdir()
    import_asp(_asp(files, "asp_2026q1.csv", "1 MG"), settings)
    live = LiveAssistant(Assistant.from_settings(settings), check_seconds=0)
    first = live.current
    assert _units(live, "zofran 8 mg how many units").get("J2405") == 8
    assert live.check(wait=True) is False  # nothing changed on disk: nothing rebuilt
    # Another process imports the next quarter, where the billing unit is 4 mg (a made-up change).
    import_asp(_asp(files, "asp_2026q2.csv", "4 MG"), settings)
    assert live.check(wait=True) is True
    assert live.current is not first and live.reloads == 1
    assert _units(live, "zofran 8 mg how many units").get("J2405") == 2
    serving = live.health()["serving"]
    assert serving["imports"]["asp"]["release"] == "Q2 2026" and serving["reloads"] == 1


def test_healthz_says_what_it_serves(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", api_token=None, trusted_user_header=None)
    files = tmp_path / "files"
    files.mkdir()
    import_asp(_asp(files, "asp_2026q1.csv", "1 MG"), settings)
    with TestClient(create_app(Assistant.from_settings(settings), settings)) as client:
        body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["serving"]["imports"]["asp"] == {"release": "Q1 2026", "file": "asp_2026q1.csv",
                                                 "imported_at": body["serving"]["imports"]["asp"]["imported_at"]}
    assert "index" in body["serving"] and body["serving"]["reloads"] == 0
