"""Descriptions with numbers are searches, never an empty units answer (issue 22 item 2).

A number can be part of what a code describes rather than an amount to count: a TENS unit's "four leads", a
flush's "10 ml", a code's own time span ("first 30-74 minutes", "each additional 30 min of critical care", "IV
hydration, first hour", "up to one hour"). Read as a units question, these got nothing ("I can't tell what the
number four is") or the wrong count. The router calls `described_hook` where it would answer with units:
1. every time in the question reads as a code's own span (a lead word such as "first", "each additional", "up to",
   "per" before it, or a range after "first") -> search, with a note that no units were counted;
2. otherwise the units route answers; when that answer has no codes and asks no question (only "I could not pair
   the number" or "I could not tell which drug the dose is for"), the search answers instead, and the units
   reason stays as a note. Refusals of impossible input ("-3 hours", "1,5 g") are never replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from assistant.chat import answers
from assistant.chat.parse import ParsedQuestion
from assistant.chat.reading.problems import Problem
from assistant.contract import Answer
from assistant.corpus.records import CodeRecord
from assistant.retrieval.siblings import deciding_note


class _Hit(Protocol):
    code: str
    record: CodeRecord


class _Retriever(Protocol):
    def search(self, query: str, k: int = 5) -> Sequence[_Hit]: ...


class _Context(Protocol):
    """The router's RouteContext: what it passes on to every answer."""

    notes: list[str]
    warnings: list[str]


class _Router(Protocol):
    """What the hook needs of `assistant.chat.router.Router`."""

    retriever: _Retriever | None

    def find_drug(self, parsed: ParsedQuestion) -> tuple[CodeRecord | None, str | None]: ...

# A code's own time span, as descriptors and coders say it: "first hour", "first 30-74 minutes", "each additional
# 30 min", "additional hour", "up to one hour", "per 15 minutes", "each 15 minutes", "add-on hour".
_AMOUNT = r"(?:\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?|an?|one|half\s+an?|thirty|fifteen|sixty)"
_TIME_UNIT = r"(?:minutes?|mins?|m|hours?|hrs?|hr|h)\b"
DESCRIPTIVE_TIME = re.compile(
    rf"\b(?:(?:the\s+)?first|initial|each\s+(?:additional|further|subsequent)|(?:an?\s+)?additional|addl|add'l|"
    rf"further|subsequent|up\s+to|per|each|every|add-?on(?:\s+for)?(?:\s+each)?|beyond|over\s+the\s+first|"
    # A threshold is a description, never a documented time: "an infusion longer than 8 hours" (96416's "more than
    # 8 hours"), "more than 30 minutes"; a time to count is said as it was ("infusion 9 hours", "over 3 hours").
    rf"(?:longer|more|greater)\s+than)"
    rf"\s+{_AMOUNT}?\s*-?\s*{_TIME_UNIT}",
    re.IGNORECASE,
)
# Any time mention: a number (or word) and a time unit, or a clock time.
ANY_TIME = re.compile(
    rf"(?:\b\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?\s*-?\s*{_TIME_UNIT}|\b(?:an?|one|half\s+an?)\s+hours?\b|"
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*(?:am|pm)\b)",
    re.IGNORECASE,
)
# Problem kinds a search may answer instead: the reader could not pair a number with a unit. Every other kind is a
# refusal of impossible or unclear input and stays one.
SEARCHABLE_PROBLEMS = frozenset({"unread_number", "bare_number"})
DESCRIBED_NOTE = ("The number in your question reads as part of what the code describes, so these are the codes "
                  "that match; no units were counted. For units, give the documented time or dose.")


def only_descriptive_times(text: str) -> bool:
    """True when the question has a time and every time in it is a code's own span ("each additional 30 min")."""
    spans = [match.span() for match in DESCRIPTIVE_TIME.finditer(text)]
    if not spans:
        return False
    times = [match.span() for match in ANY_TIME.finditer(text)]
    return all(any(start <= t_start and t_end <= end for start, end in spans) for t_start, t_end in times)


# The lead of `answers.units_problem_answer` (input the units route could not use) and of its help answer when it
# found nothing to count; an engine result of nothing billable ("hydration 30 min") has neither and is kept.
_COULD_NOT_READ = ("**I can't count units for this as asked:**", "I could not tell which service to count")


# Words after a number that make it an amount to count, not part of a description: times, doses, counts.
_AMOUNT_WORDS = frozenset({
    "min", "mins", "minute", "minutes", "hr", "hrs", "hour", "hours", "h", "m", "mg", "mcg", "g", "gm", "gram",
    "grams", "ml", "cc", "unit", "units", "u", "iu", "meq", "times", "x", "pushes", "push", "injections",
    "injection", "sites", "site", "sessions", "visits", "days", "day",
})
# Asked for a count outright ("how many units", "units?", "how do I bill it"); a "TENS unit" is a device, not this.
ASKS_FOR_UNITS = re.compile(r"\bhow many\b|\bunits?\s*\?|\b(?:what|which) units\b|\bhow (?:do|should|would) i "
                            r"(?:code|bill)\b|\bunits (?:for|of)\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*([a-z]+)", re.IGNORECASE)


def _describes(text: str, problem: Problem) -> bool:
    """An unpaired number followed by a word naming a part of the thing ("four leads", "3 lumens"), not an amount."""
    if problem.kind not in SEARCHABLE_PROBLEMS:
        return False
    following = _NEXT_WORD.match(text, problem.span[1]) if problem.span != (0, 0) else None
    return following is not None and following.group(1).casefold() not in _AMOUNT_WORDS


def _could_not_read(answer: Answer) -> bool:
    return answer.answer.startswith(_COULD_NOT_READ)


def _asks(answer: Answer) -> bool:
    """An answer that asks the coder something (the encounter engine's 'I need to know more', a repeat push's gap)."""
    return "?" in answer.answer


def described_hook(router: _Router, parsed: ParsedQuestion, context: _Context, units: Callable[[], Answer]) -> Answer:
    """The answer for a question the router would count: search when its numbers describe the code, else the units
    answer, or the search when that answer is empty and asks nothing (module docstring)."""
    retriever = router.retriever
    if retriever is not None and only_descriptive_times(parsed.text) and parsed.dose is None:
        described = _search(router, parsed, context, [DESCRIBED_NOTE])
        if described is not None:
            return described
    answer = units()
    if parsed.problems:  # the reader flagged what is missing ("a repeat push" without its gap) and no number is given
        answer = described_without_numbers(router, parsed, context, answer)
    if answer.codes or _asks(answer) or retriever is None or not _could_not_read(answer):
        return answer  # counted, asked back, or counted as nothing billable ("hydration 30 min"): the engine's word
    if ASKS_FOR_UNITS.search(parsed.text):
        return answer  # "... how many units": the units answer says what it could not count
    if parsed.problems:
        if not all(_describes(parsed.text, problem) for problem in parsed.problems):
            return answer  # "critical care hours 5": a count or time the reader could not pair, not a description
    elif parsed.dose is not None and router.find_drug(parsed) != (None, None):
        return answer  # a drug it knows, with a dose it could not count ("normal saline 750 ml"): the reason stands
    # A number the reader could not pair describes the thing ("four leads"); a dose with no drug named is said as is.
    reason = answer.answer.split("\n", 1)[0].replace("**I can't count units for this as asked:**", "").strip()
    note = DESCRIBED_NOTE if parsed.problems or not reason else "No units were counted: " + reason
    return _search(router, parsed, context, [note], extra_warnings=answer.warnings) or answer


# A number in any form: digits, number words, "an hour", "half"; a question without one has nothing to count.
_ANY_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
                         r"thirty|forty|fifty|sixty|half|an?\s+hour|once|twice)\b", re.IGNORECASE)


def described_without_numbers(router: _Router, parsed: ParsedQuestion, context: _Context, answer: Answer) -> Answer:
    """A question with no number at all describes a code ("additional IV push of the same drug, hospital" is
    +96376): when the encounter answer, or the units answer to a problem the reader flagged, counted nothing and
    only asks back (or could not read it), the search answers and what was asked stays as a note. A question
    asking for units outright keeps that answer, and so does every answer with codes; the engine's own asks stay
    ("colonoscopy with moderate sedation by the endoscopist, medicare" names G0500 and asks its minutes)."""
    if answer.codes or router.retriever is None or _ANY_NUMBER.search(parsed.text) or parsed.codes:
        return answer
    if ASKS_FOR_UNITS.search(parsed.text) or not (_asks(answer) or _could_not_read(answer)):
        return answer
    reason = answer.answer.split("\n", 1)[0].replace("**I can't count units for this as asked:**", "").strip()
    note = f"No units were counted (your question gives no time or dose): {reason}" if reason else DESCRIBED_NOTE
    return _search(router, parsed, context, [note], extra_warnings=answer.warnings) or answer


def _search(router: _Router, parsed: ParsedQuestion, context: _Context, notes: list[str],
            extra_warnings: list[str] | None = None) -> Answer | None:
    if router.retriever is None:
        return None
    hits = router.retriever.search(parsed.text, k=5)
    if not hits:
        return None
    answer = answers.search_answer(hits, [*context.notes, *notes, *sibling_notes(parsed.text, hits)])
    answer.warnings.extend(dict.fromkeys([*context.warnings, *(extra_warnings or [])]))
    return answer


# The payer difference of modifiers that mean nearly the same (issue 22 item 5), said when one of them is among the
# top hits. Rules as data, each with its source.
MODIFIER_PAYER_NOTES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"95", "GT", "93", "FQ"}),
     "Telehealth: CPT and most commercial payers use modifier 95 for real-time audio and video (CPT Appendix P). "
     "Medicare: the place of service the visit would have had in person plus modifier 95 (CY 2024 PFS final rule; "
     "MLN901705); GT only on critical access hospital Method II claims (100-04 Ch. 12 s. 190.6.1). Check the "
     "payer's policy."),
    (frozenset({"59", "XE", "XS", "XP", "XU"}),
     "59 vs X{EPSU}: CMS's XE (separate encounter), XS (separate structure), XP (separate practitioner) and XU "
     "(unusual non-overlapping service) are the specific forms of 59; use the one that fits and 59 only when none "
     "does (MLN MM8863; NCCI Policy Manual Ch. I s. E.1). Some commercial payers accept only 59."),
    (frozenset({"CQ", "CO"}),
     "CQ/CO (therapy furnished in whole or in part by a PT or OT assistant): Medicare pays 85% of the fee schedule "
     "for these lines from 2022 (Bipartisan Budget Act of 2018 s. 53107; CY 2022 PFS final rule); other payers may "
     "not use the modifiers."),
    (frozenset({"GA", "GZ", "GX", "GY"}),
     "ABN modifiers (Medicare, 100-04 Ch. 30 s. 40.3.6): GA, a required ABN was signed (the patient may be billed); "
     "GZ, denial expected and no ABN (the provider is liable); GX, a voluntary ABN for a non-covered item; GY, "
     "statutorily excluded."),
)


def sibling_notes(question: str, hits: Sequence[_Hit]) -> list[str]:
    """Notes for a search answer: what decides between sibling top hits the question leaves open
    (retrieval/siblings.py), and the payer difference when a modifier of MODIFIER_PAYER_NOTES is among the top 3."""

    notes = [note] if (note := deciding_note(question, hits)) else []
    top = {hit.code for hit in hits[:3]}
    notes.extend(note for codes, note in MODIFIER_PAYER_NOTES if codes & top)
    return notes
