"""Imports that cannot shrink a table by accident (issue 12 item 8, issue 24): more than 5% fewer rows, or an older
quarter, is refused unless forced, with a message saying why; the loaded table stays."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.edits import EditsStore
from assistant.edits.importers import EditsImportError, ImportRefusedError, import_mue, import_ptp, import_ptp_oph
from assistant.settings import Settings

WriteTable = Callable[..., Path]  # the write_mue / write_ptp fixtures of conftest.py
REPO_ROOT = Path(__file__).resolve().parents[2]


def _mue_rows(count: int, value: int = 3) -> list[str]:
    return [f"{90000 + number:05d},{value},3,Date of Service Edit: Clinical,Clinical: Data" for number in range(count)]


def _ptp_rows(count: int) -> list[str]:
    return [f"{90000 + number:05d},96372,1,Rationale" for number in range(count)]


# Loaded: 20 rows. The boundary is a 5% drop: 19 rows are accepted, 18 (10% fewer) refused.
@pytest.mark.parametrize(
    ("rows", "force", "accepted"),
    [
        pytest.param(18, False, False, id="ten-percent-fewer-refused"),
        pytest.param(1, False, False, id="one-row-refused"),
        pytest.param(19, False, True, id="five-percent-fewer-accepted"),
        pytest.param(20, False, True, id="same-size-accepted"),
        pytest.param(25, False, True, id="larger-accepted"),
        pytest.param(1, True, True, id="shrinking-forced"),
    ],
)
def test_shrinking_mue_import(
    settings: Settings, store: EditsStore, write_mue: WriteTable, rows: int, force: bool, accepted: bool
) -> None:
    import_mue(write_mue("mue_2026q2.csv", _mue_rows(20)), settings, progress=False)
    new = write_mue("mue_2026q3.csv", _mue_rows(rows, value=7))
    if accepted:
        import_mue(new, settings, progress=False, force=force)
        assert store.info()["mue"]["rows"] == rows and store.mue("90000").value == 7
        return
    with pytest.raises(ImportRefusedError) as caught:
        import_mue(new, settings, progress=False)
    message = str(caught.value)
    assert (f"the file has {rows:,} MUE values, {100 * (20 - rows) / 20:.1f}% fewer than the 20 in the loaded "
            "practitioner MUE table") in message
    assert "mue_2026q2.csv" in message and "which stays" in message and "--force" in message
    assert isinstance(caught.value, EditsImportError) and isinstance(caught.value, ValueError)
    assert store.info()["mue"]["rows"] == 20 and store.mue("90000").value == 3  # the loaded table stays


@pytest.mark.parametrize(
    ("new_quarter", "force", "accepted"),
    [
        pytest.param("2026q1", False, False, id="older-refused"),
        pytest.param("2025q4", False, False, id="older-year-refused"),
        pytest.param("2026q2", False, True, id="same-quarter-accepted"),
        pytest.param("2026q3", False, True, id="newer-accepted"),
        pytest.param("2026q1", True, True, id="older-forced"),
    ],
)
def test_older_quarter_ptp_import(
    settings: Settings, store: EditsStore, write_ptp: WriteTable, new_quarter: str, force: bool, accepted: bool
) -> None:
    import_ptp(write_ptp("ptp_2026q2.csv", _ptp_rows(4)), settings, progress=False)
    new = write_ptp(f"ptp_{new_quarter}.csv", ["96369,96372,0,Rationale", *_ptp_rows(3)])
    if accepted:
        import_ptp(new, settings, progress=False, force=force)
        assert store.ptp("96369", "96372") is not None
        return
    with pytest.raises(ImportRefusedError, match=r"older than the loaded practitioner PTP table \(2026 Q2, "
                       r"ptp_2026q2\.csv, 4 rows\), which stays.*--force"):
        import_ptp(new, settings, progress=False)
    assert store.ptp("96369", "96372") is None and store.info()["ptp"]["quarter"] == "2026 Q2"


def test_unknown_quarters_are_not_compared(settings: Settings, store: EditsStore, write_mue: WriteTable) -> None:
    import_mue(write_mue("mue_2026q2.csv", _mue_rows(2)), settings, progress=False)
    import_mue(write_mue("mue.csv", _mue_rows(2, value=5)), settings, progress=False)  # no quarter: rows decide
    assert store.mue("90000").value == 5


def test_first_import_has_nothing_to_shrink(settings: Settings, store: EditsStore, write_mue: WriteTable) -> None:
    import_mue(write_mue("mue_2020q1.csv", _mue_rows(1)), settings, progress=False)
    assert store.info()["mue"]["rows"] == 1


def test_each_table_is_guarded_on_its_own(settings: Settings, store: EditsStore, write_ptp: WriteTable) -> None:
    """A small outpatient hospital table is not compared with the (large) practitioner one."""
    import_ptp(write_ptp("ptp_2026q2.csv", _ptp_rows(10)), settings, progress=False)
    import_ptp_oph(write_ptp("oph_ptp_2026q1.csv", _ptp_rows(1)), settings, progress=False)
    assert store.info()["ptp_oph"]["rows"] == 1 and store.info()["ptp"]["rows"] == 10


def test_refused_import_leaves_no_staging_table(settings: Settings, store: EditsStore, write_ptp: WriteTable) -> None:
    import_ptp(write_ptp("ptp_2026q2.csv", _ptp_rows(10)), settings, progress=False)
    with pytest.raises(ImportRefusedError):
        import_ptp(write_ptp("ptp_2026q3.csv", _ptp_rows(2)), settings, progress=False)
    import sqlite3

    with sqlite3.connect(store.path) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "ptp_staging" not in names
    import_ptp(write_ptp("ptp_2026q3.csv", _ptp_rows(2)), settings, progress=False, force=True)
    assert store.info()["ptp"]["rows"] == 2


def test_cli_refuses_then_force_imports(tmp_path: Path, write_mue: WriteTable) -> None:
    """`python -m assistant import mue FILE` prints why it refused (exit 1); `--force` imports it."""
    settings = Settings(data_dir=tmp_path / "data")
    import_mue(write_mue("mue_2026q2.csv", _mue_rows(10)), settings, progress=False)
    small = write_mue("mue_2026q3.csv", _mue_rows(3, value=9))
    environment = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "assistant", "import", "mue", str(small)]
    refused = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1
    assert "refused: the file has 3 MUE values, 70.0% fewer than the 10 in the loaded" in refused.stderr
    forced = subprocess.run([*command, "--force"], cwd=REPO_ROOT, env=environment, capture_output=True, text=True,
                            timeout=300)
    assert forced.returncode == 0, forced.stderr
    assert EditsStore(tmp_path / "data" / "edits.sqlite3").mue("90000").value == 9
