"""Critical care 99291 / +99292 [rules.md 4]: the CPT table and Medicare's 104-minute rule."""

from __future__ import annotations

import pytest

from assistant.units import sources as src

CPT_CASES = [
    pytest.param(29, {}, id="29-min-other-em"),
    pytest.param(30, {"99291": 1}, id="30-min-99291"),
    pytest.param(74, {"99291": 1}, id="74-min-99291-only"),
    pytest.param(75, {"99291": 1, "99292": 1}, id="75-min-first-99292"),
    pytest.param(103, {"99291": 1, "99292": 1}, id="103-min"),
    pytest.param(104, {"99291": 1, "99292": 1}, id="104-min"),
    pytest.param(105, {"99291": 1, "99292": 2}, id="105-min-second-99292"),
    pytest.param(133, {"99291": 1, "99292": 2}, id="133-min"),
    pytest.param(134, {"99291": 1, "99292": 2}, id="134-min"),
    pytest.param(135, {"99291": 1, "99292": 3}, id="135-min-third-99292"),
]
MEDICARE_CASES = [
    pytest.param(29, {}, id="29-min-other-em"),
    pytest.param(30, {"99291": 1}, id="30-min-99291"),
    pytest.param(74, {"99291": 1}, id="74-min"),
    pytest.param(75, {"99291": 1}, id="75-min-no-99292"),
    pytest.param(103, {"99291": 1}, id="103-min-no-99292"),
    pytest.param(104, {"99291": 1, "99292": 1}, id="104-min-first-99292"),
    pytest.param(133, {"99291": 1, "99292": 1}, id="133-min"),
    pytest.param(134, {"99291": 1, "99292": 2}, id="134-min-second-99292"),
    pytest.param(163, {"99291": 1, "99292": 2}, id="163-min"),
    pytest.param(164, {"99291": 1, "99292": 3}, id="164-min-third-99292"),
]


@pytest.mark.parametrize(("minutes", "expected"), CPT_CASES)
def test_cpt_table(billed, minutes, expected):
    assert billed(family="critical_care", minutes=minutes, payer="cpt") == expected


@pytest.mark.parametrize(("minutes", "expected"), MEDICARE_CASES)
def test_medicare_rule(billed, minutes, expected):
    assert billed(family="critical_care", minutes=minutes, payer="medicare") == expected


def test_80_minutes_medicare_does_not_give_99292(calc):
    result = calc(family="critical_care", minutes=80, payer="medicare")
    assert "99292" not in {line.code for line in result.lines}
    assert result.payer == "medicare"
    assert "Medicare" in result.rule and "104" in result.rule
    assert src.CRITICAL_CARE_MEDICARE in result.citations
    assert any("75" in w for w in result.warnings), "the CPT difference is named"


def test_80_minutes_cpt_names_the_medicare_difference(calc):
    result = calc(family="critical_care", minutes=80, payer="cpt")
    assert src.CRITICAL_CARE_CPT in result.citations
    assert any("Medicare" in w and "104" in w for w in result.warnings)


def test_under_30_minutes_is_other_em(calc):
    result = calc(family="critical_care", minutes=29)
    assert result.lines == []
    assert "other E/M" in result.not_billable_reason


@pytest.mark.parametrize("payer", ["cpt", "medicare"])
def test_exactly_30_minutes_warns_30_vs_31(calc, payer):
    assert any("31" in w for w in calc(family="critical_care", minutes=30, payer=payer).warnings)
    assert not any("31" in w for w in calc(family="critical_care", minutes=31, payer=payer).warnings)
