"""Subcutaneous infusion 96369 / +96370 / +96371 [rules.md 1], every worked example and both sides of each boundary."""

from __future__ import annotations

import pytest

from assistant.units import sources as src

CASES = [
    pytest.param(10, {"96372": 1}, id="10-min-is-96372-unconfirmed"),
    pytest.param(15, {"96372": 1}, id="15-min-still-96372"),
    pytest.param(16, {"96369": 1}, id="16-min-floor-96369"),
    pytest.param(60, {"96369": 1}, id="60-min-first-hour"),
    pytest.param(61, {"96369": 1}, id="61-min-no-add-on"),
    pytest.param(90, {"96369": 1}, id="90-min-no-add-on"),
    pytest.param(91, {"96369": 1, "96370": 1}, id="91-min-one-add-on"),
    pytest.param(150, {"96369": 1, "96370": 1}, id="150-min-one-add-on"),
    pytest.param(151, {"96369": 1, "96370": 2}, id="151-min-two-add-ons"),
    pytest.param(210, {"96369": 1, "96370": 2}, id="210-min-two-add-ons"),
    pytest.param(211, {"96369": 1, "96370": 3}, id="211-min-three-add-ons"),
    pytest.param(240, {"96369": 1, "96370": 3}, id="240-min-three-add-ons"),
]


@pytest.mark.parametrize(("minutes", "expected"), CASES)
@pytest.mark.parametrize("payer", ["cpt", "medicare"])
def test_subq_units_by_minutes(billed, minutes, expected, payer):
    assert billed(family="subq_infusion", minutes=minutes, payer=payer) == expected


def test_2_5_hours_is_one_add_on_not_two(calc):
    result = calc(family="subq_infusion", minutes=150)
    units = {line.code: line.units for line in result.lines}
    assert units["96370"] == 1, "150 minutes is not past 151: it does NOT give a second 96370"
    assert "more than 30 minutes" in result.rule
    assert src.CPT_TIME_RULE in result.citations
    assert result.lines[1].add_on_to == ["96369"]
    assert result.payer == "cpt"


def test_90_minutes_gives_no_96370(billed):
    assert "96370" not in billed(family="subq_infusion", minutes=90)


@pytest.mark.parametrize(
    ("minutes", "snippet"),
    [
        pytest.param(10, "96372", id="short-infusion-96372-note"),
        pytest.param(16, "16-minute floor", id="floor-note"),
        pytest.param(30, "16-minute floor", id="floor-note-at-30"),
        pytest.param(91, "96370 parenthetical", id="add-on-parenthetical-note"),
    ],
)
def test_unconfirmed_rules_carry_a_caveat(calc, minutes, snippet):
    result = calc(family="subq_infusion", minutes=minutes)
    assert result.unconfirmed
    caveats = [w for w in result.warnings if "UNCONFIRMED" in w]
    assert any(snippet in w for w in caveats), result.warnings


def test_first_hour_alone_is_confirmed(calc):
    result = calc(family="subq_infusion", minutes=60)
    assert not result.unconfirmed
    assert result.warnings == []


def test_short_infusion_cites_the_unconfirmed_note(calc):
    assert src.SUBQ_FLOOR_UNCONFIRMED in calc(family="subq_infusion", minutes=15).citations


def test_two_sites_from_one_pump_set_up_is_96369_only(calc):
    result = calc(family="subq_infusion", minutes=60, sites=2)
    assert {line.code: line.units for line in result.lines} == {"96369": 1}
    assert result.unconfirmed
    assert any("clearcostestimate" in w and "UNCONFIRMED" in w for w in result.warnings)


def test_second_pump_set_up_later_adds_96371(calc):
    result = calc(family="subq_infusion", minutes=60, pump_setups=2)
    assert {line.code: line.units for line in result.lines} == {"96369": 1, "96371": 1}
    assert result.lines[1].add_on_to == ["96369"]
    assert result.unconfirmed  # the one-pump-set-up-vs-each-site conflict


def test_third_pump_set_up_is_capped_at_one_with_a_caveat(calc):
    result = calc(family="subq_infusion", minutes=60, pump_setups=3)
    assert {line.code: line.units for line in result.lines} == {"96369": 1, "96371": 1}
    assert any("once per encounter" in w and "UNCONFIRMED" in w and "MUE is 1" in w for w in result.warnings)
    assert src.SUBQ_ONCE_UNCONFIRMED in result.citations


def test_pump_set_up_needs_96369(billed):
    """A 10-minute infusion is 96372 (unconfirmed): +96371 has no primary to go with."""
    assert billed(family="subq_infusion", minutes=10, pump_setups=2) == {"96372": 1}


def test_rule_names_both_payers_agree(calc):
    result = calc(family="subq_infusion", minutes=91, payer="medicare")
    assert result.payer == "medicare"
    assert "Medicare" in result.rule
