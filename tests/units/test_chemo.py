"""Chemotherapy infusion and push [rules.md 3]."""

from __future__ import annotations

import pytest

from assistant.units import sources as src

INFUSION_CASES = [
    pytest.param(15, {"96409": 1}, id="15-min-is-a-chemo-push"),
    pytest.param(16, {"96413": 1}, id="16-min-infusion"),
    pytest.param(60, {"96413": 1}, id="60-min"),
    pytest.param(90, {"96413": 1}, id="90-min-no-add-on"),
    pytest.param(91, {"96413": 1, "96415": 1}, id="91-min-one-add-on"),
    pytest.param(150, {"96413": 1, "96415": 1}, id="150-min-one-add-on"),
    pytest.param(151, {"96413": 1, "96415": 2}, id="151-min-two-add-ons"),
    pytest.param(480, {"96413": 1, "96415": 7}, id="8-hours-seven-add-ons"),
]


@pytest.mark.parametrize(("minutes", "expected"), INFUSION_CASES)
def test_chemo_infusion_units(billed, minutes, expected):
    assert billed(family="chemo_infusion", minutes=minutes) == expected


def test_chemo_infusion_cites_the_96415_note(calc):
    result = calc(family="chemo_infusion", minutes=120)
    assert src.CHEMO_INFUSION in result.citations


def test_sequential_drug_and_pushes_after_the_infusion(billed):
    lines = billed(family="chemo_infusion", minutes=60, sequential_infusions=1, pushes=2)
    assert lines == {"96413": 1, "96417": 1, "96411": 2}


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        pytest.param(480, {"96413": 1, "96415": 7}, id="8-hours-with-pump-is-not-96416"),
        pytest.param(481, {"96416": 1}, id="over-8-hours-with-pump-96416"),
    ],
)
def test_prolonged_pump_infusion(billed, minutes, expected):
    assert billed(family="chemo_infusion", minutes=minutes, prolonged_pump=True) == expected


def test_over_8_hours_without_pump_is_time_based(billed):
    assert billed(family="chemo_infusion", minutes=481) == {"96413": 1, "96415": 7}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({}, {"96409": 1}, id="one-chemo-push"),
        pytest.param({"pushes": 3}, {"96409": 1, "96411": 2}, id="three-chemo-drugs"),
        pytest.param({"minutes": 15}, {"96409": 1}, id="15-min-still-push"),
        pytest.param({"minutes": 16}, {"96413": 1}, id="16-min-push-is-an-infusion"),
    ],
)
def test_chemo_push(billed, fields, expected):
    assert billed(family="chemo_push", **fields) == expected
