"""Fixtures of the edits tests: the real CMS tables imported once per session, and small files written per test."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from assistant.edits import FILENAME, EditsStore
from assistant.edits.importers import import_mue, import_ptp
from assistant.settings import Settings

MUE_FILE = "mue_practitioner_2026q2.csv"
PTP_FILE = "ptp_practitioner_2026q2_cptcol1_derived.csv.gz"

MUE_HEADER = "hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale"
PTP_HEADER = "column1,column2,modifier_indicator,ptp_edit_rationale"


@pytest.fixture(scope="session")
def real_edits(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[EditsStore, dict[str, str]]:
    """The real 2026 Q2 MUE and 2.1M-row PTP tables, imported ONCE for the session (the PTP load takes ~10-40 s).

    Returns the store and the importers' summaries ({"mue": ..., "ptp": ...}).
    """
    settings = Settings(data_dir=tmp_path_factory.mktemp("real-edits"))
    summaries = {
        "mue": import_mue(shared_data / MUE_FILE, settings, progress=False),
        "ptp": import_ptp(shared_data / PTP_FILE, settings, progress=False),
    }
    return EditsStore(settings.resolved_data_dir / FILENAME), summaries


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose data directory is this test's own empty folder."""
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def store(settings: Settings) -> EditsStore:
    """A store on this test's (initially missing) edits database."""
    return EditsStore(settings.resolved_data_dir / FILENAME)


WriteTable = Callable[..., Path]


def _writer(tmp_path: Path, header: str) -> WriteTable:
    def write(name: str, rows: Sequence[str], *, compress: bool = False, header_line: str | None = header) -> Path:
        """Write `rows` (CSV lines) under `header` to tmp_path/name, gzip-compressed when asked; returns the path."""
        lines = ([header_line] if header_line is not None else []) + list(rows)
        data = ("\n".join(lines) + "\n").encode()
        path = tmp_path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(data) if compress else data)
        return path

    return write


@pytest.fixture
def write_mue(tmp_path: Path) -> WriteTable:
    """write_mue(name, ["96370,3,3,Date of Service Edit: Clinical,Clinical: Data", ...]) -> path."""
    return _writer(tmp_path, MUE_HEADER)


@pytest.fixture
def write_ptp(tmp_path: Path) -> WriteTable:
    """write_ptp(name, ["96369,96372,1,Misuse of column two code", ...], compress=False) -> path."""
    return _writer(tmp_path, PTP_HEADER)


ImportTables = Callable[[Sequence[str], Sequence[str]], EditsStore]


@pytest.fixture
def import_tables(settings: Settings, store: EditsStore, write_mue: WriteTable, write_ptp: WriteTable) -> ImportTables:
    """import_tables(mue_rows, ptp_rows) -> the store, with practitioner MUE and PTP files of 2026 Q2 holding those
    rows imported into this test's data directory."""

    def load(mue_rows: Sequence[str], ptp_rows: Sequence[str]) -> EditsStore:
        import_mue(write_mue("mue_2026q2.csv", mue_rows), settings, progress=False)
        import_ptp(write_ptp("ptp_2026q2.csv", ptp_rows), settings, progress=False)
        return store

    return load
