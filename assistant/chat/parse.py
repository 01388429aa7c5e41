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

from assistant.chat.answers import problem_text
from assistant.chat.reading.clock import MINUTES_PER_DAY
from assistant.chat.reading.cues import mask_negations
from assistant.chat.reading.spans import BodySurfaceArea, ClockRange, Dose, Duration, Weight, read
from assistant.chat.reading.text import escape_user_text, has_words
from assistant.corpus.codes import find_codes

Payer = Literal["cpt", "medicare"]
CareSetting = Literal["professional", "facility"]


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
    over_a_day: bool = False  # the one time given is longer than 24 hours (the encounter engine splits by date)
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

_ORDINALS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "another": 2, "additional": 2}


# --------------------------------------------------------------------------------------------------------
# Clock ranges: "from 0915 to 1040", "9:15-10:40", "11pm to 2am"
# --------------------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------------------
# Durations: "2.5 hours", "2 hrs 30 min", "2h30", "1:45", "90 min", "-3 hours"
# --------------------------------------------------------------------------------------------------------

_MIN_UNIT = r"(?:minutes?|mins?|m)\b"


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


# --------------------------------------------------------------------------------------------------------
# Per-code minutes: "97112 24 min and 97110 23 min"
# --------------------------------------------------------------------------------------------------------

_CODE = r"(?P<code>\b(?:\d{5}|[a-v]\d{4})\b)"
_CODE_MINUTES = (
    re.compile(_CODE + r"\s*(?:for|x|:|=|-|at)?\s*(?P<m>\d{1,3})\s*" + _MIN_UNIT),
    re.compile(r"(?<![\w.])(?P<m>\d{1,3})\s*" + _MIN_UNIT + r"\s*(?:of|for|on)?\s*" + _CODE),
)


_CODE_NUMBER = re.compile(_CODE + r"\s*(?::|=|-)?\s*(?P<m>\d{1,3})(?![\w.])")
_CODE_MINUTES_LIST = re.compile(
    r"(?P<pairs>(?:\b(?:\d{5}|[a-v]\d{4})\s*(?::|=|-)?\s*\d{1,3}\s*(?:,|;|and|&|\+)\s*)+"
    r"\b(?:\d{5}|[a-v]\d{4})\s*(?::|=|-)?\s*\d{1,3})\s*" + _MIN_UNIT
)


def parse_code_minutes(t: str) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """Minutes given per code, and the text spans they used (so they are not read again as a duration)."""
    result: dict[str, int] = {}
    spans: list[tuple[int, int]] = []
    # "97110 15, 97112 15, 97140 15, 97530 5 min": the minutes word after the last pair belongs to every pair.
    for listed in _CODE_MINUTES_LIST.finditer(t):
        for pair in _CODE_NUMBER.finditer(listed.group("pairs")):
            code = pair.group("code").upper()
            result[code] = result.get(code, 0) + int(pair.group("m"))
        spans.append(listed.span())
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


from assistant.chat.reading.cues import (  # noqa: E402  (re-exported: the cue table moved)
    _IMPLIED,
    _PUSH_WORD,
    other_families_named,
    parse_family,
)

# --------------------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------------------


def parse_question(text: str) -> ParsedQuestion:
    """Read one question. Never raises: input a units answer must refuse is listed in `problems`."""
    reading = read(text)
    t = reading.low  # lower-cased, same length as the question: every span below is a span of the question too
    problems: list[str] = []
    notes: list[str] = []

    codes = tuple(find_codes(text))
    code_minutes, blocked = parse_code_minutes(t)

    def free(span: tuple[int, int]) -> bool:
        return not any(span[0] < e and s < span[1] for s, e in blocked)

    for match in _DECIMAL_COMMA.finditer(t):
        problems.append(f"I can't tell whether '{escape_user_text(match.group(0))}' uses a decimal comma or a "
                        "thousands comma: type the amount without a comma (for example 1.5 g or 1500 mg)")
        blocked.append(match.span())

    start = end = None
    minutes: int | None = None
    duration_text: str | None = None
    clocks = [c for c in reading.of(ClockRange) if free(c.span)]
    clock = clocks[0] if clocks else None
    if clock is not None:
        start, end, minutes = clock.start, clock.end, clock.minutes
        blocked.append(clock.span)
        duration_text = clock.surface.strip()
        if minutes == 0:
            problems.append(f"the start and end times are the same ({escape_user_text(duration_text)}): "
                            "give the time the service started and the time it ended")
        elif clock.backwards:
            problems.append(f"the end time is before the start time ({escape_user_text(duration_text)}): "
                            "check the times; if the service ran past noon or midnight, add am/pm "
                            "(for example 11pm to 2am) or give the minutes")

    for problem in reading.problems:
        if not free(problem.span):
            continue
        problems.append(problem_text(problem))
        blocked.append(problem.span)
    read_durations = [d for d in reading.of(Duration) if free(d.span)]
    for match in _UNREAD_SUM.finditer(t):
        if free(match.span()) and not any(match.start() < d.span[1] and d.span[0] < match.end()
                                          for d in read_durations):
            problems.append(f"I can't read the sum '{escape_user_text(match.group(0))}': give the total time "
                            "(for example 75 minutes)")
            blocked.append(match.span())

    base = _BASE_UNITS.search(t)
    base_units = None
    if base:
        base_units = float(base.group("a") or base.group("b"))
        blocked.append(base.span())

    durations: list[_DurationFound] = []
    unit_of: dict[tuple[int, int], str | None] = {d.span: d.unit for d in read_durations}
    for duration in read_durations:
        if not free(duration.span):
            continue
        durations.append((duration.minutes, duration.surface.strip(), duration.span))
        if duration.how == "product":
            notes.append(f"I read '{escape_user_text(duration.surface)}' as a multiplication: "
                         f"{_format_minutes(duration.minutes)}; ask again with the total if that is not right.")
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
    units_typed = {unit_of.get(span) for _, _, span in durations}
    duration_unit = units_typed.pop() if clock is None and len(units_typed) == 1 else None
    if len(code_minutes) == 1 and minutes is None:
        # One code with its minutes ("99291 110 min") is the duration of that code's service.
        minutes = next(iter(code_minutes.values()))
        duration_text = f"{minutes} min"
    over_a_day = minutes is not None and minutes > MINUTES_PER_DAY
    if over_a_day:
        problems.append(f"{escape_user_text(duration_text or _format_minutes(minutes))} is longer than a day "
                        "(24 hours): time is counted per date of service, check the documented minutes")

    doses = [d for d in reading.of(Dose) if free(d.span)]
    dose = (doses[0].amount, doses[0].unit, doses[0].surface) if doses else None
    if dose is not None and dose[1] in _PER_BODY_SIZE:
        dose = _per_body_size(dose, reading, notes, problems)
    if dose is not None and (multiplied_dose := _MULTIPLIED_DOSE.search(t)):
        problems.append(f"I can't tell whether '{escape_user_text(multiplied_dose.group(0))}' is one dose or "
                        "several: give the total dose given (for example 8 mg)")

    t_cues = mask_negations(t)
    t = _digits(reading)  # number words as digits for the count patterns below ("two sites" = "2 sites")
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
    prolonged_pump = True if family == "chemo_infusion" and _CHEMO_PUMP.search(t_cues) else None
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
        over_a_day=over_a_day,
        notes=tuple(notes),
        duration_unit=duration_unit,
        bare_number=_bare_number(t, codes) if dose is None and minutes is None and clock is None else None,
    )


_ENGINE_DOSE_UNITS = frozenset({"g", "mg", "mcg", "units", "mL"})
# A dose per body size (mg/kg, mg/m2) is the dose per kilogram or square metre times the patient's weight or body
# surface area (the arithmetic of the order itself); without the weight/BSA it is asked, never guessed.
_PER_BODY_SIZE = {"mg/kg": ("mg", Weight), "mcg/kg": ("mcg", Weight), "units/kg": ("units", Weight),
                  "mg/m2": ("mg", BodySurfaceArea)}


def _per_body_size(
    dose: tuple[float, str, str], reading: object, notes: list[str], problems: list[str]
) -> tuple[float, str, str] | None:
    unit, size_kind = _PER_BODY_SIZE[dose[1]]
    sizes = reading.of(size_kind)  # type: ignore[attr-defined]
    if len(sizes) != 1:
        what = "weight (kg)" if size_kind is Weight else "body surface area (m2)"
        problems.append(f"the dose {escape_user_text(dose[2])} needs the patient's {what}: give it once "
                        "(for example 82 kg) or the total dose")
        return None
    size = sizes[0].kg if size_kind is Weight else sizes[0].m2
    total = round(dose[0] * size, 3)
    notes.append(f"I read {escape_user_text(dose[2])} x {escape_user_text(sizes[0].surface)} as a dose of "
                 f"{total:g} {unit}.")
    return total, unit, f"{total:g} {unit}"


def _digits(reading: object) -> str:
    """The lower-cased question with number words written as digits (for the count patterns)."""
    low: str = reading.low  # type: ignore[attr-defined]
    parts: list[str] = []
    position = 0
    for token in reading.tokens:  # type: ignore[attr-defined]
        if token.kind == "num" and token.words and token.value is not None:
            parts.append(low[position:token.start])
            parts.append(f"{token.value:g}")
            position = token.end
    parts.append(low[position:])
    return "".join(parts)


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
    if parsed.codes or parsed.family is not None:
        return False
    # Issue 10 item 5: without a follow-up cue, only a short turn holding a quantity with its unit, or a payer or
    # setting word, changes the last question. "my badge number is 5" (a bare number, no cue) is a new question.
    if len(parsed.text.split()) > _SHORT_TURN_WORDS:
        return False
    return (
        parsed.has_quantity or parsed.payer is not None or parsed.setting is not None or parsed.sites is not None
        or parsed.pump_setups is not None or parsed.patient is not None
    )


_SHORT_TURN_WORDS = 6


def parse_conversation(user_turns: list[str], question: str) -> ParsedQuestion:
    """Parse `question` in the context of earlier user turns (oldest first), re-reading each earlier turn."""
    context: ParsedQuestion | None = None
    for turn in [*user_turns, question]:
        parsed = parse_question(turn)
        context = merge_followup(context, parsed) if context is not None and needs_context(parsed) else parsed
    assert context is not None
    return context

__all__ = ["ParsedQuestion", "escape_user_text", "has_words", "merge_followup", "needs_context",
           "parse_conversation", "parse_family", "parse_question"]
