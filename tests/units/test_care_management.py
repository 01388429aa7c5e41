"""Care management per calendar month: CCM, complex CCM, physician CCM, PCM [encounters.md B4; issue 14]."""

from __future__ import annotations

import pytest

from assistant.units import MissingDetailError, UnitsRequest, calculate

CASES = [
    pytest.param("ccm_staff", 19, {}, id="ccm-19-min-nothing"),
    pytest.param("ccm_staff", 20, {"99490": 1}, id="ccm-20-min-99490"),
    pytest.param("ccm_staff", 39, {"99490": 1}, id="ccm-39-min-99490-only"),
    pytest.param("ccm_staff", 40, {"99490": 1, "99439": 1}, id="ccm-40-min-first-99439"),
    pytest.param("ccm_staff", 59, {"99490": 1, "99439": 1}, id="ccm-59-min-one-99439"),
    pytest.param("ccm_staff", 60, {"99490": 1, "99439": 2}, id="ccm-60-min-two-99439"),
    pytest.param("ccm_complex", 59, {}, id="complex-59-min-nothing"),
    pytest.param("ccm_complex", 60, {"99487": 1}, id="complex-60-min-99487"),
    pytest.param("ccm_complex", 89, {"99487": 1}, id="complex-89-min-no-99489"),
    pytest.param("ccm_complex", 90, {"99487": 1, "99489": 1}, id="complex-90-min-99489"),
    pytest.param("ccm_complex", 120, {"99487": 1, "99489": 2}, id="complex-120-min-two-99489"),
    pytest.param("ccm_physician", 29, {}, id="physician-ccm-29-min-nothing"),
    pytest.param("ccm_physician", 30, {"99491": 1}, id="physician-ccm-30-min-99491"),
    pytest.param("ccm_physician", 59, {"99491": 1}, id="physician-ccm-59-min-no-99437"),
    pytest.param("ccm_physician", 60, {"99491": 1, "99437": 1}, id="physician-ccm-60-min-99437"),
    pytest.param("pcm_physician", 29, {}, id="pcm-physician-29-min-nothing"),
    pytest.param("pcm_physician", 30, {"99424": 1}, id="pcm-physician-30-min-99424"),
    pytest.param("pcm_physician", 59, {"99424": 1}, id="pcm-physician-59-min-no-99425"),
    pytest.param("pcm_physician", 60, {"99424": 1, "99425": 1}, id="pcm-physician-60-min-99425"),
    pytest.param("pcm_staff", 29, {}, id="pcm-staff-29-min-nothing"),
    pytest.param("pcm_staff", 30, {"99426": 1}, id="pcm-staff-30-min-99426"),
    pytest.param("pcm_staff", 59, {"99426": 1}, id="pcm-staff-59-min-no-99427"),
    pytest.param("pcm_staff", 60, {"99426": 1, "99427": 1}, id="pcm-staff-60-min-99427"),
]


@pytest.mark.parametrize(("program", "minutes", "expected"), CASES)
@pytest.mark.parametrize("payer", ["cpt", "medicare"])
def test_care_management(billed, program, minutes, expected, payer):
    assert billed(family="care_management", care_program=program, minutes=minutes, payer=payer) == expected


def test_program_is_asked_with_each_answer():
    with pytest.raises(MissingDetailError) as error:
        calculate(UnitsRequest(family="care_management", minutes=45))
    assert "99490" in str(error.value) and "99487" in str(error.value)


def test_minutes_are_per_month_and_full_thresholds(calc):
    result = calc(family="care_management", care_program="ccm_staff", minutes=30)
    assert any("calendar month" in w for w in result.warnings)
    assert "calendar month" in result.rule


def test_99489_at_85_minutes_names_the_other_reading(calc):
    result = calc(family="care_management", care_program="ccm_complex", minutes=85)
    assert [line.code for line in result.lines] == ["99487"]
    assert any("85 minutes" in w for w in result.warnings)


def test_medicare_99439_mue_is_named(calc):
    result = calc(family="care_management", care_program="ccm_staff", minutes=80, payer="medicare")
    assert any("MUE" in w and "99439" in w for w in result.warnings)
