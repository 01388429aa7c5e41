"""Importing MUE and PTP files: quarters, malformed rows, atomic replacement, crashes, gzip and plain CSV."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.edits import EditsStore
from assistant.edits import importers as importers_module
from assistant.edits.importers import EditsImportError, import_mue, import_ptp, parse_quarter
from assistant.settings import Settings

WriteTable = Callable[..., Path]  # the write_mue / write_ptp fixtures of conftest.py
REPO_ROOT = Path(__file__).resolve().parents[2]

OLD_PTP = ["96369,96372,1,CPT Manual or CMS manual coding instruction", "96360,96372,0,Mutually exclusive procedures"]
NEW_PTP = ["96365,96372,0,Misuse of Column Two code with Column One code"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("mue_practitioner_2026q2.csv", "2026 Q2", id="shared-file-name"),
        pytest.param("ptp_practitioner_2026q2_cptcol1_derived.csv.gz", "2026 Q2", id="gzip-name"),
        pytest.param("PTP-2025-Q4.csv", "2025 Q4", id="dash-upper-case"),
        pytest.param("2026 Q1", "2026 Q1", id="explicit-spelled-out"),
        pytest.param("mue_q3_2026.csv", "2026 Q3", id="quarter-before-year"),
        pytest.param("mue_2026q5.csv", None, id="no-fifth-quarter"),
        pytest.param("mue_practitioner.csv", None, id="no-quarter"),
        pytest.param("v12026q2.csv", None, id="year-inside-a-longer-number"),
    ],
)
def test_parse_quarter(text: str, expected: str | None) -> None:
    assert parse_quarter(text) == expected


def test_explicit_quarter_wins_over_file_name(settings: Settings, store: EditsStore, write_mue: WriteTable) -> None:
    path = write_mue("mue_2026q2.csv", ["96370,3,3,Date of Service Edit: Clinical,Clinical: Data"])
    summary = import_mue(path, settings, quarter="2026q3", progress=False)
    assert "(2026 Q3)" in summary
    assert store.info()["mue"]["quarter"] == "2026 Q3"
    assert store.mue("96370").quarter == "2026 Q3"


def test_bad_explicit_quarter_is_refused(settings: Settings, write_mue: WriteTable) -> None:
    path = write_mue("mue.csv", ["96370,3,3,Date of Service Edit: Clinical,Clinical: Data"])
    with pytest.raises(ValueError, match="not a quarter"):
        import_mue(path, settings, quarter="spring", progress=False)


def test_unknown_quarter_is_recorded_as_unknown(settings: Settings, store: EditsStore, write_mue: WriteTable) -> None:
    path = write_mue("mue.csv", ["96370,3,3,Date of Service Edit: Clinical,Clinical: Data"])
    assert "(quarter unknown)" in import_mue(path, settings, progress=False)
    assert store.mue("96370").quarter is None


@pytest.mark.parametrize("compress", [pytest.param(False, id="plain-csv"), pytest.param(True, id="gzip")])
def test_ptp_plain_and_gzip(settings: Settings, store: EditsStore, write_ptp: WriteTable, compress: bool) -> None:
    path = write_ptp("ptp_2026q2.csv" + (".gz" if compress else ""), OLD_PTP, compress=compress)
    summary = import_ptp(path, settings, progress=False)
    assert summary.startswith(f"Imported 2 PTP edits (2026 Q2) from {path.name} in ")
    assert store.ptp("96372", "96360").modifier_indicator == 0


def test_gzip_without_gz_name_is_still_read(settings: Settings, store: EditsStore, write_ptp: WriteTable) -> None:
    path = write_ptp("ptp_2026q2.csv", OLD_PTP, compress=True)  # told by its bytes, not its name
    import_ptp(path, settings, progress=False)
    assert store.has_ptp


def test_reimport_replaces_rather_than_appends(settings: Settings, store: EditsStore, write_ptp: WriteTable) -> None:
    import_ptp(write_ptp("ptp_2026q1.csv", OLD_PTP), settings, progress=False)
    # force: the new file has half the rows (the shrink guard is tested in test_edits_guard.py)
    import_ptp(write_ptp("ptp_2026q2.csv", NEW_PTP), settings, progress=False, force=True)
    assert store.ptp("96369", "96372") is None  # only in the old file
    assert store.ptp("96365", "96372").quarter == "2026 Q2"
    info = store.info()["ptp"]
    assert (info["rows"], info["source"], info["quarter"]) == (1, "ptp_2026q2.csv", "2026 Q2")


def test_mue_reimport_keeps_ptp(
    settings: Settings, store: EditsStore, write_mue: WriteTable, write_ptp: WriteTable
) -> None:
    import_ptp(write_ptp("ptp_2026q2.csv", OLD_PTP), settings, progress=False)
    import_mue(write_mue("mue_2026q2.csv", ["96370,3,3,Date of Service Edit: Clinical,Clinical: Data"]), settings)
    import_mue(write_mue("mue_2026q3.csv", ["96370,4,3,Date of Service Edit: Clinical,Clinical: Data"]), settings)
    assert store.mue("96370").value == 4
    assert store.ptp("96369", "96372") is not None
    assert set(store.info()) == {"mue", "ptp"}


def test_rationales_survive_reimport_with_new_sentences(
    settings: Settings, store: EditsStore, write_ptp: WriteTable
) -> None:
    import_ptp(write_ptp("ptp_2026q1.csv", OLD_PTP), settings, progress=False)
    rows = ["96369,96372,1,A new sentence", "96360,96372,0,Mutually exclusive procedures"]
    import_ptp(write_ptp("ptp_2026q2.csv", rows), settings, progress=False)
    assert store.ptp("96369", "96372").rationale == "A new sentence"
    assert store.ptp("96360", "96372").rationale == "Mutually exclusive procedures"


# Each bad row sits on line 4 (header, two good rows, then it); the message must name file, line and problem.
@pytest.mark.parametrize(
    ("bad_row", "problem"),
    [
        pytest.param("96369,9637,1,Short code", "not a 5-character", id="four-digit-code"),
        pytest.param("96369,96374,2,Unknown indicator", "modifier indicator", id="indicator-2"),
        pytest.param("96369,96374,,Empty indicator", "modifier indicator", id="indicator-empty"),
        pytest.param("96369,96374", "2 field(s) where 4 are expected", id="too-few-fields"),
        pytest.param('96369,96374,1,"unclosed quote', "unreadable data", id="unclosed-quote"),
    ],
)
def test_malformed_ptp_row_names_file_and_line_and_keeps_old_table(
    settings: Settings, store: EditsStore, write_ptp: WriteTable, bad_row: str, problem: str
) -> None:
    import_ptp(write_ptp("ptp_2026q1.csv", OLD_PTP), settings, progress=False)
    bad = write_ptp("ptp_2026q2.csv", [*NEW_PTP, "96366,96372,0,Fine", bad_row])
    with pytest.raises(EditsImportError) as caught:
        import_ptp(bad, settings, progress=False)
    message = str(caught.value)
    assert str(bad) in message and problem in message
    assert caught.value.line == 4 and "line 4" in message
    assert store.ptp("96369", "96372").quarter == "2026 Q1"  # the old table still answers
    assert store.ptp("96365", "96372") is None
    assert store.info()["ptp"]["source"] == "ptp_2026q1.csv"


@pytest.mark.parametrize(
    ("bad_row", "problem"),
    [
        pytest.param("96370,three,3,Date of Service Edit: Clinical,Clinical: Data", "whole number", id="value-word"),
        pytest.param("96370,-1,3,Date of Service Edit: Clinical,Clinical: Data", "whole number", id="value-negative"),
        pytest.param("96370,3,4,Date of Service Edit: Clinical,Clinical: Data", "(1, 2 or 3)", id="mai-4"),
        pytest.param("96371,1,3,Date of Service Edit: Clinical,Clinical: Data", "listed twice", id="duplicate-code"),
    ],
)
def test_malformed_mue_row_names_file_and_line(
    settings: Settings, store: EditsStore, write_mue: WriteTable, bad_row: str, problem: str
) -> None:
    import_mue(write_mue("mue_2026q1.csv", ["96372,4,3,Date of Service Edit: Clinical,Clinical: Data"]), settings)
    good = ["96371,2,3,Date of Service Edit: Clinical,Clinical: Data", "96369,1,2,Date of Service Edit: Policy,CPT"]
    bad = write_mue("mue_2026q2.csv", [*good, bad_row])
    with pytest.raises(EditsImportError, match=rf"mue_2026q2\.csv, line 4: .*{problem}".replace("(", r"\(").replace(
        ")", r"\)"
    )):
        import_mue(bad, settings, progress=False)
    assert store.mue("96372").value == 4
    assert store.mue("96371") is None


def test_duplicate_pair_across_batches_names_its_line(
    settings: Settings, store: EditsStore, write_ptp: WriteTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers_module, "BATCH_ROWS", 2)
    rows = [f"9636{digit},96372,1,Rationale" for digit in range(5)] + ["96361,96372,0,Again"]
    with pytest.raises(EditsImportError, match=r"line 7: 96361, 96372 is listed twice"):
        import_ptp(write_ptp("ptp_2026q2.csv", rows), settings, progress=False)
    assert not store.has_ptp


@pytest.mark.parametrize(
    ("header", "rows", "problem"),
    [
        pytest.param(None, [], "line 1: no column 'column1'", id="empty-file"),
        pytest.param("column1,column2,modifier_indicator,ptp_edit_rationale", [], "no PTP edits", id="header-only"),
        pytest.param(
            "hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale",
            ["96370,3,3,Date of Service Edit: Clinical,Clinical: Data"],
            "is this the CMS PTP file",
            id="mue-file-given-as-ptp",
        ),
    ],
)
def test_files_that_are_not_ptp_tables(
    settings: Settings, write_ptp: WriteTable, header: str | None, rows: list[str], problem: str
) -> None:
    with pytest.raises(EditsImportError, match=problem):
        import_ptp(write_ptp("ptp_2026q2.csv", rows, header_line=header), settings, progress=False)


def test_missing_file_is_a_value_error(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        import_ptp(tmp_path / "nowhere.csv", settings, progress=False)


def test_interrupted_import_keeps_old_table(
    settings: Settings, store: EditsStore, write_ptp: WriteTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C in the middle of a load (after some batches reached the staging table) leaves the old table."""
    import_ptp(write_ptp("ptp_2026q1.csv", OLD_PTP), settings, progress=False)
    monkeypatch.setattr(importers_module, "BATCH_ROWS", 2)
    batches: list[int] = []

    def interrupt_on_third_batch(rows: int) -> None:
        batches.append(rows)
        if len(batches) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(importers_module, "_after_batch", interrupt_on_third_batch)
    rows = [f"963{number:02d},96372,0,Rationale" for number in range(40, 50)]
    with pytest.raises(KeyboardInterrupt):
        import_ptp(write_ptp("ptp_2026q2.csv", rows), settings, progress=False)
    assert batches == [2, 4, 6]
    assert store.ptp("96369", "96372").quarter == "2026 Q1"
    assert store.ptp("96340", "96372") is None
    assert store.info()["ptp"]["rows"] == 2
    # And the next import works: no lock or staging table left behind.
    monkeypatch.setattr(importers_module, "_after_batch", lambda rows: None)
    import_ptp(write_ptp("ptp_2026q2.csv", rows), settings, progress=False)
    assert store.info()["ptp"]["rows"] == 10


_CRASH_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from assistant.edits import importers
    from assistant.settings import Settings

    importers.BATCH_ROWS = 2

    def crash(rows: int) -> None:
        if rows >= 6:
            os.kill(os.getpid(), signal.SIGKILL)  # no clean-up of any kind: as if the machine stopped

    importers._after_batch = crash
    importers.import_ptp(Path(sys.argv[1]), Settings(data_dir=Path(sys.argv[2])), progress=False)
    """
)


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="needs SIGKILL")
def test_killed_import_keeps_old_table(
    settings: Settings, store: EditsStore, write_ptp: WriteTable, tmp_path: Path
) -> None:
    """A process killed mid-import (SIGKILL) leaves the previous table answering and the database usable."""
    import_ptp(write_ptp("ptp_2026q1.csv", OLD_PTP), settings, progress=False)
    assert store.ptp("96369", "96372") is not None  # a reader connection is open across the crash
    rows = [f"963{number:02d},96372,0,Rationale" for number in range(40, 50)]
    new_file = write_ptp("ptp_2026q2.csv", rows)
    result = subprocess.run(
        [sys.executable, "-c", _CRASH_SCRIPT, str(new_file), str(settings.resolved_data_dir)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == -9, result.stderr
    assert store.ptp("96369", "96372").quarter == "2026 Q1"
    assert store.ptp("96340", "96372") is None
    assert EditsStore(store.path).info()["ptp"]["source"] == "ptp_2026q1.csv"  # a fresh reader too
    import_ptp(new_file, settings, progress=False)
    assert store.ptp("96340", "96372") is not None


def test_truncated_gzip_names_the_file(settings: Settings, write_ptp: WriteTable) -> None:
    path = write_ptp("ptp_2026q2.csv.gz", [f"963{number:02d},96372,0,Rationale" for number in range(60)], compress=True)
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(EditsImportError, match=r"ptp_2026q2\.csv\.gz, line \d+: unreadable data"):
        import_ptp(path, settings, progress=False)


def test_progress_bar_goes_to_stderr(
    settings: Settings, write_ptp: WriteTable, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = import_ptp(write_ptp("ptp_2026q2.csv", OLD_PTP), settings)
    captured = capsys.readouterr()
    assert summary not in captured.err and captured.out == ""
    assert "PTP ptp_2026q2.csv" in captured.err and "100%" in captured.err


@pytest.mark.parametrize(
    ("header", "row", "value", "mai", "mai_description"),
    [
        pytest.param(
            "HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale",
            "96370,3,3 Date of Service Edit: Clinical,Clinical: Data",
            3, 3, "Date of Service Edit: Clinical",
            id="cms-spreadsheet-headers-mai-with-words",
        ),
        pytest.param(
            " HCPCS_CPT_CODE , Practitioner_MUE_Value ,MAI,MAI Description,MUE Rationale",
            "96370,2,2,Date of Service Edit: Policy,Policy",
            2, 2, "Date of Service Edit: Policy",
            id="upper-case-and-spaces",
        ),
    ],
)
def test_mue_header_spellings(
    settings: Settings, store: EditsStore, write_mue: WriteTable, header: str, row: str, value: int, mai: int,
    mai_description: str,
) -> None:
    import_mue(write_mue("mue_2026q2.csv", [row], header_line=header), settings, progress=False)
    entry = store.mue("96370")
    assert (entry.value, entry.mai) == (value, mai)
    assert entry.mai_description.startswith(mai_description)
