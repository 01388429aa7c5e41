"""Importers against the real CMS files, an .xlsx built from them, a made-up CPT file, and broken rows."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from assistant.corpus.importers.asp import import_asp, parse_dosage
from assistant.corpus.importers.common import ImportFileError
from assistant.corpus.importers.cpt import import_cpt
from assistant.corpus.importers.hcpcs import import_hcpcs
from assistant.corpus.loader import CorpusError, load_corpus, load_records
from assistant.settings import REPO_ROOT, Settings

BUNDLED_CORPUS = REPO_ROOT / "corpus"
HCPCS_FILE = "hcpcs_2025_oct_anweb.csv"
ASP_FILE = "asp_payment_limits_2026q1_level2.csv"
# Per /work/shared/data/README.md: 8,463 codes, 383 modifiers, 7,258 codes with no termination date.
HCPCS_CODES_IN_FILE = 8_463
HCPCS_CODES_NOT_TERMINATED = 7_258
HCPCS_MODIFIERS_IN_FILE = 383
ASP_ROWS = 844
AFTER_THE_FILE = date(2026, 1, 15)  # every termination date in the October 2025 file lies before this day


@pytest.fixture
def private_settings(tmp_path: Path) -> Settings:
    """Settings whose data directory (and so whose imports/ overlays) belongs to this test alone."""
    return Settings(data_dir=tmp_path / "data", corpus_dir=BUNDLED_CORPUS)


def _overlay(settings: Settings, name: str) -> dict:
    return json.loads((settings.resolved_data_dir / "imports" / name).read_text(encoding="utf-8"))


def _csv_head(source: Path, codes: set[str]) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of `codes` from a CMS CSV (first column is the code)."""
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [row for row in reader if row[0] in codes]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --- HCPCS ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hcpcs_imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("hcpcs-data"), corpus_dir=BUNDLED_CORPUS)
    summary = import_hcpcs(shared_data / HCPCS_FILE, settings, today=AFTER_THE_FILE)
    return settings, summary


def test_hcpcs_import_keeps_the_codes_in_force(hcpcs_imported: tuple[Settings, str]) -> None:
    settings, summary = hcpcs_imported
    overlay = _overlay(settings, "hcpcs.json")
    assert len(overlay["codes"]) == HCPCS_CODES_NOT_TERMINATED
    assert overlay["terminated_skipped"] == HCPCS_CODES_IN_FILE - HCPCS_CODES_NOT_TERMINATED
    assert 0 < len(overlay["modifiers"]) <= HCPCS_MODIFIERS_IN_FILE
    assert summary.startswith(f"Imported {HCPCS_CODES_NOT_TERMINATED:,} HCPCS codes from {HCPCS_FILE}")
    assert "(October 2025 release;" in summary and "\n" not in summary


@pytest.mark.parametrize(
    ("code", "descriptor"),
    [
        pytest.param("J1559", "Injection, immune globulin (hizentra), 100 mg", id="J1559"),
        pytest.param("J0696", "Injection, ceftriaxone sodium, per 250 mg", id="J0696"),
        pytest.param("J3373", "Injection, vancomycin hydrochloride, 10 mg", id="J3373-successor"),
        pytest.param("J7040", "Infusion, normal saline solution, sterile (500 ml = 1 unit)", id="J7040"),
    ],
)
def test_hcpcs_import_has_the_cms_long_description(
    hcpcs_imported: tuple[Settings, str], code: str, descriptor: str
) -> None:
    assert _overlay(hcpcs_imported[0], "hcpcs.json")["codes"][code]["long_description"] == descriptor


def test_hcpcs_import_keeps_terminated_codes_and_modifiers_apart(hcpcs_imported: tuple[Settings, str]) -> None:
    overlay = _overlay(hcpcs_imported[0], "hcpcs.json")
    assert "J1040" not in overlay["codes"]  # terminated 2024-03-31: not a search record ...
    assert overlay["terminated"]["J1040"]["term_dt"] == "2024-03-31"  # ... but kept for look-ups (issue 12)
    assert "J3370" not in overlay["codes"] and overlay["terminated"]["J3370"]["term_dt"] == "2025-06-30"
    assert overlay["terminated"]["C9027"]["xref"] == ["J9271"]  # the file's cross-reference field
    assert len(overlay["terminated"]) == HCPCS_CODES_IN_FILE - HCPCS_CODES_NOT_TERMINATED
    assert "A1" not in overlay["codes"] and overlay["modifiers"]["A1"] == "Dressing for one wound"
    assert len(overlay["modifiers"]) + len(overlay["terminated_modifiers"]) == HCPCS_MODIFIERS_IN_FILE
    assert overlay["codes"]["J1010"]["add_dt"] == "2024-04-01"


def test_a_truncated_hcpcs_file_cannot_replace_the_loaded_one(
    hcpcs_imported: tuple[Settings, str], shared_data: Path, tmp_path: Path
) -> None:
    from assistant.corpus.importers.common import ShrinkingImportError

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=BUNDLED_CORPUS)
    import_hcpcs(shared_data / HCPCS_FILE, settings, today=AFTER_THE_FILE)
    header, rows = _csv_head(shared_data / HCPCS_FILE, {"J0696", "J1559"})
    cut = _write_csv(tmp_path / "hcpcs_2025_oct_anweb_cut.csv", header, rows)
    with pytest.raises(ShrinkingImportError, match=r"2 codes in force, 100.0% fewer than the 7,258.*--force"):
        import_hcpcs(cut, settings, today=AFTER_THE_FILE)
    assert len(_overlay(settings, "hcpcs.json")["codes"]) == HCPCS_CODES_NOT_TERMINATED
    older = _write_csv(tmp_path / "hcpcs_2025_jan_anweb.csv", header, rows)
    full_older = tmp_path / "hcpcs_2024_oct_anweb.csv"
    full_older.write_bytes((shared_data / HCPCS_FILE).read_bytes())
    with pytest.raises(ShrinkingImportError, match=r"October 2024 release, older than the loaded October 2025"):
        import_hcpcs(full_older, settings, today=AFTER_THE_FILE)
    assert "Imported 2 HCPCS codes" in import_hcpcs(older, settings, today=AFTER_THE_FILE, force=True)


def test_hcpcs_termination_is_judged_on_the_given_day(shared_data: Path, private_settings: Settings) -> None:
    header, rows = _csv_head(shared_data / HCPCS_FILE, {"J1040", "J1559"})
    small = _write_csv(private_settings.resolved_data_dir / "hcpcs_2024_jan_anweb.csv", header, rows)
    import_hcpcs(small, private_settings, today=date(2024, 3, 31))  # the last day J1040 may be billed
    assert set(_overlay(private_settings, "hcpcs.json")["codes"]) == {"J1040", "J1559"}
    # force: one code of two ends, a 50% drop the shrink guard would refuse (tested on its own)
    import_hcpcs(small, private_settings, today=date(2024, 4, 1), force=True)
    assert set(_overlay(private_settings, "hcpcs.json")["codes"]) == {"J1559"}


def test_hcpcs_continuation_lines_are_joined(shared_data: Path, private_settings: Settings) -> None:
    header, rows = _csv_head(shared_data / HCPCS_FILE, {"J1559", "J0696"})
    first = rows[0]
    continuation = list(first)
    continuation[1], continuation[2], continuation[3] = "0020", "4", "continued wording"
    path = _write_csv(private_settings.resolved_data_dir / "h.csv", header, [first, continuation, rows[1]])
    import_hcpcs(path, private_settings, today=AFTER_THE_FILE)
    codes = _overlay(private_settings, "hcpcs.json")["codes"]
    assert codes[first[0]]["long_description"] == f"{first[3]} continued wording"
    assert codes[rows[1][0]]["long_description"] == rows[1][3]


def test_hcpcs_xlsx_variant(shared_data: Path, private_settings: Settings) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    header, rows = _csv_head(shared_data / HCPCS_FILE, {"A1", "J0696", "J1040", "J1559", "J7050", "G2212"})
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([name.upper().replace("_", " ") for name in header])  # CMS headers: "LONG DESCRIPTION" ...
    for row in rows:
        # Excel keeps seqnum, recid and dates as numbers: the importer must read them back as CMS wrote them.
        sheet.append([int(cell) if cell.isdigit() and index in (1, 2, 44, 45, 46) else cell
                      for index, cell in enumerate(row)])
    path = private_settings.resolved_data_dir / "HCPC2025_OCT_ANWEB.xlsx"
    workbook.save(path)
    summary = import_hcpcs(path, private_settings, today=AFTER_THE_FILE)
    overlay = _overlay(private_settings, "hcpcs.json")
    assert set(overlay["codes"]) == {"J0696", "J1559", "J7050", "G2212"}
    assert overlay["codes"]["J0696"]["long_description"] == "Injection, ceftriaxone sodium, per 250 mg"
    assert overlay["modifiers"] == {"A1": "Dressing for one wound"}
    assert summary.startswith("Imported 4 HCPCS codes from HCPC2025_OCT_ANWEB.xlsx (October 2025 release;")


def _broken(rows: list[list[str]], index: int, column: int, value: str) -> list[list[str]]:
    changed = [list(row) for row in rows]
    changed[index][column] = value
    return changed


@pytest.mark.parametrize(
    ("column", "value", "phrase"),
    [
        pytest.param(0, "J15", "'J15' is not a HCPCS Level II code", id="bad-code"),
        pytest.param(0, "", "no code in column hcpc", id="empty-code"),
        pytest.param(1, "x10", "seqnum", id="bad-seqnum"),
        pytest.param(2, "9", "unknown record type '9'", id="bad-recid"),
        pytest.param(3, "", "has no long description", id="no-description"),
        pytest.param(46, "2024-31-03", "term_dt", id="bad-date"),
    ],
)
def test_hcpcs_bad_row_names_file_and_line(
    shared_data: Path, private_settings: Settings, column: int, value: str, phrase: str
) -> None:
    header, rows = _csv_head(shared_data / HCPCS_FILE, {"J0696", "J1100", "J1559", "J2405"})
    path = _write_csv(private_settings.resolved_data_dir / "bad.csv", header, _broken(rows, 2, column, value))
    with pytest.raises(ImportFileError) as caught:
        import_hcpcs(path, private_settings, today=AFTER_THE_FILE)
    assert str(caught.value).startswith(f"{path}, line 4: ")  # header is line 1, the third row line 4
    assert phrase in str(caught.value)


def test_hcpcs_line_numbers_count_quoted_line_breaks(shared_data: Path, private_settings: Settings) -> None:
    header, rows = _csv_head(shared_data / HCPCS_FILE, {"J0696", "J1100", "J1559"})
    rows = _broken(_broken(rows, 0, 3, "first line\nsecond line"), 2, 0, "BAD")
    path = _write_csv(private_settings.resolved_data_dir / "bad.csv", header, rows)
    with pytest.raises(ImportFileError, match=r", line 5: 'BAD'"):
        import_hcpcs(path, private_settings, today=AFTER_THE_FILE)


def test_hcpcs_wrong_file_is_refused(shared_data: Path, private_settings: Settings) -> None:
    with pytest.raises(ImportFileError, match=r"line 1: this does not look like the CMS HCPCS file"):
        import_hcpcs(shared_data / ASP_FILE, private_settings)


def test_failed_import_keeps_the_previous_overlay(shared_data: Path, private_settings: Settings) -> None:
    header, rows = _csv_head(shared_data / HCPCS_FILE, {"J0696", "J1559"})
    good = _write_csv(private_settings.resolved_data_dir / "good.csv", header, rows)
    import_hcpcs(good, private_settings, today=AFTER_THE_FILE)
    before = _overlay(private_settings, "hcpcs.json")
    bad = _write_csv(private_settings.resolved_data_dir / "bad.csv", header, _broken(rows, 1, 0, "nope"))
    with pytest.raises(ImportFileError):
        import_hcpcs(bad, private_settings, today=AFTER_THE_FILE)
    assert _overlay(private_settings, "hcpcs.json") == before
    assert [p.name for p in (private_settings.resolved_data_dir / "imports").iterdir()] == ["hcpcs.json"]


def test_reimport_replaces_the_overlay(shared_data: Path, private_settings: Settings) -> None:
    header, rows = _csv_head(shared_data / HCPCS_FILE, {"J0696", "J1559"})
    both = _write_csv(private_settings.resolved_data_dir / "both.csv", header, rows)
    one = _write_csv(private_settings.resolved_data_dir / "one.csv", header, [r for r in rows if r[0] == "J0696"])
    import_hcpcs(both, private_settings, today=AFTER_THE_FILE)
    import_hcpcs(one, private_settings, today=AFTER_THE_FILE, force=True)  # force: half the codes
    assert set(_overlay(private_settings, "hcpcs.json")["codes"]) == {"J0696"}


# --- ASP ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("100 MG", (100.0, "mg"), id="100-MG"),
        pytest.param("0.1 ML", (0.1, "mL"), id="0.1-ML"),
        pytest.param("1 EA", (1.0, "each"), id="1-EA"),
        pytest.param("10 UNITS", (10.0, "units"), id="10-UNITS"),
        pytest.param("1 UNIT", (1.0, "units"), id="1-UNIT"),
        pytest.param("1000 CC", (1000.0, "mL"), id="cc-is-mL"),
        pytest.param("100,000 UNITS", (100000.0, "units"), id="thousands-comma"),
        pytest.param("up to 5 MG", (5.0, "mg"), id="up-to"),
        pytest.param("PER VIAL", (1.0, "vial"), id="per-vial"),
        pytest.param("10 MG/3MG", (10.0, "MG/3MG"), id="unknown-unit-kept"),
        pytest.param("Less than or equal to 7 days of therapy", (None, "Less than or equal to 7 days of therapy"),
                     id="no-quantity"),
    ],
)
def test_parse_dosage(text: str, expected: tuple[float | None, str]) -> None:
    assert parse_dosage(text) == expected


@pytest.fixture(scope="module")
def asp_imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("asp-data"), corpus_dir=BUNDLED_CORPUS)
    return settings, import_asp(shared_data / ASP_FILE, settings)


@pytest.mark.parametrize(
    ("code", "quantity", "unit"),
    [
        pytest.param("J1559", 100.0, "mg", id="J1559-100mg"),
        pytest.param("J0696", 250.0, "mg", id="J0696-250mg"),
        pytest.param("J3420", 1000.0, "mcg", id="J3420-1000mcg"),
        pytest.param("J1642", 10.0, "units", id="J1642-10units"),
        pytest.param("A9575", 0.1, "mL", id="A9575-0.1mL"),
    ],
)
def test_asp_import_billing_units(asp_imported: tuple[Settings, str], code: str, quantity: float, unit: str) -> None:
    row = _overlay(asp_imported[0], "asp.json")["codes"][code]
    assert (row["quantity"], row["unit"]) == (quantity, unit)


def test_asp_import_counts(asp_imported: tuple[Settings, str]) -> None:
    settings, summary = asp_imported
    codes = _overlay(settings, "asp.json")["codes"]
    assert len(codes) == ASP_ROWS
    assert summary.startswith(f"Imported billing units of {ASP_ROWS} drug codes from {ASP_FILE} (Q1 2026)")
    assert codes["J0577"]["quantity"] is None  # "Less than or equal to 7 days of therapy"


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        pytest.param((0, "J15"), "'J15' is not a HCPCS code", id="bad-code"),
        pytest.param((2, ""), "hcpcs_code_dosage is empty", id="empty-dosage"),
        pytest.param((2, "0 MG"), "not a positive amount", id="zero-dosage"),
        pytest.param((0, "J0696"), "listed twice", id="duplicate"),
    ],
)
def test_asp_bad_row_names_file_and_line(
    shared_data: Path, private_settings: Settings, change: tuple[int, str], phrase: str
) -> None:
    header, rows = _csv_head(shared_data / ASP_FILE, {"J0696", "J1100", "J1559"})
    path = _write_csv(private_settings.resolved_data_dir / "asp.csv", header, _broken(rows, 2, *change))
    with pytest.raises(ImportFileError, match=phrase) as caught:
        import_asp(path, private_settings)
    assert f"{path}, line 4: " in str(caught.value)


# --- licensed CPT file (made up: fictional wording, never AMA text) ----------------------------------------------

FICTIONAL = {
    "96369": "Fictional licensed wording for the first subcutaneous hour",
    "96370": "Fictional licensed wording, extra subcutaneous hour, with a comma",
    "12345": "Fictional wording for a code the bundle does not describe",
}


@pytest.mark.parametrize(
    ("delimiter", "header"),
    [
        pytest.param("\t", ["CPT Code", "Long Descriptor"], id="tab-with-header"),
        pytest.param("\t", None, id="tab-no-header"),
        pytest.param(",", ["code", "descriptor"], id="comma-with-header"),
        pytest.param(",", None, id="comma-no-header"),
    ],
)
def test_cpt_import_sniffs_delimiter_and_header(
    private_settings: Settings, delimiter: str, header: list[str] | None
) -> None:
    path = private_settings.resolved_data_dir / "licensed.txt"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        if header:
            writer.writerow(header)
        writer.writerows(FICTIONAL.items())
    summary = import_cpt(path, private_settings)
    assert _overlay(private_settings, "cpt.json")["codes"] == FICTIONAL
    assert summary == "Imported 3 CPT descriptors from licensed.txt (2 describe codes in the bundled corpus and are " \
        "shown as the official wording)"


def test_cpt_header_picks_the_named_columns(private_settings: Settings) -> None:
    path = private_settings.resolved_data_dir / "licensed.tsv"
    path.write_text("Short\tCode\tDescriptor\nshort one\t96369\tFictional long wording\n", encoding="utf-8")
    import_cpt(path, private_settings)
    assert _overlay(private_settings, "cpt.json")["codes"] == {"96369": "Fictional long wording"}


@pytest.mark.parametrize(
    ("text", "line", "phrase"),
    [
        pytest.param("code\tdescriptor\n96369\tFictional\nJ1559\tFictional\n", 3, "'J1559' is not a CPT code",
                     id="not-cpt"),
        pytest.param("96369\tFictional\n96370\t \n", 2, "empty descriptor", id="empty-descriptor"),
        pytest.param("96369\tFictional\n96370\n", 2, "found 1 column", id="one-column"),
        pytest.param("96369\tFictional one\n96369\tFictional two\n", 2, "twice", id="conflicting-duplicate"),
    ],
)
def test_cpt_bad_row_names_file_and_line(private_settings: Settings, text: str, line: int, phrase: str) -> None:
    path = private_settings.resolved_data_dir / "licensed.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError, match=phrase) as caught:
        import_cpt(path, private_settings)
    assert f"{path}, line {line}: " in str(caught.value)


def test_cpt_import_of_an_empty_file(private_settings: Settings) -> None:
    path = private_settings.resolved_data_dir / "empty.txt"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="empty"):
        import_cpt(path, private_settings)


# --- the merged corpus -------------------------------------------------------------------------------------------


def test_merged_corpus_shows_official_wording_and_keeps_ours(
    shared_data: Path, private_settings: Settings
) -> None:
    bundled = {r.code: r for r in load_records(BUNDLED_CORPUS)}
    import_hcpcs(shared_data / HCPCS_FILE, private_settings, today=AFTER_THE_FILE)
    import_asp(shared_data / ASP_FILE, private_settings)
    licensed = private_settings.resolved_data_dir / "licensed.txt"
    licensed.write_text("".join(f"{code}\t{text}\n" for code, text in FICTIONAL.items()), encoding="utf-8")
    import_cpt(licensed, private_settings)

    corpus = load_corpus(private_settings)
    hizentra = corpus.get("J1559")
    assert hizentra.official_descriptor == "Injection, immune globulin (hizentra), 100 mg"
    assert hizentra.description == bundled["J1559"].description
    assert "hcpcs_2025_oct_anweb.csv" in hizentra.official_source
    subq = corpus.get("96369")
    assert subq.official_descriptor == FICTIONAL["96369"] and subq.description == bundled["96369"].description
    assert corpus.get("12345") is None  # a licensed file adds wording, never records
    assert corpus.get("J1040") == bundled["J1040"]  # terminated: not in the import, the bundle still explains it

    heparin = corpus.get("J1643")  # Pfizer's heparin, not bundled: becomes a record from the public-domain CMS text
    assert (heparin.family, heparin.system, heparin.time_rule) == ("drugs", "HCPCS", "drug_units")
    assert (heparin.billing_unit.quantity, heparin.billing_unit.unit) == (1000.0, "units")
    assert heparin.description == heparin.official_descriptor
    dressing = corpus.get("A6021")
    assert dressing is not None and dressing.family == "hcpcs" and dressing.billing_unit is None
    overlay = _overlay(private_settings, "hcpcs.json")
    imported = set(overlay["codes"]) | set(overlay["modifiers"])
    assert len(corpus) == len(bundled) + len(imported - set(bundled))


def test_broken_overlay_names_the_file(private_settings: Settings) -> None:
    imports = private_settings.resolved_data_dir / "imports"
    imports.mkdir(parents=True)
    (imports / "asp.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"asp\.json: imported overlay cannot be read"):
        load_corpus(private_settings)


def test_cli_import_prints_the_summary(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    assert main(["import", "asp", str(shared_data / ASP_FILE)]) == 0
    assert capsys.readouterr().out.startswith(f"Imported billing units of {ASP_ROWS} drug codes")
    assert (tmp_path / "imports" / "asp.json").is_file()
