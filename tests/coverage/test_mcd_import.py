"""The MCD importer on small files in the documented layout: zip, nested zip and folder; malformed and truncated
files named with their line; the loaded tables kept on any error; the shrink guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.coverage import CoverageStore
from assistant.coverage.importer import ImportRefusedError, McdImportError, import_mcd
from assistant.settings import Settings
from tests.coverage.layout import CAROTID_DIAGNOSES, IRON, csv_text, tables, write_folder, write_nested_zip


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def store_of(settings: Settings) -> CoverageStore:
    return CoverageStore.in_data_dir(settings.resolved_data_dir)


@pytest.mark.parametrize("shape", ["folder", "nested-zip"])
def test_import_reads_every_table(tmp_path: Path, settings: Settings, shape: str) -> None:
    path = write_folder(tmp_path / "mcd") if shape == "folder" else write_nested_zip(tmp_path / "mcd.zip")
    summary = import_mcd(path, settings)
    assert "4 articles" in summary and f"{5 + len(CAROTID_DIAGNOSES) + 1} covered" in summary
    info = store_of(settings).info()
    assert info["rows:article_x_icd10_noncovered"] == "1" and info["rows:contractor"] == "3"


def test_ended_jurisdiction_is_not_read(tmp_path: Path, settings: Settings) -> None:
    import_mcd(write_folder(tmp_path / "mcd"), settings)
    store = store_of(settings)
    assert store.contractors("TX") == ["Novitas Solutions, Inc. (04112)"]
    assert store.contractors("Texas") == store.contractors("tx")
    assert store.contractors("ZZ") == []


def _table_with(name: str, extra_rows: list[list[object]]) -> str:
    return csv_text(tables()[name] + extra_rows)


@pytest.mark.parametrize(
    ("table", "text", "expected"),
    [
        pytest.param("article_x_icd10_covered", _table_with("article_x_icd10_covered", [[IRON, 3, "D50.9", 1]]),
                     r"article_x_icd10_covered\.csv: line 38: 4 fields where the header has 10", id="short-row"),
        pytest.param("article_x_hcpc_code",
                     csv_text(tables()["article_x_hcpc_code"]) + f'{IRON},3,"J1440,1,1,,"Injection',
                     r"article_x_hcpc_code\.csv: line 7: .*(truncated|malformed)", id="truncated-quote"),
        pytest.param("article", _table_with("article", [["A5800x", 1, 1, "t", "A", "", "", ""]]),
                     r"article\.csv: line 6: article_id should be a whole number, got 'A5800x'", id="bad-article-id"),
        pytest.param("article_x_icd10_covered", _table_with("article_x_icd10_covered",
                                                            [[IRON, 3, "", 1, 1, "", "", 9, "", ""]]),
                     r"line 38: icd10_code_id is empty", id="empty-code"),
        pytest.param("state_lookup", "state_id,abbrev\r\n1,TX\r\n",
                     r"state_lookup\.csv: line 1: missing column\(s\) state_abbrev", id="wrong-header"),
    ],
)
def test_bad_file_is_named_with_its_line_and_the_loaded_tables_stay(
        tmp_path: Path, settings: Settings, table: str, text: str, expected: str) -> None:
    import_mcd(write_folder(tmp_path / "good"), settings)
    before = store_of(settings).info()
    with pytest.raises(McdImportError, match=expected):
        import_mcd(write_folder(tmp_path / "bad", replace={table: text}), settings)
    assert store_of(settings).info() == before
    assert store_of(settings).articles_for_code("J1439", "TX")
    assert not list(settings.resolved_data_dir.glob("*.importing"))


def test_missing_required_table_is_named(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(McdImportError, match=r"article_x_contractor\.csv are missing"):
        import_mcd(write_folder(tmp_path / "mcd", drop=("article_x_contractor",)), settings)


def test_optional_tables_may_be_missing(tmp_path: Path, settings: Settings) -> None:
    summary = import_mcd(write_folder(tmp_path / "mcd", drop=("lcd", "article_x_icd10_noncovered")), settings)
    assert "0 non-covered" in summary


def test_not_a_zip_is_named(tmp_path: Path, settings: Settings) -> None:
    bad = tmp_path / "mcd.zip"
    bad.write_bytes(b"PK\x03\x04 cut short")
    with pytest.raises(McdImportError, match="mcd.zip: not a zip file"):
        import_mcd(bad, settings)


def test_a_much_smaller_download_is_refused_unless_forced(tmp_path: Path, settings: Settings) -> None:
    import_mcd(write_folder(tmp_path / "full"), settings)
    partial = csv_text(tables()["article_x_icd10_covered"][:5])  # 4 of 36 rows
    small = write_folder(tmp_path / "partial", replace={"article_x_icd10_covered": partial})
    with pytest.raises(ImportRefusedError, match="partial download"):
        import_mcd(small, settings)
    assert store_of(settings).info()["covered_rows"] == "36"
    import_mcd(small, settings, force=True)
    assert store_of(settings).info()["covered_rows"] == "4"


def test_latin1_file_is_read_once(tmp_path: Path, settings: Settings) -> None:
    rows = tables()["article"]
    rows[2][3] = "Billing and Coding: Fer\u00e9 Products"  # é in Windows Latin-1, not valid UTF-8
    folder = write_folder(tmp_path / "mcd", drop=("article",))
    (folder / "article.csv").write_bytes(csv_text(rows).encode("latin-1"))
    assert "4 articles" in import_mcd(folder, settings)
    assert store_of(settings).info()["rows:article"] == "4"
