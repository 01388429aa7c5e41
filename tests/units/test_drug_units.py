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
    assert not any("JW" in w for w in result.warnings)


def test_commercial_drug_units_are_unconfirmed(calc):
    result = calc(**_request(payer="cpt"))
    assert result.unconfirmed
    assert any("UNCONFIRMED" in w for w in result.warnings)
