"""PT/OT timed codes [rules.md 7]: Medicare's 8-minute rule with allocation, and the per-code CPT rule."""

from __future__ import annotations

import pytest

from assistant.units import InvalidCountError, MissingDetailError
from assistant.units import sources as src

MEDICARE_TOTALS = [
    pytest.param(7, 0, id="7-min-nothing"),
    pytest.param(8, 1, id="8-min-one"),
    pytest.param(22, 1, id="22-min-one"),
    pytest.param(23, 2, id="23-min-two"),
    pytest.param(37, 2, id="37-min-two"),
    pytest.param(38, 3, id="38-min-three"),
    pytest.param(52, 3, id="52-min-three"),
    pytest.param(53, 4, id="53-min-four"),
    pytest.param(67, 4, id="67-min-four"),
    pytest.param(68, 5, id="68-min-five"),
    pytest.param(82, 5, id="82-min-five"),
    pytest.param(83, 6, id="83-min-six"),
    pytest.param(97, 6, id="97-min-six"),
    pytest.param(98, 7, id="98-min-seven"),
    pytest.param(112, 7, id="112-min-seven"),
    pytest.param(113, 8, id="113-min-eight"),
    pytest.param(127, 8, id="127-min-eight"),
]


@pytest.mark.parametrize(("minutes", "units"), MEDICARE_TOTALS)
def test_medicare_chart_single_code(billed, minutes, units):
    expected = {"97110": units} if units else {}
    assert billed(family="therapy", code_minutes={"97110": minutes}, payer="medicare") == expected


@pytest.mark.parametrize(
    ("code_minutes", "expected"),
    [
        pytest.param({"97112": 24, "97110": 23}, {"97112": 2, "97110": 1}, id="cms-example-1-24-23"),
        pytest.param({"97110": 33, "97140": 7}, {"97110": 2, "97140": 1}, id="cms-example-3-7-min-beats-3"),
        pytest.param({"97110": 8, "97140": 8}, {"97110": 1}, id="8-plus-8-is-one-unit"),
        pytest.param({"97110": 7, "97140": 7}, {"97110": 1}, id="7-plus-7-is-one-unit"),
        pytest.param({"97110": 5, "97140": 2}, {}, id="7-total-nothing"),
    ],
)
def test_medicare_allocation(billed, code_minutes, expected):
    assert billed(family="therapy", code_minutes=code_minutes, payer="medicare") == expected


def test_cms_example_2_equal_times_warns_either_code(calc):
    result = calc(family="therapy", code_minutes={"97112": 20, "97110": 20}, payer="medicare")
    units = {line.code: line.units for line in result.lines}
    assert sum(units.values()) == 3
    assert sorted(units.values()) == [1, 2]
    assert any("Tie" in w and "either" in w for w in result.warnings)
    assert src.THERAPY_MEDICARE in result.citations


def test_unequal_remainders_do_not_warn_a_tie(calc):
    result = calc(family="therapy", code_minutes={"97112": 24, "97110": 23}, payer="medicare")
    assert result.lines
    assert not any("Tie" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("code_minutes", "expected"),
    [
        pytest.param({"97110": 8, "97140": 8}, {"97110": 1, "97140": 1}, id="8-plus-8-is-two-units"),
        pytest.param({"97110": 7, "97140": 7}, {}, id="7-plus-7-nothing"),
        pytest.param({"97112": 24, "97110": 23}, {"97112": 2, "97110": 2}, id="24-23-per-code"),
        pytest.param({"97110": 22}, {"97110": 1}, id="22-one"),
        pytest.param({"97110": 23}, {"97110": 2}, id="23-two"),
        pytest.param({"97110": 33, "97140": 7}, {"97110": 2}, id="7-min-code-gets-nothing"),
    ],
)
def test_cpt_rule_of_8s_per_code(billed, code_minutes, expected):
    assert billed(family="therapy", code_minutes=code_minutes, payer="cpt") == expected


def test_cpt_rule_says_it_is_payer_dependent(calc):
    result = calc(family="therapy", code_minutes={"97110": 8, "97140": 8}, payer="cpt")
    assert src.THERAPY_CPT in result.citations
    assert any("Payer-dependent" in w and "Medicare" in w for w in result.warnings)


def test_under_8_minutes_is_not_billed(calc):
    result = calc(family="therapy", code_minutes={"97110": 7}, payer="medicare")
    assert result.lines == []
    assert "under 8" in result.not_billable_reason


def test_minutes_without_codes_asks_for_the_split(calc):
    with pytest.raises(MissingDetailError, match="3 unit"):
        calc(family="therapy", minutes=38, payer="medicare")


def test_negative_code_minutes_is_an_error(calc):
    with pytest.raises(InvalidCountError, match="97110"):
        calc(family="therapy", code_minutes={"97110": -5})
