"""The edits a follow-up makes to the words of the last visit (issue 17 class 7; chat/followup_visit.py applies them).

Each function finds, in the visit as typed, the span a change replaces and what replaces it, using the reader's own
typed spans and cue rows: a service's time (given whole, moved at one end, or longer/shorter), a typed value given
anew (dose, route, a push's clock time, weight, body surface area), a switch or a variant field. Pure functions over
text: the visit is then read and coded again by the same reader and engines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.chat.parse import parse_family
from assistant.chat.reading import switches
from assistant.chat.reading.clock import MINUTES_PER_DAY
from assistant.chat.reading.cues import FIELD_CUES, field_values
from assistant.chat.reading.question import ParsedQuestion
from assistant.chat.reading.services import Service
from assistant.chat.reading.spans import BodySurfaceArea, ClockPoint, ClockRange, Dose, Duration, Route, Weight, read
from assistant.corpus.codes import find_code_spans

_UNIT_AFTER = re.compile(r"\s*(?:minutes?|mins?|hours?|hrs?|h|m)\b", re.IGNORECASE)


def times_of(turn: str, spans: Sequence[object]) -> list[Duration | ClockRange]:
    """The times a turn gives; the parts of a sum ("20+20 min") are one time, their total (the parts' spans are
    their numbers: the unit after the last one is part of the time)."""
    times = [s for s in spans if isinstance(s, (Duration, ClockRange))]
    if len(times) > 1 and all(isinstance(s, Duration) and s.how == "sum" for s in times):
        total = sum(s.minutes for s in times)
        end = times[-1].span[1]
        if unit := _UNIT_AFTER.match(turn, end):
            end = unit.end()
        return [Duration(f"{total} min", (times[0].span[0], end), total, unit="minutes")]
    return times


# Typed values a follow-up may give a service anew, with how the answer names them: the visit's value of that kind is
# replaced (a dose, a route, a push's clock time in the service the turn names or the visit's only one of that kind;
# the patient's weight or body surface area in the whole visit).
VALUES: tuple[type, ...] = (Dose, Route, ClockPoint, Weight, BodySurfaceArea)
_VALUE_NAMES = {Dose: "dose", Route: "route", ClockPoint: "time", Weight: "weight",
                BodySurfaceArea: "body surface area"}
ValueEdit = tuple[tuple[tuple[int, int], str], tuple[int, int], str]  # (the edit, the value's span in the turn, said)


def container(text: str, span: object) -> bool:
    """A dose that is a container's size ("2 x 100 mg vials", "the vial is 3.5 mg"), not a dose given (read as
    parse.py reads it)."""
    if not isinstance(span, Dose):
        return False
    sizes = [match.start("size") for match in switches.VIAL_IS.finditer(text.lower())]
    return bool(switches.AFTER_DOSE_IS_CONTAINER.match(text[span.span[1]:])) or any(
        span.span[0] <= start < span.span[1] for start in sizes)


def value_edits(visit: str, turn: str, visit_spans: Sequence[object], turn_spans: Sequence[object],
                 services: Sequence[Service], target: Service | None, by: str,
                 dose: float | None) -> list[ValueEdit] | None:
    """Each typed value of the turn in place of the visit's value of the same kind ("same but 2 g" after "rocephin 1
    g IVPB 30 min ED"; "what if the toradol was IM"; "what if the zofran was given at 0945"): (the edit, the value's
    span in the turn, what changed); None when one of them has no one place in the visit (never a guess)."""
    result = []
    for kind in VALUES:
        if kind is Dose and dose is None:
            continue  # the turn's reading found no dose given (a container's size, a rate ...)
        new = [s for s in turn_spans if isinstance(s, kind) and not container(turn, s)]
        if not new:
            continue
        if kind in (Weight, BodySurfaceArea):
            scope: tuple[int, int] | None = (0, 10**9)
            name = "the patient"
        else:
            having = [s for s in services if any(isinstance(v, kind) and s.span[0] <= v.span[0] and v.span[1] <=
                                                 s.span[1] for v in visit_spans)]
            service = target if by == "drug" else having[0] if by == "" and len(having) == 1 else None
            scope = service.span if service is not None else None
            name = (service.drug or (service.family or "the service").replace("_", " ")) if service else ""
        old = [s for s in visit_spans if isinstance(s, kind) and scope is not None and scope[0] <= s.span[0]
               and s.span[1] <= scope[1] and not container(visit, s)]
        if len(new) != 1 or len(old) != 1:
            return None
        typed = turn[new[0].span[0]:new[0].span[1]].strip()  # as the coder typed it
        result.append(((old[0].span, typed), new[0].span,
                       f"the {_VALUE_NAMES[kind]} of {name} ({old[0].surface.strip()}) changed to {typed}"))
    return result


# "an hour longer", "30 min more", "another 30 min", "20 min less": a change of the time, not the time.
_LONGER = re.compile(r"\s*(?:longer|more|extra|over)\b", re.IGNORECASE)
_SHORTER = re.compile(r"\s*(?:shorter|less|fewer|earlier)\b", re.IGNORECASE)
_MORE_BEFORE = re.compile(r"\b(?:another|an extra|extra|additional|an additional|a further|further)\s*$", re.IGNORECASE)


def relative_sign(turn: str, new: Duration | ClockRange) -> int | None:
    """+1 for "an hour longer" / "another 30 min", -1 for "20 min shorter", None for a time given whole."""
    if not isinstance(new, Duration):
        return None
    if _LONGER.match(turn, new.span[1]) or _MORE_BEFORE.search(turn[:new.span[0]]) or \
            new.surface.lower().startswith("another"):
        return 1
    return -1 if _SHORTER.match(turn, new.span[1]) else None


def relative_time(visit: str, target: Service, change: Duration, sign: int) -> Duration | ClockRange | None:
    """The target's one time made longer or shorter by `change` (a clock range keeps its start), or None when the
    visit gives it no one time, or the result is not a positive time."""
    old = [s for s in read(visit).spans if isinstance(s, (Duration, ClockRange)) and target.span[0] <= s.span[0]
           and s.span[1] <= target.span[1]]
    if len(old) != 1 or old[0].minutes + sign * change.minutes <= 0:
        return None
    minutes = old[0].minutes + sign * change.minutes
    if isinstance(old[0], ClockRange):
        stop = (old[0].start.hour * 60 + old[0].start.minute + minutes) % MINUTES_PER_DAY
        surface = f"{old[0].start:%H%M}-{stop // 60:02d}{stop % 60:02d}"
        return replace(old[0], surface=surface, span=change.span, minutes=minutes)
    return replace(change, surface=f"{minutes} min", minutes=minutes)


# "stopped at 1130", "ended 11:30", "d/c'd at 1415", "started at 0930": one end of a service's clock range moved.
_MOVED = re.compile(
    r"\b(?:(?P<end>stopped|stops|stop|ended|ends|end|finished|finish|done|completed|d/?c'?d|discontinued|came off"
    r"|till|until|thru|through)"
    r"|(?P<start>started|starts|start|began|begin|hung|initiated))\s+(?:at\s+|@\s*|around\s+|about\s+)?"
    r"(?P<clock>(?:\d{1,2}:\d{2}|\d{3,4})(?:\s*(?:am|pm|a|p)\b)?)",
    re.IGNORECASE,
)


def moved_clock(visit: str, target: Service, turn: str) -> ClockRange | None:
    """The target's clock range with the end (or start) the turn gives, read by the same clock rules as a typed
    range ("0900 to 1130"); None when the turn moves no clock time or the service has no clock range."""
    match = _MOVED.search(turn)
    old = [s for s in read(visit).spans if isinstance(s, ClockRange) and target.span[0] <= s.span[0]
           and s.span[1] <= target.span[1]]
    if match is None or not old:
        return None
    typed = match.group("clock")
    text = f"{old[0].start:%H%M} to {typed}" if match.group("end") else f"{typed} to {old[0].end:%H%M}"
    ranges = [s for s in read(text).spans if isinstance(s, ClockRange)]
    if len(ranges) != 1 or ranges[0].backwards or ranges[0].minutes <= 0:
        return None
    new = ranges[0]
    return replace(new, surface=f"{new.start:%H%M}-{new.end:%H%M}", span=match.span())


def time_edits(visit: str, target: Service, new: Duration | ClockRange) -> list[tuple[tuple[int, int], str]]:
    """Replace the target's own time (the first; any other of its times goes) or, when it has none, put the new time
    right after the words that name it (its code or drug), else at the end of its part.

    A duration for a service documented by clock times keeps its documented start ("what if the rituxan ran 3
    hours" after "rituxan 0930-1330" is 0930-1230): the visit's other clock times still place it."""
    start, end = target.span
    new_time = new.surface.strip()
    old = [s for s in read(visit).spans if isinstance(s, (Duration, ClockRange)) and start <= s.span[0]
           and s.span[1] <= end]
    if old:
        first = old[0]
        if isinstance(first, ClockRange) and isinstance(new, Duration) and new.minutes > 0:
            stop = (first.start.hour * 60 + first.start.minute + new.minutes) % MINUTES_PER_DAY
            new_time = f"{first.start:%H%M}-{stop // 60:02d}{stop % 60:02d}"
        return [(first.span, new_time), *((s.span, "") for s in old[1:])]
    anchors = [s for s in find_code_spans(visit) if start <= s.start and s.end <= end]
    at = anchors[0].end if anchors else end
    if not anchors and target.drug:
        found = visit.lower().find(target.drug.lower(), start, end)
        at = found + len(target.drug) if found >= 0 else end
    return [((at, at), f" {new_time}")]


# The reading's own cue rows for the switches a follow-up may turn the other way (reading/switches.py): the visit's
# words for a switch the turn sets are taken out, and the turn's words are added ("and in the office?" after
# "..., facility"). The count switches (sites, pumps, pushes) are merged field by field instead.
_SWITCH_CUES: tuple[tuple[str, str, tuple[re.Pattern[str], ...]], ...] = (
    ("setting", "the claim", tuple(re.compile(row[0], row[2]) for row in switches.SETTING_CUES)),
    ("payer", "the payer rules", tuple(re.compile(row[0], re.IGNORECASE) for row in switches.PAYER_CUES)),
    ("patient", "the patient", tuple(re.compile(row[0], re.IGNORECASE) for row in switches.PATIENT_CUES)),
    ("sedation_by", "the sedation given by", (switches.SEDATION_SAME, switches.SEDATION_OTHER)),
    ("patient_under_5", "the patient under 5", (switches.AGE, switches.UNDER_5, switches.OVER_5)),
)
_SHOWN = {"medicare": "Medicare", "cpt": "CPT", "same": "the same physician", "other": "another provider"}


def switch_edits(visit: str, services: Sequence[Service], turn: str,
              change: ParsedQuestion) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each switch the turn sets, worded for the answer, with the spans of the visit's words for it (never a code:
    "90847 50 min" keeps its code when the turn says the patient was not in the room). The variant fields of the
    visit's families come from the registry's FIELD_CUES ("what if pt wasn't in the room": patient_present)."""
    low = visit.lower()
    # Never a code, nor the words that name a service's family ("subsequent hospital visit": "hospital" is the
    # service there, not the claim's setting).
    codes = [(s.start, s.end) for s in find_code_spans(visit)]
    for service in services:
        _, cue = parse_family(service.words)
        for part in (cue or "").lower().split(" + "):
            at = low.find(part, service.span[0], service.span[1]) if part else -1
            if at >= 0:
                codes.append((at, at + len(part)))

    def spans_of(patterns: Sequence[re.Pattern[str]]) -> list[tuple[int, int]]:
        found = [m.span() for p in patterns for m in p.finditer(low if p.flags & re.IGNORECASE else visit)]
        return [s for s in found if not any(s[0] < e and b < s[1] for b, e in codes) and s[0] < s[1]]

    result = []
    for field, label, patterns in _SWITCH_CUES:
        value = getattr(change, field)
        if value is not None:
            result.append((f"{label}: {_shown(value)}", spans_of(patterns)))
    families = {s.family for s in services if s.family} | {parse_family(visit)[0]} - {None}
    for family in sorted(f for f in families if f):
        for field, value in field_values(family, turn).items():
            rows = [c for c in FIELD_CUES if field == c.field and family in c.families]
            if rows:
                patterns = tuple(re.compile(c.pattern, re.IGNORECASE) for c in rows)
                result.append((f"{field.replace('_', ' ')}: {_shown(value)}", spans_of(patterns)))
    return result


def _shown(value: object) -> str:
    return _SHOWN.get(str(value), "yes" if value is True else "no" if value is False else str(value))


__all__ = ["VALUES", "ValueEdit", "container", "moved_clock", "relative_sign", "relative_time", "switch_edits",
           "time_edits", "times_of", "value_edits"]
