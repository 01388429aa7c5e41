"""Every row of issue 10's table, through `Assistant.ask` (the same path as `python -m assistant ask`).

Expected lines are issue 10's "right answer" column (rules.md: 1 subq, 3 IV infusion, 4 critical care, 5 psychotherapy,
7 chemotherapy; the drug lines by each HCPCS billing unit). The two hospital rows are not counted by another family's
rule: until the hospital E/M family names them they are "not counted" (a search), never 99291/90834.
"""

from __future__ import annotations

import pytest

ROWS = [
    pytest.param([], "subq forty-five minutes", {"96369": 1}, id="subq-forty-five-words"),
    pytest.param([], "therapeutic IV infusion one hundred ten minutes", {"96365": 1, "96366": 1},
                 id="iv-one-hundred-ten-words"),
    pytest.param([], "critical care 1 hour 30", {"99291": 1, "99292": 1}, id="critical-care-h-hour-m"),
    pytest.param([], "psychotherapy fifty-three min", {"90837": 1}, id="psychotherapy-fifty-three"),
    pytest.param([], "chemo 2 hrs then second chemo drug sequential 1 hr", {"96413": 1, "96415": 1, "96417": 1},
                 id="chemo-each-infusion-own-time"),
    pytest.param([], "paclitaxel 3 hrs then carboplatin 45 min", {"96413": 1, "96415": 2, "96417": 1},
                 id="paclitaxel-then-carboplatin"),
    pytest.param([], "chemo IV 8.5 hrs in clinic, no pump", {"96413": 1, "96415": 7}, id="no-pump-is-a-negation"),
    pytest.param([], "non-chemo IV infusion 60 minutes", {"96365": 1}, id="non-chemo-is-a-negation"),
    pytest.param([], "zofran 4 mg IVP and toradol 30 mg IVP", {"96374": 1, "96375": 1, "J2405": 4, "J1885": 2},
                 id="two-push-drugs-each-counted"),
    pytest.param([], "zofran -4 mg", {}, id="negative-dose-refused"),
    pytest.param(["subq 2.5 hours"], "my badge number is 5", {}, id="badge-number-is-not-a-follow-up"),
]


def lines_of(answer) -> dict[str, int]:
    return {line.code: line.units for line in answer.codes if line.units is not None}


@pytest.mark.parametrize(("history", "question", "expected"), ROWS)
def test_issue_10_rows(assistant, history: list[str], question: str, expected: dict[str, int]) -> None:
    answer = assistant.ask(question, [{"role": "user", "content": turn} for turn in history])
    assert lines_of(answer) == expected, answer.answer


def test_negative_dose_says_why(assistant) -> None:
    answer = assistant.ask("zofran -4 mg")
    assert answer.route == "units" and "can't be -4 mg" in answer.answer


@pytest.mark.parametrize(
    ("question", "borrowed"),
    [
        pytest.param("initial hospital inpatient care 80 minutes", {"99291", "99292"},
                     id="inpatient-not-critical-care"),
        pytest.param("hospital discharge day management 45 minutes", {"90832", "90834", "90837"},
                     id="discharge-not-psychotherapy"),
    ],
)
def test_another_familys_rule_is_never_borrowed(assistant, question: str, borrowed: set[str]) -> None:
    answer = assistant.ask(question)
    assert not borrowed & set(lines_of(answer)), answer.answer
    if answer.route == "search":  # not counted: says so, offers codes as a search, bills nothing
        assert "can't count units" in answer.answer and not lines_of(answer)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("is 6 units of 96372 over the MUE", id="is-6-units-over"),
        pytest.param("96372 x 6 units, over the MUE?", id="x-6-units"),
        pytest.param("MUE J9271", id="bare"),
    ],
)
def test_mue_questions_in_any_phrasing(assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.route == "edits"


def test_the_reading_trail_is_on_the_answer(assistant) -> None:
    answer = assistant.ask("chemo IV 8.5 hrs in clinic, no pump", payer="medicare")
    kinds = {step.kind: step for step in answer.reading}
    assert kinds["duration"].text == "8.5 hrs" and kinds["duration"].value.startswith("510 minutes")
    assert kinds["negation"].text == "no pump"
    assert kinds["payer"].value == "Medicare: from the request"
    assert kinds["setting"].value == "professional: from your words"  # "in clinic"
    dumped = answer.model_dump()
    assert dumped["reading"][0].keys() == {"kind", "text", "value"}


def test_payer_from_the_words_is_said(assistant) -> None:
    answer = assistant.ask("subq 3 hours medicare")
    assert any(step.kind == "payer" and step.value == "Medicare: from your words" for step in answer.reading)
