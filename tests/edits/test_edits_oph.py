"""Outpatient hospital (facility) tables beside the practitioner ones, in the CMS file layouts; and the add-on table.

The small files below copy the CMS layouts (values are test data, not CMS values):
- MUE: "MCR_MUE_OutpatientHospitalServices_..." CSV: a quoted copyright line, then a header whose first cell is
  "HCPCS/<newline>CPT Code", the MAI column carrying its words ("3 Date of Service Edit: Clinical").
- PTP: "ccioph-v...-f1.txt": tab separated, a copyright line, a title line, then a header spread over four lines,
  dates as YYYYMMDD and "*" for no deletion date.
- AOC: the add-on code edit table saved as CSV, Julian dates (YYYYDDD), "CCCCC" for contractor-defined primaries.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from assistant.edits import EditsStore, NotLoadedError, table_for
from assistant.edits.importers import (
    EditsImportError,
    import_addon,
    import_mue,
    import_mue_oph,
    import_ptp,
    import_ptp_oph,
)
from assistant.settings import Settings

COPYRIGHT = '"CPT codes, descriptions and other data only are copyright 2025 American Medical Association.",,,'
OPH_MUE = "\n".join([
    COPYRIGHT,
    '"HCPCS/',
    'CPT Code",Outpatient Hospital Services MUE Values,MUE Adjudication Indicator,MUE Rationale',
    "96372,6,3 Date of Service Edit: Clinical,Clinical: Data",
    "96376,2,3 Date of Service Edit: Clinical,Clinical: Data",
    "36415,1,2 Date of Service Edit: Policy,CMS Policy",
]) + "\n"
PRACTITIONER_MUE = "\n".join([
    COPYRIGHT,
    '"HCPCS/',
    'CPT Code",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale',
    "96372,4,3 Date of Service Edit: Clinical,Clinical: Data",
    "96376,0,3 Date of Service Edit: Clinical,CMS Policy",
]) + "\n"
PTP_TXT_HEADER = [
    "CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t",
    "Column1/Column2 Edits\t\t\t\t\t\t",
    "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale",
    "\t\tprior to 1996\tDate\tDate\t0=not allowed\t",
    "\t\t\t\t*=no data\t1=allowed\t",
    "\t\t\t\t\t9=not applicable\t",
]
PTP_TXT_ROWS = [
    "96360\t96372\t\t20090101\t*\t1\tCPT Manual or CMS manual coding instruction",
    "96374\t96376\t\t20100101\t*\t0\tMisuse of Column Two code with Column One code",
    "96365\t96372\t\t20090101\t20260101\t1\tCPT Manual or CMS manual coding instruction",  # deleted 2026-01-01
    "96413\t96372\t\t20090101\t20270101\t1\tCPT Manual or CMS manual coding instruction",  # deletion still ahead
]


def _write(path: Path, text: str, *, compress: bool = False, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode(encoding)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return tmp_path / "files"


def test_oph_mue_in_cms_layout_sits_beside_the_practitioner_table(
    settings: Settings, store: EditsStore, files: Path
) -> None:
    summary = import_mue_oph(_write(files / "MCR_MUE_OutpatientHospitalServices_2026q2.csv", OPH_MUE), settings,
                             progress=False)
    assert summary.startswith("Imported 3 MUE values (2026 Q2) from MCR_MUE_OutpatientHospitalServices_2026q2.csv "
                              "into the outpatient hospital MUE table")
    assert store.loaded("mue", "facility") and not store.loaded("mue", "professional")
    entry = store.mue("96376", "facility")
    assert (entry.value, entry.mai, entry.table) == (2, 3, "mue_oph")
    assert entry.mai_description == "Date of Service Edit: Clinical"  # the words of the MAI cell
    assert "outpatient hospital MUE table, 2026 Q2" in entry.citation
    # Never a fallback: the practitioner table is not loaded, so a professional look-up finds nothing.
    assert store.mue("96376") is None and store.mue("96376", "professional") is None
    import_mue(_write(files / "MCR_MUE_PractitionerServices_2026q2.csv", PRACTITIONER_MUE), settings, progress=False)
    assert store.mue("96376", "professional").value == 0
    assert store.mue("96376", "facility").value == 2  # each setting keeps its own table
    assert "practitioner MUE table, 2026 Q2" in store.mue("96376").citation


def test_oph_mue_with_a_multi_line_quoted_copyright_and_crlf(
    settings: Settings, store: EditsStore, files: Path
) -> None:
    text = ('"Current Procedural Terminology (CPT) codes, descriptions and other data only are copyright the American '
            'Medical Association.\r\n\r\nApplicable FARS/DFARS Restrictions Apply.",,,\r\n'
            '"HCPCS/\r\nCPT Code",Outpatient Hospital Services MUE Values,MUE Adjudication Indicator,MUE Rationale\r\n'
            "36415,2,3 Date of Service Edit: Clinical,Nature of Service/Procedure\r\n"
            "99284,1,2 Date of Service Edit: Policy,CMS Policy\r\n")
    import_mue_oph(_write(files / "MCR_MUE_OutpatientHospitalServices_Eff_10-01-2026_2026q4.csv", text), settings,
                   progress=False)
    assert (store.mue("99284", "facility").value, store.mue("99284", "facility").mai) == (1, 2)
    assert store.info()["mue_oph"]["rows"] == 2


@pytest.mark.parametrize(
    ("importer", "text", "problem"),
    [
        pytest.param(import_mue, OPH_MUE, "outpatient hospital MUE table: import it with", id="oph-file-as-mue"),
        pytest.param(import_mue_oph, PRACTITIONER_MUE, "practitioner MUE table: import it with", id="mue-file-as-oph"),
    ],
)
def test_mue_file_given_to_the_other_importer_is_refused(
    settings: Settings, store: EditsStore, files: Path, importer, text: str, problem: str
) -> None:
    with pytest.raises(EditsImportError, match=problem):
        importer(_write(files / "mue_2026q2.csv", text), settings, progress=False)
    assert store.info() == {}


@pytest.mark.parametrize("compress", [pytest.param(False, id="text"), pytest.param(True, id="gzip")])
def test_oph_ptp_in_cms_text_layout(settings: Settings, store: EditsStore, files: Path, compress: bool) -> None:
    text = "\r\n".join(PTP_TXT_HEADER + PTP_TXT_ROWS) + "\r\n"
    path = _write(files / "ccioph-v322r0-f1_2026q2.txt", text, compress=compress, encoding="cp1252")
    summary = import_ptp_oph(path, settings, progress=False)
    assert "Imported 4 PTP edits (2026 Q2)" in summary and "outpatient hospital PTP table" in summary
    assert "1 of them are deleted edits" in summary
    edit = store.ptp("96376", "96374", "facility")
    assert (edit.column1, edit.column2, edit.modifier_indicator, edit.table) == ("96374", "96376", 0, "ptp_oph")
    assert "outpatient hospital PTP table, 2026 Q2" in edit.citation
    assert store.ptp("96365", "96372", "facility").deleted  # deletion date before the quarter: no longer applied
    assert not store.ptp("96413", "96372", "facility").deleted  # deletion date after the quarter: still applies
    assert store.ptp("96360", "96372") is None  # the practitioner table is not loaded: no fallback
    assert [(e.column1, e.column2) for e in store.pairs(["96360", "96372", "96413"], setting="facility")] == [
        ("96360", "96372"), ("96413", "96372")]


def test_practitioner_and_oph_ptp_tables_answer_apart(settings: Settings, store: EditsStore, files: Path) -> None:
    import_ptp(_write(files / "ptp_2026q2.csv", "column1,column2,modifier_indicator,ptp_edit_rationale\n"
                      "96360,96372,0,Practitioner only\n"), settings, progress=False)
    import_ptp_oph(_write(files / "ccioph_2026q2.txt", "\n".join(PTP_TXT_HEADER + PTP_TXT_ROWS) + "\n"), settings,
                   progress=False)
    assert store.ptp("96360", "96372").modifier_indicator == 0
    assert store.ptp("96360", "96372", setting="facility").modifier_indicator == 1
    assert store.pairs(["96374", "96376"]) == []
    assert set(store.info()) == {"ptp", "ptp_oph"}


@pytest.mark.parametrize(
    ("importer", "name", "problem"),
    [
        pytest.param(import_ptp, "ccioph-v322r0-f1.txt", "import ptp-oph", id="hospital-file-as-practitioner"),
        pytest.param(import_ptp_oph, "ccipra-v322r0-f1.txt", "import ptp FILE", id="practitioner-file-as-hospital"),
    ],
)
def test_ptp_file_named_for_the_other_table_is_refused(
    settings: Settings, files: Path, importer, name: str, problem: str
) -> None:
    with pytest.raises(EditsImportError, match=problem):
        importer(_write(files / name, "\n".join(PTP_TXT_HEADER + PTP_TXT_ROWS) + "\n"), settings, progress=False)


@pytest.mark.parametrize(
    ("kind", "setting", "table"),
    [
        pytest.param("mue", "professional", "mue", id="mue-professional"),
        pytest.param("mue", "facility", "mue_oph", id="mue-facility"),
        pytest.param("ptp", "professional", "ptp", id="ptp-professional"),
        pytest.param("ptp", "facility", "ptp_oph", id="ptp-facility"),
    ],
)
def test_table_for_setting(kind: str, setting: str, table: str) -> None:
    assert table_for(kind, setting) == table


@pytest.mark.parametrize(("kind", "setting"), [("mue", "office"), ("aoc", "facility"), ("ptp", "")])
def test_table_for_unknown_setting_is_a_value_error(store: EditsStore, kind: str, setting: str) -> None:
    with pytest.raises(ValueError, match="setting"):
        table_for(kind, setting)
    if kind == "mue":
        with pytest.raises(ValueError):
            store.mue("96372", setting)


@pytest.mark.parametrize(
    ("table", "command"),
    [
        pytest.param("mue_oph", "import mue-oph FILE", id="mue-oph"),
        pytest.param("ptp_oph", "import ptp-oph FILE", id="ptp-oph"),
        pytest.param("aoc", "import addon FILE", id="aoc"),
    ],
)
def test_require_names_the_import_command(store: EditsStore, table: str, command: str) -> None:
    with pytest.raises(NotLoadedError, match=command):
        store.require(table)


AOC_CSV = "\n".join([
    "Add-on Code,Add-On Code Effective Date,Add-On Code Deletion Date,Primary Code,Primary Code Effective Date,"
    "Primary Code Deletion Date,AOC Edit Type,AOC Edit Effective Date,AOC Edit Deletion Date,Special Instruction Notes",
    "96366,2013091,,96365,2013091,,1,2013091,,",
    "96366,2013091,,96413,2013091,,1,2013091,,",
    "96367,2013091,,96365,2013091,,1,2013091,,",
    "96376,2013091,,96374,2013091,,1,2013091,2020001,",  # this pair's edit was deleted in 2020: skipped
    "96376,2013091,,96375,2013091,,1,2013091,,",
    "99292,2013091,,CCCCC,,,2,2013091,,",
    "11001,2013091,,11000,2013091,,3,2013091,,",
]) + "\n"


def test_addon_table_in_the_cms_excel_headers(settings: Settings, store: EditsStore, files: Path) -> None:
    """The AOC_V...-MCR workbook's headers saved as CSV: "Del Dt (Julian)" columns, deleted primaries skipped."""
    text = ("Add-On Code,AOC Del Dt (Julian),Primary Code,Primary Code Del Dt (Julian),AOC Edit Type,"
            "AOC Edit Eff Dt (Julian),AOC Edit Del Dt (Julian),Special Instruction Notes\n"
            "96376,,96374,,1,2013091,,96376 may be reported by facilities only\n"
            "96376,,96375,2020001,1,2013091,,\n"
            "99292,,CCCCC,,2,2013091,,CCCCC = Contractor Defined Primary Codes\n")
    summary = import_addon(_write(files / "AOC_V2026Q2-MCR.csv", text), settings, progress=False)
    assert summary.startswith("Imported 2 add-on code edits (2026 Q2)")
    assert store.addon("96376").primaries == ("96374",)
    assert store.addon("99292").aoc_type == 2


def test_addon_table_import_and_lookup(settings: Settings, store: EditsStore, files: Path) -> None:
    summary = import_addon(_write(files / "aoc_2026q2.csv", AOC_CSV), settings, progress=False)
    assert summary.startswith("Imported 6 add-on code edits (2026 Q2)") and "1 deleted rows skipped" in summary
    assert store.has_addons
    edit = store.addon("96366")
    assert (edit.addon, edit.aoc_type, edit.primaries) == ("96366", 1, ("96365", "96413"))
    assert store.addon("96376").primaries == ("96375",)
    assert (store.addon("99292").aoc_type, store.addon("99292").primaries) == (2, ())
    assert "contractor" in store.addon("11001").meaning
    assert store.addon("96365") is None
    assert "add-on code edit table, 2026 Q2" in edit.citation


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        pytest.param("96366,2013091,,96365,2013091,,4,2013091,,", "edit type", id="type-4"),
        pytest.param("9636,2013091,,96365,2013091,,1,2013091,,", "5-character", id="short-add-on"),
        pytest.param("96366,2013091,,96365,2013091,,1,2013091,2013400,", "not a date", id="day-400"),
    ],
)
def test_malformed_addon_row(settings: Settings, files: Path, row: str, problem: str) -> None:
    with pytest.raises(EditsImportError, match=rf"line 3: .*{problem}"):
        import_addon(_write(files / "aoc_2026q2.csv", AOC_CSV.splitlines()[0] + "\n"
                            "96367,2013091,,96365,2013091,,1,2013091,,\n" + row + "\n"), settings, progress=False)
