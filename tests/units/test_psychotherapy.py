"""Psychotherapy 90832 / 90834 / 90837 and the E/M add-ons 90833 / 90836 / 90838 [rules.md 6]."""

from __future__ import annotations

import pytest

from assistant.units import sources as src

ALONE = [
    pytest.param(15, {}, id="15-min-not-reported"),
    pytest.param(16, {"90832": 1}, id="16-min-90832"),
    pytest.param(37, {"90832": 1}, id="37-min-90832"),
    pytest.param(38, {"90834": 1}, id="38-min-90834"),
    pytest.param(52, {"90834": 1}, id="52-min-90834"),
    pytest.param(53, {"90837": 1}, id="53-min-90837"),
    pytest.param(90, {"90837": 1}, id="90-min-still-one-unit"),
]
WITH_EM = [
    pytest.param(15, {}, id="15-min-not-reported"),
    pytest.param(16, {"90833": 1}, id="16-min-90833"),
    pytest.param(37, {"90833": 1}, id="37-min-90833"),
    pytest.param(38, {"90836": 1}, id="38-min-90836"),
    pytest.param(52, {"90836": 1}, id="52-min-90836"),
    pytest.param(53, {"90838": 1}, id="53-min-90838"),
]


@pytest.mark.parametrize(("minutes", "expected"), ALONE)
@pytest.mark.parametrize("payer", ["cpt", "medicare"])
def test_psychotherapy_alone(billed, minutes, expected, payer):
    assert billed(family="psychotherapy", minutes=minutes, payer=payer) == expected


@pytest.mark.parametrize(("minutes", "expected"), WITH_EM)
def test_psychotherapy_with_em(billed, minutes, expected):
    assert billed(family="psychotherapy", minutes=minutes, with_em=True) == expected


def test_under_16_minutes_says_why(calc):
    result = calc(family="psychotherapy", minutes=15)
    assert "under 16 minutes" in result.not_billable_reason
    assert src.PSYCHOTHERAPY in result.citations


def test_add_on_names_the_same_day_em(calc):
    result = calc(family="psychotherapy", minutes=40, with_em=True)
    assert "99214" in result.lines[0].add_on_to
    assert any("E/M" in w and "exclude" in w for w in result.warnings)
