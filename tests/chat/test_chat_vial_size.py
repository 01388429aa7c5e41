"""A container's size typed before it ("the vial is 3.5 mg") is the vial, never the dose given: the dose stays the
one read before, and Medicare's discarded amount goes on its own JW line (100-04 Ch. 17 s40, MM13056). The lead
names every billable line, the JW line included (issue 20 item 2)."""

from __future__ import annotations

import pytest

from assistant.chat.parse import parse_question

READINGS = [
    pytest.param("and the vial is 3.5 mg, medicare", None, 3.5, id="vial-is"),
    pytest.param("velcade 2.6 mg, vial size 3.5 mg", 2.6, 3.5, id="vial-size"),
    pytest.param("velcade 2.6 mg, 3.5 mg vial", 2.6, 3.5, id="size-before-vial"),
    pytest.param("velcade 2.6 mg", 2.6, None, id="no-vial"),
    pytest.param("velcade 3.5 mg IV push", 3.5, None, id="dose-only"),
]


@pytest.mark.parametrize(("question", "dose", "vial"), READINGS)
def test_the_vial_is_never_the_dose(question: str, dose: float | None, vial: float | None) -> None:
    parsed = parse_question(question)
    assert parsed.dose == dose
    assert parsed.vial_size == vial


def test_a_vial_in_a_follow_up_adds_the_waste_line(assistant) -> None:
    history = [{"role": "user", "content": "bortezomib 2.6 mg"}, {"role": "assistant", "content": "Report J9041 x26."}]
    answer = assistant.ask("and the vial is 3.5 mg, medicare", history=history)
    lines = {line.billed: line.units for line in answer.codes}
    assert lines == {"J9041": 26, "J9041-JW": 9}


def test_the_lead_of_a_visit_names_its_waste_line(assistant) -> None:
    answer = assistant.ask("bortezomib 2.6 mg SQ, 3.5 mg single-dose vial, medicare")
    lines = {line.billed: line.units for line in answer.codes}
    assert lines == {"96401": 1, "J9041": 26, "J9041-JW": 9}
    assert answer.answer.startswith("**Report 96401 x1, J9041 x26 and J9041-JW x9.**")
