"""Which times count: excluded time, the time between pushes, each service's own time, minutes per code."""

from __future__ import annotations

import re

from assistant.chat.reading.cues import _IMPLIED, parse_family
from assistant.chat.reading.problems import Problem

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
DurationFound = tuple[int, str, tuple[int, int]]


def split_excluded_time(
    t: str, durations: list[DurationFound]
) -> tuple[list[DurationFound], list[DurationFound], list[str]]:
    """Split durations into (counted, excluded, problems): excluded ones follow an exclusion word after a counted one.

    An exclusion word before the first duration, or "N min of that ...", is unclear and becomes a problem: the
    answer asks for the time to count rather than adding or guessing.
    """
    counted: list[DurationFound] = []
    excluded: list[DurationFound] = []
    problems: list[Problem] = []
    previous_end = 0
    for found in durations:
        total, typed, span = found
        before, after = t[previous_end:span[0]], t[span[1]:span[1] + 40]
        by_minus_word = typed.startswith("minus") and bool(counted)
        if by_minus_word or _EXCLUDE_BEFORE.search(before) or _EXCLUDE_AFTER.match(after):
            if counted or by_minus_word:
                excluded.append(found)
            else:
                problems.append(Problem("unclear_exclusion", typed, span))
        elif _PART_OF_TIME.match(after):
            problems.append(Problem("part_of_time", typed, span))
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
    t: str, durations: list[DurationFound]
) -> tuple[list[DurationFound], list[DurationFound], list[str]]:
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
    kept: list[DurationFound] = []
    other: list[DurationFound] = []
    for found in durations:
        where = found[2][0]
        inside = next((seg for seg in segments if seg[0] <= where < seg[1]), None)
        owner = inside[2] if inside else None
        if owner is None:
            before = [seg[2] for seg in named if seg[1] <= where]
            after = [seg[2] for seg in named if seg[0] > where]
            owner = before[-1] if before else after[0] if after else None
        if owner is None:
            return [], [], [Problem("unowned_time", found[1], found[2])]
        (kept if _same_service(family, owner) else other).append(found)
    if not kept:
        return [], [], [Problem("time_of_other_service", " + ".join(d[1] for d in other))]
    return kept, other, []


def format_minutes(minutes: int) -> str:
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
SAME_DRUG = re.compile(
    r"\bsame\s+(?:drug|med(?:ication)?s?|medicine|agent)\b|\brepeat(?:ed)?\s+(?:push|dose)\b|\bpushed\s+again\b"
)
REPEAT_PUSH_MINIMUM_GAP = 30  # minutes; more than this is needed for 96376 (CPT)


def split_push_intervals(
    t: str, durations: list[DurationFound]
) -> tuple[list[DurationFound], list[DurationFound]]:
    """In a push question, split durations into (service time, time between pushes)."""
    kept: list[DurationFound] = []
    gaps: list[DurationFound] = []
    previous_end = 0
    for found in durations:
        span = found[2]
        before, after = t[previous_end:span[0]], t[span[1]:span[1] + 24]
        (gaps if _INTERVAL_BEFORE.search(before) or _INTERVAL_AFTER.match(after) else kept).append(found)
        previous_end = span[1]
    return kept, gaps


# A chemotherapy infusion started with a pump (portable, implantable ...): 96416 when it runs past 8 hours; the
# engine codes a shorter one by its time with a note.
CHEMO_PUMP = re.compile(r"\bpumps?\b")


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


# Timed PT/OT services named in words (issue 17: services named in words map to their codes), by the CPT code set's
# titles: therapeutic exercise 97110, neuromuscular re-education 97112, gait training 97116, manual therapy 97140,
# therapeutic activities 97530. Only with their own minutes ("ther ex 33 min", "ther ex 1:1 25 min").
_THERAPY_WORDS: tuple[tuple[str, str], ...] = (
    (r"ther(?:apeutic)?\.? ?ex(?:ercises?)?", "97110"),
    (r"neuro(?:muscular)? ?re-?ed(?:ucation)?|nmr", "97112"),
    (r"gait(?: training)?", "97116"),
    (r"manual(?: therapy)?", "97140"),
    (r"ther(?:apeutic)? ?act(?:ivit(?:y|ies))?", "97530"),
)
_THERAPY_MINUTES = tuple(
    (re.compile(r"\b(?:" + words + r")\s+(?:\(?1:1\)?\s+)?(?:for\s+)?(?P<m>\d{1,3})\s*" + _MIN_UNIT), code)
    for words, code in _THERAPY_WORDS
)


def parse_code_minutes(t: str) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """Minutes given per code, and the text spans they used (so they are not read again as a duration)."""
    result: dict[str, int] = {}
    spans: list[tuple[int, int]] = []
    for pattern, named in _THERAPY_MINUTES:
        for match in pattern.finditer(t):
            result[named] = result.get(named, 0) + int(match.group("m"))
            spans.append(match.span())
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
