"""Moderate sedation 99151-99157 [rules.md 9]."""

from __future__ import annotations

import pytest

from assistant.units import sources as src

CASES = [
    pytest.param(9, {}, id="9-min-not-reported"),
    pytest.param(10, {"99152": 1}, id="10-min-first"),
    pytest.param(22, {"99152": 1}, id="22-min-first-only"),
    pytest.param(23, {"99152": 1, "99153": 1}, id="23-min-one-add-on"),
    pytest.param(37, {"99152": 1, "99153": 1}, id="37-min-one-add-on"),
    pytest.param(38, {"99152": 1, "99153": 2}, id="38-min-two-add-ons"),
    pytest.param(52, {"99152": 1, "99153": 2}, id="52-min-two-add-ons"),
    pytest.param(53, {"99152": 1, "99153": 3}, id="53-min-three-add-ons"),
]


@pytest.mark.parametrize(("minutes", "expected"), CASES)
def test_same_physician_age_5_or_more(billed, minutes, expected):
    assert billed(family="sedation", minutes=minutes) == expected


@pytest.mark.parametrize(
    ("by", "under_5", "expected"),
    [
        pytest.param("same", True, {"99151": 1, "99153": 1}, id="same-under-5"),
        pytest.param("same", False, {"99152": 1, "99153": 1}, id="same-5-plus"),
        pytest.param("other", True, {"99155": 1, "99157": 1}, id="other-under-5"),
        pytest.param("other", False, {"99156": 1, "99157": 1}, id="other-5-plus"),
    ],
)
def test_code_choice(billed, by, under_5, expected):
    assert billed(family="sedation", minutes=30, sedation_by=by, patient_under_5=under_5) == expected


def test_under_10_minutes_says_why(calc):
    result = calc(family="sedation", minutes=9)
    assert "under 10 minutes" in result.not_billable_reason
    assert src.SEDATION in result.citations


def test_medicare_warns_about_99153_in_a_facility(calc):
    with_add_on = calc(family="sedation", minutes=23, payer="medicare")
    assert any("99153" in w and "facility" in w for w in with_add_on.warnings)
    assert src.SEDATION_MEDICARE_FACILITY in with_add_on.citations
    assert calc(family="sedation", minutes=22, payer="medicare").warnings == []
    assert calc(family="sedation", minutes=23, payer="cpt").warnings == []
