"""Follow-ups that change the last visit (issue 17 class 7): the visit is re-read with the change and coded again.

The API is stateless: the history is user and assistant text only, so the visit a follow-up changes is the last user
turn that was a question of its own, with the changes of the turns since applied. A follow-up is applied to that
visit's words, span by span, and the whole visit is then read and coded again by the same engines (never a second
set of rules for follow-ups):

- **a new time** replaces the time of the one service the turn names (by its code, its drug or its family words:
  "what if 97530 was 30 min", "what if the hydration ran 1200-1300 instead", "therapy" for the psychotherapy of
  "99214 plus psychotherapy 30 min"), or of the visit's only timed service when it names none ("what if it was 55
  min"); a service with no time of its own ("what is 96366") gets the time beside its code. The other services keep
  theirs. A time that fits no service or several is not a change of this visit (the turn is merged field by field,
  reading/followup.py, as before);
- **a setting or payer word** replaces the visit's setting or payer words ("same visit but on the professional
  side?", "and in the office?", "same but medicare");
- **what else the turn says** ("2 x 100 mg vials") is added to the visit, and a turn that opens with "and", "also",
  "plus" or "add" and names a service the visit does not have adds that service ("and zofran IVP 1000").

A number without its unit, a dose alone or an attribute ("what if pt wasn't in the room") is merged field by field
(reading/followup.py); a turn that names its own service without "and"/"also"/"plus"/"add" is a new question. The
answer says which visit was re-read and the trail shows it, so the coder sees exactly what was coded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.chat.parse import needs_context, parse_family
from assistant.chat.reading import switches
from assistant.chat.reading.clock import MINUTES_PER_DAY
from assistant.chat.reading.cues import FIELD_CUES, field_values
from assistant.chat.reading.question import ParsedQuestion
from assistant.chat.reading.services import DrugFinder, Service, read_services
from assistant.chat.reading.spans import (
    BodySurfaceArea,
    ClockPoint,
    ClockRange,
    Count,
    Dose,
    Duration,
    Route,
    Weight,
    read,
)
from assistant.corpus.codes import find_code_spans

# How a follow-up opens: "what if", "what about", "and", "same visit but", "same but", "instead" ...
# (reading/switches.py FOLLOWUP reads the same openings; "same visit but on the professional side" is one more).
_LEAD = re.compile(
    r"^\s*(?:(?:and|but|also|so|ok(?:ay)?|now|then)\s*,?\s*)?"
    r"(?:(?:what|how)\s+about|what\s+if|if(?=\s+(?:it|the|that|they|we|this)\b))\b\s*,?"
    r"|^\s*same\s+(?:(?:visit|encounter|claim|patient|pt|scenario|case|thing|question|one|services?)\s+)?"
    r"(?:but|for|with|on|in|at|as)\b"
    r"|^\s*(?:and|but|also|plus|add|instead|now)\b(?![-/])",
    re.IGNORECASE,
)
# Openings that add to the visit (issue 17: a turn that names its own service is a new question unless it says so).
_ADDS = re.compile(r"^\s*(?:and|also|plus|add)\b(?![-/])", re.IGNORECASE)  # never "add-on code ..."
# Words that say "change it", not what: left out when the rest of the turn is added to the visit.
_FILLER = frozenset((
    "it", "was", "were", "is", "be", "been", "had", "has", "have", "ran", "run", "runs", "lasted", "last", "took",
    "take", "takes", "went", "go", "the", "a", "an", "instead", "then", "only", "just", "for", "to", "of", "at", "on",
    "in", "by", "how", "many", "units", "unit", "what", "about", "if", "same", "but", "visit", "side", "and", "also",
    "plus", "add", "so", "now", "ok", "okay", "that", "this", "would", "will", "i", "bill", "code", "codes", "be",
    "they", "there", "we", "me", "do", "does", "did", "with", "all", "else", "everything", "rest", "question",
    # a relative change ("an hour longer", "another 30 min") is read with its time
    "longer", "more", "extra", "over", "shorter", "less", "fewer", "earlier", "another", "additional", "further",
    # the verbs of a value given anew ("pt weighed 80 kg", "the zofran was given at 0945")
    "weighed", "weighs", "weight", "given", "gave", "pushed", "hung", "started", "stopped",
))
_WORDS = re.compile(r"[a-z0-9][a-z0-9'/&.-]*", re.IGNORECASE)


@dataclass(frozen=True)
class Revision:
    """The earlier visit with one follow-up applied: `text` is what is read and coded."""

    text: str  # the visit with the change applied
    visit: str  # the visit as it stood before this turn
    change: str  # the turn as typed
    how: tuple[str, ...]  # what changed, in words, for the answer and the trail
    asks: str | None = None  # the turn fits several services of the visit: asked, never a guess (then `text` = visit)


def revise_conversation(
    turns: Sequence[ParsedQuestion], drugs: DrugFinder | None = None, limit: int | None = None
) -> Revision | None:
    """The last visit with the last turn applied, when that turn changes it; else None (a new question, or a turn
    merged field by field by `merge_conversation`). `turns` are the user turns read once each, oldest first, the
    question last; earlier follow-ups are applied in order. A revised visit longer than `limit` characters is not
    read (the question's own bound, issue 24): the turn is merged field by field instead."""
    visit: str | None = None
    revision: Revision | None = None
    for index, turn in enumerate(turns):
        if index and _follows(turn, drugs):
            revision = revise_visit(visit, turn, drugs) if visit is not None else None
            if revision is not None and limit is not None and len(revision.text) > limit:
                revision = None
            # A turn merged field by field ends the chain of visit texts: later turns are merged the same way.
            visit = revision.text if revision is not None else None
        else:
            revision, visit = None, turn.text
    return revision


def _follows(turn: ParsedQuestion, drugs: DrugFinder | None) -> bool:
    """A turn that cannot stand alone: a follow-up cue, a short change (reading/followup.py), or a time that names
    no service ("how many units for 2 hrs 10 min": the time of the service asked about before)."""
    if _LEAD.match(turn.text) or needs_context(turn):
        return True
    return turn.has_duration and turn.family is None and not turn.codes and not (drugs and drugs(turn.text))


def revise_visit(visit: str, change: ParsedQuestion, drugs: DrugFinder | None = None) -> Revision | None:
    """`visit` with the change the turn `change` makes, or None when it is not a change this module applies (the
    turn is then merged field by field); a change it cannot apply to a visit of several services is asked."""
    turn = change.text
    services = read_services(visit, drugs)
    visit_spans = read(visit).spans
    turn_spans = read(turn).spans
    named, candidates, by = _target(services, turn, change.codes, drugs)
    target = candidates[0] if len(candidates) == 1 else None
    # "and zofran 4 mg IVP 1040" after a visit: a service the visit does not have, added with its own numbers (never
    # to a look-up question: "and 96370?" after "what is 96369" is the next code's look-up).
    is_visit = any(isinstance(s, (Duration, ClockRange, ClockPoint, Dose)) for s in visit_spans)
    adds = bool(_ADDS.match(turn)) and bool(named) and not candidates and is_visit

    def not_applied() -> Revision | None:
        # The field-by-field merge reads one service: after a visit of several it would drop or mix them.
        if is_visit and len(services) > 1:
            return Revision(text=visit, visit=visit, change=turn, how=(), asks=_cannot_apply(turn))
        return None

    times = _times(turn, turn_spans)
    lead = _LEAD.match(turn)
    blanks: list[tuple[int, int]] = [lead.span()] if lead else []
    edits: list[tuple[tuple[int, int], str]] = []
    how: list[str] = []
    if not adds and not times and target is not None and (moved := _moved_clock(visit, target, turn)) is not None:
        times = [moved]  # "what if it stopped at 1130": the service's clock range with its new end (or start)
    elif not adds and not times and any(isinstance(s, _VALUES) and not _container(turn, s) and (
            change.dose is not None or not isinstance(s, Dose)) for s in turn_spans):
        values = _value_edits(visit, turn, visit_spans, turn_spans, services, target, by, change.dose)
        if values is None:
            return not_applied()
        for edit, span, said in values:
            edits.append(edit)
            blanks.extend([span, *named])
            how.append(said)
    elif not adds and (change.bare_number is not None or change.dose is not None):
        return not_applied()  # a number in the earlier unit, a dose with a time: merged field by field
    if len(times) > 1 and not adds:
        return not_applied()  # several times: which service each is for is not a guess here
    if times and not adds:
        if len(candidates) > 1:
            return Revision(text=visit, visit=visit, change=turn, how=(), asks=_which_service(candidates, times[0]))
        if target is None and named and by != "family":
            # "what if the zofran ran 1000-1100" when the visit has no zofran: never the visit's dose for another drug
            return Revision(text=visit, visit=visit, change=turn, how=(), asks=_not_in_visit(turn, named))
        if target is None:
            return not_applied()  # another family's time ("what about hydration 3 hours" after subq): merged
        if counts := [s for s in turn_spans if isinstance(s, Count)]:
            # "2 separate sessions of 40 min": the whole time is not typed; never one session's time as the total.
            return Revision(text=visit, visit=visit, change=turn, how=(), asks=(
                f"I read '{counts[0].surface.strip()}' beside '{times[0].surface.strip()}': give the whole time of "
                f"'{target.words.strip()}' (for example 'what if it was 80 min in all')"))
        new_time, relative = times[0], ""
        if (sign := _relative_sign(turn, new_time)) is not None:
            absolute = _relative_time(visit, target, new_time, sign)
            if absolute is None:
                return Revision(text=visit, visit=visit, change=turn, how=(), asks=(
                    f"'{new_time.surface.strip()}' {'longer' if sign > 0 else 'shorter'} than what? The earlier "
                    f"question gives no one time for '{target.words.strip()}': ask again with its whole time"))
            relative = f"{new_time.surface.strip()} {'longer' if sign > 0 else 'shorter'}"
            new_time = absolute
        time_edits = _time_edits(visit, target, new_time)
        edits.extend(time_edits)
        blanks.extend([new_time.span, *named])
        (start, end), typed = time_edits[0]
        name = " ".join(turn[start:end] for start, end in named) or target.drug or (target.family or "").replace(
            "_", " ") or (target.codes[0] if target.codes else "")
        how.append(f"the time of {name or 'the service'} ({visit[start:end].strip() or 'none given'}) changed to "
                   f"{typed.strip()}" + (f" ({relative})" if relative else "" if typed.strip() ==
                                         new_time.surface.strip() else f" ({new_time.surface.strip()} from its start)"))
    switched = _switches(visit, services, turn, change)
    if adds:
        how.append("the services of this turn are added to the visit")
    elif change.vial_size is not None and not times and not how:
        how.append("the container size is added to the visit")  # "what if the vial is 600 mg": JW/JZ lines
    elif not times and not switched and not how:
        return not_applied()  # a count or another attribute ("and with a second pump?"): merged field by field
    for label, spans in switched:
        edits.extend((span, "") for span in spans)
        how.append(label)
    added = _rest(turn, blanks)
    text = _tidy(_apply(visit, edits) + (f", {added}" if added else ""))
    return Revision(text=text, visit=visit, change=turn, how=tuple(how))


_UNIT_AFTER = re.compile(r"\s*(?:minutes?|mins?|hours?|hrs?|h|m)\b", re.IGNORECASE)


def _times(turn: str, spans: Sequence[object]) -> list[Duration | ClockRange]:
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
_VALUES: tuple[type, ...] = (Dose, Route, ClockPoint, Weight, BodySurfaceArea)
_VALUE_NAMES = {Dose: "dose", Route: "route", ClockPoint: "time", Weight: "weight",
                BodySurfaceArea: "body surface area"}
_ValueEdit = tuple[tuple[tuple[int, int], str], tuple[int, int], str]  # (the edit, the value's span in the turn, said)


def _container(text: str, span: object) -> bool:
    """A dose that is a container's size ("2 x 100 mg vials", "the vial is 3.5 mg"), not a dose given (read as
    parse.py reads it)."""
    if not isinstance(span, Dose):
        return False
    sizes = [match.start("size") for match in switches.VIAL_IS.finditer(text.lower())]
    return bool(switches.AFTER_DOSE_IS_CONTAINER.match(text[span.span[1]:])) or any(
        span.span[0] <= start < span.span[1] for start in sizes)


def _value_edits(visit: str, turn: str, visit_spans: Sequence[object], turn_spans: Sequence[object],
                 services: Sequence[Service], target: Service | None, by: str,
                 dose: float | None) -> list[_ValueEdit] | None:
    """Each typed value of the turn in place of the visit's value of the same kind ("same but 2 g" after "rocephin 1
    g IVPB 30 min ED"; "what if the toradol was IM"; "what if the zofran was given at 0945"): (the edit, the value's
    span in the turn, what changed); None when one of them has no one place in the visit (never a guess)."""
    result = []
    for kind in _VALUES:
        if kind is Dose and dose is None:
            continue  # the turn's reading found no dose given (a container's size, a rate ...)
        new = [s for s in turn_spans if isinstance(s, kind) and not _container(turn, s)]
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
               and s.span[1] <= scope[1] and not _container(visit, s)]
        if len(new) != 1 or len(old) != 1:
            return None
        typed = turn[new[0].span[0]:new[0].span[1]].strip()  # as the coder typed it
        result.append(((old[0].span, typed), new[0].span,
                       f"the {_VALUE_NAMES[kind]} of {name} ({old[0].surface.strip()}) changed to {typed}"))
    return result


def _cannot_apply(turn: str) -> str:
    return (f"I could not apply '{turn.strip()}' to your earlier question's services one by one: ask the whole "
            "visit again with the change, so no service is dropped or mixed with another")


def _target(
    services: Sequence[Service], turn: str, codes: Sequence[str], drugs: DrugFinder | None
) -> tuple[list[tuple[int, int]], list[Service], str]:
    """The words of `turn` that name a service (their spans), the visit services they may mean, and what named them
    ("code", "drug", "family" or "" for nothing).

    By code, then drug, then family words; a turn that names nothing means the visit's timed services (or its only
    service). The caller asks when there are several: never a guess."""
    low = turn.lower()
    if codes:
        spans = [(s.start, s.end) for s in find_code_spans(turn)]
        candidates = [s for s in services if set(codes) & {*s.codes, *([s.code] if s.code else [])}]
        return spans, candidates, "code"
    found = drugs(turn) if drugs is not None else []
    if found:
        names = {surface.casefold() for surface, _, _ in found}
        candidates = [s for s in services if s.drug and s.drug.casefold() in names]
        if candidates:
            return [span for _, span, _ in found], candidates, "drug"
    family, cue = parse_family(turn)
    if family is not None and cue is not None:
        # "NS", "saline" may be both a drug name and the hydration family's word: the visit's hydration service.
        parts = [part.strip().lower() for part in cue.split(" + ")]
        spans = [(low.find(part), low.find(part) + len(part)) for part in parts if part in low]
        # A family word inside a longer word of the visit counts ("therapy" for the "psychotherapy" of "99214 plus
        # psychotherapy 30 min"), but never as a part of a route ("ivp" is not "ivpb").
        candidates = [s for s in services if s.family == family] or [
            s for s in services if all(re.search(rf"{re.escape(part)}\b", s.words.lower()) for part in parts)]
        drug_words = [span for _, span, _ in found]
        if not found or (candidates and any(a < d and c < b for a, b in spans for c, d in drug_words)):
            return spans, candidates, "family"
    if found:
        return [span for _, span, _ in found], [], "drug"
    # A push at a clock time ("zofran IVP 0905") has no duration to change.
    timed = [s for s in services if s.minutes is not None or (s.start is not None and s.end is not None)]
    return [], timed or (list(services) if len(services) == 1 else []), ""


def _not_in_visit(turn: str, named: Sequence[tuple[int, int]]) -> str:
    """The question asked when a follow-up gives a time for a drug or code the earlier visit does not have."""
    words = ", ".join(f"'{turn[start:end]}'" for start, end in named)
    return (f"Your earlier question has no {words}: to add it to that visit, start with 'and' (for example 'and "
            f"{turn[named[0][0]:named[0][1]]} ...' with its time); to ask about it alone, ask the whole question")


# "an hour longer", "30 min more", "another 30 min", "20 min less": a change of the time, not the time.
_LONGER = re.compile(r"\s*(?:longer|more|extra|over)\b", re.IGNORECASE)
_SHORTER = re.compile(r"\s*(?:shorter|less|fewer|earlier)\b", re.IGNORECASE)
_MORE_BEFORE = re.compile(r"\b(?:another|an extra|extra|additional|an additional|a further|further)\s*$", re.IGNORECASE)


def _relative_sign(turn: str, new: Duration | ClockRange) -> int | None:
    """+1 for "an hour longer" / "another 30 min", -1 for "20 min shorter", None for a time given whole."""
    if not isinstance(new, Duration):
        return None
    if _LONGER.match(turn, new.span[1]) or _MORE_BEFORE.search(turn[:new.span[0]]) or \
            new.surface.lower().startswith("another"):
        return 1
    return -1 if _SHORTER.match(turn, new.span[1]) else None


def _relative_time(visit: str, target: Service, change: Duration, sign: int) -> Duration | ClockRange | None:
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


def _moved_clock(visit: str, target: Service, turn: str) -> ClockRange | None:
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


def _which_service(candidates: Sequence[Service], new_time: Duration | ClockRange) -> str:
    """The question asked when a new time fits several services of the visit."""
    listed = "; ".join(f"'{s.words.strip()}'" for s in candidates)
    return (f"Your earlier question has several services this time could belong to ({listed}): which one ran "
            f"{new_time.surface.strip()}? Ask again naming it (its drug, code or service), for example "
            f"'what if the {candidates[0].drug or (candidates[0].family or 'infusion').replace('_', ' ')} ran "
            f"{new_time.surface.strip()}'")


def _time_edits(visit: str, target: Service, new: Duration | ClockRange) -> list[tuple[tuple[int, int], str]]:
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


def _switches(visit: str, services: Sequence[Service], turn: str,
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


def _apply(text: str, edits: list[tuple[tuple[int, int], str]]) -> str:
    """`text` with each span replaced, right to left; overlapping edits keep the first (the time, then cues)."""
    kept: list[tuple[tuple[int, int], str]] = []
    for span, new in edits:
        if not any(span[0] < other[1] and other[0] < span[1] for other, _ in kept):
            kept.append((span, new))
    for (start, end), new in sorted(kept, key=lambda edit: edit[0], reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _rest(turn: str, blanks: Sequence[tuple[int, int]]) -> str:
    """What the turn says besides its opening, its new time and the words naming the changed service: added to the
    visit when it holds more than filler words ("medicare, 2 x 100 mg vials"; "it was ..." adds nothing)."""
    chars = list(turn)
    for start, end in blanks:
        chars[start:end] = " " * (end - start)
    rest = _tidy("".join(chars)).strip(" ?.!,;:")
    words = [w.lower().strip(".'") for w in _WORDS.findall(rest)]
    return rest if any(w not in _FILLER for w in words) else ""


def _tidy(text: str) -> str:
    """One space between words, no empty list items left by a removed word (", ,"), no leading punctuation."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"\s+([,;:?])", r"\1", text)
    return text.strip().lstrip(",;: ").rstrip(",;: ")


__all__ = ["Revision", "revise_conversation", "revise_visit"]
