"""The question parser: pure functions, one row per way coders type things."""

from __future__ import annotations

from datetime import time

import pytest

from assistant.chat.answers import problem_text
from assistant.chat.parse import (
    merge_followup,
    needs_context,
    parse_conversation,
    parse_family,
    parse_question,
)


def worded(parsed) -> list[str]:
    """The parser's typed problems as the coder reads them (answers.problem_text words each kind)."""
    return [problem_text(problem) for problem in parsed.problems]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        pytest.param("how do I code 2.5 hours subq", 150, id="decimal-hours"),
        pytest.param("2 hrs 30 min subq", 150, id="hrs-and-min"),
        pytest.param("2h30 subq", 150, id="2h30"),
        pytest.param("2h 30m subq", 150, id="2h-30m"),
        pytest.param("subq 1:45", 105, id="h-colon-mm"),
        pytest.param("90 min subq", 90, id="minutes"),
        pytest.param("90 minutes subq", 90, id="minutes-long"),
        pytest.param("90mins hydration", 90, id="mins-glued"),
        pytest.param("an hour and a half subq", 90, id="hour-and-a-half"),
        pytest.param("hour and a half of hydration", 90, id="hour-and-a-half-no-article"),
        pytest.param("half an hour subq", 30, id="half-an-hour"),
        pytest.param("a half hour hydration", 30, id="a-half-hour"),
        pytest.param("two and a half hours subq", 150, id="words-and-a-half"),
        pytest.param("2 1/2 hours subq", 150, id="fraction"),
        pytest.param("three hours subq", 180, id="number-word"),
        pytest.param("an hour subq", 60, id="an-hour"),
        pytest.param("1 hour and 15 minutes chemo", 75, id="hour-and-minutes"),
        pytest.param("pt got sub-q IG 3 hrs 10 min, 2 sites", 190, id="hrs-min-then-sites"),
        pytest.param("1.5 hr infusion", 90, id="hr-singular"),
        pytest.param("critical care 110 min medicare", 110, id="critical-care-minutes"),
        pytest.param("hydration 30 min then another 45 min", 75, id="two-durations-added"),
        # Fractions of an hour: the denominator is never read as the hours ("1 1/4 hours" is not 4 hours).
        pytest.param("critical care 1 1/4 hours", 75, id="fraction-one-and-a-quarter"),
        pytest.param("critical care 1 and 1/4 hours", 75, id="fraction-and-a-quarter"),
        pytest.param("subq 1 3/4 hours", 105, id="fraction-three-quarters-mixed"),
        pytest.param("subq 3/4 hour", 45, id="fraction-three-quarters"),
        pytest.param("subq 3 1/4 hrs", 195, id="fraction-hrs"),
        pytest.param("subq 1 hr 1/2", 90, id="fraction-after-hours"),
        pytest.param("subq 1/2 hour", 30, id="fraction-half-alone"),
        pytest.param("subq 1 1/3 hours", 80, id="fraction-third"),
        # "+" between numbers: every number counts, not only the last ("20+20+35 min" was read as 35).
        pytest.param("critical care 20+20+35 min", 75, id="plus-three-numbers"),
        pytest.param("subq 45+50 min", 95, id="plus-glued"),
        pytest.param("subq 45 + 50 min", 95, id="plus-spaced"),
        pytest.param("subq 60 min + 30 min", 90, id="plus-each-with-unit"),
        # A multiplier multiplies ("3 x 15 min" was read as 15); a count of sites after it is not a multiplier.
        pytest.param("subq 3 x 15 min", 45, id="multiplier-before"),
        pytest.param("subq 2 x 45 min", 90, id="multiplier-before-2"),
        pytest.param("subq 2x45min", 90, id="multiplier-glued"),
        pytest.param("subq 45 min x 2", 90, id="multiplier-after"),
        pytest.param("subq 45 min x2", 90, id="multiplier-after-glued"),
        pytest.param("subq 2 times 45 minutes", 90, id="multiplier-times"),
        pytest.param("subq 2 x 1.5 hours", 180, id="multiplier-hours"),
        pytest.param("subq 45 min x 2 sites", 45, id="x-sites-is-not-a-multiplier"),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_question(text).minutes == minutes


@pytest.mark.parametrize(
    ("text", "start", "end", "minutes"),
    [
        pytest.param("hydration from 0915 to 1040", time(9, 15), time(10, 40), 85, id="military-from-to"),
        pytest.param("hydration 9:15-10:40", time(9, 15), time(10, 40), 85, id="colon-dash"),
        pytest.param("NS bolus 11pm to 2am", time(23, 0), time(2, 0), 180, id="crossing-midnight"),
        pytest.param("fluids from 11 pm to 2 am", time(23, 0), time(2, 0), 180, id="spaced-am-pm"),
        pytest.param("hydration 2300-0200", time(23, 0), time(2, 0), 180, id="military-crossing-midnight"),
        pytest.param("bolus 7:00-7:20", time(7, 0), time(7, 20), 20, id="short-range"),
        pytest.param("infusion 11:30 to 1:15", time(11, 30), time(13, 15), 105, id="bare-times-shortest-span"),
        pytest.param("hydration started 9:15 stopped 10:40", time(9, 15), time(10, 40), 85, id="started-stopped"),
        pytest.param("chemo from 9 to 11", time(9, 0), time(11, 0), 120, id="from-bare-hours"),
        pytest.param("subq 12pm-2:30pm", time(12, 0), time(14, 30), 150, id="noon-pm"),
        pytest.param("fluids from 10pm to 1am", time(22, 0), time(1, 0), 180, id="pm-to-am-crossing-midnight"),
        pytest.param("hydration 9:30am to 10:40am", time(9, 30), time(10, 40), 70, id="am-to-am-forward"),
        # Nurses' shorthand: never two durations added up (9:30 + 11:01 = 1231 min was the bug).
        pytest.param("hydration 9:30a-11:01a", time(9, 30), time(11, 1), 91, id="a-suffix-dash"),
        pytest.param("hydration 9:30a to 11:01a", time(9, 30), time(11, 1), 91, id="a-suffix-to"),
        pytest.param("hydration 9:30 p to 11:01 p", time(21, 30), time(23, 1), 91, id="p-suffix-spaced"),
        pytest.param("hydration 0930h-1101h", time(9, 30), time(11, 1), 91, id="military-h-suffix"),
        pytest.param("hydration 930-1101", time(9, 30), time(11, 1), 91, id="three-digit-beside-four"),
        pytest.param("hydration 9.30-11.01", time(9, 30), time(11, 1), 91, id="dotted-times"),
    ],
)
def test_clock_ranges(text: str, start: time, end: time, minutes: int) -> None:
    parsed = parse_question(text)
    assert (parsed.start, parsed.end, parsed.minutes) == (start, end, minutes)
    assert not parsed.problems


@pytest.mark.parametrize(
    ("text", "problem_words"),
    [
        pytest.param("-3 hours subq", "-3 hours", id="negative-hours"),
        pytest.param("subq minus 30 min", "minus 30 min", id="minus-word"),
        pytest.param("25 hours subq", "longer than a day", id="over-a-day"),
        pytest.param("subq 2-3 hours", "range", id="duration-range"),
        pytest.param("hydration 9:00-9:00", "same", id="zero-length-clock-range"),
        pytest.param("subq 5/4 hours", "fraction", id="improper-fraction"),
        pytest.param("subq 1.25-1.50 hours", "range", id="dotted-hours-range-is-not-a-clock-range"),
        pytest.param("ceftriaxone 1,5g", "decimal comma", id="decimal-comma-dose"),
        pytest.param("subq 1 1/2+1 hours", "sum", id="unreadable-sum"),
        pytest.param("ondansetron 4 mg x 2", "one dose or several", id="multiplied-dose-after"),
        pytest.param("ondansetron 2 x 4 mg", "one dose or several", id="multiplied-dose-before"),
        pytest.param("subq 1,5 hours", "decimal comma", id="decimal-comma-hours"),
        # An end before its start is a typing slip, never a 23-hour service (crossing midnight needs pm -> am or
        # a span of at most 12 hours).
        pytest.param("subq started 10:50 ended 10:40", "end time is before", id="end-before-start-bare"),
        pytest.param("subq 1050-1040", "end time is before", id="end-before-start-military"),
        pytest.param("subq 10:50am to 10:40am", "end time is before", id="end-before-start-am-am"),
        pytest.param("critical care 9:45 to 9:15", "end time is before", id="end-before-start-half-hour"),
        pytest.param("subq 10:50am-10:40", "end time is before", id="end-before-start-mixed"),
        pytest.param("subq 1/0 hours", "fraction", id="zero-denominator"),
    ],
)
def test_problems_are_reported_not_dropped(text: str, problem_words: str) -> None:
    parsed = parse_question(text)
    assert parsed.problems, "a duration that cannot be counted must be reported"
    assert any(problem_words in problem for problem in worded(parsed))


def test_problem_text_escapes_html() -> None:
    parsed = parse_question("subq <b>-3 hours</b>")
    assert parsed.problems
    problems = worded(parsed)
    assert problems and all("<" not in problem for problem in problems)


@pytest.mark.parametrize(
    ("text", "dose", "unit"),
    [
        pytest.param("ceftriaxone 1 g how many units", 1.0, "g", id="grams-short"),
        pytest.param("B12 500 mcg", 500.0, "mcg", id="mcg"),
        pytest.param("Hizentra 10 grams", 10.0, "g", id="grams-word"),
        pytest.param("insulin 40 units", 40.0, "units", id="units"),
        pytest.param("2 mL of drug", 2.0, "mL", id="ml"),
        pytest.param("B12 1,000 mcg", 1000.0, "mcg", id="thousands-separator"),
        pytest.param("dexamethasone 0.5 mg", 0.5, "mg", id="decimal-mg"),
        pytest.param("ceftriaxone 1g", 1.0, "g", id="glued-unit"),
        # A thousands comma glued to its unit was read as the last group ("1,500mg" -> 500 mg).
        pytest.param("ceftriaxone 1,500mg", 1500.0, "mg", id="thousands-comma-glued"),
        pytest.param("B12 1,000mcg", 1000.0, "mcg", id="thousands-comma-glued-mcg"),
        pytest.param("hizentra 12,000mg", 12000.0, "mg", id="thousands-comma-five-digits"),
        pytest.param("drug 1,500,000 units", 1500000.0, "units", id="two-thousands-commas"),
    ],
)
def test_doses(text: str, dose: float, unit: str) -> None:
    parsed = parse_question(text)
    assert (parsed.dose, parsed.dose_unit) == (dose, unit)
    assert parsed.minutes is None


def test_minutes_are_not_read_as_a_dose() -> None:
    assert parse_question("subq 90 m").dose is None


@pytest.mark.parametrize(
    ("text", "payer"),
    [
        pytest.param("critical care 110 min medicare", "medicare", id="medicare"),
        pytest.param("critical care 110 min CMS", "medicare", id="cms"),
        pytest.param("critical care 110 min commercial", "cpt", id="commercial"),
        pytest.param("critical care 110 min CPT rules", "cpt", id="cpt-rules"),
        pytest.param("critical care 110 min per AMA", "cpt", id="ama"),
        pytest.param("critical care 110 min", None, id="not-said"),
    ],
)
def test_payer(text: str, payer: str | None) -> None:
    assert parse_question(text).payer == payer


@pytest.mark.parametrize(
    ("text", "setting"),
    [
        pytest.param("hydration 2 hours facility", "facility", id="facility"),
        pytest.param("hydration 2 hours hospital outpatient", "facility", id="hospital-outpatient"),
        pytest.param("hydration 2 hours HOPD", "facility", id="hopd"),
        pytest.param("hydration 2 hours in the ED", "facility", id="ed"),
        pytest.param("ER hydration 2 hours", "facility", id="er"),
        pytest.param("hydration 2 hours office", "professional", id="office"),
        pytest.param("hydration 2 hours physician", "professional", id="physician"),
        pytest.param("hydration 2 hours pro fee", "professional", id="pro-fee"),
        pytest.param("hydration 2 hours, never ordered", None, id="er-inside-word-ignored"),
    ],
)
def test_setting(text: str, setting: str | None) -> None:
    assert parse_question(text).setting == setting


@pytest.mark.parametrize(
    ("text", "family"),
    [
        pytest.param("how do I code 2.5 hours subq", "subq_infusion", id="subq"),
        pytest.param("sub-q 2 hours", "subq_infusion", id="sub-q"),
        pytest.param("SC infusion 2 hours", "subq_infusion", id="sc"),
        pytest.param("SQ 2 hours", "subq_infusion", id="sq"),
        pytest.param("SCIG 2 hours", "subq_infusion", id="scig"),
        pytest.param("SQ injection", "injection", id="sq-injection-is-injection"),
        pytest.param("hydration 2 hours", "hydration", id="hydration"),
        pytest.param("NS bolus 11pm to 2am", "hydration", id="ns"),
        pytest.param("IV fluids 1 hour", "hydration", id="iv-fluids"),
        pytest.param("chemo 2 hours", "chemo_infusion", id="chemo"),
        pytest.param("code for chemo push", "chemo_push", id="chemo-push"),
        pytest.param("critical care 110 min", "critical_care", id="critical-care"),
        pytest.param("crit care 40 min", "critical_care", id="crit-care"),
        pytest.param("psychotherapy 45 min", "psychotherapy", id="psychotherapy"),
        pytest.param("PT therapy 97110 30 min", "therapy", id="therapy"),
        pytest.param("moderate sedation 30 min", "sedation", id="sedation"),
        pytest.param("anesthesia 95 min", "anesthesia", id="anesthesia"),
        pytest.param("IV push ondansetron", "iv_push", id="iv-push"),
        pytest.param("IV infusion 75 min", "iv_infusion", id="iv-infusion"),
        pytest.param("office visit 45 min new patient", "office_em", id="office-visit"),
        pytest.param("what is the weather", None, id="none"),
    ],
)
def test_family_cues(text: str, family: str | None) -> None:
    assert parse_family(text)[0] == family


def test_two_separate_durations_are_added_with_a_note() -> None:
    parsed = parse_question("hydration 30 min then another 45 min")
    assert any("added them up" in note for note in parsed.notes)


def test_per_code_minutes_for_therapy() -> None:
    parsed = parse_question("97112 24 min and 97110 23 min")
    assert parsed.code_minutes == {"97112": 24, "97110": 23}
    assert parsed.minutes is None


def test_one_code_with_minutes_is_that_services_duration() -> None:
    parsed = parse_question("99291 110 min")
    assert parsed.minutes == 110
    assert parsed.code_minutes is None
    assert parsed.codes == ("99291",)


@pytest.mark.parametrize(
    ("text", "sites", "pumps"),
    [
        pytest.param("pt got sub-q IG 3 hrs 10 min, 2 sites", 2, None, id="two-sites"),
        pytest.param("subq 2 hours second pump", None, 2, id="second-pump"),
        pytest.param("subq 2 hours 2 pump set-ups", None, 2, id="two-pump-setups"),
        pytest.param("subq 2 hours another pump setup", None, 2, id="another-pump"),
        pytest.param("subq 1 hour second site", 2, None, id="second-site"),
        pytest.param("subq 1 hour", None, None, id="neither"),
    ],
)
def test_sites_and_pumps(text: str, sites: int | None, pumps: int | None) -> None:
    parsed = parse_question(text)
    assert (parsed.sites, parsed.pump_setups) == (sites, pumps)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        pytest.param("office visit 45 min new patient", "patient", "new", id="new-patient"),
        pytest.param("est pt 25 min", "patient", "established", id="est-pt"),
        pytest.param("established patient 40 min", "patient", "established", id="established"),
        pytest.param("psychotherapy 45 min with E/M", "with_em", True, id="with-em"),
        pytest.param("psychotherapy 45 min without E/M", "with_em", False, id="without-em"),
        pytest.param("sedation 30 min by anesthesiologist", "sedation_by", "other", id="sedation-other"),
        pytest.param("sedation 30 min same physician", "sedation_by", "same", id="sedation-same"),
        pytest.param("subq 2 hours second pump", "sedation_by", None, id="second-pump-is-not-a-provider"),
        pytest.param("sedation 20 min age 3", "patient_under_5", True, id="age-3"),
        pytest.param("sedation 20 min 4 year old", "patient_under_5", True, id="four-year-old"),
        pytest.param("sedation 20 min 40 yo", "patient_under_5", False, id="adult-age"),
        pytest.param("sedation 20 min under 5", "patient_under_5", True, id="under-5"),
        pytest.param("anesthesia 45 min base units 5", "base_units", 5.0, id="base-units"),
        pytest.param("anesthesia 45 min, 7 base units", "base_units", 7.0, id="n-base-units"),
    ],
)
def test_switches(text: str, field: str, value: object) -> None:
    assert getattr(parse_question(text), field) == value


def test_base_units_are_not_a_dose() -> None:
    parsed = parse_question("anesthesia 45 min base units 5")
    assert parsed.dose is None


@pytest.mark.parametrize(
    ("text", "together"),
    [
        pytest.param("can I bill 96369 and 96372 together", True, id="together"),
        pytest.param("96360 with 96365", True, id="with"),
        pytest.param("96360 96365 same day", True, id="same-day"),
        pytest.param("is 96372 bundled into 96369", True, id="bundled"),
        pytest.param("NCCI 99291 36556", True, id="ncci"),
        pytest.param("do I need modifier 59 on 96413 and 96360", True, id="modifier-59"),
        pytest.param("what is 96369 and 96370", False, id="and-is-not-together"),
    ],
)
def test_billing_together_words(text: str, together: bool) -> None:
    assert parse_question(text).together is together


# --- follow-ups -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "question", "family", "minutes", "payer"),
    [
        pytest.param(["how do I code 2.5 hours subq"], "what about 3 hours?", "subq_infusion", 180, None,
                     id="new-duration"),
        pytest.param(["critical care 110 min"], "and for medicare?", "critical_care", 110, "medicare",
                     id="new-payer"),
        pytest.param(["subq 2 hours", "what about 3 hours?"], "and for medicare?", "subq_infusion", 180, "medicare",
                     id="two-follow-ups"),
        pytest.param(["critical care 110 min medicare"], "subq 2.5 hours", "subq_infusion", 150, None,
                     id="full-question-resets"),
        pytest.param(["hydration 2 hours"], "and for chemo?", "chemo_infusion", 120, None, id="new-family"),
        pytest.param([], "what about 3 hours?", None, 180, None, id="no-history"),
    ],
)
def test_follow_ups(history: list[str], question: str, family: str | None, minutes: int, payer: str | None) -> None:
    parsed = parse_conversation(history, question)
    assert (parsed.family, parsed.minutes, parsed.payer) == (family, minutes, payer)


@pytest.mark.parametrize(
    ("history", "question", "minutes", "note_words"),
    [
        # A bare number is read in the unit of the earlier duration and said so; never the old duration again.
        pytest.param(["critical care 90 min medicare"], "what about 104?", 104, "104 as minutes", id="bare-minutes"),
        pytest.param(["critical care 60 min"], "what about 75", 75, "75 as minutes", id="bare-no-question-mark"),
        pytest.param(["subq 60 min"], "and 150?", 150, "150 as minutes", id="bare-and"),
        pytest.param(["subq 150 min"], "how about 151", 151, "151 as minutes", id="bare-how-about"),
        pytest.param(["subq 2 hours"], "what about 3?", 180, "3 as hours", id="bare-hours"),
        pytest.param(["critical care 1 1/4 hours"], "what about 2?", 120, "2 as hours", id="bare-after-fraction"),
        pytest.param(["subq 2 hours"], "what about 3 hours?", 180, None, id="unit-given-no-note"),
    ],
)
def test_follow_up_bare_number(history: list[str], question: str, minutes: int, note_words: str | None) -> None:
    parsed = parse_conversation(history, question)
    assert parsed.minutes == minutes
    assert not parsed.problems
    if note_words is None:
        assert not parsed.notes
    else:
        assert any(note_words in note for note in parsed.notes)


@pytest.mark.parametrize(
    ("history", "question", "problem_words"),
    [
        pytest.param(["subq 9:15-10:40"], "what about 100?", "can't tell what 100 is", id="after-clock-range"),
        pytest.param(["subq 2 hrs 30 min"], "what about 100?", "can't tell what 100 is", id="after-mixed-units"),
        pytest.param(["subq 2 hours"], "what about 30?", "longer than a day", id="hours-over-a-day"),
    ],
)
def test_follow_up_bare_number_that_cannot_be_placed(history: list[str], question: str, problem_words: str) -> None:
    parsed = parse_conversation(history, question)
    assert any(problem_words in problem for problem in worded(parsed))


def test_follow_up_bare_number_changes_a_dose_in_its_unit() -> None:
    parsed = parse_conversation(["ceftriaxone 1 g"], "what about 2?")
    assert (parsed.dose, parsed.dose_unit) == (2.0, "g")
    assert any("2 as g" in note for note in parsed.notes)


def test_follow_up_duration_replaces_clock_range() -> None:
    parsed = parse_conversation(["NS bolus 11pm to 2am"], "what about 90 minutes?")
    assert parsed.minutes == 90
    assert parsed.start is None and parsed.end is None


def test_follow_up_clears_old_problem_when_new_duration_is_fine() -> None:
    parsed = parse_conversation(["-3 hours subq"], "what about 3 hours?")
    assert parsed.problems == ()
    assert parsed.minutes == 180


def test_follow_up_keeps_dose_and_changes_it() -> None:
    parsed = parse_conversation(["ceftriaxone 1 g how many units"], "what about 2 g?")
    assert (parsed.dose, parsed.dose_unit) == (2.0, "g")


def test_merge_followup_overrides_only_what_is_said() -> None:
    first = parse_question("subq 2 hours 2 sites medicare")
    merged = merge_followup(first, parse_question("what about 3 hours?"))
    assert (merged.minutes, merged.sites, merged.payer, merged.family) == (180, 2, "medicare", "subq_infusion")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("what about 3 hours?", True, id="what-about"),
        pytest.param("and for medicare?", True, id="and-for"),
        pytest.param("3 hours", True, id="bare-duration"),
        pytest.param("subq 3 hours", False, id="full-question"),
        pytest.param("what is 96369", False, id="code-question"),
    ],
)
def test_needs_context(text: str, expected: bool) -> None:
    assert needs_context(parse_question(text)) is expected


@pytest.mark.parametrize(
    ("text", "others"),
    [
        pytest.param("subq 2 hours and IV push", ("iv_push",), id="subq-and-push"),
        pytest.param("hydration 2 hours then IV push ondansetron", ("iv_push",), id="hydration-and-push"),
        pytest.param("chemo push", (), id="chemo-push-implies-its-words"),
        pytest.param("chemo infusion 2 hours", (), id="generic-infusion-word-ignored"),
        pytest.param("sedation 30 min by anesthesiologist", (), id="anesthesiologist-is-not-anesthesia"),
    ],
)
def test_other_services_named(text: str, others: tuple[str, ...]) -> None:
    assert parse_question(text).other_families == others


@pytest.mark.parametrize(
    ("text", "note_words"),
    [
        pytest.param("critical care 20+20+35 min", "added them up", id="plus-says-added"),
        pytest.param("subq 3 x 15 min", "multiplication", id="multiplier-says-multiplied"),
        pytest.param("subq 45 min x2", "multiplication", id="multiplier-after-says-multiplied"),
    ],
)
def test_read_assumptions_are_said(text: str, note_words: str) -> None:
    assert any(note_words in note for note in parse_question(text).notes)


@pytest.mark.parametrize(
    ("text", "payer", "note_words"),
    [
        pytest.param("critical care 110 min medicare", "medicare", None, id="medicare"),
        pytest.param("critical care 110 min mcr", "medicare", None, id="mcr"),
        pytest.param("critical care 110 min mcare", "medicare", None, id="mcare"),
        pytest.param("critical care 110 min medicare advantage", "medicare", "MA plan may follow", id="ma"),
        pytest.param("critical care 110 min MA plan", "medicare", "MA plan may follow", id="ma-plan"),
        pytest.param("critical care 110 min medicaid", "cpt", "vary by state", id="medicaid"),
        pytest.param("critical care 110 min commercial", "cpt", None, id="commercial"),
    ],
)
def test_payer_synonyms(text: str, payer: str, note_words: str | None) -> None:
    parsed = parse_question(text)
    assert parsed.payer == payer
    if note_words is None:
        assert not parsed.notes
    else:
        assert any(note_words in note for note in parsed.notes)


@pytest.mark.parametrize(
    ("history", "question", "payer", "note_words"),
    [
        pytest.param(["critical care 110 min"], "and for medicaid?", "cpt", "vary by state", id="to-medicaid"),
        pytest.param(["critical care 90 min medicare advantage"], "what about 104?", "medicare", "MA plan may",
                     id="ma-caveat-kept"),
        pytest.param(["critical care 90 min medicaid"], "and for medicare?", "medicare", None, id="caveat-dropped"),
    ],
)
def test_payer_caveat_in_follow_ups(history: list[str], question: str, payer: str, note_words: str | None) -> None:
    parsed = parse_conversation(history, question)
    assert parsed.payer == payer
    has_note = any(note_words in note for note in parsed.notes) if note_words else not any(
        "vary by state" in note or "MA plan" in note for note in parsed.notes)
    assert has_note


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        # Excluded time is subtracted, never added ("2 hrs excluding 30 min" was read as 150).
        pytest.param("critical care 2 hrs excluding 30 min central line", 90, id="excluding"),
        pytest.param("critical care 100 min not counting 20 min for intubation", 80, id="not-counting"),
        pytest.param("subq infusion 90 minutes, interrupted for 20 min", 70, id="interrupted-for"),
        pytest.param("subq 90 min minus 20 min", 70, id="minus-after-a-duration"),
        pytest.param("subq 90 min less 20 min", 70, id="less"),
        pytest.param("subq 90 min paused for 20 min", 70, id="paused-for"),
        pytest.param("subq 90 min with a 20 min break", 70, id="break-after"),
        pytest.param("critical care 45 min then 30 min", 75, id="then-still-adds"),
    ],
)
def test_excluded_time_is_subtracted(text: str, minutes: int) -> None:
    parsed = parse_question(text)
    assert parsed.minutes == minutes
    assert not parsed.problems


@pytest.mark.parametrize(
    ("text", "problem_words"),
    [
        pytest.param("excluding 30 min, critical care 2 hours", "which time to count", id="exclusion-first"),
        pytest.param("critical care 9:00-11:00 excluding 30 min", "which time to count", id="exclusion-of-range"),
        pytest.param("critical care 2 hours, 30 min of that was a central line", "part of the time", id="of-that"),
        pytest.param("subq 60 min excluding 60 min", "all of the time", id="excluded-everything"),
        pytest.param("subq minus 30 min", "can't last", id="minus-alone-still-negative"),
    ],
)
def test_unclear_excluded_time_is_asked(text: str, problem_words: str) -> None:
    parsed = parse_question(text)
    assert any(problem_words in problem for problem in worded(parsed))


@pytest.mark.parametrize(
    ("text", "family", "minutes", "note_words"),
    [
        # Another service's time is never added in ("chemo 2 hours plus hydration 1 hr" was 180 min of chemo).
        pytest.param("chemo infusion 2 hours plus hydration 1 hr", "chemo_infusion", 120, "not added in",
                     id="chemo-plus-hydration"),
        pytest.param("hydration 1 hr and chemo 2 hours", "chemo_infusion", 120, "not added in",
                     id="hydration-and-chemo"),
        pytest.param("critical care 80 min and new patient 45 min", "critical_care", 80, "not added in",
                     id="critical-care-and-visit"),
        pytest.param("hydration 1 hr then iv infusion 2 hours", "hydration", 60, "not added in",
                     id="hydration-then-infusion"),
        # One service, two durations: still added up with its note.
        pytest.param("critical care 60 min, then 30 min more", "critical_care", 90, "added them up",
                     id="same-service-then"),
        pytest.param("hydration 30 min then another 45 min", "hydration", 75, "added them up", id="another"),
        pytest.param("subq 2 hours with ondansetron 4 mg push", "subq_infusion", 120, None, id="drug-push-beside"),
        pytest.param("1 hour and 15 minutes chemo", "chemo_infusion", 75, None, id="and-inside-a-duration"),
    ],
)
def test_time_of_another_service_is_not_added(text: str, family: str, minutes: int, note_words: str | None) -> None:
    parsed = parse_question(text)
    assert (parsed.family, parsed.minutes) == (family, minutes)
    assert not parsed.problems
    if note_words:
        assert any(note_words in note for note in parsed.notes)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("hydration 1 hr and chemo", id="time-only-for-the-other-service"),
        pytest.param("critical care and hydration 1 hr", id="time-only-for-the-second-service"),
    ],
)
def test_time_for_the_wrong_service_is_asked(text: str) -> None:
    assert any("each service's time separately" in problem for problem in worded(parse_question(text)))


@pytest.mark.parametrize(
    ("text", "family", "with_em"),
    [
        # The E/M named before the psychotherapy is the add-on context too ("E/M plus psychotherapy" was standalone).
        pytest.param("E/M plus psychotherapy 45 min", "psychotherapy", True, id="em-plus-psychotherapy"),
        pytest.param("99214 + therapy 53 min psych", "psychotherapy", True, id="code-plus-therapy-psych"),
        pytest.param("E/M and psychotherapy 53 min", "psychotherapy", True, id="em-and-psychotherapy"),
        pytest.param("99214 and psychotherapy 45 min", "psychotherapy", True, id="code-and-psychotherapy"),
        pytest.param("psychotherapy 45 min with E/M", "psychotherapy", True, id="with-em-after"),
        pytest.param("psychotherapy 45 min", "psychotherapy", None, id="psychotherapy-alone"),
        pytest.param("psychotherapy 45 min without E/M", "psychotherapy", False, id="without-em"),
        pytest.param("physical therapy 38 min", "therapy", None, id="physical-therapy-stays-therapy"),
    ],
)
def test_psychotherapy_with_em(text: str, family: str, with_em: bool | None) -> None:
    parsed = parse_question(text)
    assert (parsed.family, parsed.with_em) == (family, with_em)
