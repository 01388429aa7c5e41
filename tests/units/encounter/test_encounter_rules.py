"""The encounter engine's explanations, questions, dates, checks and purity (beyond the exact-code cases)."""

from __future__ import annotations

import ast
import datetime
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.units import MueLimit
from assistant.units.encounter import Administration, Encounter, code_encounter
from assistant.units.encounter.routes import further_hour_units

PACKAGE = Path(__file__).resolve().parents[3] / "assistant" / "units" / "encounter"


def _t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _encounter(setting: str = "facility", payer: str = "cpt", **kw: object) -> Encounter:
    return Encounter.model_validate({"setting": setting, "payer": payer, **kw})


RITUXAN_VISIT = _encounter(administrations=[
    {"substance": "NS", "route": "iv_infusion", "start": "09:00", "stop": "11:30"},
    {"substance": "zofran", "category": "therapeutic", "route": "iv_push", "start": "09:05"},
    {"substance": "rituximab", "drug_code": "J9312", "route": "iv_infusion", "start": "09:30", "stop": "13:30"},
])


def test_every_line_says_why_and_cites_a_source() -> None:
    result = code_encounter(RITUXAN_VISIT)
    assert result.lines
    for line in result.lines:
        assert line.why and line.citation and line.administrations
    initial = next(line for line in result.lines if line.code == "96413")
    assert "facility hierarchy" in initial.why
    assert result.citations


def test_timeline_says_how_each_administration_was_coded() -> None:
    rows = {row.substance: row for row in code_encounter(RITUXAN_VISIT).timeline}
    assert rows["NS"].counted_minutes == 30 and "not reported" in rows["NS"].coded
    assert rows["zofran"].codes == ["96375"]
    assert rows["rituximab"].codes == ["96413", "96415"]
    assert rows["rituximab"].start == "09:30" and rows["rituximab"].stop == "13:30"


def test_a_derived_drug_category_is_stated_as_a_default() -> None:
    result = code_encounter(RITUXAN_VISIT)
    assert any("read as chemotherapy administration by default" in w for w in result.warnings)
    assert result.unconfirmed  # rituximab's category is DISPUTED for commercial payers


def test_questions_mean_no_lines() -> None:
    result = code_encounter(_encounter(administrations=[
        {"substance": "mysterymab", "route": "iv_infusion", "minutes": 60},
        {"substance": "zofran", "category": "therapeutic", "route": "iv_push"},
    ]))
    assert result.questions and result.lines == []
    assert [row.coded for row in result.timeline] == ["not coded (see the questions)"] * 2


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        pytest.param({"start": "09:00", "stop": "09:00"}, "equals the start", id="same-start-stop"),
        pytest.param({"start": "09:00", "stop": "10:00", "minutes": 45}, "which is right", id="clock-vs-minutes"),
        pytest.param({"minutes": 0}, "not possible", id="zero-minutes"),
        pytest.param({"stop": "10:00"}, "when did it start", id="stop-without-start"),
    ],
)
def test_impossible_times_are_asked(fields: dict[str, object], fragment: str) -> None:
    adm = {"substance": "abx", "category": "therapeutic", "route": "iv_infusion", **fields}
    result = code_encounter(_encounter(administrations=[adm]))
    assert result.lines == []
    assert any(fragment in q for q in result.questions)


def test_professional_without_a_primary_assumes_the_hierarchy_and_names_the_other_answer() -> None:
    result = code_encounter(_encounter(setting="professional", administrations=[
        {"substance": "zofran", "category": "therapeutic", "route": "iv_push"},
        {"substance": "abx", "category": "therapeutic", "route": "iv_infusion", "minutes": 60},
    ]))
    assert {line.code for line in result.lines} == {"96365", "96375"}
    warning = next(w for w in result.warnings if "primary reason" in w)
    assert "zofran" in warning and "96374" in warning


def test_a_primary_that_cannot_be_initial_beside_chemotherapy_is_explained() -> None:
    result = code_encounter(_encounter(setting="professional", primary=0, administrations=[
        {"substance": "zofran", "category": "therapeutic", "route": "iv_push"},
        {"substance": "chemo", "category": "chemotherapy", "route": "iv_infusion", "minutes": 60},
    ]))
    assert {line.code for line in result.lines} == {"96413", "96375"}
    assert any("no further-service code without their own initial" in w for w in result.warnings)


def test_an_infusion_over_24_hours_is_split_by_date_never_refused() -> None:
    result = code_encounter(_encounter(administrations=[
        {"substance": "heparin", "category": "therapeutic", "route": "iv_infusion", "start": "20:00",
         "minutes": 30 * 60},
    ]))
    by_day = {(line.code, line.day): line.units for line in result.lines}
    assert by_day == {("96365", 0): 1, ("96366", 0): 23, ("96366", 1): 6}
    assert any("UNCONFIRMED" in w for w in result.warnings)


def test_lines_on_a_later_date_carry_it() -> None:
    result = code_encounter(_encounter(administrations=[
        {"substance": "morphine", "category": "therapeutic", "route": "iv_push", "start": "22:00"},
        {"substance": "morphine", "category": "therapeutic", "route": "iv_push", "start": "02:00", "day": 1},
    ]))
    assert [(line.code, line.day) for line in result.lines] == [("96374", 0), ("96376", 1)]


def test_concurrent_chemotherapy_on_one_line_is_unconfirmed() -> None:
    result = code_encounter(_encounter(administrations=[
        {"substance": "a", "category": "chemotherapy", "route": "iv_infusion", "start": "09:00", "stop": "11:00"},
        {"substance": "b", "category": "chemotherapy", "route": "iv_infusion", "start": "09:00", "stop": "10:00"},
    ]))
    assert {line.code for line in result.lines} == {"96413", "96415", "96368"}
    assert result.unconfirmed


def test_a_second_site_in_the_professional_setting_warns_it_must_be_necessary() -> None:
    result = code_encounter(_encounter(setting="professional", administrations=[
        {"substance": "a", "category": "therapeutic", "route": "iv_infusion", "minutes": 60, "site": "left arm"},
        {"substance": "b", "category": "therapeutic", "route": "iv_infusion", "minutes": 60, "site": "right arm"},
    ]))
    assert [(line.code, line.modifiers) for line in result.lines] == [("96365", []), ("96365", ["59"])]
    assert any("medically necessary" in w for w in result.warnings)


def test_mue_is_checked_on_every_line() -> None:
    def mue(code: str) -> MueLimit | None:
        return MueLimit(code, 1, 3, "Date of Service Edit: Clinical") if code == "96375" else None

    result = code_encounter(_encounter(administrations=[
        {"substance": name, "category": "therapeutic", "route": "iv_push"} for name in ("a", "b", "c")
    ]), mue_lookup=mue)
    assert any("96375 x2 is over its MUE of 1 (MAI 3" in w for w in result.warnings)


@dataclass(frozen=True)
class _Pair:
    column1: str
    column2: str
    modifier_indicator: int


def test_ptp_pairs_among_the_result_codes_are_reported_deleted_ones_not() -> None:
    seen: list[list[str]] = []

    def ptp(codes: list[str]) -> list[_Pair]:
        seen.append(codes)
        return [_Pair("96413", "96361", 1), _Pair("96365", "96374", 9)]

    result = code_encounter(_encounter(setting="professional", administrations=[
        {"substance": "chemo", "category": "chemotherapy", "route": "iv_infusion", "start": "09:00", "minutes": 60},
        {"substance": "NS", "route": "iv_infusion", "start": "10:00", "minutes": 60},
    ]), ptp_lookup=ptp)
    assert seen == [["96361", "96413"]]
    assert result.edits == ["PTP edit 96413 / 96361: modifier indicator 1 (a modifier may be allowed when documented)"]


def test_drug_doses_of_one_code_on_one_date_are_summed_before_rounding() -> None:
    result = code_encounter(_encounter(administrations=[
        {"substance": "zofran", "category": "therapeutic", "route": "iv_push", "start": "09:00", "drug_code": "J2405",
         "dose": 2.5, "dose_unit": "mg", "billing_quantity": 1, "billing_unit": "mg"},
        {"substance": "zofran", "category": "therapeutic", "route": "iv_push", "start": "12:00", "drug_code": "J2405",
         "dose": 2.5, "dose_unit": "mg", "billing_quantity": 1, "billing_unit": "mg"},
    ]))
    assert {line.code: line.units for line in result.lines}["J2405"] == 5


@pytest.mark.parametrize(("minutes", "units"), [(30, 0), (31, 1), (90, 1), (91, 2), (150, 2), (151, 3)])
def test_further_hour_units_boundaries(minutes: int, units: int) -> None:
    assert further_hour_units(minutes) == units


def test_bad_input_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValueError, match="substance"):
        Administration(substance="  ", route="iv_push")
    with pytest.raises(ValueError, match="administrations"):
        Encounter(setting="facility", administrations=[])


def test_the_package_imports_only_stdlib_pydantic_and_units() -> None:
    allowed_roots = set(sys.stdlib_module_names) | {"pydantic", "__future__"}
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("assistant."):
                    assert name.startswith("assistant.units"), f"{path.name} imports {name}"
                else:
                    assert name.split(".")[0] in allowed_roots, f"{path.name} imports {name}"


def test_timeline_never_lists_a_code_with_no_units() -> None:
    result = code_encounter(_encounter(administrations=[
        {"substance": "a", "category": "therapeutic", "route": "iv_infusion", "start": "09:00", "minutes": 60},
        {"substance": "b", "category": "therapeutic", "route": "iv_infusion", "start": "10:00", "minutes": 90},
    ]))
    assert [row.codes for row in result.timeline] == [["96365"], ["96367"]]


def test_short_hydration_alone_says_why_it_is_not_reported() -> None:
    result = code_encounter(_encounter(administrations=[{"substance": "NS", "route": "iv_infusion", "minutes": 25}]))
    assert result.lines == []
    assert "under 31" in result.timeline[0].coded


def test_a_primary_that_is_not_an_iv_service_is_explained() -> None:
    result = code_encounter(_encounter(setting="professional", primary=0, administrations=[
        {"substance": "toradol", "category": "therapeutic", "route": "injection"},
        {"substance": "zofran", "category": "therapeutic", "route": "iv_push"},
    ]))
    assert {line.code for line in result.lines} == {"96374", "96372"}
    assert any("not an IV infusion or push" in w for w in result.warnings)


def test_a_subcutaneous_pump_is_part_of_96369_not_a_pump_start() -> None:
    result = code_encounter(_encounter(setting="professional", administrations=[
        {"substance": "hizentra", "category": "therapeutic", "route": "sc_infusion", "minutes": 150, "pump": True},
    ]))
    assert {line.code: line.units for line in result.lines} == {"96369": 1, "96370": 1}
