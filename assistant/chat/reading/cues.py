"""Family cues: which units family a question's words name (lay terms first), as data.

RULES may append cue rows here (one `FamilyCue` per row, in priority order) for the families it adds to the units
registry; a cue names a family key of `assistant.units.FAMILIES` (a test keeps them in step). Negated words
("non-chemo", "no pump") are masked out of the text before cues are matched (see `mask_negations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chat.reading.vocabulary import NEGATION_MODIFIERS, NEGATIONS

# A negation and the word it negates ("no pump", "non-chemo", "without E/M", "no portable pump"): the negated word is
# blanked (same length, so spans stay valid) before any cue is matched: a negated item is never used (issue 10 item 3).
_NEGATED = re.compile(
    r"(?<![\w/])(?:" + "|".join(re.escape(n) for n in sorted(NEGATIONS, key=len, reverse=True)) + r")[\s-]+"
    r"(?:(?:" + "|".join(sorted(NEGATION_MODIFIERS)) + r")\s+)*(?P<word>[\w/&]+)",
    re.IGNORECASE,
)


def mask_negations(text: str) -> str:
    """`text` with every negated word replaced by spaces ("non-chemo IV" -> "non-      IV")."""
    if not _NEGATED.search(text):
        return text
    return _NEGATED.sub(lambda m: m.group(0)[: m.start("word") - m.start()] + " " * len(m.group("word")), text)



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
    text = mask_negations(text)
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
