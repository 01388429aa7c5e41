"""Moderate sedation for a child with no age is asked, never guessed: 99151/99155 are for a patient under 5 years,
99152/99156 at 5 or older (CPT moderate sedation guidelines, rules.md 9). Both sides of the boundary."""

from __future__ import annotations

import pytest

from assistant.chat.parse import parse_question, sedation_age_problem

ASKED = [
    pytest.param("moderate sedation 25 min for a kid, same physician", id="kid"),
    pytest.param("mod sed 40 minutes, peds patient, proceduralist gave it", id="peds"),
    pytest.param("conscious sedation 30 min pediatric pt by same doc", id="pediatric"),
]
COUNTED = [
    pytest.param("moderate sedation 25 min for a kid age 3, same physician", {"99151": 1, "99153": 1}, id="kid-age-3"),
    pytest.param("mod sed 25 minutes, child is 7, same doc", {"99152": 1, "99153": 1}, id="child-is-7"),
    pytest.param("moderate sedation 25 min for an infant, same physician", {"99151": 1, "99153": 1}, id="infant"),
    pytest.param("moderate sedation 25 min, same physician", {"99152": 1, "99153": 1}, id="no-child-word"),
]


@pytest.mark.parametrize("question", ASKED)
def test_a_child_without_an_age_is_asked(assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.route == "units"
    assert answer.codes == []
    assert "how old is the patient" in answer.answer


@pytest.mark.parametrize(("question", "lines"), COUNTED)
def test_an_age_or_no_child_word_is_counted(assistant, question: str, lines: dict[str, int]) -> None:
    answer = assistant.ask(question)
    assert {line.code: line.units for line in answer.codes} == lines


@pytest.mark.parametrize(("question", "asked"), [
    pytest.param("sedation 30 min for a kid", True, id="child-word"),
    pytest.param("sedation 30 min for a kid age 4", False, id="age-given"),
    pytest.param("sedation 30 min for an adult", False, id="adult"),
])
def test_the_problem_is_typed(question: str, asked: bool) -> None:
    problem = sedation_age_problem(parse_question(question))
    assert (problem is not None and problem.kind == "patient_age") is asked
