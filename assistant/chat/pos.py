"""Place-of-service answers: "POS 19", "what is POS 22", "POS for telehealth in the patient's home", and revenue
codes (NUBC-licensed: named as such, none shipped). Data: `assistant/corpus/pos.py` (corpus/pos.yml)."""

from __future__ import annotations

import re

from assistant.contract import Answer, CodeLine
from assistant.corpus.pos import POS_SOURCE, RATE_SOURCE, PlaceOfService, pos_codes
from assistant.retrieval.lexical import tokenize

_ASKS_POS = re.compile(r"\b(?:pos|place\s+of\s+service)\b", re.IGNORECASE)
_TYPED_POS = re.compile(r"\b(?:pos|place\s+of\s+service)(?:\s+code)?\s*#?\s*(\d{1,2})\b", re.IGNORECASE)
_REVENUE = re.compile(r"\brev(?:enue)?\s+codes?\b", re.IGNORECASE)
# Question words that say "a POS code" and not which place.
_NOT_PLACES = frozenset(("pos", "place", "service", "what", "which", "is", "code", "should", "use", "for", "the"))

REVENUE_ANSWER = (
    "**Revenue codes are not shipped here: they are licensed by the National Uniform Billing Committee (NUBC)** "
    "(UB-04 / 837I, form locator 42; the code list is in the NUBC Official UB-04 Data Specifications Manual). "
    "Use your licensed NUBC manual or your payer's billing guide for a revenue code."
)


def _rate_line(entry: PlaceOfService) -> str:
    if entry.rate == "facility":
        return ("**Medicare PFS rate:** facility (a practitioner's service here is paid at the facility rate; the "
                "facility bills its own costs).")
    if entry.rate == "non-facility":
        return "**Medicare PFS rate:** non-facility (the practitioner's practice expense is paid in full)."
    if entry.rate == "own system":
        return f"**Medicare payment:** its own payment system, not the PFS rate. {entry.rate_note}"
    return ("**Medicare PFS rate:** not stated here: check the CMS PFS place-of-service list before relying on a "
            "facility or non-facility rate.")


def _card(entry: PlaceOfService) -> str:
    return f"### POS {entry.code}: {entry.name}\n\n{entry.description}\n\n{_rate_line(entry)}"


def _answer(entries: list[PlaceOfService], lead: str) -> Answer:
    text = lead + "\n\n" + "\n\n".join(_card(e) for e in entries) + f"\n\n_Sources: {POS_SOURCE}; {RATE_SOURCE}._"
    return Answer(route="lookup", answer=text, codes=[CodeLine(code=e.code, description=e.name) for e in entries],
                  citations=[POS_SOURCE, RATE_SOURCE])


def search_pos(text: str, k: int = 3) -> list[PlaceOfService]:
    """POS entries whose name, description or lay terms share the question's words, rarer words counting more; a
    lay term found whole counts most ("telehealth in the patient's home" -> 10, "nursing home" -> 32)."""
    asked = [t for t in tokenize(text) if t not in _NOT_PLACES]
    if not asked:
        return []
    words = frozenset(asked)
    entries = list(pos_codes().values())
    bodies = [frozenset(tokenize(f"{e.name} {e.description} {' '.join(e.lay_terms)}")) for e in entries]
    rarity = {w: 1 / max(1, sum(w in body for body in bodies)) for w in words}
    scored = []
    for position, (entry, body) in enumerate(zip(entries, bodies, strict=True)):
        phrases = [terms for term in entry.lay_terms if (terms := frozenset(tokenize(term))) and terms <= words]
        phrase = max((sum(rarity[w] for w in terms) + len(terms) for terms in phrases), default=0.0)
        name_words = frozenset(tokenize(entry.name))
        overlap = sum(rarity[w] for w in words & body) + len(words & name_words)
        if phrase or overlap:
            scored.append((-(phrase * 3 + overlap), len(name_words - words), position, entry))
    scored.sort(key=lambda item: item[:3])
    return [entry for *_, entry in scored[:k]]


def pos_answer(text: str) -> Answer | None:
    """The answer to a POS or revenue-code question, or None when the question asks neither."""
    if _REVENUE.search(text):
        return Answer(route="lookup", answer=REVENUE_ANSWER, citations=["NUBC Official UB-04 Data Specifications "
                                                                        "Manual (licensed)"])
    if not _ASKS_POS.search(text):
        return None
    codes = pos_codes()
    typed = [m.group(1).zfill(2) for m in _TYPED_POS.finditer(text)]
    if typed:
        found = [codes[c] for c in dict.fromkeys(typed) if c in codes]
        missing = [c for c in dict.fromkeys(typed) if c not in codes]
        if not found:
            answer = _answer([], f"**POS {', '.join(missing)} is not in the CMS place of service code set.** "
                             "Unassigned numbers are reserved by CMS.")
            answer.warnings.append(f"POS {', '.join(missing)} is not a CMS place of service code.")
            return answer
        lead = "**" + "; ".join(f"POS {e.code}: {e.name}" for e in found) + ".**"
        answer = _answer(found, lead)
        if missing:
            answer.warnings.append(f"POS {', '.join(missing)} is not a CMS place of service code.")
        return answer
    hits = search_pos(text)
    if not hits:
        return Answer(route="lookup", answer="**Which place?** Name where the service was given (for example *office*, "
                      "*patient's home*, *off-campus outpatient hospital*, *telehealth at home*), or type the POS "
                      "number (*POS 19*).", citations=[POS_SOURCE])
    return _answer(hits, f"**POS {hits[0].code}: {hits[0].name}** fits best; check the others below.")
