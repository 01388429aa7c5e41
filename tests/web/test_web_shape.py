"""Issue 20: how the chat page arranges an answer (assistant/web/shape.py) and takes it off again (ui.history_messages),
and the Encounter tab's typed routes and add-row form (assistant/web/encounter.py). Pure functions, no browser."""

from __future__ import annotations

import pytest

from assistant.contract import Answer, CodeLine, ReadingStep
from assistant.web.encounter import add_row, category_of, route_of, rows_to_encounter
from assistant.web.shape import answer_text, codes_first, plain_value, render_reading, shape_answer, toolbar
from assistant.web.ui import history_messages, without_redo

UNITS_TEXT = (
    "**Report 96369 x1 and 96370 x1.**\n\n_Subcutaneous infusion, 150 minutes, CPT rules._\n\n"
    "| Code | Units | What it is |\n|---|---|---|\n| 96369 | 1 | first hour |\n| 96370 | 1 | each further hour |\n\n"
    "**Rule applied (CPT rules):** the time rule.\n\n**Sources:**\n- CPT 96369 descriptor\n\n"
    "**Warnings:**\n- check it\n"
)
LINES = [CodeLine(code="96369", units=1, description="first hour"),
         CodeLine(code="96370", units=1, description="each further hour")]


def units_answer(reading: list[ReadingStep] | None = None) -> Answer:
    return Answer(route="units", answer=UNITS_TEXT, codes=LINES, warnings=["check it"], reading=reading or [])


@pytest.mark.parametrize(("kind", "value", "shown"), [
    pytest.param("route", "iv_push", "IV push", id="route-id"),
    pytest.param("route", "sc", "subcutaneous (SQ)", id="route-sc"),
    pytest.param("payer", "CPT: the default", "CPT rules (the default)", id="payer-default"),
    pytest.param("payer", "Medicare: from your words", "Medicare rules (from your words)", id="payer-words"),
    pytest.param("setting", "facility: from the request", "facility claim (as chosen on the page)", id="setting"),
    pytest.param("service", "subq_infusion, 150 minutes (2 h 30 min)",
                 "subcutaneous infusion, 150 minutes (2 h 30 min)", id="service-family"),
    pytest.param("clock_range", "13:00 to 13:45 = 45 minutes", "clock times 13:00 to 13:45 = 45 minutes", id="clock"),
    pytest.param("duration", "150 minutes", "150 minutes", id="unchanged"),
])
def test_plain_words_in_the_trail(kind: str, value: str, shown: str) -> None:
    assert plain_value(kind, value) == shown


def test_the_trail_labels_are_coders_words_and_the_typed_words_are_quoted_exactly() -> None:
    steps = [ReadingStep(kind="clock_range", text="13:00-13:45", value="13:00 to 13:45 = 45 minutes"),
             ReadingStep(kind="route", text="IVP", value="iv_push")]
    block = render_reading(units_answer(steps))
    assert "**Clock times** \u201c13\\:00\\-13\\:45\u201d" in block
    assert "**Route** \u201cIVP\u201d: IV push" in block
    assert "clock_range" not in block and "iv_push" not in block


def test_codes_first_keeps_the_lead_and_table_in_view_and_folds_the_rest() -> None:
    shaped = codes_first(UNITS_TEXT, warnings=1)
    shown, folded = shaped.split('<details class="ca-details">', 1)
    assert shown.startswith("**Report 96369 x1 and 96370 x1.**")
    assert "| 96369 | 1 |" in shown and "_Subcutaneous infusion" in shown
    assert "Rule applied" not in shown and "Sources" not in shown
    assert "<summary>Details: rule applied, sources and 1 warning</summary>" in folded
    assert "**Rule applied (CPT rules):**" in folded and "- check it" in folded


def test_a_wide_code_table_is_folded_and_the_billed_lines_are_shown_compact() -> None:
    text = ("**Report 96365 x1.**\n\n_Whole encounter._\n\n**The visit as I read it:**\n| # | Substance |\n|---|---|\n"
            "| 1 | ceftriaxone |\n\n**Billable lines:**\n| Code | Units | Why | Source |\n|---|---|---|---|\n"
            "| 96365 x1 | 1 | initial | CPT |\n")
    shaped = codes_first(text, 0, [CodeLine(code="96365", units=1, description="infusion, first hour")])
    shown, folded = shaped.split("<details", 1)
    assert "| 96365 | 1 | infusion, first hour |" in shown and "Why" not in shown and "Substance" not in shown
    assert "**Billable lines:**" in folded and "**The visit as I read it:**" in folded


def test_an_answer_without_a_code_table_is_left_as_it_is() -> None:
    assert codes_first("**96369: subq infusion.**\n\nSome text.\n") == "**96369: subq infusion.**\n\nSome text.\n"


@pytest.mark.parametrize(("codes", "line"), [
    pytest.param(LINES, "96369 x1, 96370 x1", id="two-lines"),
    pytest.param([CodeLine(code="J1745", units=40, modifiers=["JZ"])], "J1745-JZ x40", id="jz"),
    pytest.param([CodeLine(code="J9271", units=150), CodeLine(code="J9271-JW", units=50, modifiers=["JW"])],
                 "J9271 x150, J9271-JW x50", id="jw-line-not-doubled"),
])
def test_the_copy_codes_line(codes: list[CodeLine], line: str) -> None:
    bar = toolbar(Answer(route="units", answer="x", codes=codes))
    assert f'<code class="ca-codes">{line}</code>' in bar and "Copy codes" in bar


def test_no_copy_codes_without_billable_lines() -> None:
    bar = toolbar(Answer(route="lookup", answer="x", codes=[CodeLine(code="96369")]))
    assert "Copy codes" not in bar and "ca-copy-answer" in bar


@pytest.mark.parametrize(("earlier", "reading", "first"), [
    pytest.param(False, [], "", id="first-question-no-line"),
    pytest.param(True, [ReadingStep(kind="follow_up", text="what about 3 hours", value="read with your earlier")],
                 "Read as a follow-up to your earlier question.", id="follow-up"),
    pytest.param(True, [], "Read as a new question.", id="new-after-earlier"),
])
def test_the_first_line_says_how_the_turn_was_read(earlier: bool, reading: list[ReadingStep], first: str) -> None:
    shown = shape_answer(units_answer(reading), earlier)
    if first:
        assert shown.startswith('<p class="ca-turn"><em>' + first)
        assert ("ca-ask-new" in shown) == ("follow-up" in first)
        assert ("ca-ask-followup" in shown) == ("new question" in first)
    else:
        assert shown.startswith("**Report 96369 x1 and 96370 x1.**")


def test_what_the_page_adds_is_taken_off_when_the_conversation_comes_back() -> None:
    steps = [ReadingStep(kind="follow_up", text="x", value="y"), ReadingStep(kind="payer", text="", value="CPT: x")]
    shown = shape_answer(units_answer(steps), earlier=True)
    back = answer_text(shown)
    assert back.startswith("**Report 96369 x1 and 96370 x1.**")
    for added in ("ca-turn", "ca-tools", "ca-reading", "Copy codes"):
        assert added not in back
    history = [{"role": "user", "content": "subq 2.5 hours"}, {"role": "assistant", "content": shown}]
    assert history_messages(history)[1].content == back


def test_only_the_newest_answer_keeps_its_ask_again_button() -> None:
    shown = shape_answer(units_answer([ReadingStep(kind="follow_up", text="x", value="y")]), earlier=True)
    older = without_redo({"role": "assistant", "content": shown})
    assert "ca-redo" in shown and "ca-redo" not in older["content"]
    assert "Read as a follow-up" in older["content"], "the line still says how it was read"


# --- the Encounter tab ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "timed", "route"), [
    pytest.param("IVP", False, "iv_push", id="IVP"),
    pytest.param("iv push", False, "iv_push", id="iv-push"),
    pytest.param("push", False, "iv_push", id="push"),
    pytest.param("IVPB", True, "iv_infusion", id="IVPB"),
    pytest.param("IV infusion (IVPB, drip)", True, "iv_infusion", id="dropdown-label"),
    pytest.param("IM", False, "injection", id="IM"),
    pytest.param("SQ", False, "injection", id="SQ-no-time-is-an-injection"),
    pytest.param("SQ", True, "sc_infusion", id="SQ-with-a-stop-time-is-an-infusion"),
    pytest.param("iv_push", False, "iv_push", id="engine-id"),
    pytest.param("by mouth", False, None, id="unknown"),
])
def test_routes_as_coders_type_them(typed: str, timed: bool, route: str | None) -> None:
    assert route_of(typed, timed) == route


@pytest.mark.parametrize(("typed", "category"), [
    pytest.param("chemo", "chemotherapy", id="chemo"), pytest.param("Hydration", "hydration", id="hydration"),
    pytest.param("", "", id="empty-from-the-drug"), pytest.param("pain", None, id="unknown"),
])
def test_categories_as_coders_type_them(typed: str, category: str | None) -> None:
    assert category_of(typed) == category


def test_a_table_row_typed_ivp_reads_as_an_iv_push() -> None:
    encounter = rows_to_encounter([["zofran", "IVP", "", "09:05", "", "", "4 mg", ""]], "facility", "cpt")
    assert encounter.administrations[0].route == "iv_push"


@pytest.mark.parametrize(("route", "message", "added"), [
    pytest.param("IVP", "Added: toradol (IVP).", True, id="ivp-added"),
    pytest.param("by mouth", "is not a route I know", False, id="unknown-route-table-unchanged"),
])
def test_the_add_row_form(route: str, message: str, added: bool) -> None:
    table = [["NS", "IV infusion", "hydration", "09:00", "10:00", "", "", "", "", ""], [""] * 10]
    rows, said = add_row(table, "toradol", route, "", "09:40", "", "30 mg", "")
    assert message in said
    assert (rows[1][:2] == ["toradol", "IVP"]) is added
    assert rows[0] == table[0] and len(rows) == 2
