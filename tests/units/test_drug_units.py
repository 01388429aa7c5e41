"""HCPCS drug units [rules.md 11]: dose / billing unit, rounded up, with unit conversion."""

from __future__ import annotations

import pytest

from assistant.units import (
    ImpossibleConversionError,
    InvalidDoseError,
    MissingDetailError,
    MissingDoseUnitError,
    UnknownDoseUnitError,
)
from assistant.units import sources as src

CASES = [
    pytest.param("J0696", 1, "g", 250, "mg", 4, id="ceftriaxone-1g-per-250mg-4"),
    pytest.param("J0696", 500, "mg", 250, "mg", 2, id="ceftriaxone-500mg-2"),
    pytest.param("J0696", 501, "mg", 250, "mg", 3, id="ceftriaxone-501mg-rounds-up-3"),
    pytest.param("J0696", 100, "mg", 250, "mg", 1, id="below-one-unit-is-1"),
    pytest.param("J3420", 1000, "mcg", 1000, "mcg", 1, id="b12-1000mcg-1"),
    pytest.param("J3420", 1, "mg", 1000, "mcg", 1, id="b12-1mg-is-1000mcg"),
    pytest.param("J1100", 10, "mg", 1, "mg", 10, id="dexamethasone-10mg-10"),
    pytest.param("J1559", 0.3, "g", 100, "mg", 3, id="decimal-0.3g-exactly-3"),
    pytest.param("J1559", 2, "gm", 100, "mg", 20, id="gm-spelling"),
    pytest.param("J9999", 30, "units", 10, "units", 3, id="activity-units"),
    pytest.param("J9999", 2.5, "mL", 1, "ml", 3, id="ml-rounds-up"),
]


@pytest.mark.parametrize(("code", "dose", "dose_unit", "quantity", "unit", "expected"), CASES)
def test_drug_units(billed, code, dose, dose_unit, quantity, unit, expected):
    lines = billed(
        family="drug_units",
        drug_code=code,
        dose=dose,
        dose_unit=dose_unit,
        billing_quantity=quantity,
        billing_unit=unit,
        payer="medicare",
    )
    assert lines == {code: expected}


def _request(**overrides):
    fields = {
        "family": "drug_units",
        "drug_code": "J0696",
        "dose": 500,
        "dose_unit": "mg",
        "billing_quantity": 250,
        "billing_unit": "mg",
    }
    return {**fields, **overrides}


@pytest.mark.parametrize(
    ("overrides", "error", "snippet"),
    [
        pytest.param({"dose_unit": None}, MissingDoseUnitError, "needs a unit", id="dose-without-unit"),
        pytest.param({"dose_unit": "tablets"}, UnknownDoseUnitError, "tablets", id="unknown-dose-unit"),
        pytest.param({"billing_unit": "vials"}, UnknownDoseUnitError, "vials", id="unknown-billing-unit"),
        pytest.param({"billing_unit": "mL"}, ImpossibleConversionError, "concentration", id="mg-to-ml"),
        pytest.param({"dose": 0}, InvalidDoseError, "not a dose", id="zero-dose"),
        pytest.param({"dose": -5}, InvalidDoseError, "not a dose", id="negative-dose"),
        pytest.param({"billing_quantity": 0}, InvalidDoseError, "impossible", id="zero-billing-unit"),
        pytest.param({"dose": None}, MissingDetailError, "dose", id="no-dose"),
        pytest.param({"billing_unit": None}, MissingDetailError, "billing unit", id="no-billing-unit"),
    ],
)
def test_bad_doses(calc, overrides, error, snippet):
    with pytest.raises(error, match=snippet):
        calc(**_request(**overrides))


def test_medicare_single_dose_vial_names_jw_jz(calc):
    result = calc(**_request(payer="medicare", single_dose_vial=True))
    assert any("JW" in w and "JZ" in w for w in result.warnings)
    assert src.JW_JZ in result.citations
    assert src.DRUG_UNITS in result.citations


def test_medicare_multi_dose_vial_has_no_jw_note(calc):
    result = calc(**_request(payer="medicare", single_dose_vial=False))
    assert result.lines  # the drug line is counted, with no JW/JZ note
    assert not any("JW" in w for w in result.warnings)


def test_commercial_drug_units_are_unconfirmed(calc):
    result = calc(**_request(payer="cpt"))
    assert result.unconfirmed
    assert any("UNCONFIRMED" in w for w in result.warnings)


# --- issue 12: doses by weight or body surface; JW/JZ with the container size ------------------------------------

from decimal import Decimal  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from assistant.units.drugs import WasteLine, billing_units, bsa_dose, waste_lines, weight_based_dose  # noqa: E402


@pytest.mark.parametrize(
    ("per_kg", "unit", "weight", "weight_unit", "expected"),
    [
        pytest.param(5, "mg", 82, "kg", Decimal("410"), id="infliximab-5mg-kg-82kg"),
        pytest.param(10, "mg", 70.5, "kg", Decimal("705.0"), id="decimal-weight"),
        pytest.param(5, "mg", 100, "lb", Decimal("226.79618500"), id="pounds-exact"),
        pytest.param(0.5, "mcg", 60, "kg", Decimal("30.0"), id="mcg-per-kg"),
    ],
)
def test_weight_based_dose(per_kg, unit, weight, weight_unit, expected):
    assert weight_based_dose(per_kg, unit, weight, weight_unit) == (expected, unit)


def test_infliximab_5_mg_per_kg_at_82_kg_is_41_units_of_j1745():
    dose, unit = weight_based_dose(5, "mg", 82)
    assert billing_units(float(dose), unit, 10, "mg") == 41


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param((5, "mg", 0, "kg"), InvalidDoseError, id="zero-weight"),
        pytest.param((5, "mg", -70, "kg"), InvalidDoseError, id="negative-weight"),
        pytest.param((5, "mg", 8200, "kg"), InvalidDoseError, id="impossible-weight"),
        pytest.param((0, "mg", 70, "kg"), InvalidDoseError, id="zero-dose"),
        pytest.param((5, "mg", 70, "stone"), UnknownDoseUnitError, id="unknown-weight-unit"),
        pytest.param((5, "drops", 70, "kg"), UnknownDoseUnitError, id="unknown-dose-unit"),
    ],
)
def test_weight_based_dose_refuses_bad_input(args, error):
    with pytest.raises(error):
        weight_based_dose(*args)


@pytest.mark.parametrize(
    ("per_m2", "bsa", "expected"),
    [
        pytest.param(175, 1.8, Decimal("315.0"), id="paclitaxel-175mg-m2"),
        pytest.param(375, 2.0, Decimal("750.0"), id="rituximab-375mg-m2"),
    ],
)
def test_bsa_dose(per_m2, bsa, expected):
    assert bsa_dose(per_m2, "mg", bsa) == (expected, "mg")


@pytest.mark.parametrize("bsa", [0, 0.05, 4.5, -1.8], ids=["zero", "tiny", "huge", "negative"])
def test_bsa_dose_refuses_impossible_areas(bsa):
    with pytest.raises(InvalidDoseError):
        bsa_dose(175, "mg", bsa)


WASTE_CASES = [
    # Noridian JF B: infliximab 400 mg from 4 x 100 mg vials -> J1745-JZ x40 (encounters.md E21)
    pytest.param(("J1745", 400, "mg", 10, "mg", 100, "mg"), {}, [WasteLine("J1745", 40, "JZ")], id="all-used-jz"),
    pytest.param(("J1745", 350, "mg", 10, "mg", 100, "mg"), {},
                 [WasteLine("J1745", 35, None), WasteLine("J1745", 5, "JW")], id="50mg-wasted-jw-5"),
    # Noridian JD DME: 100 mg vial, 70 mg given, unit 100 mg -> one unit, no JW line
    pytest.param(("J9999", 70, "mg", 100, "mg", 100, "mg"), {}, [WasteLine("J9999", 1, None)], id="waste-inside-unit"),
    pytest.param(("J9271", 200, "mg", 1, "mg", 100, "mg"), {"containers": 3},
                 [WasteLine("J9271", 200, None), WasteLine("J9271", 100, "JW")], id="typed-vial-count"),
    pytest.param(("J9271", 200, "mg", 1, "mg", 100, "mg"), {"single_dose": False},
                 [WasteLine("J9271", 200, None)], id="multi-dose-neither"),
    pytest.param(("J9271", 150, "mg", 1, "mg", 100, "mg"), {"payer": "cpt"},
                 [WasteLine("J9271", 150, None)], id="not-medicare-neither"),
    pytest.param(("J1745", 0.4, "g", 10, "mg", 100, "mg"), {}, [WasteLine("J1745", 40, "JZ")], id="grams-dose"),
]


@pytest.mark.parametrize(("args", "kwargs", "expected"), WASTE_CASES)
def test_waste_lines(args, kwargs, expected):
    lines, notes = waste_lines(*args, **kwargs)
    assert lines == expected
    assert notes


def test_jw_and_jz_never_on_the_same_drug():
    for args, kwargs, _expected in (case.values for case in WASTE_CASES):
        modifiers = {line.modifier for line in waste_lines(*args, **kwargs)[0]}
        assert not {"JW", "JZ"} <= modifiers


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        pytest.param(("J9271", 250, "mg", 1, "mg", 100, "mg"), {"containers": 2}, InvalidDoseError, id="too-few-vials"),
        pytest.param(("J9271", 200, "mg", 1, "mg", 4, "mL"), {}, ImpossibleConversionError, id="vial-in-mL"),
        pytest.param(("J9271", -200, "mg", 1, "mg", 100, "mg"), {}, InvalidDoseError, id="negative-dose"),
    ],
)
def test_waste_lines_refuse_bad_input(args, kwargs, error):
    with pytest.raises(error):
        waste_lines(*args, **kwargs)


@given(
    dose=st.integers(1, 5000), unit=st.sampled_from([1, 5, 10, 50, 100]), vial=st.sampled_from([100, 200, 400, 500]),
)
def test_billed_units_cover_what_was_opened_and_never_more(dose: int, unit: int, vial: int):
    lines, _notes = waste_lines("J9999", dose, "mg", unit, "mg", vial, "mg")
    opened = -(-dose // vial) * vial
    total = sum(line.units for line in lines)
    assert total == max(-(-opened // unit), 1) or (len(lines) == 1 and total == -(-dose // unit))
    assert total * unit >= dose
