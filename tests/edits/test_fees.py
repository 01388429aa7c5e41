"""The PFS Relative Value File: indicator meanings, import guards, releases kept and chosen by date of service."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from assistant.edits import FILENAME
from assistant.edits.fee_indicators import INDICATORS, describe
from assistant.edits.fees import FeeStore, import_pfs, release_quarter
from assistant.edits.importers import EditsImportError, ImportRefusedError
from assistant.settings import Settings

from .pfs_files import pfs_row, write_pfs

PFS_FILE = "pprrvu_2025_oct_cpt_desc_removed.csv"

# --- indicator meanings: every value of every table, and the unknown value ----------------------------------
INDICATOR_ROWS = [
    ("status", "A", "paid separately"), ("status", "B", "bundled"), ("status", "E", "excluded"),
    ("status", "I", "not valid for Medicare"), ("status", "N", "not covered"), ("status", "T", "injection"),
    ("status", "X", "statutory exclusion"), ("status", "J", "anesthesia"), ("status", "M", "measurement"),
    ("status", "C", "contractor priced"), ("status", "R", "restricted coverage"), ("status", "P", "bundled or excl"),
    ("pctc", "0", "26 and TC do not apply"), ("pctc", "1", "26 (interpretation) or TC"),
    ("pctc", "2", "professional component only"), ("pctc", "3", "technical component only"),
    ("pctc", "4", "global test only"), ("pctc", "9", "does not apply"),
    ("global_days", "000", "0-day"), ("global_days", "010", "10-day"), ("global_days", "090", "pre-op day 1"),
    ("global_days", "090", "24 (unrelated), 25 (separate, same day) or 57"), ("global_days", "XXX", "does not apply"),
    ("global_days", "ZZZ", "global period of the primary"), ("global_days", "YYY", "contractor"),
    ("global_days", "MMM", "maternity"),
    ("mult_proc", "0", "no multiple procedure reduction"), ("mult_proc", "2", "each other at 50%"),
    ("mult_proc", "3", "endoscop"), ("mult_proc", "4", "imaging"),
    ("bilateral", "0", "modifier 50 is not appropriate"), ("bilateral", "1", "150%"),
    ("bilateral", "2", "already bilateral"), ("bilateral", "3", "each side is paid at 100%"),
    ("bilateral", "9", "does not apply"),
    ("assistant", "0", "documentation"), ("assistant", "1", "may not be paid"), ("assistant", "2", "may be paid"),
    ("co_surgeons", "0", "not permitted"), ("co_surgeons", "1", "documentation"), ("co_surgeons", "2", "permitted"),
    ("team", "0", "not permitted"), ("team", "2", "by report"),
    ("supervision", "02", "direct supervision"), ("supervision", "09", "does not apply"),
]


@pytest.mark.parametrize(("column", "value", "words"), INDICATOR_ROWS,
                         ids=[f"{c}-{v}-{w[:12]}" for c, v, w in INDICATOR_ROWS])
def test_indicator_value_has_its_meaning_and_a_source(column: str, value: str, words: str) -> None:
    indicator = describe(column, value)
    assert words in indicator.meaning
    assert indicator.source


@pytest.mark.parametrize("column", sorted(INDICATORS))
def test_an_unknown_indicator_value_says_so_instead_of_guessing(column: str) -> None:
    assert "not in the CMS record layout" in describe(column, "Q7").meaning


# --- the release ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("preamble", "name", "quarter"), [
    (["2025 National Physician Fee Schedule Relative Value File October Release"], "x.csv", "2025 Q4"),
    (["2026 National Physician Fee Schedule Relative Value File January Release"], "x.csv", "2026 Q1"),
    ([""], "PPRRVU25_JUL.csv", "2025 Q3"), ([""], "rvu26b.csv", "2026 Q2"), ([""], "pfs_2026q1.csv", "2026 Q1"),
    ([""], "pfs.csv", None),
], ids=["title-october", "title-january", "name-jul", "name-rvu26b", "name-quarter", "none"])
def test_release_quarter_from_title_or_file_name(preamble: list[str], name: str, quarter: str | None) -> None:
    assert release_quarter(preamble, name) == quarter


# --- import ---------------------------------------------------------------------------------------------------
def test_real_file_imports_every_row_and_keeps_the_facts(shared_data: Path, settings: Settings) -> None:
    summary = import_pfs(shared_data / PFS_FILE, settings)
    assert "19,090 PFS rows (2025 Q4 release)" in summary
    store = FeeStore(settings.resolved_data_dir / FILENAME)
    knee = store.fee("27447")
    assert knee is not None
    assert (knee.status, knee.global_days, knee.bilateral, knee.assistant, knee.pctc) == ("A", "090", "1", "2", "0")
    assert knee.national_payment(facility=True) == round(knee.total_rvu(True) * knee.conversion_factor, 2)
    assert knee.national_payment(facility=False) is None  # non-facility PE is NA for a total knee
    assert [row.modifier for row in store.modifiers("71046")] == ["", "26", "TC"]
    assert store.fee("J9271").status == "E"


def test_no_description_is_ever_stored(shared_data: Path, settings: Settings) -> None:
    import_pfs(shared_data / PFS_FILE, settings)
    with sqlite3.connect(settings.resolved_data_dir / FILENAME) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(pfs)")]
    assert columns and not any("desc" in column for column in columns)


@pytest.mark.parametrize(("bad", "words"), [
    (pfs_row("2744"), "not a 5-character code"),
    (pfs_row("27447", glob="045"), "not a global period"),
    (pfs_row("27447", work="lots"), "WORK RVU"),
    (pfs_row("27447", bilat="X"), "BILAT SURG"),
    (pfs_row("27447", mod="2"), "not a modifier"),
], ids=["short-code", "global-45", "work-not-number", "bilateral-letter", "modifier-one-char"])
def test_a_bad_row_names_file_and_line_and_the_loaded_release_stays(
    tmp_path: Path, settings: Settings, bad: str, words: str
) -> None:
    import_pfs(write_pfs(tmp_path / "good.csv", [pfs_row("27447"), pfs_row("20610")]), settings)
    with pytest.raises(EditsImportError) as raised:
        import_pfs(write_pfs(tmp_path / "bad.csv", [pfs_row("20610", work="9.99"), bad]), settings)
    assert "bad.csv, line 5" in str(raised.value) and words in str(raised.value)
    assert FeeStore(settings.resolved_data_dir / FILENAME).fee("20610").work_rvu == 1.0


def test_a_code_listed_twice_is_refused(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(EditsImportError, match="listed twice"):
        import_pfs(write_pfs(tmp_path / "dup.csv", [pfs_row("27447"), pfs_row("27447")]), settings)


def test_the_same_release_cannot_shrink_under_half_without_force(tmp_path: Path, settings: Settings) -> None:
    rows = [pfs_row(f"2{n:04d}") for n in range(10)]
    import_pfs(write_pfs(tmp_path / "full.csv", rows), settings)
    with pytest.raises(ImportRefusedError, match="under half"):
        import_pfs(write_pfs(tmp_path / "cut.csv", rows[:4]), settings)
    import_pfs(write_pfs(tmp_path / "half.csv", rows[:5]), settings)  # exactly half is accepted
    assert "4 PFS rows" in import_pfs(write_pfs(tmp_path / "cut.csv", rows[:4]), settings, force=True)


def test_a_file_with_no_release_named_asks_for_one(tmp_path: Path, settings: Settings) -> None:
    path = write_pfs(tmp_path / "pfs.csv", [pfs_row("27447")], title="Relative Value File")
    with pytest.raises(EditsImportError, match="--quarter"):
        import_pfs(path, settings)
    assert "2025 Q1" in import_pfs(path, settings, quarter="2025 Q1")


# --- releases kept and chosen by date of service ------------------------------------------------------------
JANUARY = "2026 National Physician Fee Schedule Relative Value File January Release"


@pytest.fixture
def two_releases(tmp_path: Path, settings: Settings) -> FeeStore:
    """2025 Q4 (global 090, CF 32.3465) and 2026 Q1 (global 010, CF 33.4009), both loaded."""
    import_pfs(write_pfs(tmp_path / "oct.csv", [pfs_row("27447")]), settings)
    import_pfs(write_pfs(tmp_path / "jan.csv", [pfs_row("27447", glob="010", cf="33.4009")], title=JANUARY), settings)
    return FeeStore(settings.resolved_data_dir / FILENAME)


@pytest.mark.parametrize(("day", "quarter", "global_days"), [
    (date(2025, 10, 1), "2025 Q4", "090"), (date(2025, 12, 31), "2025 Q4", "090"),
    (date(2026, 1, 1), "2026 Q1", "010"), (date(2026, 3, 31), "2026 Q1", "010"), (None, "2026 Q1", "010"),
], ids=["first-day-q4", "last-day-q4", "first-day-q1", "last-day-q1", "no-date-latest"])
def test_the_release_in_force_on_the_date_of_service_answers(
    two_releases: FeeStore, day: date | None, quarter: str, global_days: str
) -> None:
    entry = two_releases.fee("27447", day=day)
    assert entry is not None and (entry.quarter, entry.global_days) == (quarter, global_days)
    assert not two_releases.choose(day).outside


def test_a_date_before_every_release_is_outside_and_not_answered(two_releases: FeeStore) -> None:
    assert two_releases.fee("27447", day=date(2025, 9, 30)) is None
    assert "before the first loaded release (2025 Q4" in two_releases.choose(date(2025, 9, 30)).note


def test_a_date_after_the_last_quarter_is_answered_from_it_with_a_note(two_releases: FeeStore) -> None:
    entry = two_releases.fee("27447", day=date(2026, 4, 1))
    assert entry is not None and entry.quarter == "2026 Q1"
    assert "after the last loaded release (2026 Q1" in two_releases.choose(date(2026, 4, 1)).note


def test_a_store_sees_a_release_imported_after_it_opened(tmp_path: Path, settings: Settings) -> None:
    """The list of releases is cached per committed version of the database, never past an import."""
    import_pfs(write_pfs(tmp_path / "oct.csv", [pfs_row("27447")]), settings)
    store = FeeStore(settings.resolved_data_dir / FILENAME)
    assert [release.quarter for release in store.releases()] == ["2025 Q4"]
    import_pfs(write_pfs(tmp_path / "jan.csv", [pfs_row("27447", glob="010")], title=JANUARY), settings)
    assert [release.quarter for release in store.releases()] == ["2025 Q4", "2026 Q1"]
    assert store.fee("27447").global_days == "010"


def test_a_pfs_file_named_in_settings_is_imported_once(shared_data: Path, tmp_path: Path) -> None:
    from assistant.imports import import_configured_files

    settings = Settings(data_dir=tmp_path / "data", pfs_file=shared_data / PFS_FILE)
    assert any("PFS rows (2025 Q4 release)" in line for line in import_configured_files(settings))
    assert import_configured_files(settings) == []
