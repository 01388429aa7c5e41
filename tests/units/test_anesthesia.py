"""Anesthesia time units [rules.md 10]."""

from __future__ import annotations

import pytest

from assistant.units import InvalidCountError
from assistant.units import sources as src


@pytest.mark.parametrize(
    ("minutes", "time_units"),
    [
        pytest.param(1, 0.1, id="1-min"),
        pytest.param(7, 0.5, id="7-min-rounds-up-to-0.5"),
        pytest.param(8, 0.5, id="8-min-rounds-down-to-0.5"),
        pytest.param(15, 1.0, id="15-min-one-unit"),
        pytest.param(22, 1.5, id="22-min"),
        pytest.param(37, 2.5, id="37-min"),
        pytest.param(52, 3.5, id="52-min"),
        pytest.param(60, 4.0, id="60-min"),
        pytest.param(100, 6.7, id="100-min"),
    ],
)
def test_medicare_time_units(calc, minutes, time_units):
    result = calc(family="anesthesia", minutes=minutes, payer="medicare", base_units=5)
    assert result.anesthesia_time_units == time_units
    assert result.anesthesia_total_units == pytest.approx(5 + time_units)
    assert src.ANESTHESIA_MEDICARE in result.citations
    assert not result.unconfirmed


def test_medicare_line_carries_the_minutes(calc):
    result = calc(family="anesthesia", minutes=37, payer="medicare", anesthesia_code="00790", base_units=8)
    assert [(line.code, line.units) for line in result.lines] == [("00790", 37)]


def test_medicare_without_code_says_what_to_report(calc):
    result = calc(family="anesthesia", minutes=37, payer="medicare", base_units=8)
    assert result.lines == []
    assert "37" in result.not_billable_reason


def test_commercial_rounding_is_unconfirmed(calc):
    result = calc(family="anesthesia", minutes=37, payer="cpt", base_units=5, anesthesia_code="00790")
    assert result.unconfirmed
    assert result.lines == []
    assert any("UNCONFIRMED" in w and "2 unit(s) rounded down or 3 rounded up" in w for w in result.warnings)


def test_missing_base_units_warns(calc):
    result = calc(family="anesthesia", minutes=30, payer="medicare")
    assert result.anesthesia_total_units is None
    assert any("Base units" in w for w in result.warnings)


def test_negative_base_units_is_an_error(calc):
    with pytest.raises(InvalidCountError):
        calc(family="anesthesia", minutes=30, base_units=-1)
