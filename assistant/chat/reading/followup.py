"""Follow-ups: a turn merged with the earlier ones only when it is one (issue 10 item 5)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields, replace

from assistant.chat.reading.clock import MINUTES_PER_DAY
from assistant.chat.reading.problems import Problem
from assistant.chat.reading.question import ParsedQuestion
from assistant.chat.reading.switches import PAYER_NOTE_TEXTS
from assistant.chat.reading.text import escape_user_text

# --------------------------------------------------------------------------------------------------------
# Follow-ups
# --------------------------------------------------------------------------------------------------------

_DURATION_FIELDS = ("minutes", "start", "end", "duration_text", "duration_unit", "code_minutes")
_MERGED_FIELDS = tuple(
    f.name for f in fields(ParsedQuestion)
    if f.name not in {"text", "earlier_texts", "followup", "problems", "notes", "together", "asks_units", "family_cue"}
)


# Problems that mean the turn gave a (bad) new duration: it replaces the old one, never the old duration again.
_DURATION_PROBLEMS = frozenset({"negative_duration", "duration_range", "unread_fraction", "unread_sum", "too_long",
                                "same_start_end", "end_before_start", "decimal_comma"})


def merge_followup(previous: ParsedQuestion, current: ParsedQuestion) -> ParsedQuestion:
    """`current` read in the context of `previous`: what the new turn says overrides, the rest carries over.

    A new duration replaces the old one whole (a clock range and minutes never mix); a new dose replaces the
    old dose; a new family keeps the old duration ("and for hydration?").
    """
    changes: dict[str, object] = {}
    new_duration = current.has_duration or any(p.kind in _DURATION_PROBLEMS for p in current.problems)
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
        problems: tuple[Problem, ...] = ()
        if minutes > MINUTES_PER_DAY:
            problems = (Problem("too_long", f"{shown} {previous.duration_unit}"),)
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
        return {"problems": (Problem("bare_number", shown),)}
    return {}


def merge_conversation(turns: Sequence[ParsedQuestion]) -> ParsedQuestion:
    """The last turn read in the context of the turns before it (each already parsed once, oldest first): a turn
    that needs context is merged field by field into the conversation so far, any other starts afresh."""
    context: ParsedQuestion | None = None
    for parsed in turns:
        context = merge_followup(context, parsed) if context is not None and needs_context(parsed) else parsed
    if context is None:
        raise ValueError("a conversation has at least one turn")
    return context


def needs_context(parsed: ParsedQuestion) -> bool:
    """True when a turn only makes sense with the turn before ("what about 3 hours?", "and for medicare?")."""
    if parsed.followup:
        return True
    if parsed.codes or parsed.family is not None:
        return False
    if _OWN_DRUG_AND_DOSE.match(parsed.text):
        return False  # "keytruda 200 mg" after a subq question: a new question (issue 17 class 7)
    # Issue 10 item 5: without a follow-up cue, only a short turn holding a quantity with its unit, or a payer or
    # setting word, changes the last question. "my badge number is 5" (a bare number, no cue) is a new question.
    if len(parsed.text.split()) > _SHORT_TURN_WORDS:
        return False
    return (
        parsed.has_quantity or parsed.payer is not None or parsed.setting is not None or parsed.sites is not None
        or parsed.pump_setups is not None or parsed.patient is not None
    )


_SHORT_TURN_WORDS = 6
# A turn that opens with its own drug name and dose ("solu-medrol 125 mg how many units") names its own service:
# a new question, unless it says it adds to the last one ("and", "also", "plus", "add") or asks "what about".
_OWN_DRUG_AND_DOSE = re.compile(
    r"^\s*(?!(?:and|also|plus|add|what|how|same|with|if|instead|make|change|but|or|now)\b)[a-z][\w-]{2,}"
    r"(?:\s+[a-z][\w-]{2,})?\s+\d[\d.,]*\s*(?:mg|mcg|g|gm|grams?|units?|ml|meq)\b", re.IGNORECASE)
