"""Psychotherapy for crisis 90839/+90840, family psychotherapy 90846/90847 and +90785 [encounters.md B1; issue 14]."""

from __future__ import annotations

import pytest

from assistant.units import MissingDetailError, UnitsRequest, calculate
from assistant.units import sources as src

CRISIS = [
    pytest.param(15, {}, id="15-min-not-reported"),
    pytest.param(16, {"90832": 1}, id="16-min-under-crisis-minimum-regular-90832"),
    pytest.param(29, {"90832": 1}, id="29-min-still-regular-90832"),
    pytest.param(30, {"90839": 1}, id="30-min-90839"),
    pytest.param(50, {"90839": 1}, id="50-min-90839"),
    pytest.param(74, {"90839": 1}, id="74-min-90839-only"),
    pytest.param(75, {"90839": 1, "90840": 1}, id="75-min-first-90840"),
    pytest.param(80, {"90839": 1, "90840": 1}, id="80-min-issue-row"),
    pytest.param(104, {"90839": 1, "90840": 1}, id="104-min-one-90840"),
    pytest.param(105, {"90839": 1, "90840": 2}, id="105-min-second-90840"),
    pytest.param(134, {"90839": 1, "90840": 2}, id="134-min-two-90840"),
    pytest.param(135, {"90839": 1, "90840": 3}, id="135-min-third-90840"),
]


@pytest.mark.parametrize(("minutes", "expected"), CRISIS)
@pytest.mark.parametrize("payer", ["cpt", "medicare"])
def test_crisis_psychotherapy(billed, minutes, expected, payer):
    assert billed(family="crisis_psychotherapy", minutes=minutes, payer=payer) == expected


def test_under_the_crisis_minimum_is_flagged_unconfirmed(calc):
    result = calc(family="crisis_psychotherapy", minutes=25)
    assert result.unconfirmed
    assert src.CRISIS_UNDER_30 in result.citations
    assert any("90833" in w for w in result.warnings)


def test_exactly_30_names_the_31_minute_reading(calc):
    assert any("31" in w for w in calc(family="crisis_psychotherapy", minutes=30).warnings)
    assert not any("31" in w for w in calc(family="crisis_psychotherapy", minutes=31).warnings)


def test_medicare_names_g0017_for_non_office_sites(calc):
    medicare = calc(family="crisis_psychotherapy", minutes=60, payer="medicare")
    cpt = calc(family="crisis_psychotherapy", minutes=60, payer="cpt")
    assert any("G0017" in w for w in medicare.warnings)
    assert not any("G0017" in w for w in cpt.warnings)


def test_interactive_complexity_is_never_added_to_crisis(calc):
    result = calc(family="crisis_psychotherapy", minutes=60, interactive_complexity=True)
    assert [line.code for line in result.lines] == ["90839"]
    assert any("90785" in w and "never" in w for w in result.warnings)


INTERACTIVE = [
    pytest.param(dict(minutes=60), {"90837": 1, "90785": 1}, id="60-min-issue-row-90837-90785"),
    pytest.param(dict(minutes=16), {"90832": 1, "90785": 1}, id="16-min-90832-90785"),
    pytest.param(dict(minutes=15), {}, id="15-min-nothing-no-add-on-alone"),
    pytest.param(dict(minutes=40, with_em=True), {"90836": 1, "90785": 1}, id="with-em-90836-90785"),
]


@pytest.mark.parametrize(("fields", "expected"), INTERACTIVE)
def test_interactive_complexity_add_on(billed, fields, expected):
    assert billed(family="psychotherapy", interactive_complexity=True, **fields) == expected


def test_no_interactive_complexity_without_the_flag(billed):
    assert billed(family="psychotherapy", minutes=60) == {"90837": 1}


FAMILY = [
    pytest.param(25, True, {}, id="25-min-with-patient-not-reported"),
    pytest.param(26, True, {"90847": 1}, id="26-min-with-patient-90847"),
    pytest.param(50, True, {"90847": 1}, id="50-min-with-patient-issue-row"),
    pytest.param(90, True, {"90847": 1}, id="90-min-still-one-unit"),
    pytest.param(25, False, {}, id="25-min-without-patient-not-reported"),
    pytest.param(26, False, {"90846": 1}, id="26-min-without-patient-90846"),
    pytest.param(50, False, {"90846": 1}, id="50-min-without-patient-90846"),
]


@pytest.mark.parametrize(("minutes", "present", "expected"), FAMILY)
@pytest.mark.parametrize("payer", ["cpt", "medicare"])
def test_family_psychotherapy(billed, minutes, present, expected, payer):
    assert billed(family="family_psychotherapy", minutes=minutes, patient_present=present, payer=payer) == expected


def test_family_psychotherapy_asks_whether_the_patient_was_present():
    with pytest.raises(MissingDetailError) as error:
        calculate(UnitsRequest(family="family_psychotherapy", minutes=50))
    assert "90847" in str(error.value) and "90846" in str(error.value)


def test_family_psychotherapy_below_minimum_says_why(calc):
    result = calc(family="family_psychotherapy", minutes=20, patient_present=True)
    assert "26 minutes" in result.not_billable_reason


def test_family_psychotherapy_does_not_take_90785(calc):
    result = calc(family="family_psychotherapy", minutes=50, patient_present=True, interactive_complexity=True)
    assert [line.code for line in result.lines] == ["90847"]
    assert any("90785" in w for w in result.warnings)
