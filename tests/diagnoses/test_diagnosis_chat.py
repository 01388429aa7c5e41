"""Diagnosis questions through the Assistant (chat, API and CLI share `ask`): look-ups, searches, the reading
trail of a diagnosis in a procedure question, and a diagnosis question never answered with a procedure code."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.contract import Answer

PROCEDURE_SHAPE = re.compile(r"^(?:\d{5}|\d{4}[FTU]|[A-Z]\d{4})$")


def codes_of(answer: Answer) -> list[str]:
    return [line.code for line in answer.codes]


@pytest.mark.parametrize(
    ("question", "first", "words"),
    [
        pytest.param("what is E11.9", "E11.9", "A billable ICD-10-CM code", id="billable"),
        pytest.param("what is I10", "I10", "A billable ICD-10-CM code", id="bare-category-alone"),
        pytest.param("ICD-10 code J45", "J45.20", "Not billable: a category", id="category-after-icd-word"),
        pytest.param("S72.001", "S72.001A", "A 7th character is required", id="seventh-character"),
        pytest.param("what is U07.1", "U07.1", "A billable ICD-10-CM code", id="u-code"),
    ],
)
def test_diagnosis_look_up(assistant, question: str, first: str, words: str) -> None:
    answer = assistant.ask(question)
    assert answer.route == "lookup" and codes_of(answer)[:1] == [first]
    assert words in answer.answer and answer.citations


def test_invalid_diagnosis_code_says_so_with_the_nearest(assistant) -> None:
    answer = assistant.ask("is E11.99 valid")
    assert answer.route == "lookup" and answer.codes == []
    assert "not a valid ICD-10-CM code" in answer.warnings[0] and "E11.9" in answer.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("ICD-10 for type 1 diabetes without complications", "E10.9", id="icd-10-for"),
        pytest.param("dx code for DM2 with hyperglycemia", "E11.65", id="dx-code"),
        pytest.param("diagnosis code for UTI", "N39.0", id="diagnosis-code"),
        pytest.param("what is the icd 10 code for bilateral primary OA knee", "M17.0", id="icd-10-code-for"),
        pytest.param("ICD-10-CM chest pain", "R07.9", id="icd-10-cm"),
    ],
)
def test_diagnosis_search_route(assistant, question: str, expected: str) -> None:
    answer = assistant.ask(question)
    assert answer.route == "search" and codes_of(answer)[0] == expected


def test_diagnosis_in_a_procedure_question_is_kept_in_the_reading_trail(assistant) -> None:
    answer = assistant.ask("96413 for C50.911")
    assert codes_of(answer)[0] == "96413"
    assert [(s.kind, s.text) for s in answer.reading if s.kind == "diagnosis"] == [("diagnosis", "C50.911")]


def test_a_procedure_question_is_not_a_diagnosis_question(assistant) -> None:
    answer = assistant.ask("what is 96369")
    assert codes_of(answer)[0] == "96369" and not any(s.kind == "diagnosis" for s in answer.reading)


CONDITIONS = st.sampled_from(["type 2 diabetes", "HTN", "chemo infusion", "subq", "knee pain", "anemia", "iv push",
                              "fracture", "hydration", "COPD", "therapeutic injection", "sepsis"])
ASKS = st.sampled_from(["ICD-10 for", "dx code for", "diagnosis code for", "icd 10 code", "what diagnosis for"])


@settings(max_examples=25)
@given(ASKS, CONDITIONS)
def test_a_diagnosis_question_never_answers_a_procedure_code_first(assistant, ask: str, condition: str) -> None:
    answer = assistant.ask(f"{ask} {condition}")
    assert not answer.codes or not PROCEDURE_SHAPE.match(answer.codes[0].code)
