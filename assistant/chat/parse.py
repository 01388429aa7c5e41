"""Understand a coder's question: durations, clock ranges, doses, payer, setting, per-code minutes, family cues.

Pure functions over text: no corpus, no model, no I/O. The router adds what needs the corpus (drug names,
a code's time rule, the retriever's best guess). Every recogniser is a small regular expression table so a new
way of typing a duration is one row, not a new branch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import time
from typing import Literal

from assistant.corpus.codes import find_codes

Payer = Literal["cpt", "medicare"]
CareSetting = Literal["professional", "facility"]

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class ParsedQuestion:
    """Everything the parser read in one question. `None` means "the question did not say"."""

    text: str = ""
    earlier_texts: tuple[str, ...] = ()  # the earlier turns this one was merged with, oldest first
    codes: tuple[str, ...] = ()
    minutes: int | None = None
    start: time | None = None
    end: time | None = None
    duration_text: str | None = None  # the duration as the coder typed it, for messages
    duration_unit: Literal["minutes", "hours"] | None = None  # the one unit the duration was typed in, if one
    bare_number: float | None = None  # a number with no unit ("what about 104?"), read in the earlier turn's unit
    dose: float | None = None
    dose_unit: str | None = None  # normalised: g, mg, mcg, units, mL
    payer: Payer | None = None
    setting: CareSetting | None = None
    code_minutes: dict[str, int] | None = None
    pump_setups: int | None = None
    sites: int | None = None
    patient: Literal["new", "established"] | None = None
    with_em: bool | None = None
    sedation_by: Literal["same", "other"] | None = None
    patient_under_5: bool | None = None
    base_units: float | None = None
    pushes: int | None = None  # IV or chemo pushes of different drugs, counting the first
    same_drug_pushes: int | None = None  # repeat pushes of a drug already pushed, more than 30 minutes later
    prolonged_pump: bool | None = None  # a chemo infusion through a portable or implantable pump (96416 past 8 h)
    injections: int | None = None  # SC/IM injections
    sequential_infusions: int | None = None  # further infusions of a new drug after the initial one
    concurrent_infusion: bool | None = None
    family: str | None = None  # from a lay cue ("subq" -> subq_infusion)
    other_families: tuple[str, ...] = ()  # further services named in the same question (answered one at a time)
    family_cue: str | None = None  # the words that gave the family
    together: bool = False  # billing-together words: with, same day, bundle, NCCI, modifier 59
    asks_units: bool = False  # "how many units", "how do I code", "bill": the coder wants a count
    followup: bool = False  # "what about ...", "and for medicare?"
    problems: tuple[str, ...] = ()  # input a units answer must refuse, in coder-readable words
    notes: tuple[str, ...] = ()  # assumptions worth a warning (two durations added up)

    @property
    def has_quantity(self) -> bool:
        """True when the question gives a duration, a clock range, per-code minutes or a dose."""
        return (
            self.minutes is not None
            or self.start is not None
            or bool(self.code_minutes)
            or self.dose is not None
            or bool(self.problems)
        )

    @property
    def has_duration(self) -> bool:
        return self.minutes is not None or self.start is not None or bool(self.code_minutes)


# --------------------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}
_ORDINALS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "another": 2, "additional": 2}

_UNIT_AHEAD = (
    r"(?=\s+(?:and\s+a\s+half\s+)?(?:hours?|hrs?|minutes?|mins?|sites?|pumps?|pump\s+set-?ups?|units?|grams?))"
)

# (pattern, replacement) applied in order to the lower-cased text. Each rewrites a spoken duration into digits.
_SPOKEN_DURATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\b(\d+)\s+and\s+a\s+half\s+(hours?|hrs?)\b", r"\1.5 hours"),
        (r"\b(\d+)\s+1/2\s+(hours?|hrs?)\b", r"\1.5 hours"),
        (r"\b(\d+)\s*½\s*(hours?|hrs?)\b", r"\1.5 hours"),
        (r"\b(?:an?\s+|one\s+)?(?:hour|hr)\s+and\s+a\s+half\b", "1.5 hours"),
        (r"\b(?:a\s+)?half\s+(?:an\s+|a\s+)?(?:-\s*)?hour\b", "30 minutes"),
        (r"\b(?:a\s+)?quarter\s+(?:of\s+)?(?:an\s+)?hour\b", "15 minutes"),
        (r"\ban?\s+hour\b", "1 hour"),
    )
)


_HOUR_WORD = r"(?:hours?|hrs?)\b"
# A fraction of an hour: "1 1/4 hours", "1 and 1/4 hours", "3/4 hour", "1 hr 1/2". Read before anything else sees
# the denominator: "1 1/4 hours" must never become "4 hours".
_HOUR_FRACTIONS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![\w./])(?:(?P<whole>\d+)\s+(?:and\s+)?)?(?P<num>\d+)\s*/\s*(?P<den>\d+)\s*(?:of\s+an?\s+)?"
               + _HOUR_WORD),
    re.compile(r"(?<![\w./])(?P<whole>\d+)\s*" + _HOUR_WORD
               + r"\s+(?:and\s+)?(?P<num>\d+)\s*/\s*(?P<den>\d+)(?![\w/])"),
)
# A fraction left over after that (a denominator of 0, "5/4 hours") is refused by the parser, never half-read.
_UNREAD_FRACTION = re.compile(r"(?<![\w./])\d+\s*/\s*\d+\s*(?:of\s+an?\s+)?(?:hours?|hrs?|minutes?|mins?)\b")


def _fraction_as_hours(match: re.Match[str]) -> str:
    """'1 1/4 hours' -> '1.25 hours'; a fraction that is not a proper one is left for the parser to refuse."""
    whole, num, den = int(match.group("whole") or 0), int(match.group("num")), int(match.group("den"))
    if den == 0 or num >= den:
        return match.group(0)
    minutes = (whole * den + num) * 60 / den
    if minutes != int(minutes):
        return match.group(0)
    # Kept in hours (6 significant digits round back to the exact minute) so a follow-up reads numbers as hours.
    return f"{minutes / 60:.6g} hours"


_NOT_A_QUANTITY = r"(?!\s*(?:h|hrs?|hours?|m|mins?|minutes?|g|mg|mcg|ml|units?)\b)"
# Clock times typed in nurses' shorthand, rewritten to the forms the clock-range reader knows. Each row only fires
# in a range so a lone "9.30" or "930" is never turned into a time.
_CLOCK_SHORTHAND: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # "9:30a", "11:01 p" -> "9:30am", "11:01pm" (a lone letter after a colon time is am/pm)
        (r"(?<![\w:.])(\d{1,2}:[0-5]\d)\s?([ap])(?=\s*(?:-|to\b|until\b|till\b|$|[,;)]))", r"\1\2m"),
        # "0930h-1101h": 24-hour times with an h after them
        (r"(?<![\w:.])([01]\d|2[0-3])([0-5]\d)h(?=\s*(?:-|to\b|until\b|till\b|$|[,;)]))", r"\1\2"),
        # "9.30-11.01": a dot between hours and minutes, both ends
        (r"(?<![\w:.])(\d{1,2})\.([0-5]\d)\s*(-|to\b)\s*(\d{1,2})\.([0-5]\d)(?![\w.:])" + _NOT_A_QUANTITY,
         r"\1:\2 \3 \4:\5"),
        # "930-1101": a 3-digit time beside a 4-digit or colon time
        (r"(?<![\w:.])([1-9])([0-5]\d)\s*(-|to\b)\s*(\d{4}|\d{1,2}:\d{2})(?![\w.:])" + _NOT_A_QUANTITY,
         r"\1:\2 \3 \4"),
    )
)


_SUMMED_NUMBERS = re.compile(
    r"(?<![\w.:/])(?P<numbers>\d+(?:\.\d+)?(?:\s*\+\s*\d+(?:\.\d+)?)+)\s*(?P<unit>hours?|hrs?|minutes?|mins?)\b"
)


def _each_with_its_unit(match: re.Match[str]) -> str:
    numbers = re.split(r"\s*\+\s*", match.group("numbers"))
    return " + ".join(f"{number} {match.group('unit')}" for number in numbers)


def normalize(text: str) -> str:
    """Lower-case, unify dashes and spaces, drop thousands separators and spell numbers as digits."""
    t = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    t = re.sub(r"[\u00a0\t\r\n]+", " ", t).lower()
    # "1,500mg" as well as "1,500 mg": the thousands group may be glued to its unit (never "500 mg").
    previous = None
    while previous != t:
        previous, t = t, re.sub(r"(?<![\d,])(\d{1,3}(?:\d{3})*),(\d{3})(?![\d])", r"\1\2", t)
    for pattern, replacement in _CLOCK_SHORTHAND:
        t = pattern.sub(replacement, t)
    for pattern in _HOUR_FRACTIONS:
        t = pattern.sub(_fraction_as_hours, t)
    # "20+20+35 min": the unit after the last number belongs to each of them ("20 min + 20 min + 35 min").
    t = _SUMMED_NUMBERS.sub(_each_with_its_unit, t)
    for word, number in _NUMBER_WORDS.items():
        t = re.sub(rf"\b{word}\b{_UNIT_AHEAD}", str(number), t)
    for pattern, replacement in _SPOKEN_DURATIONS:
        t = pattern.sub(replacement, t)
    return re.sub(r" {2,}", " ", t).strip()


# --------------------------------------------------------------------------------------------------------
# Clock ranges: "from 0915 to 1040", "9:15-10:40", "11pm to 2am"
# --------------------------------------------------------------------------------------------------------

_TIME = r"(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|\d{4}|\d{1,2}|noon|midnight)"
_RANGE = re.compile(
    rf"(?P<lead>\b(?:from|between|start(?:ed)?(?:\s+at)?)\s+)?(?<![\d:.])(?P<a>{_TIME})(?![\d:])\s*"
    rf"(?:-|\bto\b|\buntil\b|\btill\b|\bthru\b|\bthrough\b|\band\b|,?\s*(?:end(?:ed)?|stop(?:ped)?|finish(?:ed)?)"
    rf"(?:\s+at)?)\s*(?<![\d:])(?P<b>{_TIME})(?![\d:])"
    r"(?!\s*(?:h|hrs?|hours?|m|mins?|minutes?|sites?|pumps?|units?|g|mg|mcg|ml)\b)(?!\s*-)"
)


def _clock_candidates(token: str) -> tuple[list[int], bool] | None:
    """Possible minutes-after-midnight for a typed time, and whether it was explicit (am/pm, 24 h, 4 digits)."""
    token = token.strip().replace(".", "")
    if token == "noon":
        return [12 * 60], True
    if token == "midnight":
        return [0], True
    suffix = None
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*([ap]m)?", token)
    if match:
        hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    elif re.fullmatch(r"\d{4}", token):
        hour, minute = int(token[:2]), int(token[2:])
        if hour > 23 or minute > 59:
            return None
        return [hour * 60 + minute], True
    else:
        return None
    if minute > 59 or hour > 24 or (suffix and not 1 <= hour <= 12):
        return None
    if suffix:
        hour = hour % 12 + (12 if suffix == "pm" else 0)
        return [hour * 60 + minute], True
    if hour == 24:
        return [minute], True
    if 1 <= hour <= 12:
        # A bare 1-12 could be morning or afternoon: keep both, the shortest span wins (infusions are short).
        return [hour % 12 * 60 + minute if hour == 12 else hour * 60 + minute, (hour % 12 + 12) * 60 + minute], False
    return [hour * 60 + minute], True


def _pick_span(a: list[int], b: list[int]) -> tuple[int, int, int]:
    """The start, end and minutes of the shortest positive span; crossing midnight adds a day (11pm-2am = 180)."""
    if a == b:  # the same time typed twice: zero minutes, never a 12- or 24-hour guess
        return a[0], b[0], 0
    best: tuple[int, int, int] | None = None
    for start in a:
        for end in b:
            span = (end - start) % MINUTES_PER_DAY
            if span and (best is None or span < best[2]):
                best = (start, end, span)
    if best is None:  # start equals end: zero minutes, reported as a problem by the caller
        return a[0], b[0], 0
    return best


def parse_clock_range(t: str) -> tuple[time, time, int, tuple[int, int]] | None:
    """Find a clock range in normalised text: (start, end, minutes, span of the match) or None."""
    for match in _RANGE.finditer(t):
        a, b = _clock_candidates(match.group("a")), _clock_candidates(match.group("b"))
        if a is None or b is None:
            continue
        a_explicit, b_explicit = a[1], b[1]
        texts = match.group("a") + match.group("b")
        # Two bare small numbers ("2-3") are a range of counts, not of times, unless "from/between" leads.
        if not (a_explicit or b_explicit or ":" in texts or match.group("lead")):
            continue
        start, end, minutes = _pick_span(a[0], b[0])
        return (
            time(start // 60, start % 60),
            time(end // 60, end % 60),
            minutes,
            match.span(),
        )
    return None


_PM_TO_AM = re.compile(r"p\.?m\.?.*\ba\.?m\.?$")


def clock_range_ends_before_start(typed: str, minutes: int) -> bool:
    """True when a typed range's end reads earlier than its start ("10:50 to 10:40", "1050-1040").

    Both times are read as typed (a bare 1-12 as morning). If the end is before the start by less than the
    forward span, the nearer reading is a typing slip, not a service that ran past midnight: the count must not
    be guessed. So crossing midnight is accepted only when the span is at most 12 hours ("2300-0200" = 180 min)
    or when am/pm shows pm -> am ("11pm to 2am"); the same rule on the 12-hour face keeps "11:30 to 1:15" (105).
    """
    match = _RANGE.search(typed)
    if match is None or minutes <= 0:
        return False
    if _PM_TO_AM.search(match.group("a") + " " + match.group("b")):
        return False
    a, b = _clock_candidates(match.group("a")), _clock_candidates(match.group("b"))
    if a is None or b is None:
        return False
    behind_by = (a[0][0] - b[0][0]) % MINUTES_PER_DAY
    return 0 < behind_by < minutes


# --------------------------------------------------------------------------------------------------------
# Durations: "2.5 hours", "2 hrs 30 min", "2h30", "1:45", "90 min", "-3 hours"
# --------------------------------------------------------------------------------------------------------

_NEG = r"(?P<neg>(?<![\w.])-\s*|\bminus\s+|\bnegative\s+)?"
_NUM = r"(?<![\w.])(?P<{name}>\d+(?:\.\d+)?)"
_HOURS_UNIT = r"(?:hours?|hrs?|h)\b"
_MIN_UNIT = r"(?:minutes?|mins?|m)\b"
_DURATIONS: tuple[re.Pattern[str], ...] = (
    # "2h30", "2 h 30 m"
    re.compile(_NEG + _NUM.format(name="h") + r"\s*h\s*(?P<m>\d{1,2})\s*(?:" + _MIN_UNIT + r"|(?![\w.:]))"),
    # "2 hrs 30 min", "1 hour and 15 minutes", "3 hrs, 10 min", "2.5 hours"
    re.compile(
        _NEG + _NUM.format(name="h") + r"\s*" + _HOURS_UNIT
        + r"(?:\s*(?:,|and)?\s*(?<![\w.])(?P<m>\d{1,2})\s*" + _MIN_UNIT + r")?"
    ),
    # "90 min"
    re.compile(_NEG + _NUM.format(name="m") + r"\s*" + _MIN_UNIT),
    # "1:45" (hours:minutes, when it is not part of a clock range)
    re.compile(_NEG + r"(?<![\d:])(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?![\d:])(?!\s*[ap]\.?m)"),
)
_DURATION_RANGE = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?\s*(?:-|to|or)\s*\d+(?:\.\d+)?\s*(?:hours?|hrs?|minutes?|mins?)\b"
)


_TIMES = r"(?:x|×|\*|times)"
_DURATION_UNIT = r"(?P<u>hours?|hrs?|h|minutes?|mins?|m)\b"
_MULTIPLIED_DURATIONS: tuple[re.Pattern[str], ...] = (
    # "3 x 15 min", "2x45min", "2 times 45 minutes"
    re.compile(r"(?<![\w.:/])(?P<n>\d{1,2})\s*" + _TIMES + r"\s*(?P<d>\d+(?:\.\d+)?)\s*" + _DURATION_UNIT),
    # "45 min x 2", "45 min x2" (not "x 2 sites": a word after the count says what it counts)
    re.compile(r"(?<![\w.:/])(?P<d>\d+(?:\.\d+)?)\s*" + _DURATION_UNIT + r"\s*" + _TIMES
               + r"\s*(?P<n>\d{1,2})(?![\w.:])(?!\s*[a-z])"),
)


def parse_multiplied_durations(
    t: str, blocked: list[tuple[int, int]]
) -> list[tuple[int, str, tuple[int, int]]]:
    """Durations typed with a multiplier ("3 x 15 min") as (minutes, as typed, span): the product, never one part."""
    found: list[tuple[int, str, tuple[int, int]]] = []
    for pattern in _MULTIPLIED_DURATIONS:
        for match in pattern.finditer(t):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in [*blocked, *(f[2] for f in found)]):
                continue
            per_time = float(match.group("d")) * (60 if match.group("u").startswith("h") else 1)
            found.append((round(per_time * int(match.group("n"))), match.group(0).strip(), span))
    return found


# Words that take a duration out of the time counted ("excluding 30 min central line", "interrupted for 20 min").
# CPT time rules count only the time of the service itself, so such time is subtracted, never added.
_EXCLUDE_BEFORE = re.compile(
    r"\b(?:excluding|excl\.?|exclude|not counting|not including|minus|less|interrupted(?:\s+for)?"
    r"|paused(?:\s+for)?|stopped\s+for|held\s+for|break\s+of|minus\s+a)\s*(?:for\s+)?(?:an?\s+|the\s+)?$"
)
_EXCLUDE_AFTER = re.compile(
    r"^\s*(?:break|pause|interruption|gap|excluded|not counted|not included|off|separately billable)\b"
)
# "30 min of that was a central line": part of the time was something else, but which part to count is unclear.
_PART_OF_TIME = re.compile(r"^\s*(?:of\s+(?:that|which|it|this|those|the\s+time)|was\s+(?:spent\s+)?(?:on|for))\b")
_DurationFound = tuple[int, str, tuple[int, int]]


def split_excluded_time(
    t: str, durations: list[_DurationFound]
) -> tuple[list[_DurationFound], list[_DurationFound], list[str]]:
    """Split durations into (counted, excluded, problems): excluded ones follow an exclusion word after a counted one.

    An exclusion word before the first duration, or "N min of that ...", is unclear and becomes a problem: the
    answer asks for the time to count rather than adding or guessing.
    """
    counted: list[_DurationFound] = []
    excluded: list[_DurationFound] = []
    problems: list[str] = []
    previous_end = 0
    for found in durations:
        total, typed, span = found
        before, after = t[previous_end:span[0]], t[span[1]:span[1] + 40]
        by_minus_word = typed.startswith("minus") and bool(counted)
        if by_minus_word or _EXCLUDE_BEFORE.search(before) or _EXCLUDE_AFTER.match(after):
            if counted or by_minus_word:
                excluded.append(found)
            else:
                problems.append(f"I can't tell which time to count around '{escape_user_text(typed)}': give the "
                                "time of the service itself (for example 90 minutes)")
        elif _PART_OF_TIME.match(after):
            problems.append(f"'{escape_user_text(typed)}' is part of the time, but which part to count is unclear: "
                            "give the time of the service itself (for example 90 minutes)")
        else:
            counted.append(found)
        previous_end = span[1]
    return counted, excluded, problems


# Where one service's words end and the next one's begin: "chemo 2 hours plus hydration 1 hr".
_SERVICE_SEPARATOR = re.compile(r"\s*(?:\band\b|\bplus\b|\bthen\b|\bfollowed by\b|\bwith\b|,|;|&|\s\+\s)\s*")


def _service_segments(t: str) -> list[tuple[int, int, str | None]]:
    """The question cut at and/plus/then/with/,/;/+ as (start, end, the service its words name or None)."""
    segments: list[tuple[int, int, str | None]] = []
    start = 0
    for match in [*_SERVICE_SEPARATOR.finditer(t), None]:
        end = match.start() if match else len(t)
        if end > start:
            family, _ = parse_family(t[start:end])
            segments.append((start, end, family))
        start = match.end() if match else len(t)
    return segments


def _same_service(family: str, other: str) -> bool:
    return family == other or other in _IMPLIED.get(family, set()) or family in _IMPLIED.get(other, set())


def durations_of_the_first_service(
    t: str, durations: list[_DurationFound]
) -> tuple[list[_DurationFound], list[_DurationFound], list[str]]:
    """When a question names several services, keep only the durations of the one counted: (kept, other, problems).

    Each duration belongs to the service named in its own part of the question, else to the nearest service
    named before it (else after it). Another service's time is never added in; a duration whose service is unclear,
    or a counted service with no time of its own, is a problem asking for each service's time separately.
    """
    family, _ = parse_family(t)
    segments = _service_segments(t)
    named = [seg for seg in segments if seg[2] is not None]
    if family is None or not durations or all(_same_service(family, seg[2] or family) for seg in named):
        return durations, [], []
    kept: list[_DurationFound] = []
    other: list[_DurationFound] = []
    for found in durations:
        where = found[2][0]
        inside = next((seg for seg in segments if seg[0] <= where < seg[1]), None)
        owner = inside[2] if inside else None
        if owner is None:
            before = [seg[2] for seg in named if seg[1] <= where]
            after = [seg[2] for seg in named if seg[0] > where]
            owner = before[-1] if before else after[0] if after else None
        if owner is None:
            return [], [], [f"I can't tell which service '{escape_user_text(found[1])}' is for: give each service's "
                            "time separately (for example: chemo infusion 2 hours; hydration 1 hour)"]
        (kept if _same_service(family, owner) else other).append(found)
    if not kept:
        return [], [], [f"the time given ({escape_user_text(' + '.join(d[1] for d in other))}) is for another "
                        "service than the one counted: give each service's time separately (for example: chemo "
                        "infusion 2 hours; hydration 1 hour)"]
    return kept, other, []


def _format_minutes(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if not hours:
        return f"{sign}{rest} min"
    return f"{sign}{hours} h {rest} min" if rest else f"{sign}{hours} h"


# The time between two pushes ("same drug again after 40 min", "45 min apart", "20 min later") is not how long a
# service lasted: it only decides whether a repeat push of the same drug is reported. CPT: +96376 is a push of the
# same drug more than 30 minutes after the first, reported by facilities only (rules.md 2).
_INTERVAL_BEFORE = re.compile(r"\b(?:after|within)\s+(?:another\s+)?$")
_INTERVAL_AFTER = re.compile(r"^\s*(?:later|apart|afterwards?|after\b|between\b)")
_SAME_DRUG = re.compile(
    r"\bsame\s+(?:drug|med(?:ication)?s?|medicine|agent)\b|\brepeat(?:ed)?\s+(?:push|dose)\b|\bpushed\s+again\b"
)
REPEAT_PUSH_MINIMUM_GAP = 30  # minutes; more than this is needed for 96376 (CPT)


def split_push_intervals(
    t: str, durations: list[_DurationFound]
) -> tuple[list[_DurationFound], list[_DurationFound]]:
    """In a push question, split durations into (service time, time between pushes)."""
    kept: list[_DurationFound] = []
    gaps: list[_DurationFound] = []
    previous_end = 0
    for found in durations:
        span = found[2]
        before, after = t[previous_end:span[0]], t[span[1]:span[1] + 24]
        (gaps if _INTERVAL_BEFORE.search(before) or _INTERVAL_AFTER.match(after) else kept).append(found)
        previous_end = span[1]
    return kept, gaps


# A chemotherapy infusion started with a pump (portable, implantable ...): 96416 when it runs past 8 hours; the
# engine codes a shorter one by its time with a note.
_CHEMO_PUMP = re.compile(r"\bpumps?\b")


def parse_durations(t: str, blocked: list[tuple[int, int]] | None = None) -> list[tuple[int, str, tuple[int, int]]]:
    """Every duration in normalised text as (minutes, as typed, span); negative ones keep their sign."""
    taken = list(blocked or [])
    found: list[tuple[int, str, tuple[int, int]]] = []
    for pattern in _DURATIONS:
        for match in pattern.finditer(t):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            groups = match.groupdict()
            hours = float(groups.get("h") or 0)
            minutes = float(groups.get("m") or 0)
            total = round(hours * 60 + minutes)
            if groups.get("neg"):
                total = -total
            found.append((total, match.group(0).strip(), span))
            taken.append(span)
    found.sort(key=lambda item: item[2][0])
    return found


# --------------------------------------------------------------------------------------------------------
# Per-code minutes: "97112 24 min and 97110 23 min"
# --------------------------------------------------------------------------------------------------------

_CODE = r"(?P<code>\b(?:\d{5}|[a-v]\d{4})\b)"
_CODE_MINUTES = (
    re.compile(_CODE + r"\s*(?:for|x|:|=|-|at)?\s*(?P<m>\d{1,3})\s*" + _MIN_UNIT),
    re.compile(r"(?<![\w.])(?P<m>\d{1,3})\s*" + _MIN_UNIT + r"\s*(?:of|for|on)?\s*" + _CODE),
)


def parse_code_minutes(t: str) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """Minutes given per code, and the text spans they used (so they are not read again as a duration)."""
    result: dict[str, int] = {}
    spans: list[tuple[int, int]] = []
    for pattern in _CODE_MINUTES:
        for match in pattern.finditer(t):
            if any(match.start() < end and start < match.end() for start, end in spans):
                continue
            code = match.group("code").upper()
            result[code] = result.get(code, 0) + int(match.group("m"))
            spans.append(match.span())
    return result, spans


# --------------------------------------------------------------------------------------------------------
# Doses: "1 g", "500 mcg", "10 grams", "40 units", "2 mL"
# --------------------------------------------------------------------------------------------------------

_DOSE_UNITS = {
    "g": "g", "gm": "g", "gms": "g", "gram": "g", "grams": "g", "gr": "g",
    "mg": "mg", "mgs": "mg", "milligram": "mg", "milligrams": "mg",
    "mcg": "mcg", "mcgs": "mcg", "ug": "mcg", "µg": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "unit": "units", "units": "units", "u": "units", "iu": "units",
    "ml": "mL", "mls": "mL", "cc": "mL", "milliliter": "mL", "milliliters": "mL", "millilitre": "mL",
}
_DOSE = re.compile(
    r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?P<u>"
    + "|".join(sorted((re.escape(u) for u in _DOSE_UNITS), key=len, reverse=True))
    + r")(?![\w/])"
)
_BASE_UNITS = re.compile(
    r"\bbase(?:\s+units?)?\s*(?:of|=|:|is)?\s*(?P<a>\d+(?:\.\d+)?)|(?<![\w.])(?P<b>\d+(?:\.\d+)?)\s*base\s+units?\b"
)


# "1,5g": a decimal comma or a slip? Either reading could be the right one, so it is asked, never guessed.
_DECIMAL_COMMA = re.compile(
    r"(?<![\w,.])\d+,\d{1,2}(?![\d,])\s*(?:"
    + "|".join(sorted((re.escape(u) for u in _DOSE_UNITS), key=len, reverse=True))
    + r"|hours?|hrs?|h|minutes?|mins?)(?![\w/])"
)


# A "+" between numbers left after normalising ("1 1/2+1 hours") is a sum the parser could not read: asked.
_UNREAD_SUM = re.compile(r"[\d/.]+\s*\+\s*[\d./]+(?:\s*(?:hours?|hrs?|minutes?|mins?))?")
# "4 mg x 2": two doses or one? The multiplier is never dropped silently.
_MULTIPLIED_DOSE = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?\s*(?:"
    + "|".join(sorted((re.escape(u) for u in _DOSE_UNITS), key=len, reverse=True))
    + r")\s*(?:x|×|\*|times)\s*\d+(?![\w.])(?!\s*[a-z])"
    + r"|(?<![\w.])\d{1,2}\s*(?:x|×|\*|times)\s*\d+(?:\.\d+)?\s*(?:"
    + "|".join(sorted((re.escape(u) for u in _DOSE_UNITS), key=len, reverse=True))
    + r")(?![\w/])"
)


def parse_dose(t: str, blocked: list[tuple[int, int]]) -> tuple[float, str, str] | None:
    """The first dose (amount, normalised unit, as typed) outside the blocked spans."""
    for match in _DOSE.finditer(t):
        if any(match.start() < end and start < match.end() for start, end in blocked):
            continue
        return float(match.group("n")), _DOSE_UNITS[match.group("u")], match.group(0)
    return None


# --------------------------------------------------------------------------------------------------------
# Payer, setting, patient, sites, pumps and the other small switches
# --------------------------------------------------------------------------------------------------------

# (pattern, value): the first row that matches wins, so the more specific rows come first.
_MEDICARE_ADVANTAGE = r"\b(?:medicare advantage|medicare adv|ma plans?|ma (?:hmo|ppo)|mapd|part c)\b"
_MEDICAID = r"\b(?:medicaid|medi-cal|mcd)\b"
_PAYER_CUES: tuple[tuple[str, Payer], ...] = (
    (_MEDICARE_ADVANTAGE, "medicare"),
    # Medicaid is not Medicare: its rules are each state's; CPT rules are the closest default (said in a note).
    (_MEDICAID, "cpt"),
    (r"\b(?:medicare|mcr|mcare|cms|mac|part b|noridian|novitas|palmetto|wps|first coast|ngs)\b", "medicare"),
    (r"\b(?:commercial|cpt rules?|ama|private|blue cross|bcbs|aetna|cigna|united|uhc|non-medicare)\b", "cpt"),
)
# Payers read as one of the two rule sets with a caveat the answer must carry.
_PAYER_NOTES: tuple[tuple[str, str], ...] = (
    (_MEDICARE_ADVANTAGE, "I read Medicare Advantage as Medicare: these are the Medicare rules, but an MA plan may "
                          "follow its own policy; check the plan's rules."),
    (_MEDICAID, "Medicaid rules vary by state: these are the CPT rules; check your state Medicaid policy."),
)
PAYER_NOTE_TEXTS = frozenset(note for _, note in _PAYER_NOTES)

_SETTING_CUES: tuple[tuple[str, CareSetting, int], ...] = (
    # Case-sensitive abbreviations (ED/ER) so "er" in ordinary words does not match.
    (r"\b(?:ED|ER|HOPD|OPPS|UB-04)\b", "facility", 0),
    (r"\b(?:facility|hospital|hopd|outpatient hospital|emergency (?:dept|department|room)|infusion center"
     r"|ub-?04|ub04)\b", "facility", re.IGNORECASE),
    (r"\b(?:office|physician|pro ?fee|professional|clinic|cms-?1500|doctor'?s office|practice)\b", "professional",
     re.IGNORECASE),
)
_PATIENT_CUES: tuple[tuple[str, Literal["new", "established"]], ...] = (
    (r"\bnew\s+(?:patient|pt)s?\b|\bnp\b", "new"),
    (r"\b(?:established|est|existing|return(?:ing)?)\.?\s+(?:patient|pt)s?\b|\bestablished\b|\best pt\b",
     "established"),
)
_EM_WORDS = r"(?:e/m|e&m|em|e and m|evaluation|office visit|992\d\d)"
_PSYCHOTHERAPY_WORDS = r"(?:psychotherapy|psych\w*|talk therapy|therapy)"
_WITH_EM = re.compile(
    r"\b(?:with|w/|plus|and|\+)\s*(?:an?\s+)?" + _EM_WORDS + r"\b"
    # The E/M first: "E/M plus psychotherapy 45 min", "99214 + therapy 53 min psych" (the add-on context too).
    + r"|(?<![\w/&])" + _EM_WORDS + r"\s*(?:with|w/|plus|and|\+|&)\s*(?:an?\s+)?" + _PSYCHOTHERAPY_WORDS + r"\b"
)
_WITHOUT_EM = re.compile(
    r"\b(?:without|w/o|no)\s+(?:an?\s+)?(?:e/m|e&m|em)\b|\b(?:alone|standalone|only psychotherapy)\b"
)
_SEDATION_OTHER = re.compile(
    r"\b(?:anesthesiologist|crna|anesthetist)\b|\b(?:another|other|different|separate|second)\s+"
    r"(?:provider|physician|doctor|clinician)\b|\bby anesthesia\b|\banesthesia (?:gave|provided|did)\b"
)
_SEDATION_SAME = re.compile(
    r"\bsame\s+(?:provider|physician|doctor|clinician|person)\b|\bproceduralist\b|\bperforming\s+(?:physician|provider)\b"
    r"|\b(?:physician|provider|doctor) (?:doing|performing) the procedure\b|\bendoscopist\b"
)
_AGE = re.compile(
    r"\b(?:age[d]?\s*(?P<a>\d{1,3})\b|(?P<b>\d{1,3})\s*(?:yo|y/o|y\.o\.|year[- ]olds?|years?[- ]old|yrs?[- ]old)\b)"
)
_UNDER_5 = re.compile(r"\b(?:under|younger than|less than|below)\s*(?:age\s*)?(?:5|five)\b|\btoddler\b|\binfant\b")
_OVER_5 = re.compile(r"\b(?:5|five)\s*(?:years?\s*)?(?:or|and)\s*(?:older|over|up)\b|\badult\b|\bover\s*(?:5|five)\b")
_SITES = re.compile(r"(?<![\w.])(?P<n>\d+)\s*(?:separate\s+|different\s+|infusion\s+|subq\s+|sc\s+|needle\s+)?sites?\b")
_SITE_ORDINAL = re.compile(r"\b(?P<o>second|2nd|third|3rd|another|additional)\s+(?:infusion\s+|needle\s+)?site\b")
_PUMPS = re.compile(r"(?<![\w.])(?P<n>\d+)\s*(?:separate\s+|different\s+)?pump(?:s|\s+set-?ups?|\s+setups?)?\b")
_PUMP_ORDINAL = re.compile(
    r"\b(?P<o>second|2nd|third|3rd|another|additional|new)\s+(?:separate\s+)?pump(?:\s+set-?up|\s+setup)?\b"
)
_PUSH_COUNT = re.compile(
    r"(?<![\w.])(?P<n>\d+)\s*(?:iv\s+|ivp\s+|chemo\s+|separate\s+|different\s+)?push(?:es)?\b"
)
_PUSH_ORDINAL = re.compile(r"\b(?P<o>second|2nd|third|3rd|another|additional)\s+(?:iv\s+|chemo\s+)?push\b")
_INJECTION_COUNT = re.compile(
    r"(?<![\w.])(?P<n>\d+)\s*(?:im\s+|sc\s+|sq\s+|subq\s+|separate\s+)?(?:injections?|shots?)\b"
)
_SEQUENTIAL = re.compile(r"(?<![\w.])(?:(?P<n>\d+)\s*)?sequential\b")
_CONCURRENT = re.compile(r"\bconcurrent(?:ly)?\b")
_TOGETHER = re.compile(
    r"\b(?:with|w/|same day|same-day|same date|same encounter|same visit|together|bundl\w*|ncci|ptp|edit|edits"
    r"|modifier|mod 59|xe|xs|xp|xu|along with|plus)\b"
)
_STRONG_TOGETHER = re.compile(
    r"\b(?:same day|same-day|same date|same encounter|same visit|together|bundl\w*|ncci|ptp|edits?|modifier"
    r"|mod 59|-59|xe|xs|xp|xu|column ?[12]|separately|unbundl\w*)\b"
)
_ASKS_UNITS = re.compile(r"\bhow many units\b|\bhow do i (?:code|bill)\b|\bhow (?:should|would) i (?:code|bill)\b"
                         r"|\bunits?\b|\bcode (?:this|it)\b|\bbill(?:ed|ing)?\b|\breport\b")
_FOLLOWUP = re.compile(
    r"^\s*(?:and|but|also|so|ok(?:ay)?|now|then)?\s*,?\s*(?:what|how)\s+about\b|^\s*(?:and|but|also)\b"
    r"|^\s*what\s+if\b|^\s*same\s+(?:but|for|with|thing)\b|^\s*(?:instead|now)\b|^\s*if\s+(?:it|the)\b"
    r"|^\s*for\s+(?:medicare|cms|commercial|facility|hospital|office|a new|an established)\b"
)


def _first_value(cues, text: str):
    for row in cues:
        pattern, value = row[0], row[1]
        flags = row[2] if len(row) > 2 else re.IGNORECASE
        if re.search(pattern, text, flags):
            return value
    return None


def _ordinal_count(word: str) -> int:
    return _ORDINALS.get(word, 2)


# --------------------------------------------------------------------------------------------------------
# Family cues: lay terms first
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyCue:
    """A family is chosen when every pattern in `all_of` matches and none in `none_of` does. Order = priority."""

    family: str
    all_of: tuple[str, ...]
    none_of: tuple[str, ...] = ()
    case_sensitive: bool = False


_CHEMO = r"\b(?:chemo\w*|antineoplastic|anti-neoplastic|oncology infusion)\b"
_PUSH = r"\b(?:push(?:es|ed)?|ivp|iv push|slow push)\b"
_PUSH_WORD = re.compile(_PUSH)  # a push question: times "after"/"later"/"apart" are gaps between pushes
_INJECTION = r"\b(?:inj|injection|injections|injected|shot|shots|intramuscular|im)\b"
_SUBQ = r"\b(?:subq|sub-q|sub q|subcut|sub-cut|subcutaneous|sc|sq|scig|hizentra|cuvitru|xembify|hyqvia|cutaquig)\b"
FAMILY_CUES: tuple[FamilyCue, ...] = (
    FamilyCue("chemo_push", (_CHEMO, _PUSH)),
    FamilyCue("chemo_infusion", (_CHEMO,)),
    FamilyCue("critical_care", (r"\b(?:critical[- ]care|crit[- ]care|crit care|cc time|critically ill)\b",)),
    FamilyCue("sedation", (r"\b(?:sedation|sedated|conscious sedation)\b",)),
    FamilyCue("anesthesia", (r"\b(?:anesthesia|anaesthesia|anesthetic time|crna|base units?)\b",)),
    FamilyCue("psychotherapy", (r"\b(?:psychotherapy|psych therapy|talk therapy|counseling session|psych session"
                                r"|therapy session with (?:e/m|e&m))\b",)),
    # "therapy 53 min psych": therapy with a psych word is psychotherapy, not PT/OT.
    FamilyCue("psychotherapy", (r"\btherapy\b", r"\b(?:psych|psychiatric|psychological|mental health)\b")),
    FamilyCue("office_em", (r"\b(?:office visit|office/outpatient visit|e/m|e&m|e and m|em visit|new (?:patient|pt)"
                            r"|established (?:patient|pt)|est pt|est patient|prolonged (?:service|visit)s?"
                            r"|clinic visit|visit level|level of (?:the )?visit)\b",),
              # "with an E/M" is the psychotherapy add-on context, not an E/M time question.
              (r"\b(?:with|w/|plus|and|\+)\s*(?:an?\s+)?(?:e/m|e&m|em)\b",
               r"(?:e/m|e&m|\bem)\s*(?:with|w/|plus|and|\+|&)\s*(?:an?\s+)?(?:psychotherapy|psych\w*|talk therapy"
               r"|therapy)\b")),
    FamilyCue("subq_infusion", (_SUBQ,), (_INJECTION,)),
    FamilyCue("hydration", (r"\b(?:hydration|hydrate|ns|normal saline|saline|iv fluids?|fluids?|lr|lactated ringers?"
                            r"|d5w|d5ns|rehydration|fluid bolus)\b",)),
    FamilyCue("iv_push", (_PUSH,)),
    FamilyCue("injection", (_INJECTION,)),
    FamilyCue("iv_infusion", (r"\b(?:infusion|infused|infusing|drip|iv antibiotics?|ivig|iv drug|iv therapy"
                              r"|therapeutic infusion|iv)\b",)),
    FamilyCue("therapy", (r"\b(?:PT|OT)\b",), case_sensitive=True),
    FamilyCue("therapy", (r"\b(?:physical therapy|occupational therapy|therapeutic exercises?|ther ?ex"
                          r"|manual therapy|neuromuscular re-?ed\w*|gait training|therapeutic activit\w*"
                          r"|timed codes?|8[- ]minute rule|rule of (?:8|eight)s?|therapy)\b",)),
)


def parse_family(text: str) -> tuple[str | None, str | None]:
    """The family named by lay terms in `text` and the words that named it, or (None, None)."""
    found = _matching_families(text)
    return found[0] if found else (None, None)


def _matching_families(text: str) -> list[tuple[str, str]]:
    """Every family whose cue matches, in priority order, with the words that matched."""
    found: list[tuple[str, str]] = []
    for cue in FAMILY_CUES:
        flags = 0 if cue.case_sensitive else re.IGNORECASE
        matches = [re.search(pattern, text, flags) for pattern in cue.all_of]
        matched = all(matches) and not any(re.search(p, text, re.IGNORECASE) for p in cue.none_of)
        if matched and cue.family not in {family for family, _ in found}:
            found.append((cue.family, " + ".join(m.group(0) for m in matches if m)))
    return found


# Families another one's words already contain ("chemo push" also matches "chemo" and "push"). The generic cues
# (IV/infusion, therapy) are never counted as a second service: they appear inside most questions.
_IMPLIED = {
    "chemo_push": {"chemo_infusion", "iv_push"},
    "sedation": {"anesthesia"},
    "injection": {"subq_infusion"},
}
_GENERIC = {"iv_infusion", "therapy"}


def other_families_named(text: str) -> tuple[str, ...]:
    """Families named besides the first one, not counting those its own words imply."""
    found = [family for family, _ in _matching_families(text)]
    if not found:
        return ()
    ignored = _IMPLIED.get(found[0], set()) | _GENERIC
    return tuple(family for family in found[1:] if family not in ignored)


# --------------------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------------------


def parse_question(text: str) -> ParsedQuestion:
    """Read one question. Never raises: input a units answer must refuse is listed in `problems`."""
    t = normalize(text)
    problems: list[str] = []
    notes: list[str] = []

    codes = tuple(find_codes(text))
    code_minutes, blocked = parse_code_minutes(t)

    start = end = None
    minutes: int | None = None
    duration_text: str | None = None
    clock = parse_clock_range(t)
    if clock is not None:
        start, end, minutes, span = clock
        blocked.append(span)
        duration_text = t[span[0]:span[1]].strip()
        if minutes == 0:
            problems.append(f"the start and end times are the same ({escape_user_text(duration_text)}): "
                            "give the time the service started and the time it ended")
        elif clock_range_ends_before_start(duration_text, minutes):
            problems.append(f"the end time is before the start time ({escape_user_text(duration_text)}): "
                            "check the times; if the service ran past noon or midnight, add am/pm "
                            "(for example 11pm to 2am) or give the minutes")

    for match in _DECIMAL_COMMA.finditer(t):
        problems.append(f"I can't tell whether '{escape_user_text(match.group(0))}' uses a decimal comma or a "
                        "thousands comma: type the amount without a comma (for example 1.5 g or 1500 mg)")
        blocked.append(match.span())

    for match in _UNREAD_SUM.finditer(t):
        problems.append(f"I can't read the sum '{escape_user_text(match.group(0))}': give the total time "
                        "(for example 75 minutes)")
        blocked.append(match.span())

    for match in _UNREAD_FRACTION.finditer(t):
        problems.append(f"I can't read the fraction '{escape_user_text(match.group(0))}': "
                        "give the documented time in minutes (for example 75 minutes)")
        blocked.append(match.span())

    for match in _DURATION_RANGE.finditer(t):
        if not any(match.start() < e and s < match.end() for s, e in blocked):
            problems.append(f"'{escape_user_text(match.group(0))}' is a range, not a duration: "
                            "give the documented time (for example 150 minutes)")
            blocked.append(match.span())

    base = _BASE_UNITS.search(t)
    base_units = None
    if base:
        base_units = float(base.group("a") or base.group("b"))
        blocked.append(base.span())

    multiplied = parse_multiplied_durations(t, blocked)
    for total, typed, span in multiplied:
        blocked.append(span)
        notes.append(f"I read '{escape_user_text(typed)}' as a multiplication: {_format_minutes(total)}; "
                     "ask again with the total if that is not right.")
    durations = sorted([*multiplied, *parse_durations(t, blocked)], key=lambda item: item[2][0])
    blocked.extend(span for _, _, span in durations)
    push_question = _PUSH_WORD.search(t) is not None
    push_gaps: list[_DurationFound] = []
    if push_question:
        durations, push_gaps = split_push_intervals(t, durations)
        for _, typed, _ in push_gaps:
            notes.append(f"I read '{escape_user_text(typed)}' as the time between pushes, not as how long a "
                         "service lasted.")
    durations, excluded, unclear = split_excluded_time(t, durations)
    problems.extend(unclear)
    if not code_minutes:
        durations, other_service, unattached = durations_of_the_first_service(t, durations)
        problems.extend(unattached)
        if other_service and not unattached:
            notes.append(f"I counted only the time given with the service this answer counts "
                         f"({escape_user_text(' + '.join(d[1] for d in durations))}); the other time "
                         f"({escape_user_text(' + '.join(d[1] for d in other_service))}) is for another service "
                         "and is not added in: ask about that service separately.")
    if durations and minutes is None:
        minutes = sum(d[0] for d in durations)
        duration_text = " + ".join(d[1] for d in durations)
        if len(durations) > 1:
            notes.append(f"I read {len(durations)} separate durations ({duration_text}) and added them up "
                         f"to {_format_minutes(minutes)}; ask again with the total if that is not right.")
    if excluded and minutes is not None and not unclear:
        taken_out = sum(abs(d[0]) for d in excluded)
        counted_from = duration_text
        minutes -= taken_out
        duration_text = f"{counted_from} - " + " - ".join(re.sub(r"^(?:minus|negative)\s+|^-\s*", "", d[1])
                                                         for d in excluded)
        notes.append(f"I took the excluded time ({' + '.join(escape_user_text(d[1]) for d in excluded)}) out of "
                     f"{escape_user_text(counted_from or '')}: {_format_minutes(minutes)} counted; ask again with "
                     "the time to count if that is not right.")
        if minutes <= 0:
            problems.append(f"the excluded time ({escape_user_text(duration_text)}) is all of the time or more: "
                            "give the time to count")
    for total, typed, _ in durations:
        if total < 0:
            problems.append(f"a service can't last {escape_user_text(typed)}: time must be a positive duration")
    duration_unit = _one_duration_unit(durations) if clock is None else None
    if len(code_minutes) == 1 and minutes is None:
        # One code with its minutes ("99291 110 min") is the duration of that code's service.
        minutes = next(iter(code_minutes.values()))
        duration_text = f"{minutes} min"
    if minutes is not None and minutes > MINUTES_PER_DAY:
        problems.append(f"{escape_user_text(duration_text or _format_minutes(minutes))} is longer than a day "
                        "(24 hours): time is counted per date of service, check the documented minutes")

    dose = parse_dose(t, blocked)
    if dose is not None and (multiplied_dose := _MULTIPLIED_DOSE.search(t)):
        problems.append(f"I can't tell whether '{escape_user_text(multiplied_dose.group(0))}' is one dose or "
                        "several: give the total dose given (for example 8 mg)")

    sites = pumps = None
    if m := _SITES.search(t):
        sites = int(m.group("n"))
    elif m := _SITE_ORDINAL.search(t):
        sites = _ordinal_count(m.group("o"))
    if m := _PUMPS.search(t):
        pumps = int(m.group("n"))
    elif m := _PUMP_ORDINAL.search(t):
        pumps = _ordinal_count(m.group("o"))

    pushes = injections = sequential = None
    if m := _PUSH_COUNT.search(t):
        pushes = int(m.group("n"))
    elif m := _PUSH_ORDINAL.search(t):
        pushes = _ordinal_count(m.group("o"))
    if m := _INJECTION_COUNT.search(t):
        injections = int(m.group("n"))
    same_drug_pushes: int | None = None
    if push_question and _SAME_DRUG.search(t):
        # "second push, same drug": the repeat is not a new drug (+96375); only the first push counts as a push.
        pushes = 1
        if not push_gaps:
            problems.append("a repeat push of the same drug is reported (+96376, facility only) only when it comes "
                            f"more than {REPEAT_PUSH_MINIMUM_GAP} minutes after the first: how long after the first "
                            "push was it given?")
        elif max(gap[0] for gap in push_gaps) > REPEAT_PUSH_MINIMUM_GAP:
            same_drug_pushes = 1
        else:
            same_drug_pushes = 0
            notes.append(f"A push of the same drug {_format_minutes(max(g[0] for g in push_gaps))} after the first "
                         f"is not reported again: +96376 needs more than {REPEAT_PUSH_MINIMUM_GAP} minutes between "
                         "them (CPT).")
    if m := _SEQUENTIAL.search(t):
        sequential = int(m.group("n") or 1)

    with_em: bool | None = None
    if _WITHOUT_EM.search(t):
        with_em = False
    elif _WITH_EM.search(t):
        with_em = True

    sedation_by: Literal["same", "other"] | None = None
    if _SEDATION_SAME.search(t):
        sedation_by = "same"
    elif _SEDATION_OTHER.search(t):
        sedation_by = "other"

    under_5: bool | None = None
    if m := _AGE.search(t):
        under_5 = int(m.group("a") or m.group("b")) < 5
    elif _UNDER_5.search(t):
        under_5 = True
    elif _OVER_5.search(t):
        under_5 = False

    family, family_cue = parse_family(text)
    prolonged_pump = True if family == "chemo_infusion" and _CHEMO_PUMP.search(t) else None
    payer = _first_value(_PAYER_CUES, t)
    notes.extend(note for pattern, note in _PAYER_NOTES if re.search(pattern, t))
    has_together = bool(_STRONG_TOGETHER.search(t)) or (len(codes) >= 2 and bool(_TOGETHER.search(t)))

    return ParsedQuestion(
        text=text,
        codes=codes,
        minutes=minutes,
        start=start,
        end=end,
        duration_text=duration_text,
        dose=dose[0] if dose else None,
        dose_unit=dose[1] if dose else None,
        payer=payer,
        setting=_first_value(_SETTING_CUES, text),
        code_minutes=code_minutes if len(code_minutes) >= 2 or _is_therapy_minutes(code_minutes) else None,
        pump_setups=pumps,
        sites=sites,
        patient=_first_value(_PATIENT_CUES, t),
        with_em=with_em,
        sedation_by=sedation_by,
        patient_under_5=under_5,
        base_units=base_units,
        pushes=pushes,
        same_drug_pushes=same_drug_pushes,
        prolonged_pump=prolonged_pump,
        injections=injections,
        sequential_infusions=sequential,
        concurrent_infusion=True if _CONCURRENT.search(t) else None,
        family=family,
        family_cue=family_cue,
        other_families=other_families_named(text),
        together=has_together,
        asks_units=bool(_ASKS_UNITS.search(t)),
        followup=bool(_FOLLOWUP.search(t)),
        problems=tuple(problems),
        notes=tuple(notes),
        duration_unit=duration_unit,
        bare_number=_bare_number(t, codes) if dose is None and minutes is None and clock is None else None,
    )


_HOURS_ONLY = re.compile(r"^-?\s*(?:minus\s+|negative\s+)?[\d.]+\s*(?:hours?|hrs?|h)$")
_MINUTES_ONLY = re.compile(r"^-?\s*(?:minus\s+|negative\s+)?[\d.]+\s*(?:minutes?|mins?|m)$")


def _one_duration_unit(durations: list[tuple[int, str, tuple[int, int]]]) -> Literal["minutes", "hours"] | None:
    """'minutes' or 'hours' when every duration was typed in that one unit; None for '2 h 30', '1:45' or none."""
    units = {"hours" if _HOURS_ONLY.match(typed) else "minutes" if _MINUTES_ONLY.match(typed) else None
             for _, typed, _ in durations}
    return units.pop() if len(units) == 1 else None


_NUMBER_TOKEN = re.compile(r"(?<![\w.:/])\d+(?:\.\d+)?(?![\w:/])")


def _bare_number(t: str, codes: tuple[str, ...]) -> float | None:
    """The one number in a turn that has no unit and is not a code ("what about 104?"), else None."""
    numbers = [m for m in _NUMBER_TOKEN.finditer(t) if m.group(0).upper() not in codes and len(m.group(0)) != 5]
    if len(numbers) != 1:
        return None
    after = t[numbers[0].end():].lstrip()
    # A word right after the number is its unit or what it counts ("2 sites", "3 pumps", "40 yo"): not bare.
    if re.match(r"[a-z%]", after):
        return None
    return float(numbers[0].group(0))


def _is_therapy_minutes(code_minutes: dict[str, int]) -> bool:
    # PT/OT timed codes are 97xxx; one such code with minutes is still a per-code therapy question.
    return bool(code_minutes) and all(code.startswith("97") for code in code_minutes)


# --------------------------------------------------------------------------------------------------------
# Follow-ups
# --------------------------------------------------------------------------------------------------------

_DURATION_FIELDS = ("minutes", "start", "end", "duration_text", "duration_unit", "code_minutes")
_MERGED_FIELDS = tuple(
    f.name for f in fields(ParsedQuestion)
    if f.name not in {"text", "earlier_texts", "followup", "problems", "notes", "together", "asks_units", "family_cue"}
)


def merge_followup(previous: ParsedQuestion, current: ParsedQuestion) -> ParsedQuestion:
    """`current` read in the context of `previous`: what the new turn says overrides, the rest carries over.

    A new duration replaces the old one whole (a clock range and minutes never mix); a new dose replaces the
    old dose; a new family keeps the old duration ("and for hydration?").
    """
    changes: dict[str, object] = {}
    new_duration = current.has_duration or any("can't last" in p or "range" in p for p in current.problems)
    for name in _MERGED_FIELDS:
        if name in _DURATION_FIELDS and new_duration:
            changes[name] = getattr(current, name)
            continue
        if name in {"dose", "dose_unit"} and current.dose is not None:
            changes[name] = getattr(current, name)
            continue
        value = getattr(current, name)
        changes[name] = value if value not in (None, (), {}) else getattr(previous, name)
    changes["family_cue"] = current.family_cue or previous.family_cue
    changes["problems"] = current.problems if (new_duration or current.problems) else previous.problems
    # The payer's caveat stays until a new payer is named; the earlier duration's notes go with that duration.
    payer_notes = tuple(n for n in previous.notes if n in PAYER_NOTE_TEXTS) if current.payer is None else ()
    if new_duration:
        changes["notes"] = (*payer_notes, *current.notes)
    else:
        kept = tuple(n for n in previous.notes if current.payer is None or n not in PAYER_NOTE_TEXTS)
        changes["notes"] = (*kept, *current.notes)
    changes["together"] = current.together or (previous.together and not current.has_quantity)
    changes["asks_units"] = current.asks_units or previous.asks_units
    changes["followup"] = True
    if current.bare_number is not None and not new_duration and current.dose is None:
        reading = _read_bare_number(previous, current.bare_number)
        if "notes" in reading:
            reading["notes"] = (*payer_notes, *current.notes, *reading["notes"])  # type: ignore[misc]
        changes.update(reading)
    changes["text"] = current.text
    changes["earlier_texts"] = (*previous.earlier_texts, previous.text)
    return replace(previous, **changes)


def _read_bare_number(previous: ParsedQuestion, number: float) -> dict[str, object]:
    """A unitless number in a follow-up read in the unit of the earlier turn, said so in a note; or a problem.

    Never the old duration again: a turn that gives a number changes the quantity or is refused.
    """
    shown = f"{number:g}"
    if previous.has_duration and previous.duration_unit is not None and previous.dose is None:
        minutes = round(number * (60 if previous.duration_unit == "hours" else 1))
        problems: tuple[str, ...] = ()
        if minutes > MINUTES_PER_DAY:
            problems = (f"{shown} {previous.duration_unit} is longer than a day (24 hours): time is counted per "
                        "date of service, check the documented minutes",)
        return {
            "minutes": minutes, "start": None, "end": None, "code_minutes": None,
            "duration_text": f"{shown} {previous.duration_unit}",
            "problems": problems,
            "notes": (f"I read {shown} as {previous.duration_unit}, as in your earlier question "
                      f"({escape_user_text(previous.duration_text or '')}); ask again with the unit if that is not "
                      "right.",),
        }
    if previous.dose is not None and not previous.has_duration:
        return {
            "dose": number,
            "notes": (f"I read {shown} as {previous.dose_unit}, as in your earlier question; ask again with the "
                      "unit if that is not right.",),
        }
    if previous.has_quantity:
        return {"problems": (f"I can't tell what {shown} is (minutes, hours or a dose): ask again with the unit "
                             f"(for example {shown} minutes)",)}
    return {}


def needs_context(parsed: ParsedQuestion) -> bool:
    """True when a turn only makes sense with the turn before ("what about 3 hours?", "and for medicare?")."""
    if parsed.followup:
        return True
    if parsed.codes:
        return False
    # No family and no code: a bare duration, dose, payer or setting is a change to the last question.
    return parsed.family is None and (
        parsed.has_quantity or parsed.bare_number is not None
        or parsed.payer is not None or parsed.setting is not None or parsed.sites is not None
        or parsed.pump_setups is not None or parsed.patient is not None
    )


def parse_conversation(user_turns: list[str], question: str) -> ParsedQuestion:
    """Parse `question` in the context of earlier user turns (oldest first), re-reading each earlier turn."""
    context: ParsedQuestion | None = None
    for turn in [*user_turns, question]:
        parsed = parse_question(turn)
        context = merge_followup(context, parsed) if context is not None and needs_context(parsed) else parsed
    assert context is not None
    return context


# --------------------------------------------------------------------------------------------------------
# Safety of echoed text
# --------------------------------------------------------------------------------------------------------


def escape_user_text(text: str) -> str:
    """User text safe to echo in Markdown rendered as HTML: < > & escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)


def has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit (emoji and punctuation alone do not count)."""
    return bool(_WORD.search(text))
