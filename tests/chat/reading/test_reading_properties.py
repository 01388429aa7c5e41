"""Property tests of the reader (issue 10, Tests): every timed family x any minute count 1-1440 x at least 12 surface
forms x several question templates reads exactly the truth or asks; never a different number. Two services with
times A and B in one question read as two services with A and B (times are never summed across services).

Hypothesis is derandomized on CI (tests/conftest.py); locally it explores, and a failure it finds becomes an @example.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from assistant.chat.parse import parse_question
from assistant.chat.reading.services import read_services
from assistant.units import TIMED_FAMILIES

# A cue per timed family: the words a coder types for it (the family cue table in assistant/chat/reading/cues.py).
CUES: dict[str, str] = {
    "subq_infusion": "subq infusion",
    "hydration": "IV hydration",
    "iv_infusion": "therapeutic IV infusion",
    "chemo_infusion": "chemo infusion",
    "critical_care": "critical care",
    "office_em": "office visit established patient",
    "psychotherapy": "psychotherapy",
    "crisis_psychotherapy": "crisis psychotherapy",
    "family_psychotherapy": "family psychotherapy with patient present",
    "sedation": "moderate sedation",
    "hospital_em": "subsequent hospital care",
    "nursing_facility_em": "subsequent nursing facility visit",
    "home_em": "home visit established patient",
    "care_management": "CCM",
}

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int, hyphen: bool = True) -> str:
    """A number in English words, up to 9999 ("one thousand four hundred forty", "forty-five")."""
    parts: list[str] = []
    if n >= 1000:
        parts += [_ONES[n // 1000], "thousand"]
        n %= 1000
    if n >= 100:
        parts += [_ONES[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        tens, ones = divmod(n, 10)
        parts.append(_TENS[tens] + (("-" if hyphen else " ") + _ONES[ones] if ones else ""))
    elif n or not parts:
        parts.append(_ONES[n])
    return " ".join(parts)


def forms(minutes: int) -> list[str]:
    """The surface forms of a duration (at least 12 for every count with whole hours and minutes)."""
    hours, rest = divmod(minutes, 60)
    found = [f"{minutes} minutes", f"{minutes} min", f"{minutes} mins", f"{minutes}min", f"{minutes} minute",
             f"{minutes}-minute", f"{minutes} mn", f"{minutes}m", f"{minutes} mins.", f"0:{minutes:02d}" if minutes < 60
             else f"{minutes} MIN", f"{words(minutes)} minutes", f"{words(minutes, hyphen=False)} minutes",
             f"{words(minutes)} min"]
    if hours:
        found += [f"{hours} hours {rest} minutes", f"{hours}h {rest}m", f"{hours}h{rest:02d}", f"{hours} hr {rest}",
                  f"{hours} hour {rest}", f"{hours}:{rest:02d}", f"{words(hours)} hours and {words(rest)} minutes",
                  f"{hours} hrs, {rest} min", f"{words(hours)} {'hour' if hours == 1 else 'hours'} {words(rest)}"]
        if hours == 1:
            found += [f"an hour {rest}", f"an hour {words(rest)}"]
        if rest == 0:
            found += [f"{hours} hours", f"{words(hours)} hours"]
        if rest == 30:
            found += [f"{words(hours)} and a half hours", f"{hours} 1/2 hours", f"{hours}.5 hours"]
            if hours == 1:
                found += ["an hour and a half"]
        if rest == 15:
            found += [f"{hours} 1/4 hours"]
    if minutes == 30:
        found += ["half an hour", "a half hour"]
    if minutes % 6 == 0 and minutes >= 60:
        found.append(f"{minutes / 60:g} hours")
    return found


TEMPLATES = (
    "{cue} {d}",
    "{d} {cue}",
    "how do I code {cue} {d}",
    "pt had {cue} for {d}, medicare",
    "{cue} {d} how many units?",
)


def check(family: str, minutes: int, form: str, template: str) -> None:
    text = template.format(cue=CUES[family], d=form)
    parsed = parse_question(text)
    assert parsed.problems or parsed.minutes == minutes, f"{text!r} read as {parsed.minutes}, truth {minutes}"
    assert parsed.family == family, f"{text!r}: family {parsed.family}, expected {family}"


def test_every_timed_family_has_a_cue() -> None:
    assert set(TIMED_FAMILIES) <= set(CUES)


@given(family=st.sampled_from(sorted(CUES)), minutes=st.integers(min_value=1, max_value=1440),
       template=st.sampled_from(TEMPLATES), data=st.data())
@example(family="subq_infusion", minutes=45, template="{cue} {d}", data=None)
@example(family="critical_care", minutes=90, template="{cue} {d}", data=None)
@example(family="psychotherapy", minutes=53, template="{cue} {d}", data=None)
@example(family="iv_infusion", minutes=110, template="{cue} {d}", data=None)
@example(family="hydration", minutes=1440, template="{cue} {d}", data=None)
@example(family="critical_care", minutes=90, template="how do I code {cue} {d}", data=None)  # "one hour thirty" was 60
def test_a_duration_reads_as_the_truth_or_asks(family: str, minutes: int, template: str, data: object) -> None:
    candidates = forms(minutes)
    # an @example runs every form; a generated case draws one
    chosen = candidates if data is None else [data.draw(st.sampled_from(candidates))]  # type: ignore[attr-defined]
    for form in chosen:
        check(family, minutes, form, template)


def test_every_form_of_every_minute_count_for_one_family() -> None:
    """Exhaustive over 1-1440 for one family and the plain template: every form, every count."""
    for minutes in range(1, 1441):
        for form in forms(minutes):
            check("critical_care", minutes, form, "{cue} {d}")


_PAIRS = [("chemo_infusion", "hydration"), ("hydration", "chemo_infusion"), ("critical_care", "psychotherapy"),
          ("subq_infusion", "hydration"), ("iv_infusion", "chemo_infusion")]


@given(pair=st.sampled_from(_PAIRS), a=st.integers(min_value=1, max_value=600),
       b=st.integers(min_value=1, max_value=600), joiner=st.sampled_from([" then ", " and ", ", ", " plus ", "; "]))
@example(pair=("chemo_infusion", "hydration"), a=120, b=60, joiner=" then ")
def test_two_services_keep_their_own_times(pair: tuple[str, str], a: int, b: int, joiner: str) -> None:
    text = f"{CUES[pair[0]]} {a} min{joiner}{CUES[pair[1]]} {b} min"
    services = read_services(text)
    assert [s.minutes for s in services] == [a, b], (text, services)
    assert [s.family for s in services] == list(pair), (text, [s.family for s in services])


# The minute counts where a time family changes its answer somewhere (rules.md: 8-minute rule, 16/23/31/38/53 min
# thresholds, 30-minute hour boundaries, 74/75, 104/105, a day), both sides of each.
BOUNDARIES = (1, 7, 8, 15, 16, 22, 23, 29, 30, 31, 37, 38, 52, 53, 59, 60, 61, 74, 75, 89, 90, 91, 104, 105, 119, 120,
              121, 150, 151, 180, 181, 210, 211, 480, 481, 1439, 1440)


@pytest.mark.parametrize("family", sorted(CUES))
def test_every_family_every_form_at_every_boundary(family: str) -> None:
    for minutes in BOUNDARIES:
        for form in forms(minutes):
            check(family, minutes, form, "{cue} {d}")
            check(family, minutes, form, "how do I code {cue} {d}")


@given(amount=st.one_of(st.integers(min_value=-5000, max_value=0),
                        st.floats(min_value=-500, max_value=0, allow_nan=False)),
       unit=st.sampled_from(["mg", "g", "mcg", "units", "mL"]),
       drug=st.sampled_from(["zofran", "ceftriaxone", "J1885"]))
@example(amount=-4, unit="mg", drug="zofran")
@example(amount=-10.5, unit="mg", drug="J1885")  # found locally: "-10" after a code was read as modifier 10
@example(amount=0, unit="mg", drug="zofran")
def test_a_dose_that_is_not_positive_is_refused(amount: float, unit: str, drug: str) -> None:
    shown = f"{amount:g}"
    parsed = parse_question(f"{drug} {shown} {unit}")
    assert parsed.problems, f"{drug} {shown} {unit} was not refused"


@given(word=st.sampled_from(["chemo", "pump"]), negation=st.sampled_from(["no ", "non-", "not ", "without ", "w/o "]))
def test_a_negated_cue_is_never_used(word: str, negation: str) -> None:
    parsed = parse_question(f"IV infusion 9 hours, {negation}{word}")
    assert parsed.family == "iv_infusion" and parsed.prolonged_pump is None


@given(text=st.text(max_size=120))
@example(text="İstanbul 5 mg")  # a character whose lower case is longer: spans must stay spans of the question
@example(text="\u2212 4 mg\u00a0x\u00d72")
def test_reading_never_raises_and_every_span_is_in_the_question(text: str) -> None:
    from assistant.chat.reading.spans import read

    reading = read(text)
    assert len(reading.low) == len(text)
    for span in reading.spans:
        start, end = span.span
        assert 0 <= start <= end <= len(text)
    read_services(text)
    parse_question(text)
