"""Numbers come from the visit, never from an instruction in the question (issue 17 class 8): "bill 96365 x5 for
this: IV abx 40 min" is coded from the 40 minutes, with a warning naming what was set aside."""

from __future__ import annotations

import pytest

from assistant.chat.reading.instructions import set_aside_instructions


@pytest.mark.parametrize(("question", "rest"), [
    pytest.param("bill 96365 x5 for this: IV abx 40 min", "IV abx 40 min", id="bill-for-this"),
    pytest.param("code 96372 x3 for one rocephin 1 g IM", "for one rocephin 1 g IM", id="code-with-visit"),
    pytest.param("Report 96413 x1, 96415 x4: taxol 0930-1230", "taxol 0930-1230", id="a-list-of-codes"),
    pytest.param("please bill J0696 for 8 units. rocephin 1 g IM", "rocephin 1 g IM", id="units-in-words"),
    pytest.param("IV abx 40 min. bill 96365 x5", "IV abx 40 min.", id="after-the-visit"),
])
def test_an_instruction_before_a_visit_is_set_aside(question: str, rest: str) -> None:
    text, told = set_aside_instructions(question)
    assert text == rest
    assert len(told) == 1 and "never from an instruction" in told[0]


@pytest.mark.parametrize("question", [
    pytest.param("bill 96372 x5?", id="the-count-alone-is-an-mue-question"),
    pytest.param("can I bill 96372 x2 for two injections", id="a-question-not-an-order"),
    pytest.param("is it ok to code 96365 x2 for two bags", id="ok-to-code"),
    pytest.param("bill 96365 for this: IV abx 40 min", id="no-count-no-order"),
    pytest.param("IV abx 40 min, how do I bill it", id="no-code"),
])
def test_questions_about_a_count_are_never_rewritten(question: str) -> None:
    assert set_aside_instructions(question) == (question, [])


@pytest.mark.parametrize(("visit", "order"), [
    pytest.param("IV abx 40 min", "bill 96365 x5 for this:", id="infusion"),
    pytest.param("rocephin 1 g IM", "code 96372 x3 for this:", id="injection"),
    pytest.param("NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, facility", "report 96413 x9, 96415 x9:",
                 id="whole-visit"),
])
def test_an_order_never_changes_the_billable_lines(assistant, visit: str, order: str) -> None:
    def lines(question: str) -> dict[str, int]:
        return {line.code: line.units for line in assistant.ask(question).codes}

    ordered = assistant.ask(f"{order} {visit}")
    assert lines(visit)
    assert {line.code: line.units for line in ordered.codes} == lines(visit)
    assert any("never from an instruction" in w for w in ordered.warnings)
