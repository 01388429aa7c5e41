"""Follow-ups that change the last visit (issue 17 class 7): the visit is re-read with the change and coded again.

The API is stateless: the history is user and assistant text only, so the visit a follow-up changes is the last user
turn that was a question of its own, with the changes of the turns since applied. A follow-up is applied to that
visit's words, span by span (chat/followup_edits.py finds the spans), and the whole visit is then read and coded
again by the same reader and engines: never a second set of rules for follow-ups.

- **a new time** replaces the time of the one service the turn names (its code, drug or family words: "what if 97530
  was 30 min", "what if the hydration ran 1200-1300 instead", "therapy" for the psychotherapy of "99214 plus
  psychotherapy 30 min"), or of the visit's only timed service ("what if it was 55 min"); "stopped at 1130" moves
  one end of its clock range, "an hour longer" lengthens it; a service with no time ("what is 96366") gets the time
  beside its code; the other services keep theirs;
- **a typed value given anew** (a dose, a route, a push's clock time, weight, BSA) replaces the visit's value of that
  kind in the service the turn names, or the visit's only one;
- **a setting, payer or other switch** ("and in the office?", "same but medicare", "what if pt wasn't in the room")
  replaces the visit's words for it;
- **what else the turn says** ("2 x 100 mg vials") is added, and a turn that opens with "and", "also", "plus" or
  "add" and names a service the visit does not have adds that service ("and zofran IVP 1000").

Never a guess: a time that fits several services, a drug or code the visit does not have, a count beside the time
("2 sessions of 40 min"), or a change the field-by-field merge would apply to one service of a visit of several is
asked (`Revision.asks`). After a question of one service, a number without its unit, a count or a switch this module
does not apply is merged field by field (reading/followup.py); a turn that names its own service without "and",
"also", "plus" or "add" is a new question. The answer and the trail show the visit as re-read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.chat.followup_edits import (
    VALUES,
    container,
    moved_clock,
    relative_sign,
    relative_time,
    switch_edits,
    time_edits,
    times_of,
    value_edits,
)
from assistant.chat.parse import needs_context, parse_family
from assistant.chat.reading.question import ParsedQuestion
from assistant.chat.reading.services import DrugFinder, Service, read_services
from assistant.chat.reading.spans import (
    ClockPoint,
    ClockRange,
    Count,
    Dose,
    Duration,
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
    # "and again at 0945", "what if it was repeated at 1000": the same drug given again, added (never its time moved).
    repeats = is_visit and bool(_AGAIN.search(turn)) and not _times_given(turn_spans)
    adds = adds or repeats
    # "what if it was 97530 instead", "97530 instead of 97140": a code of the visit replaced by another.
    swapped = None if adds else _code_swap(visit, turn)

    def not_applied() -> Revision | None:
        # The field-by-field merge reads one service: after a visit of several it would drop or mix them.
        if is_visit and len(services) > 1:
            return Revision(text=visit, visit=visit, change=turn, how=(), asks=_cannot_apply(turn))
        return None

    times = times_of(turn, turn_spans)
    lead = _LEAD.match(turn)
    blanks: list[tuple[int, int]] = [lead.span()] if lead else []
    edits: list[tuple[tuple[int, int], str]] = []
    how: list[str] = []
    if not adds and not times and target is not None and (moved := moved_clock(visit, target, turn)) is not None:
        times = [moved]  # "what if it stopped at 1130": the service's clock range with its new end (or start)
    elif not adds and not times and any(isinstance(s, VALUES) and not container(turn, s) and (
            change.dose is not None or not isinstance(s, Dose)) for s in turn_spans):
        values = value_edits(visit, turn, visit_spans, turn_spans, services, target, by, change.dose)
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
        if (sign := relative_sign(turn, new_time)) is not None:
            absolute = relative_time(visit, target, new_time, sign)
            if absolute is None:
                return Revision(text=visit, visit=visit, change=turn, how=(), asks=(
                    f"'{new_time.surface.strip()}' {'longer' if sign > 0 else 'shorter'} than what? The earlier "
                    f"question gives no one time for '{target.words.strip()}': ask again with its whole time"))
            relative = f"{new_time.surface.strip()} {'longer' if sign > 0 else 'shorter'}"
            new_time = absolute
        replaced = time_edits(visit, target, new_time)
        edits.extend(replaced)
        blanks.extend([new_time.span, *named])
        (start, end), typed = replaced[0]
        name = " ".join(turn[start:end] for start, end in named) or target.drug or (target.family or "").replace(
            "_", " ") or (target.codes[0] if target.codes else "")
        how.append(f"the time of {name or 'the service'} ({visit[start:end].strip() or 'none given'}) changed to "
                   f"{typed.strip()}" + (f" ({relative})" if relative else "" if typed.strip() ==
                                         new_time.surface.strip() else f" ({new_time.surface.strip()} from its start)"))
    switched = [] if swapped is not None else switch_edits(visit, services, turn, change)
    if swapped is not None:
        edits.append(swapped[0])
        blanks.extend(swapped[1])
        how.append(swapped[2])
    if repeats:
        how.append("the repeat of this turn is added to the visit")
    elif adds:
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


_AGAIN = re.compile(r"\b(?:again|repeat(?:ed)?|re-?dosed?)\b", re.IGNORECASE)
_INSTEAD = re.compile(r"\b(?:instead|in place of|rather than|not)\b", re.IGNORECASE)


def _times_given(spans: Sequence[object]) -> bool:
    return any(isinstance(s, (Duration, ClockRange)) for s in spans)


def _code_swap(visit: str, turn: str) -> tuple[tuple[tuple[int, int], str], list[tuple[int, int]], str] | None:
    """A code the turn puts in place of one of the visit ("what if it was 97530 instead" after "97110 30 min";
    "97530 instead of 97140"): (the edit, the turn's code spans, what changed), or None. The turn names one code the
    visit does not have and, when the visit has several, the one it replaces; never a guess."""
    if not _INSTEAD.search(turn) and not turn.lower().lstrip().startswith(("what if", "what about", "and if")):
        return None
    visit_codes = find_code_spans(visit)
    typed = [span for span in find_code_spans(turn)]
    have = {span.code for span in visit_codes}
    new = [span for span in typed if span.code not in have]
    old_named = [span for span in typed if span.code in have]
    if len(new) != 1 or len(old_named) > 1:
        return None
    old_code = old_named[0].code if old_named else (visit_codes[0].code if len({s.code for s in visit_codes}) == 1
                                                    else None)
    olds = [span for span in visit_codes if span.code == old_code]
    if old_code is None or len(olds) != 1:
        return None
    return (((olds[0].start, olds[0].end), new[0].code), [(s.start, s.end) for s in typed],
            f"{old_code} replaced by {new[0].code}")


def _which_service(candidates: Sequence[Service], new_time: Duration | ClockRange) -> str:
    """The question asked when a new time fits several services of the visit."""
    listed = "; ".join(f"'{s.words.strip()}'" for s in candidates)
    return (f"Your earlier question has several services this time could belong to ({listed}): which one ran "
            f"{new_time.surface.strip()}? Ask again naming it (its drug, code or service), for example "
            f"'what if the {candidates[0].drug or (candidates[0].family or 'infusion').replace('_', ' ')} ran "
            f"{new_time.surface.strip()}'")


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
