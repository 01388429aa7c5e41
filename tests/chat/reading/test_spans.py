"""The reader's tokens and typed spans, table-driven: every kind of span, both sides of each boundary."""

from __future__ import annotations

from datetime import time

import pytest

from assistant.chat.reading.cues import mask_negations, parse_family
from assistant.chat.reading.services import read_services
from assistant.chat.reading.spans import (
    BodySurfaceArea,
    ClockPoint,
    ClockRange,
    Code,
    Count,
    Dose,
    Duration,
    Negation,
    Rate,
    Route,
    Weight,
    read,
)
from assistant.chat.reading.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("forty-five", 45, id="hyphenated"),
        pytest.param("forty five", 45, id="spaced"),
        pytest.param("twenty-one", 21, id="twenty-one-not-one"),
        pytest.param("one hundred ten", 110, id="hundred-ten"),
        pytest.param("one hundred and ten", 110, id="hundred-and-ten"),
        pytest.param("a hundred", 100, id="a-hundred"),
        pytest.param("one thousand four hundred forty", 1440, id="a-day-in-words"),
        pytest.param("ninety", 90, id="ninety"),
        pytest.param("nineteen", 19, id="teen"),
        pytest.param("1,500", 1500, id="thousands-comma"),
        pytest.param("2.5", 2.5, id="decimal"),
        pytest.param("twice", 2, id="twice"),
    ],
)
def test_numbers(text: str, value: float) -> None:
    _, tokens = tokenize(text)
    assert [t.value for t in tokens if t.kind == "num"] == [value]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        pytest.param("B12 injection", [], id="vitamin-b12-is-a-name"),
        pytest.param("D5W 500 ml", [500], id="d5w-is-a-name"),
        pytest.param("A1c 7.2", [7.2], id="a1c-is-a-name"),
        pytest.param("q4h", [], id="q4h-is-a-name"),
        pytest.param("zofran x2", [2], id="x2-is-a-count"),
        pytest.param("2h30", [2, 30], id="2h30-keeps-its-numbers"),
        pytest.param("1hr30", [1, 30], id="1hr30-keeps-its-numbers"),
    ],
)
def test_digits_glued_after_letters_are_part_of_a_name(text: str, numbers: list[float]) -> None:
    """'B12 injection 1000 mcg IM' once counted 96372 x12: the 12 of a name is never a number."""
    _, tokens = tokenize(text)
    assert [t.value for t in tokens if t.kind == "num"] == numbers


def test_number_words_keep_their_span_in_the_question() -> None:
    low, tokens = tokenize("subq Forty-Five minutes")
    number = next(t for t in tokens if t.kind == "num")
    assert (number.start, number.end) == (5, 15) and low[number.start:number.end] == "forty-five"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        pytest.param("45 min", 45, id="digits"),
        pytest.param("forty-five minutes", 45, id="words"),
        pytest.param("1 hour 30", 90, id="h-hour-m"),
        pytest.param("1 hr 30", 90, id="h-hr-m"),
        pytest.param("2h30", 150, id="HhMM"),
        pytest.param("2h 30m", 150, id="Hh-Mm"),
        pytest.param("2 hrs, 10 min", 130, id="comma"),
        pytest.param("1 hour and 15 minutes", 75, id="and"),
        pytest.param("two and a half hours", 150, id="and-a-half-words"),
        pytest.param("an hour and a half", 90, id="an-hour-and-a-half"),
        pytest.param("half an hour", 30, id="half-an-hour"),
        pytest.param("a quarter of an hour", 15, id="quarter"),
        pytest.param("1 1/4 hours", 75, id="mixed-fraction"),
        pytest.param("3/4 hour", 45, id="fraction"),
        pytest.param("2½ hours", 150, id="half-glyph"),
        pytest.param("1:45", 105, id="h-colon-mm"),
        pytest.param("3 x 15 min", 45, id="product-before"),
        pytest.param("45 min x2", 90, id="product-after"),
        pytest.param("-3 hours", -180, id="negative-kept-for-the-refusal"),
        pytest.param("one hour thirty", 90, id="words-h-hour-m"),
        pytest.param("an hour 30", 90, id="an-hour-m"),
        pytest.param("an hour and fifteen minutes", 75, id="an-hour-and-m-minutes"),
        pytest.param("hour and 15 min", 75, id="hour-and-m-no-article"),
        pytest.param("1 ½ hours", 90, id="spaced-half-glyph"),
        pytest.param("90 minute", 90, id="singular-unit"),
        pytest.param("45-minute", 45, id="hyphenated-unit"),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    durations = read(text).of(Duration)
    assert len(durations) == 1 and durations[0].minutes == minutes


@pytest.mark.parametrize(
    ("text", "start", "end", "minutes"),
    [
        pytest.param("0915 to 1040", time(9, 15), time(10, 40), 85, id="military"),
        pytest.param("9:30a-11:01a", time(9, 30), time(11, 1), 91, id="a-shorthand"),
        pytest.param("0930h-1101h", time(9, 30), time(11, 1), 91, id="h-suffix"),
        pytest.param("930-1101", time(9, 30), time(11, 1), 91, id="three-digits"),
        pytest.param("9.30-11.01", time(9, 30), time(11, 1), 91, id="dotted"),
        pytest.param("11pm to 2am", time(23, 0), time(2, 0), 180, id="past-midnight"),
        pytest.param("from 9 to 11", time(9, 0), time(11, 0), 120, id="bare-with-lead"),
    ],
)
def test_clock_ranges(text: str, start: time, end: time, minutes: int) -> None:
    ranges = read(text).of(ClockRange)
    assert len(ranges) == 1
    assert (ranges[0].start, ranges[0].end, ranges[0].minutes) == (start, end, minutes)


def test_two_small_numbers_are_not_a_clock_range() -> None:
    assert not read("2-3 pushes").of(ClockRange)


def test_an_end_before_its_start_is_flagged() -> None:
    assert read("1050-1040").of(ClockRange)[0].backwards


def test_a_push_time_is_a_clock_point() -> None:
    assert read("zofran IVP 0905").of(ClockPoint)[0].at == time(9, 5)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        pytest.param("4 mg", 4, "mg", id="mg"),
        pytest.param("1,500mg", 1500, "mg", id="thousands-glued"),
        pytest.param("10000 units", 10000, "units", id="five-digits-is-an-amount-not-a-code"),
        pytest.param("5 mg/kg", 5, "mg/kg", id="per-kg"),
        pytest.param("175 mg/m2", 175, "mg/m2", id="per-m2"),
        # Any dose unit per body size, however typed: never the bare dose ("1 g/kg" is not 1 g).
        pytest.param("1 g/kg", 1, "g/kg", id="grams-per-kg"),
        pytest.param("1 gm/kg", 1, "g/kg", id="gm-per-kg"),
        pytest.param("400 units/m2", 400, "units/m2", id="units-per-m2"),
        pytest.param("5 mg per kg", 5, "mg/kg", id="per-kg-in-words"),
        pytest.param("5 mg / kg", 5, "mg/kg", id="spaced-slash"),
        pytest.param("2 mg/lb", 2, "mg/lb", id="per-pound-stays-unknown"),
        pytest.param("1 g", 1, "g", id="plain-grams"),
        pytest.param("2 cc", 2, "mL", id="cc"),
    ],
)
def test_doses(text: str, amount: float, unit: str) -> None:
    doses = read(text).of(Dose)
    assert [(d.amount, d.unit) for d in doses] == [(amount, unit)]


def test_a_rate_is_neither_a_duration_nor_a_dose() -> None:
    reading = read("NS at 125 ml/hr for 60 min")
    assert reading.of(Rate) and [d.minutes for d in reading.of(Duration)] == [60] and not reading.of(Dose)


def test_weight_and_body_surface_area() -> None:
    assert read("82 kg").of(Weight)[0].kg == 82
    assert round(read("180 lbs").of(Weight)[0].kg, 1) == 81.6
    assert read("BSA 1.8").of(BodySurfaceArea)[0].m2 == 1.8
    assert read("1.8 m2").of(BodySurfaceArea)[0].m2 == 1.8


@pytest.mark.parametrize(
    ("text", "n", "noun"),
    [
        pytest.param("3 pushes", 3, "pushes", id="pushes"),
        pytest.param("2 separate sites", 2, "sites", id="separate-sites"),
        pytest.param("x2", 2, None, id="x-count"),
        pytest.param("x 2 sites", 2, "sites", id="x-sites"),
    ],
)
def test_counts(text: str, n: int, noun: str | None) -> None:
    counts = read(text).of(Count)
    assert [(c.n, c.noun) for c in counts] == [(n, noun)]


@pytest.mark.parametrize(
    ("text", "route"),
    [
        pytest.param("IVP", "iv_push", id="ivp"),
        pytest.param("IV push", "iv_push", id="iv-push"),
        pytest.param("IVPB", "iv_infusion", id="ivpb"),
        pytest.param("IM", "im", id="im"),
        pytest.param("SC", "sc", id="sc"),
        pytest.param("subq", "sc", id="subq"),
        pytest.param("sub-q", "sc", id="sub-q"),
    ],
)
def test_routes(text: str, route: str) -> None:
    assert [r.route for r in read(text).of(Route)] == [route]


def test_codes_come_from_the_code_reader() -> None:
    assert [c.code for c in read("96372 and J9271").of(Code)] == ["96372", "J9271"]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        pytest.param("no pump", "pump", id="no-pump"),
        pytest.param("non-chemo IV", "chemo", id="non-chemo"),
        pytest.param("without E/M", "e/m", id="without-em"),
        pytest.param("no portable pump", "pump", id="modifier-skipped"),
        pytest.param("not chemo", "chemo", id="not"),
    ],
)
def test_negations(text: str, negated: str) -> None:
    reading = read(text)
    negations = reading.of(Negation)
    assert len(negations) == 1 and reading.low[negations[0].scope[0]:negations[0].scope[1]] == negated


@pytest.mark.parametrize(
    ("text", "family"),
    [
        pytest.param("non-chemo IV infusion 60 minutes", "iv_infusion", id="non-chemo-is-not-chemo"),
        pytest.param("chemo IV infusion 60 minutes", "chemo_infusion", id="chemo"),
        pytest.param("no chemo, hydration 60 min", "hydration", id="no-chemo-hydration"),
    ],
)
def test_a_negated_cue_is_never_used(text: str, family: str) -> None:
    assert parse_family(text)[0] == family


def test_masking_keeps_the_length() -> None:
    text = "chemo IV 8.5 hrs, no pump"
    assert len(mask_negations(text)) == len(text) and "pump" not in mask_negations(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("zofran -4 mg", "nonpositive_dose", id="negative-dose"),
        pytest.param("zofran 0 mg", "nonpositive_dose", id="zero-dose"),
        pytest.param("0 pushes", "nonpositive_count", id="zero-count"),
        pytest.param("subq 5/4 hours", "unread_fraction", id="improper-fraction"),
        pytest.param("subq 2-3 hours", "duration_range", id="range"),
        pytest.param("subq 1 1/2+1 hours", "unread_sum", id="fraction-in-a-sum"),
        pytest.param("critical care hours 5", "unread_number", id="number-no-rule-read"),
    ],
)
def test_problems_are_typed(text: str, kind: str) -> None:
    assert kind in {p.kind for p in read(text).problems}


@pytest.mark.parametrize("text", ["zofran 4 mg", "3 pushes", "subq 90 min", "anesthesia base units 5"])
def test_no_problem_where_everything_was_read(text: str) -> None:
    assert not read(text).problems


def test_services_each_keep_their_own_time_dose_and_relation() -> None:
    services = read_services("chemo 2 hrs then second chemo drug sequential 1 hr")
    assert [(s.family, s.minutes, s.relation) for s in services] == [
        ("chemo_infusion", 120, None), ("chemo_infusion", 60, "sequential")]
    pushes = read_services("zofran 4 mg IVP and toradol 30 mg IVP")
    assert [(s.drug, s.dose, s.route) for s in pushes] == [("zofran", 4, "iv_push"), ("toradol", 30, "iv_push")]


def test_no_pump_is_a_negated_pump() -> None:
    assert read_services("chemo IV 8.5 hrs in clinic, no pump")[0].pump is False
    assert read_services("chemo through a portable pump 46 hrs")[0].pump is True


def test_a_mar_reads_as_three_services_with_clock_times() -> None:
    services = read_services("NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, facility")
    assert [(s.family, s.start, s.end) for s in services] == [
        ("hydration", time(9, 0), time(11, 30)), ("iv_push", time(9, 5), None),
        ("iv_infusion", time(9, 30), time(13, 30))]
    assert [s.drug for s in services][1:] == ["zofran", "rituxan"]


def test_time_between_pushes_is_not_service_time() -> None:
    assert read_services("second push same drug 20 min later")[0].minutes is None


@pytest.mark.parametrize(
    ("question", "gaps", "minutes"),
    [
        pytest.param("zofran IVP, then zofran IVP again 45 min later", [None, 45], [None, None], id="n-min-later"),
        pytest.param("zofran IVP, then zofran IVP after 40 minutes", [None, 40], [None, None], id="after-n-minutes"),
        pytest.param("zofran IVP, then toradol IVP", [None, None], [None, None], id="no-gap-typed"),
        pytest.param("IV infusion 45 min, then zofran IVP", [None, None], [45, None], id="own-time-is-no-gap"),
    ],
)
def test_the_gap_before_a_service_is_read_apart_from_its_own_time(question: str, gaps: list, minutes: list) -> None:
    """'45 min later' is the time since the service before (it decides 96376), never the service's own time."""
    services = read_services(question)
    assert [s.gap_minutes for s in services] == gaps
    assert [s.minutes for s in services] == minutes
