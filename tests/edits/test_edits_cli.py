"""The command line imports the real MUE table into the configured data directory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from assistant.edits import EditsStore
from assistant.edits.importers import import_mue
from assistant.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_cli_imports_mue(shared_data: Path, tmp_path: Path) -> None:
    """The CLI prints the summary; a store already open in this process (the web app) sees the new table."""
    settings = Settings(data_dir=tmp_path / "data")
    old = tmp_path / "mue_2026q1.csv"
    old.write_text("hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale\n96370,9,3,D,R\n")
    import_mue(old, settings, progress=False)
    store = EditsStore(tmp_path / "data" / "edits.sqlite3")
    assert store.mue("96370").value == 9
    environment = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "import", "mue", str(shared_data / "mue_practitioner_2026q2.csv")],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"Imported 15,095 MUE values \(2026 Q2\) from mue_practitioner_2026q2\.csv in \d+\.\d s\n", result.stdout
    )
    assert store.mue("96370").value == 3
    assert store.mue("96370").quarter == "2026 Q2"


def test_cli_reports_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "mue_2026q2.csv"
    bad.write_text("hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale\n96370,x,3,D,R\n")
    environment = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "import", "mue", str(bad)],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1
    assert f"{bad}, line 2: column practitioner_mue_value" in result.stderr
