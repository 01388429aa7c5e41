"""The public API others code against: names, FAMILIES, add-on relations, MUE warnings, the fast path."""

from __future__ import annotations

import csv

import pytest

import assistant.units as units
from assistant.units import (
    ADD_ON_PRIMARIES,
    FAMILIES,
    MueLimit,
    UnitsRequest,
    calculate,
    calculate_minutes,
)
from assistant.units.registry import TIMED_FAMILIES
from assistant.units.tables import TITLES

FAMILY_NAMES = {
    "subq_infusion", "hydration", "iv_infusion", "iv_push", "injection", "chemo_infusion", "chemo_push",
    "critical_care", "office_em", "psychotherapy", "therapy", "sedation", "anesthesia", "drug_units",
    # issue 14
    "crisis_psychotherapy", "family_psychotherapy", "hospital_em", "nursing_facility_em", "home_em",
    "care_management",
}  # fmt: skip


def test_public_names():
    for name in ("calculate", "UnitsRequest", "UnitsResult", "BillableLine", "UnitsError", "MueLimit", "FAMILIES"):
        assert hasattr(units, name), name


def test_family_names_are_exactly_the_agreed_ones():
    assert set(FAMILIES) == FAMILY_NAMES
    for name, info in FAMILIES.items():
        assert info.name == name
        assert info.title and info.description


def test_every_family_code_has_our_title():
    for info in FAMILIES.values():
        for code in info.codes:
            assert code in TITLES, code


def test_table_add_ons_agree_with_add_on_primaries():
    """Every add-on a table reports lists, in ADD_ON_PRIMARIES, the primaries the table puts it after."""
    for family in TIMED_FAMILIES.values():
        for rule in family.rules.values():
            band_codes = {band.code for band in rule.bands}
            for add_on in (*rule.time_add_ons, *rule.count_add_ons):
                assert add_on.code in ADD_ON_PRIMARIES, add_on.code
                assert set(add_on.after) <= set(ADD_ON_PRIMARIES[add_on.code]), add_on.code
                assert set(add_on.after) <= band_codes, add_on.code


def test_bands_ascend_and_each_rule_is_cited():
    for family in TIMED_FAMILIES.values():
        for (payer, _), rule in family.rules.items():
            minimums = [band.min_minutes for band in rule.bands]
            assert minimums == sorted(minimums) and len(set(minimums)) == len(minimums), rule.family
            assert rule.citations and rule.payer == payer


def _fake_mue(code: str) -> MueLimit | None:
    return {"96370": MueLimit("96370", 3, 3, "Date of Service Edit: Clinical")}.get(code)


def test_mue_exceeded_warns_with_value_and_indicator():
    result = calculate(UnitsRequest(family="subq_infusion", minutes=271), mue_lookup=_fake_mue)
    assert {line.code: line.units for line in result.lines}["96370"] == 4
    warning = next(w for w in result.warnings if "MUE" in w)
    assert "96370 x4" in warning and "MUE of 3" in warning and "MAI 3" in warning and "Clinical" in warning


def test_mue_not_exceeded_is_silent():
    result = calculate(UnitsRequest(family="subq_infusion", minutes=211), mue_lookup=_fake_mue)
    assert result.lines
    assert not any("MUE" in w for w in result.warnings)


def test_a_failing_mue_lookup_never_loses_the_answer():
    def broken(code: str) -> MueLimit | None:
        raise OSError("database is locked")

    result = calculate(UnitsRequest(family="hydration", minutes=91), mue_lookup=broken)
    assert {line.code for line in result.lines} == {"96360", "96361"}
    assert any("MUE check" in w and "database is locked" in w for w in result.warnings)


def test_real_cms_mue_file_flags_a_fifth_hour_of_96370(shared_data):
    limits: dict[str, MueLimit] = {}
    with open(shared_data / "mue_practitioner_2026q2.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["hcpcs_cpt_code"]
            limits[code] = MueLimit(code, int(row["practitioner_mue_value"]), int(row["mai"]), row["mai_description"])
    assert (limits["96369"].value, limits["96370"].value, limits["96371"].value) == (1, 3, 1)
    result = calculate(UnitsRequest(family="subq_infusion", minutes=271), mue_lookup=limits.get)
    assert any("96370 x4 exceeds its MUE of 3" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("family", "variant", "fields"),
    [
        pytest.param("subq_infusion", (), {}, id="subq"),
        pytest.param("hydration", (), {}, id="hydration"),
        pytest.param("chemo_infusion", (False,), {}, id="chemo"),
        pytest.param("critical_care", (), {}, id="critical-care"),
        pytest.param("office_em", ("new",), {"patient": "new"}, id="office-new"),
        pytest.param("psychotherapy", (True,), {"with_em": True}, id="psychotherapy-with-em"),
        pytest.param("sedation", ("other", True), {"sedation_by": "other", "patient_under_5": True}, id="sedation"),
    ],
)
@pytest.mark.parametrize("payer", ["cpt", "medicare"])
def test_fast_path_matches_calculate(family, variant, fields, payer):
    for minutes in range(1, 400):
        slow = calculate(UnitsRequest(family=family, minutes=minutes, payer=payer, **fields))
        fast = calculate_minutes(family, minutes, payer, variant)
        assert tuple((line.code, line.units) for line in slow.lines) == fast, minutes


def test_result_serialises_to_json():
    result = calculate(UnitsRequest(family="critical_care", minutes=110, payer="medicare"))
    data = result.model_dump(mode="json")
    assert data["payer"] == "medicare"
    assert data["lines"][0] == {"code": "99291", "units": 1, "title": TITLES["99291"], "add_on_to": []}
    assert type(result).model_validate(data) == result


def test_family_name_is_read_case_insensitively():
    result = calculate(UnitsRequest(family=" Subq_Infusion ", minutes=91))
    assert result.family == "subq_infusion"
