"""Descriptions with numbers are searches, never an empty units answer (issue 22 item 2; assistant/chat/described.py).

A property over generated descriptions (a thing and a number that is part of its description) and a table of both
sides of the boundary: a documented time is still counted, impossible input is still refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.chat.described import only_descriptive_times

DEVICES = ["TENS unit", "wheelchair cushion", "catheter", "compression stocking", "walker", "wound vac pump",
           "nebulizer", "hospital bed"]
SUPPLIES = ["saline flush", "sterile water", "syringe", "oxygen tubing", "irrigation solution", "dressing"]
SERVICES = ["critical care", "IV hydration", "psychotherapy", "chemo infusion", "subq infusion", "observation",
            "crisis psychotherapy", "moderate sedation"]
SPANS = ["first 30-74 minutes", "first hour", "up to one hour", "each additional 30 min", "each additional hour",
         "per 15 minutes", "initial hour", "additional 30 minutes", "each additional 15 minutes"]
DESCRIPTIONS = st.one_of(
    st.tuples(st.sampled_from(DEVICES), st.one_of(
        st.integers(2, 8).map(lambda n: f"{n} leads"),
        st.sampled_from([16, 18, 22]).map(lambda n: f"{n} inches"),
        st.sampled_from(["four leads", "two channels", "3 wheels", "14 french"]))),
    st.tuples(st.sampled_from(SUPPLIES), st.sampled_from([3, 5, 10, 20, 60, 500]).map(lambda n: f"{n} ml")),
    st.tuples(st.sampled_from(SERVICES), st.sampled_from(SPANS)),
)


@settings(max_examples=40, deadline=None)
@given(described=DESCRIPTIONS, before=st.booleans())
def test_a_description_with_a_number_never_gets_an_empty_units_answer(assistant, described, before):
    thing, number = described
    question = f"{number} {thing}" if before else f"{thing} {number}"
    answer = assistant.ask(question)
    # Codes, or a question back; a help answer only when the bundled corpus knows none of the words (a DME item).
    unknown_words = answer.route == "help" and "did not recognise a coding question" in answer.answer
    assert answer.codes or "?" in answer.answer or unknown_words, (
        f"{question!r} got an empty {answer.route} answer: {answer.answer[:200]}")
    assert answer.route != "units" or answer.codes or "?" in answer.answer


@pytest.mark.parametrize(
    ("question", "route", "first"),
    [
        pytest.param("TENS unit four leads", "search", None, id="lead-count-is-a-search"),
        pytest.param("each additional 30 min of critical care", "search", "99292", id="add-on-span-is-a-search"),
        pytest.param("critical care first 30-74 minutes", "search", "99291", id="code-span-range-is-a-search"),
        pytest.param("IV hydration up to one hour", "search", "96360", id="up-to-an-hour-is-a-search"),
        # The other side: a documented time is counted; impossible or unclear input is still refused.
        pytest.param("critical care 110 min", "units", "99291", id="documented-time-is-counted"),
        pytest.param("hydration 45 min", "units", "96360", id="documented-minutes-are-counted"),
        pytest.param("-3 hours subq", "units", None, id="negative-time-is-refused"),
        pytest.param("subq 2-3 hours", "units", None, id="documented-range-is-asked"),
        # A threshold is a description; a repeat push with no number at all describes +96376 (issue 22).
        pytest.param("portable pump chemo infusion longer than 8 hours", "search", "96416", id="threshold-is-a-search"),
        pytest.param("repeat IV push of the same medicine, hospital", "search", "96376", id="no-number-is-a-search"),
    ],
)
def test_descriptions_search_and_documented_times_count(assistant, question, route, first):
    answer = assistant.ask(question)
    assert answer.route == route
    if first is not None:
        assert answer.codes and answer.codes[0].code == first
    elif route == "units":
        assert not answer.codes and answer.warnings, "a refusal says why"
    else:
        assert answer.codes, "a search answers with codes"


@pytest.mark.parametrize(
    ("text", "descriptive"),
    [
        pytest.param("each additional 30 min of critical care", True, id="each-additional"),
        pytest.param("first 30-74 minutes", True, id="first-range"),
        pytest.param("IV hydration, first hour", True, id="first-hour"),
        pytest.param("up to one hour", True, id="up-to"),
        pytest.param("critical care 110 min", False, id="documented-time"),
        pytest.param("first hour then 45 min more", False, id="a-documented-time-beside-a-span"),
        pytest.param("TENS four leads", False, id="no-time-at-all"),
        pytest.param("infusion longer than 8 hours", True, id="longer-than-threshold"),
        pytest.param("more than 30 minutes of counseling", True, id="more-than-threshold"),
        pytest.param("infusion over 3 hours", False, id="over-is-a-documented-time"),
    ],
)
def test_only_descriptive_times(text, descriptive):
    assert only_descriptive_times(text) is descriptive


@pytest.mark.parametrize(
    ("question", "first", "payer_words"),
    [
        pytest.param("modifier for a separate encounter later that day", "XE", "59 vs X{EPSU}", id="xe-before-59"),
        pytest.param("telehealth audio and video modifier", "95", "GT only on critical access", id="95-vs-gt"),
        pytest.param("signed ABN modifier for medicare", "GA", "GZ, denial expected", id="abn-signed-is-ga"),
    ],
)
def test_modifiers_by_meaning_say_the_payer_difference(assistant, question, first, payer_words):
    answer = assistant.ask(question)
    assert answer.route == "search"
    assert answer.codes[0].code == first
    assert payer_words in answer.answer


def test_a_search_without_a_modifier_says_no_payer_difference(assistant):
    answer = assistant.ask("subq infusion")
    assert answer.codes and "59 vs X{EPSU}" not in answer.answer and "Telehealth:" not in answer.answer


@pytest.mark.parametrize(
    ("question", "open_choice"),
    [
        pytest.param("IV hydration", True, id="first-hour-or-add-on-left-open"),
        pytest.param("IV hydration each additional hour", False, id="add-on-said"),
    ],
)
def test_the_answer_names_what_decides_between_siblings(assistant, question, open_choice):
    answer = assistant.ask(question)
    assert answer.codes
    assert ("does not say which of these it is" in answer.answer) is open_choice


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        pytest.param("repeat IV push of the same medicine, hospital", True, id="no-number-searched"),
        pytest.param("repeat IV push of the same medicine 20 minutes later, hospital", False, id="a-time-is-kept"),
        pytest.param("how many units for a repeat IV push of the same drug, hospital", False, id="units-asked"),
    ],
)
def test_a_repeat_push_without_any_number_is_a_description(assistant, question, searched):
    answer = assistant.ask(question)
    assert (answer.route == "search") is searched
    if searched:
        assert answer.codes[0].code == "96376" and "No units were counted" in answer.answer
    else:
        assert "96376" in answer.answer or answer.codes, "the units side still answers or asks"
