"""Anesthesia claim line with code and minutes, base units from the question or the CMS file, the total shown;
G0500 for Medicare GI endoscopy sedation [encounters.md B5-B6; issue 14]."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.units import UnitsRequest, calculate
from assistant.units import sources as src
from assistant.units.anesthesia_base import (
    BaseUnitFileError,
    import_anesthesia_base,
    load_base_units,
    parse_base_units,
)


def test_issue_row_00790_base_7_0812_to_0925(calc):
    result = calc(
        family="anesthesia", payer="medicare", anesthesia_code="00790", base_units=7,
        start=dt.time(8, 12), end=dt.time(9, 25),
    )  # fmt: skip
    assert [(line.code, line.units) for line in result.lines] == [("00790", 73)]
    assert result.anesthesia_time_units == 4.9 and result.anesthesia_base_units == 7
    assert result.anesthesia_total_units == 11.9
    assert "11.9" in result.lines[0].title and "7 base" in result.rule
    assert src.ANESTHESIA_MEDICARE in result.citations


def test_01996_takes_no_time_units(calc):
    result = calc(family="anesthesia", payer="medicare", anesthesia_code="01996", minutes=60, base_units=3)
    assert result.anesthesia_time_units == 0 and result.anesthesia_total_units == 3


@pytest.fixture
def base_file(tmp_path: Path) -> Path:
    path = tmp_path / "base.csv"
    path.write_text("CPT Code,Base Units\n00790,7\n00810,5\n99213,0\n")
    return path


def test_base_units_come_from_the_imported_file(base_file, tmp_path):
    settings = SimpleNamespace(resolved_data_dir=tmp_path / "data")
    summary = import_anesthesia_base(base_file, settings)
    assert summary.startswith("Imported base units of 2 anesthesia codes")
    lookup = load_base_units(tmp_path / "data")
    assert lookup is not None and lookup("00790") == 7 and lookup("99213") is None
    result = calculate(
        UnitsRequest(family="anesthesia", payer="medicare", anesthesia_code="00790", minutes=73),
        base_units_lookup=lookup,
    )
    assert result.anesthesia_total_units == 11.9
    assert any("CMS anesthesia base-unit file" in w for w in result.warnings)


def test_base_units_in_the_question_win_over_the_file(base_file):
    lookup = lambda code: 99.0  # noqa: E731
    request = UnitsRequest(family="anesthesia", payer="medicare", anesthesia_code="00790", minutes=73, base_units=7)
    assert calculate(request, base_units_lookup=lookup).anesthesia_total_units == 11.9


def test_a_code_missing_from_the_file_is_asked(base_file):
    request = UnitsRequest(family="anesthesia", payer="medicare", anesthesia_code="00100", minutes=30)
    result = calculate(request, base_units_lookup=lambda code: None)
    assert result.anesthesia_total_units is None
    assert any("not in the imported" in w for w in result.warnings)


def test_no_data_dir_overlay_means_no_lookup(tmp_path):
    assert load_base_units(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("Code,Description\n00790,x\n", "base", id="no-base-column"),
        pytest.param("Code,Base Units\n00790,seven\n", "line 2", id="bad-number-names-line"),
        pytest.param("Code,Base Units\n99213,3\n", "no anesthesia code", id="no-anesthesia-code"),
    ],
)
def test_bad_base_unit_files_are_refused_with_the_line(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(BaseUnitFileError) as error:
        parse_base_units(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_tab_separated_file_with_a_title_line(tmp_path):
    path = tmp_path / "base.txt"
    path.write_text("2026 anesthesia base units\nCPT CODE\tBASE UNIT\n00100\t5\n")
    assert parse_base_units(path) == {"00100": 5.0}


G0500 = [
    pytest.param("medicare", True, 9, {}, id="medicare-gi-9-min-nothing"),
    pytest.param("medicare", True, 10, {"G0500": 1}, id="medicare-gi-10-min-g0500"),
    pytest.param("medicare", True, 22, {"G0500": 1}, id="medicare-gi-22-min-g0500-only"),
    pytest.param("medicare", True, 23, {"G0500": 1, "99153": 1}, id="medicare-gi-23-min-99153"),
    pytest.param("medicare", False, 20, {"99152": 1}, id="medicare-not-gi-99152"),
    pytest.param("cpt", True, 20, {"99152": 1}, id="cpt-gi-99152"),
]


@pytest.mark.parametrize(("payer", "gi", "minutes", "expected"), G0500)
def test_g0500_for_medicare_gi_endoscopy(billed, payer, gi, minutes, expected):
    assert billed(family="sedation", payer=payer, gi_endoscopy=gi, minutes=minutes) == expected


def test_g0500_names_its_source_and_the_cpt_alternative(calc):
    medicare = calc(family="sedation", payer="medicare", gi_endoscopy=True, minutes=20)
    assert src.SEDATION_G0500 in medicare.citations
    cpt = calc(family="sedation", payer="cpt", gi_endoscopy=True, minutes=20)
    assert any("G0500" in w for w in cpt.warnings)


def test_g0500_not_for_a_patient_under_5(billed):
    assert billed(family="sedation", payer="medicare", gi_endoscopy=True, patient_under_5=True, minutes=20) == {
        "99151": 1
    }


def test_missing_minutes_names_the_codes_by_time():
    from assistant.units import MissingDetailError

    with pytest.raises(MissingDetailError) as error:
        calculate(UnitsRequest(family="sedation", payer="medicare", gi_endoscopy=True))
    assert "G0500 from 10 minutes" in str(error.value) and "+99153 from 23" in str(error.value)
