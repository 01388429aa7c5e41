"""Office E/M by total time [rules.md 8] with prolonged services 99417 / G2212 [rules.md 5]."""

from __future__ import annotations

import pytest

from assistant.units import MissingDetailError, calculate_minutes
from assistant.units import sources as src

NEW_CPT = [
    pytest.param(14, {}, id="new-14-by-mdm"),
    pytest.param(15, {"99202": 1}, id="new-15-99202"),
    pytest.param(29, {"99202": 1}, id="new-29-99202"),
    pytest.param(30, {"99203": 1}, id="new-30-99203"),
    pytest.param(44, {"99203": 1}, id="new-44-99203"),
    pytest.param(45, {"99204": 1}, id="new-45-99204"),
    pytest.param(59, {"99204": 1}, id="new-59-99204"),
    pytest.param(60, {"99205": 1}, id="new-60-99205"),
    pytest.param(74, {"99205": 1}, id="new-74-no-99417"),
    pytest.param(75, {"99205": 1, "99417": 1}, id="new-75-first-99417"),
    pytest.param(89, {"99205": 1, "99417": 1}, id="new-89-one-99417"),
    pytest.param(90, {"99205": 1, "99417": 2}, id="new-90-two-99417"),
    pytest.param(105, {"99205": 1, "99417": 3}, id="new-105-three-99417"),
]
ESTABLISHED_CPT = [
    pytest.param(9, {}, id="est-9-by-mdm"),
    pytest.param(10, {"99212": 1}, id="est-10-99212"),
    pytest.param(19, {"99212": 1}, id="est-19-99212"),
    pytest.param(20, {"99213": 1}, id="est-20-99213"),
    pytest.param(29, {"99213": 1}, id="est-29-99213"),
    pytest.param(30, {"99214": 1}, id="est-30-99214"),
    pytest.param(39, {"99214": 1}, id="est-39-99214"),
    pytest.param(40, {"99215": 1}, id="est-40-99215"),
    pytest.param(54, {"99215": 1}, id="est-54-no-99417"),
    pytest.param(55, {"99215": 1, "99417": 1}, id="est-55-first-99417"),
    pytest.param(69, {"99215": 1, "99417": 1}, id="est-69-one-99417"),
    pytest.param(70, {"99215": 1, "99417": 2}, id="est-70-two-99417"),
    pytest.param(85, {"99215": 1, "99417": 3}, id="est-85-three-99417"),
]
NEW_MEDICARE = [
    pytest.param(60, {"99205": 1}, id="new-60-99205"),
    pytest.param(75, {"99205": 1}, id="new-75-no-prolonged"),
    pytest.param(88, {"99205": 1}, id="new-88-no-G2212"),
    pytest.param(89, {"99205": 1, "G2212": 1}, id="new-89-first-G2212"),
    pytest.param(103, {"99205": 1, "G2212": 1}, id="new-103-one-G2212"),
    pytest.param(104, {"99205": 1, "G2212": 2}, id="new-104-two-G2212"),
    pytest.param(118, {"99205": 1, "G2212": 2}, id="new-118-two-G2212"),
    pytest.param(119, {"99205": 1, "G2212": 3}, id="new-119-three-G2212"),
]
ESTABLISHED_MEDICARE = [
    pytest.param(40, {"99215": 1}, id="est-40-99215"),
    pytest.param(55, {"99215": 1}, id="est-55-no-prolonged"),
    pytest.param(68, {"99215": 1}, id="est-68-no-G2212"),
    pytest.param(69, {"99215": 1, "G2212": 1}, id="est-69-first-G2212"),
    pytest.param(83, {"99215": 1, "G2212": 1}, id="est-83-one-G2212"),
    pytest.param(84, {"99215": 1, "G2212": 2}, id="est-84-two-G2212"),
    pytest.param(98, {"99215": 1, "G2212": 2}, id="est-98-two-G2212"),
]


@pytest.mark.parametrize(("minutes", "expected"), NEW_CPT)
def test_new_patient_cpt(billed, minutes, expected):
    assert billed(family="office_em", minutes=minutes, patient="new") == expected


@pytest.mark.parametrize(("minutes", "expected"), ESTABLISHED_CPT)
def test_established_patient_cpt(billed, minutes, expected):
    assert billed(family="office_em", minutes=minutes, patient="established") == expected


@pytest.mark.parametrize(("minutes", "expected"), NEW_MEDICARE)
def test_new_patient_medicare(billed, minutes, expected):
    assert billed(family="office_em", minutes=minutes, patient="new", payer="medicare") == expected


@pytest.mark.parametrize(("minutes", "expected"), ESTABLISHED_MEDICARE)
def test_established_patient_medicare(billed, minutes, expected):
    assert billed(family="office_em", minutes=minutes, patient="established", payer="medicare") == expected


@pytest.mark.parametrize("patient", ["new", "established"])
def test_medicare_never_99417_and_cpt_never_g2212(patient):
    for minutes in range(1, 24 * 60 + 1):
        medicare = dict(calculate_minutes("office_em", minutes, "medicare", (patient,)))
        cpt = dict(calculate_minutes("office_em", minutes, "cpt", (patient,)))
        assert "99417" not in medicare, minutes
        assert "G2212" not in cpt, minutes


def test_medicare_answer_cites_cms_and_flags_2024_adoption(calc):
    result = calc(family="office_em", minutes=89, patient="new", payer="medicare")
    assert src.PROLONGED_MEDICARE in result.citations
    assert result.unconfirmed
    assert any("UNCONFIRMED" in w and "2024" in w for w in result.warnings)
    assert any("99417" in w for w in result.warnings), "says why 99417 is not used"


def test_cpt_prolonged_names_the_medicare_code(calc):
    result = calc(family="office_em", minutes=75, patient="new", payer="cpt")
    assert src.PROLONGED_CPT in result.citations
    assert any("G2212" in w and "89" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("patient", "minutes"), [pytest.param("new", 14, id="new-14"), pytest.param("established", 9, id="est-9")]
)
def test_below_lowest_threshold_says_choose_by_mdm(calc, patient, minutes):
    result = calc(family="office_em", minutes=minutes, patient=patient)
    assert result.lines == []
    assert "MDM" in result.not_billable_reason


def test_missing_patient_type_asks_with_both_answers(calc):
    with pytest.raises(MissingDetailError) as error:
        calc(family="office_em", minutes=45)
    message = str(error.value)
    assert "new or established" in message
    assert "99204" in message and "99215" in message
