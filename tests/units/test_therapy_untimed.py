"""PT/OT untimed codes beside the timed ones: 1 unit each, outside the 8-minute total [encounters.md B2; issue 14]."""

from __future__ import annotations

import pytest

from assistant.units import InvalidCountError, UnitsRequest, calculate
from assistant.units import sources as src

CASES = [
    pytest.param(
        "medicare", {"97110": 20}, ["97162"], {"97162": 1, "97110": 1}, id="medicare-eval-plus-ther-ex-issue-row"
    ),
    pytest.param(
        "medicare", {"97110": 30, "97014": 15, "97140": 10}, None, {"97110": 2, "97140": 1, "G0283": 1},
        id="medicare-97014-becomes-g0283-issue-row",
    ),
    pytest.param(
        "medicare", {"97110": 15, "97112": 15, "97140": 15, "97530": 5}, None,
        {"97110": 1, "97112": 1, "97140": 1}, id="medicare-four-codes-issue-row",
    ),
    pytest.param(
        "medicare", {"97110": 7}, ["97162"], {"97162": 1}, id="medicare-7-timed-min-only-the-eval",
    ),
    pytest.param(
        "medicare", {"97110": 8}, ["97162"], {"97162": 1, "97110": 1}, id="medicare-8-timed-min-eval-and-one-unit",
    ),
    pytest.param(
        "medicare", {"97110": 22, "97014": 30}, None, {"97110": 1, "G0283": 1},
        id="medicare-estim-minutes-not-in-total-22",
    ),
    pytest.param(
        "medicare", {"97110": 23, "97014": 30}, None, {"97110": 2, "G0283": 1},
        id="medicare-estim-minutes-not-in-total-23",
    ),
    pytest.param("medicare", None, ["97161"], {"97161": 1}, id="medicare-eval-alone"),
    pytest.param("medicare", {"97110": 30}, ["97010"], {"97110": 2}, id="medicare-hot-pack-bundled"),
    pytest.param("cpt", {"97110": 20, "97014": 15}, None, {"97110": 1, "97014": 1}, id="cpt-keeps-97014"),
    pytest.param("cpt", {"97110": 30}, ["97010"], {"97110": 2, "97010": 1}, id="cpt-hot-pack-one-unit"),
    pytest.param(
        "cpt", {"97110": 8, "97140": 8}, ["97163"], {"97163": 1, "97110": 1, "97140": 1}, id="cpt-per-code-with-eval"
    ),
]


@pytest.mark.parametrize(("payer", "code_minutes", "untimed", "expected"), CASES)
def test_untimed_codes(billed, payer, code_minutes, untimed, expected):
    assert billed(family="therapy", payer=payer, code_minutes=code_minutes, untimed_codes=untimed) == expected


def test_evaluation_comes_first_and_cites_chapter_5(calc):
    result = calc(family="therapy", payer="medicare", code_minutes={"97110": 20}, untimed_codes=["97162"])
    assert [line.code for line in result.lines] == ["97162", "97110"]
    assert src.THERAPY_UNTIMED in result.citations
    assert result.minutes == 20  # the untimed code's time is not in the timed total


def test_97014_replacement_is_explained(calc):
    result = calc(family="therapy", payer="medicare", code_minutes={"97110": 30, "97014": 15})
    assert any("G0283" in w and "97014" in w for w in result.warnings)


def test_an_unknown_untimed_code_is_refused():
    with pytest.raises(InvalidCountError) as error:
        calculate(UnitsRequest(family="therapy", untimed_codes=["97110"]))
    assert "97110" in str(error.value)
