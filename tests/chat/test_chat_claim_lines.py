"""Issue 20 items 2 and 3 in `assistant/chat/answers.py`: every billable line as it goes on the claim (modifiers
included) in the lead, the table, `codes` and the Copy codes line; and no internal note id in what a coder reads."""

from __future__ import annotations

import pytest

from assistant.chat.answers import codes_line, public_citation, report_lead, restate_codes
from assistant.contract import Answer, CodeLine


@pytest.mark.parametrize(("line", "billed"), [
    pytest.param(CodeLine(code="96369", units=1), "96369", id="no-modifier"),
    pytest.param(CodeLine(code="J1745", units=40, modifiers=["JZ"]), "J1745-JZ", id="jz"),
    pytest.param(CodeLine(code="J9271-JW", units=50, modifiers=["JW"]), "J9271-JW", id="legacy-jw-code-not-doubled"),
    pytest.param(CodeLine(code="99214", units=1, modifiers=["25"]), "99214-25", id="numeric-modifier"),
])
def test_billed(line: CodeLine, billed: str) -> None:
    assert line.billed == billed


def test_old_clients_keep_working() -> None:
    """The contract change is additive: old JSON (no modifiers) still validates, and `code` is unchanged."""
    old = CodeLine.model_validate({"code": "96369", "units": 1, "description": "x"})
    assert old.modifiers == [] and old.model_dump()["code"] == "96369"


@pytest.mark.parametrize(("lines", "lead", "copied"), [
    pytest.param([CodeLine(code="96369", units=1), CodeLine(code="96370", units=1)],
                 "**Report 96369 x1 and 96370 x1.**", "96369 x1, 96370 x1", id="two-lines"),
    pytest.param([CodeLine(code="J9271", units=150), CodeLine(code="J9271-JW", units=50, modifiers=["JW"])],
                 "**Report J9271 x150 and J9271-JW x50.**", "J9271 x150, J9271-JW x50", id="jw-line"),
    pytest.param([CodeLine(code="J1745", units=40, modifiers=["JZ"])], "**Report J1745-JZ x40.**", "J1745-JZ x40",
                 id="jz"),
])
def test_the_lead_and_copy_line_list_every_billable_line(lines: list[CodeLine], lead: str, copied: str) -> None:
    assert report_lead(lines) == lead
    assert codes_line(lines) == copied


def test_a_look_up_has_no_copy_line() -> None:
    assert codes_line([CodeLine(code="96369"), CodeLine(code="96370")]) == ""


def test_restate_codes_after_a_jz_and_a_jw_line() -> None:
    before = [CodeLine(code="J9271", units=150, description="Keytruda, per 1 mg")]
    text = ("**Report J9271 x150.**\n\n| Code | Units | What it is |\n|---|---|---|\n"
            "| J9271 | 150 | Keytruda, per 1 mg |\n\n**Sources:**\n- x\n")
    answer = Answer(route="units", answer=text, codes=[line.model_copy(deep=True) for line in before])
    answer.codes.append(CodeLine(code="J9271-JW", units=50, modifiers=["JW"], description="discarded"))
    restate_codes(answer, before)
    assert answer.answer.startswith("**Report J9271 x150 and J9271-JW x50.**")
    rows = [row for row in answer.answer.splitlines() if row.startswith("| J9271")]
    assert rows == ["| J9271 | 150 | Keytruda, per 1 mg |", "| J9271-JW | 50 | discarded |"]


@pytest.mark.parametrize(("text", "public"), [
    pytest.param("OPPS C8957 with a pump (encounters.md A8; UNCONFIRMED)", "OPPS C8957 with a pump (UNCONFIRMED)",
                 id="leading-note"),
    pytest.param("CPT 96369/+96370 (codingahead 96369-96371; rules.md 1)", "CPT 96369/+96370 (codingahead 96369-96371)",
                 id="trailing-note"),
    pytest.param("CPT via AAPC (encounters.md A1): physicians do not report", "CPT via AAPC: physicians do not report",
                 id="only-note"),
    pytest.param("MUE 1 (codingahead 96416; encounters.md A8/A9)", "MUE 1 (codingahead 96416)", id="two-ids"),
    pytest.param("100-04 Ch. 17 section 10: 1.5 mg rounds up", "100-04 Ch. 17 section 10: 1.5 mg rounds up",
                 id="nothing-to-take"),
])
def test_no_internal_note_ids(text: str, public: str) -> None:
    assert public_citation(text) == public
