"""Therapeutic IV infusion, IV push and injection in one encounter [rules.md 2]."""

from __future__ import annotations

import datetime

import pytest

from assistant.units import sources as src

INFUSION_CASES = [
    pytest.param(15, {"96374": 1}, id="15-min-infusion-is-a-push"),
    pytest.param(16, {"96365": 1}, id="16-min-infusion"),
    pytest.param(60, {"96365": 1}, id="60-min"),
    pytest.param(75, {"96365": 1}, id="75-min-initial-only"),
    pytest.param(90, {"96365": 1}, id="90-min-no-add-on"),
    pytest.param(91, {"96365": 1, "96366": 1}, id="91-min-one-add-on"),
    pytest.param(105, {"96365": 1, "96366": 1}, id="1h45-one-add-on"),
    pytest.param(150, {"96365": 1, "96366": 1}, id="150-min-one-add-on"),
    pytest.param(151, {"96365": 1, "96366": 2}, id="151-min-two-add-ons"),
]


@pytest.mark.parametrize(("minutes", "expected"), INFUSION_CASES)
@pytest.mark.parametrize("setting", ["professional", "facility"])
def test_therapeutic_infusion_units(billed, minutes, expected, setting):
    assert billed(family="iv_infusion", minutes=minutes, setting=setting) == expected


def test_75_minutes_does_not_give_96366(billed):
    assert "96366" not in billed(family="iv_infusion", minutes=75)


def test_short_infusion_says_it_is_a_push(calc):
    result = calc(family="iv_infusion", minutes=15)
    assert any("15 minutes or less" in w for w in result.warnings)
    assert src.PUSH_DEFINITION in result.citations


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({}, {"96374": 1}, id="one-push"),
        pytest.param({"pushes": 3}, {"96374": 1, "96375": 2}, id="three-new-drugs"),
        pytest.param({"minutes": 15}, {"96374": 1}, id="15-min-push-stays-push"),
        pytest.param({"minutes": 16}, {"96365": 1}, id="16-min-push-is-an-infusion"),
        pytest.param(
            {"pushes": 2, "setting": "facility", "same_drug_pushes": 1},
            {"96374": 1, "96375": 1, "96376": 1},
            id="facility-same-drug-96376",
        ),
    ],
)
def test_pushes(billed, fields, expected):
    assert billed(family="iv_push", **fields) == expected


def test_professional_claim_never_reports_96376(calc):
    result = calc(family="iv_push", pushes=1, same_drug_pushes=2, setting="professional")
    assert "96376" not in {line.code for line in result.lines}
    assert any("facilities only" in w and "status X" in w for w in result.warnings)
    assert src.PUSH_96376_FACILITY in result.citations


def test_facility_hierarchy_makes_the_infusion_initial(calc):
    result = calc(family="iv_infusion", minutes=75, pushes=2, setting="facility")
    assert {line.code: line.units for line in result.lines} == {"96365": 1, "96375": 2}
    assert src.INITIAL_FACILITY in result.citations
    assert not any("Ambiguous" in w for w in result.warnings)


def test_professional_without_primary_reason_warns_ambiguous(calc):
    result = calc(family="iv_infusion", minutes=75, pushes=1, setting="professional")
    assert any(w.startswith("Ambiguous") and "primary reason" in w for w in result.warnings)
    assert src.INITIAL_PROFESSIONAL in result.citations
    assert sum(1 for line in result.lines if line.code in ("96365", "96374")) == 1  # one initial only


def test_professional_push_as_primary_reason(billed):
    lines = billed(family="iv_infusion", minutes=105, pushes=2, primary_service="push")
    assert lines == {"96374": 1, "96367": 1, "96366": 1, "96375": 1}
    assert "96365" not in lines


def test_sequential_and_concurrent_drugs(billed):
    lines = billed(family="iv_infusion", minutes=60, sequential_infusions=2, concurrent_infusion=True)
    assert lines == {"96365": 1, "96367": 2, "96368": 1}


def test_concurrent_needs_an_infusion(calc):
    result = calc(family="iv_push", concurrent_infusion=True)
    assert "96368" not in {line.code for line in result.lines}
    assert any("96368" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({}, {"96372": 1}, id="one-injection"),
        pytest.param({"injections": 2}, {"96372": 2}, id="two-injections"),
    ],
)
def test_injections(billed, fields, expected):
    assert billed(family="injection", **fields) == expected


def test_injection_with_an_infusion_points_at_ptp(calc):
    result = calc(family="iv_infusion", minutes=60, injections=1)
    assert {line.code: line.units for line in result.lines} == {"96365": 1, "96372": 1}
    assert any("PTP" in w for w in result.warnings)


def test_no_service_is_not_billable(calc):
    result = calc(family="injection", injections=0)
    assert result.lines == []
    assert result.not_billable_reason


def test_ed_example_short_bolus_with_morphine_push(billed, calc):
    """AHIMA example: a 7:00-7:20 hydration bolus plus a morphine push codes as 96374 only."""
    hydration = calc(family="hydration", start=datetime.time(7, 0), end=datetime.time(7, 20))
    assert hydration.lines == [] and "30 minutes or less" in hydration.not_billable_reason
    assert billed(family="iv_push") == {"96374": 1}
