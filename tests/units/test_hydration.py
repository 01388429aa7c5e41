"""Hydration 96360 / +96361 [rules.md 2]."""

from __future__ import annotations

import datetime

import pytest

from assistant.units import sources as src

CASES = [
    pytest.param(30, {}, id="30-min-not-reported"),
    pytest.param(31, {"96360": 1}, id="31-min-minimum"),
    pytest.param(60, {"96360": 1}, id="60-min"),
    pytest.param(61, {"96360": 1}, id="61-min-no-add-on"),
    pytest.param(90, {"96360": 1}, id="90-min-no-add-on"),
    pytest.param(91, {"96360": 1, "96361": 1}, id="91-min-one-add-on"),
    pytest.param(150, {"96360": 1, "96361": 1}, id="150-min-one-add-on"),
    pytest.param(151, {"96360": 1, "96361": 2}, id="151-min-two-add-ons"),
    pytest.param(180, {"96360": 1, "96361": 2}, id="180-min-two-add-ons"),
]


@pytest.mark.parametrize(("minutes", "expected"), CASES)
def test_hydration_units(billed, minutes, expected):
    assert billed(family="hydration", minutes=minutes) == expected


@pytest.mark.parametrize("minutes", [1, 20, 30])
def test_hydration_of_30_minutes_or_less_is_not_reported(calc, minutes):
    result = calc(family="hydration", minutes=minutes)
    assert result.lines == []
    assert "30 minutes or less" in result.not_billable_reason


def test_cpt_example_11pm_to_2am(calc):
    result = calc(family="hydration", start=datetime.time(23, 0), end=datetime.time(2, 0))
    assert result.minutes == 180
    assert {line.code: line.units for line in result.lines} == {"96360": 1, "96361": 2}
    assert src.HYDRATION in result.citations
