"""Releases kept across imports, the release in force on a date of service, PTP row dates, and changes reports.

The older releases here are DERIVED in the test from the shared 2026 Q2 files (rows changed, added and deleted,
then saved under a 2026 Q1 name): CMS's own Q1 files are not in ../shared/data.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.edits import FILENAME, EditsStore
from assistant.edits.changes import ChangesError, compare, report_markdown
from assistant.edits.history import EditsHistory
from assistant.edits.importers import import_mue, import_ptp
from assistant.edits.releases import Release, choose_release, quarter_dates
from assistant.settings import Settings

MUE_FILE = "mue_practitioner_2026q2.csv"


def _derive_older_mue(shared: Path, target: Path) -> dict[str, str]:
    """Q1 from the Q2 file: 96372's value changed, J9271 deleted (so it is 'added' in Q2), a made-up code added
    (so it is 'deleted' in Q2). Returns what was done, for the assertions."""
    text = (shared / MUE_FILE).read_text()
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    derived = []
    for row in body:
        if row[0] == "J9271":
            continue
        if row[0] == "96372":
            row = [row[0], str(int(row[1]) + 5), *row[2:]]
        derived.append(row)
    derived.append(["0999T", "1", "3", "Date of Service Edit: Clinical", "Clinical: Data"])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *derived])
    target.write_text(out.getvalue())
    return {"changed": "96372", "added": "J9271", "deleted": "0999T"}


@pytest.fixture(scope="module")
def two_mue(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    directory = tmp_path_factory.mktemp("mue-releases")
    settings = Settings(data_dir=directory)
    done = _derive_older_mue(shared_data, directory / "mue_practitioner_2026q1_derived.csv")
    import_mue(directory / "mue_practitioner_2026q1_derived.csv", settings, progress=False)
    import_mue(shared_data / MUE_FILE, settings, progress=False)
    return directory / FILENAME, done


def test_importing_a_newer_release_keeps_the_older(two_mue: tuple[Path, dict[str, str]]) -> None:
    path, _ = two_mue
    history = EditsHistory(path)
    assert [release.quarter for release in history.releases("mue")] == ["2026 Q1", "2026 Q2"]
    assert EditsStore(path).mue("96372").quarter == "2026 Q2"  # the undated look-up is the latest


@pytest.mark.parametrize(("day", "quarter", "outside"), [
    (date(2026, 3, 31), "2026 Q1", False), (date(2026, 4, 1), "2026 Q2", False),
    (date(2026, 1, 1), "2026 Q1", False), (date(2026, 7, 1), "2026 Q2", True), (None, "2026 Q2", False),
], ids=["day-before-q2", "first-day-q2", "first-day-q1", "after-q2", "no-date"])
def test_mue_on_a_date_uses_the_release_in_force(
    two_mue: tuple[Path, dict[str, str]], day: date | None, quarter: str, outside: bool
) -> None:
    path, done = two_mue
    q2_value = EditsStore(path).mue(done["changed"]).value
    entry, choice = EditsHistory(path).mue_on(done["changed"], day)
    assert entry is not None and entry.quarter == quarter
    assert entry.value == (q2_value + 5 if quarter == "2026 Q1" else q2_value)
    assert choice.outside is outside


def test_a_date_before_the_first_release_is_not_answered(two_mue: tuple[Path, dict[str, str]]) -> None:
    entry, choice = EditsHistory(two_mue[0]).mue_on("96372", date(2025, 12, 31))
    assert entry is None and "before the first loaded release (2026 Q1" in choice.note


def test_reimporting_the_same_quarter_keeps_no_copy(tmp_path: Path, shared_data: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    import_mue(shared_data / MUE_FILE, settings, progress=False)
    import_mue(shared_data / MUE_FILE, settings, progress=False)
    assert [release.quarter for release in EditsHistory(tmp_path / FILENAME).releases("mue")] == ["2026 Q2"]


def test_going_back_a_quarter_and_forward_again_keeps_one_copy_of_each(tmp_path: Path, shared_data: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    _derive_older_mue(shared_data, tmp_path / "mue_2026q1_derived.csv")
    import_mue(shared_data / MUE_FILE, settings, progress=False)
    import_mue(tmp_path / "mue_2026q1_derived.csv", settings, progress=False, force=True)  # back a quarter
    import_mue(shared_data / MUE_FILE, settings, progress=False)
    history = EditsHistory(tmp_path / FILENAME)
    assert [(r.quarter, r.table) for r in history.releases("mue")] == [("2026 Q1", "mue__2026q1"), ("2026 Q2", "mue")]


def test_changes_report_on_derived_releases(two_mue: tuple[Path, dict[str, str]]) -> None:
    path, done = two_mue
    report = compare(path, "mue")
    assert (report.older, report.newer) == ("2026 Q1", "2026 Q2")
    assert (report.added, report.deleted, report.changed) == (1, 1, 1)
    by_change = {change.change: change for change in report.rows}
    assert by_change["added"].key == (done["added"],)
    assert by_change["deleted"].key == (done["deleted"],)
    assert by_change["changed"].key == (done["changed"],) and "value" in by_change["changed"].differences
    assert "1 added, 1 deleted, 1 changed" in report_markdown(report)


def test_changes_report_pages_and_filters(two_mue: tuple[Path, dict[str, str]]) -> None:
    path, done = two_mue
    first, second = compare(path, "mue", page_size=2), compare(path, "mue", page=2, page_size=2)
    assert len(first.rows) == 2 and len(second.rows) == 1 and first.pages == 2
    only = compare(path, "mue", "2026q1", "2026 Q2", code=done["changed"])
    assert (only.added, only.deleted, only.changed) == (0, 0, 1)


@pytest.mark.parametrize(("kind", "older", "words"), [
    ("ptp", None, r"0 release\(s\) loaded"), ("mue", "2025 Q1", "release 2025 Q1 is not loaded"),
    ("hcpcs", None, "unknown kind"), ("mue", "spring", "not a quarter"),
], ids=["not-loaded", "unknown-release", "unknown-kind", "bad-quarter"])
def test_changes_refusals_say_why(two_mue: tuple[Path, dict[str, str]], kind: str, older: str | None,
                                  words: str) -> None:
    with pytest.raises(ChangesError, match=words):
        compare(two_mue[0], kind, older)


# --- PTP rows with their own dates (CMS layout) versus the derived layout ---------------------------------------
CMS_PTP = (
    "Copyright 2026 American Medical Association\n"
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\tModifier 0=not "
    "allowed 1=allowed 9=not applicable\tPTP Edit Rationale\n"
    "96413\t96360\t \t20100101\t*\t1\tStandards of medical / surgical practice\n"
    "96413\t96372\t \t20260215\t*\t1\tMisuse of column two code with column one code\n"
    "96413\t96374\t \t20100101\t20260310\t1\tStandards of medical / surgical practice\n"
)


@pytest.fixture
def dated_ptp(tmp_path: Path) -> tuple[EditsHistory, str]:
    settings = Settings(data_dir=tmp_path)
    (tmp_path / "ccipra_2026q1.txt").write_text(CMS_PTP)
    summary = import_ptp(tmp_path / "ccipra_2026q1.txt", settings, progress=False)
    return EditsHistory(tmp_path / FILENAME), summary


@pytest.mark.parametrize(("pair", "day", "in_force", "words"), [
    (("96413", "96372"), date(2026, 2, 14), False, "not yet in force"),
    (("96413", "96372"), date(2026, 2, 15), True, "effective 2026-02-15"),
    (("96413", "96374"), date(2026, 3, 9), True, "deletion date 2026-03-10"),
    (("96413", "96374"), date(2026, 3, 10), False, "deleted 2026-03-10"),
    (("96413", "96360"), date(2026, 3, 10), True, ""),
], ids=["before-effective", "on-effective", "before-deletion", "on-deletion", "whole-quarter"])
def test_ptp_row_dates_on_both_sides(dated_ptp: tuple[EditsHistory, str], pair: tuple[str, str], day: date,
                                     in_force: bool, words: str) -> None:
    history, summary = dated_ptp
    assert "2 edits with effective or deletion dates" in summary
    found = history.ptp_on(*pair, day)
    assert found.edit is not None and found.in_force is in_force and words in found.row_dates


def test_the_derived_layout_has_no_row_dates_and_says_so(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    (tmp_path / "ptp_2026q1_derived.csv").write_text(
        "column1,column2,modifier_indicator,ptp_edit_rationale\n96413,96372,1,Misuse of column two code\n")
    summary = import_ptp(tmp_path / "ptp_2026q1_derived.csv", settings, progress=False)
    assert "no effective/deletion dates" in summary
    found = EditsHistory(tmp_path / FILENAME).ptp_on("96413", "96372", date(2026, 2, 1))
    assert found.edit is not None and found.in_force and found.row_dates == ""


# --- the property: any date between two loaded releases uses the earlier one -----------------------------------
QUARTERS = [f"{year} Q{number}" for year in range(2024, 2028) for number in range(1, 5)]


@given(st.lists(st.sampled_from(QUARTERS), min_size=2, max_size=6, unique=True).map(sorted), st.data())
def test_any_date_between_two_releases_uses_the_earlier(quarters: list[str], data: st.DataObject) -> None:
    ordered = sorted(quarters, key=lambda quarter: quarter_dates(quarter)[0])
    releases = [Release("mue", quarter, "mue", "file", 1) for quarter in ordered]
    index = data.draw(st.integers(0, len(ordered) - 2))
    start, following = quarter_dates(ordered[index])[0], quarter_dates(ordered[index + 1])[0]
    day = start + timedelta(days=data.draw(st.integers(0, (following - start).days - 1)))
    choice = choose_release(releases, day)
    assert choice.release is not None and choice.release.quarter == ordered[index]


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31)))
def test_any_date_in_q1_uses_the_q1_release_of_the_store(two_mue: tuple[Path, dict[str, str]], day: date) -> None:
    """The same property through SQLite: two MUE releases loaded, every Q1 date answers from Q1."""
    entry, choice = EditsHistory(two_mue[0]).mue_on("96372", day)
    assert entry is not None and entry.quarter == "2026 Q1" and not choice.outside


# --- the command line -------------------------------------------------------------------------------------------
def test_changes_command_prints_the_report(two_mue: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(two_mue[0].parent))
    assert main(["changes", "mue", "--from", "2026 Q1", "--to", "2026q2", "--page-size", "2"]) == 0
    out = capsys.readouterr().out
    assert "1 added, 1 deleted, 1 changed" in out and "Page 1 of 2" in out
    assert main(["changes", "ptp"]) == 1
    assert "a comparison needs two" in capsys.readouterr().err


def test_import_pfs_command_with_a_quarter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    from .pfs_files import pfs_row, write_pfs

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    path = write_pfs(tmp_path / "pfs.csv", [pfs_row("27447")], title="Relative Value File")
    assert main(["import", "pfs", str(path)]) == 1
    assert "--quarter" in capsys.readouterr().err
    assert main(["import", "pfs", str(path), "--quarter", "2026 Q1"]) == 0
    assert "(2026 Q1 release)" in capsys.readouterr().out
    assert main(["import", "mue", str(path), "--quarter", "2026 Q1"]) == 1  # mue takes --quarter, refuses the file
