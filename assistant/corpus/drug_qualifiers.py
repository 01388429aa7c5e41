"""Typed qualifiers choose among the codes one drug name fits (issue 17), read from the public HCPCS descriptors:

- **route**: a code whose descriptor says "oral" (J8501 aprepitant, oral) is kept only when the words say oral/PO/
  tablet; otherwise the injectable codes ("emend IV" is fosaprepitant J1453, "emend 125 mg PO" aprepitant J8501);
- **product**: a code the descriptor reserves for one maker's or brand's product in parentheses ("methotrexate
  (accord)", "argatroban (auromedics)") only when that product is named, else the code without one;
- **indication, ESRD**: the descriptors split some drugs by "(for esrd on dialysis)" vs "(non-esrd use)" (epoetin
  alfa J0885 / Q4081, darbepoetin J0881 / J0882, epoetin beta J0888 / J0887, argatroban J0883 / J0884, ferumoxytol
  Q0138 / Q0139): "ESRD" / "end-stage renal" or "non-ESRD" / "not on dialysis" typed decide; nothing typed -> asked,
  with the words that decide (`qualifier_hint`). "dialysis" alone does not decide (acute kidney injury on dialysis is
  not ESRD: HCPCS G0491);
- **dose unit**: a code whose billing unit cannot take the dose's unit (units vs micrograms) cannot count it
  (`by_dose_kind`: "epoetin 20,000 units" is epoetin alfa, per 1000 units, never epoetin beta, per microgram).

Still several -> asked, never the first. Pure: the records' descriptors and the typed words only.
"""

from __future__ import annotations

import re

from assistant.corpus.records import CodeRecord
from assistant.units.drugs import DOSE_UNITS

_TOKEN = re.compile(r"[a-z0-9]+")

_ORAL_WORDS = re.compile(r"\b(?:oral|orally|po|by mouth|tablets?|tabs?|capsules?|caps)\b", re.IGNORECASE)
_ORAL_CODE = re.compile(r"\boral\b", re.IGNORECASE)

# Words in a descriptor's parentheses that describe a form or an indication, not a product ("(e.g., liquid)",
# "(human)", "(for esrd on dialysis)", "(for non-esrd use)").
_FORM_WORDS = frozenset({
    "e", "g", "eg", "i", "liquid", "lyophilized", "non", "human", "recombinant", "synthetic", "equine", "ovine",
    "porcine", "bovine", "biosimilar", "depot", "for", "suspension", "solution", "powder", "and", "or", "of", "in",
    "the", "a", "with", "without", "preservative", "free", "dextrose", "sodium", "chloride", "water", "use", "only",
    "esrd", "on", "dialysis",
})

# The indication a descriptor names: "non-esrd", "non esrd", "nonesrd" before plain "esrd".
_NON_ESRD_CODE = re.compile(r"\bnon[- ]?esrd\b", re.IGNORECASE)
_ESRD_CODE = re.compile(r"\besrd\b", re.IGNORECASE)
# What a coder types for each: "non-ESRD", "not ESRD", "not on dialysis" / "ESRD", "end-stage renal disease".
_NON_ESRD_WORDS = re.compile(
    r"\bnon[- ]?esrd\b|\b(?:not|no|without)\s+(?:an?\s+)?esrd\b|\bnot\s+on\s+(?:hemo|peritoneal\s+)?dialysis\b"
    r"|\bnon[- ]?dialysis\b|\bno\s+dialysis\b", re.IGNORECASE)
_ESRD_WORDS = re.compile(r"\besrd\b|\bend[- ]stage\s+renal\b", re.IGNORECASE)
INDICATION_NAMES = {"esrd": "ESRD on dialysis", "non_esrd": "non-ESRD use"}


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _descriptor(record: CodeRecord) -> str:
    return " ".join((record.official_descriptor or "", record.title))


def _product_specific(record: CodeRecord) -> set[str]:
    """The product or maker a code is reserved for, from its descriptor's parentheses ("cyclophosphamide
    (sandoz)", "palonosetron hydrochloride (posfrea)"), as words; empty for the generic code."""
    descriptor = record.official_descriptor or ""
    words: set[str] = set()
    for inner in re.findall(r"\(([^()]*)\)", descriptor):
        words |= {w for w in _tokens(inner) if w not in _FORM_WORDS and not w.isdigit()}
    # The drug's own name is no product: "heparin sodium, (heparin lock flush)" is named by "lock flush" only, so
    # "heparin 5000 units IM" keeps the generic heparin code.
    return words - set(_tokens(re.sub(r"\([^()]*\)", " ", descriptor)))


def indication(record: CodeRecord) -> str | None:
    """"esrd", "non_esrd" or None: the ESRD indication the code's descriptor names (HCPCS file)."""
    text = _descriptor(record)
    if _NON_ESRD_CODE.search(text):
        return "non_esrd"
    return "esrd" if _ESRD_CODE.search(text) else None


def typed_indication(words: str) -> str | None:
    """"non_esrd" or "esrd" when the words say exactly one of them; None when neither or both."""
    non_esrd = bool(_NON_ESRD_WORDS.search(words))
    esrd = bool(_ESRD_WORDS.search(_NON_ESRD_WORDS.sub(" ", words)))
    if non_esrd == esrd:
        return None
    return "non_esrd" if non_esrd else "esrd"


def narrow(candidates: list[CodeRecord], words: str = "") -> list[CodeRecord]:
    """The codes the typed qualifiers leave (route, product, ESRD indication: see the module docstring); every
    candidate when nothing chooses (then asked)."""
    kept = list(candidates)
    if len(kept) > 1:
        oral = [r for r in kept if _ORAL_CODE.search(_descriptor(r))]
        if oral and len(oral) < len(kept):
            kept = oral if _ORAL_WORDS.search(words) else [r for r in kept if r not in oral]
    if len(kept) > 1:
        named = set(_tokens(words))
        specific = {r.code: _product_specific(r) for r in kept}
        generic = [r for r in kept if not specific[r.code]]
        if generic and len(generic) < len(kept):
            chosen = [r for r in kept if specific[r.code] & named]
            kept = chosen or generic
    return by_indication(kept, words)


def by_indication(candidates: list[CodeRecord], words: str) -> list[CodeRecord]:
    """The codes of the ESRD indication the words name, when the codes are split by it; else all of them."""
    said = typed_indication(words) if len(candidates) > 1 else None
    split = {r.code: indication(r) for r in candidates}
    if said is None or not {"esrd", "non_esrd"} <= set(split.values()):
        return candidates
    return [r for r in candidates if split[r.code] == said]


def _kind(unit: str | None) -> str | None:
    found = DOSE_UNITS.get((unit or "").strip().casefold().rstrip("."))
    return found[0] if found else None


def by_dose_kind(candidates: list[CodeRecord], unit: str | None) -> list[CodeRecord]:
    """The codes whose billing unit can take a dose in `unit` (mass, activity units or volume: 100-04 Ch 17 s10
    counts the dose in the code's own unit); all of them when none can or the unit is unknown."""
    kind = _kind(unit)
    if kind is None or len(candidates) < 2:
        return candidates
    fits = [r for r in candidates if r.billing_unit is not None and _kind(r.billing_unit.unit) == kind]
    return fits or candidates


def qualifier_hint(candidates: list[CodeRecord]) -> str:
    """The words that would decide among these codes, when a typed qualifier does (else ""): the ESRD indication
    or the route. Said with the question that asks which code, so the coder knows what to add."""
    split = {r.code: indication(r) for r in candidates}
    if {"esrd", "non_esrd"} <= set(split.values()):
        parts = "; ".join(f"{INDICATION_NAMES[kind]}: " + ", ".join(c for c, k in split.items() if k == kind)
                          for kind in ("non_esrd", "esrd"))
        return (f" The HCPCS descriptors split this drug by indication ({parts}): say 'non-ESRD' or 'ESRD on "
                "dialysis'.")
    oral = [r.code for r in candidates if _ORAL_CODE.search(_descriptor(r))]
    if oral and len(oral) < len(candidates):
        return f" {', '.join(oral)} {'is' if len(oral) == 1 else 'are'} oral: say IV/injection or oral (PO)."
    return ""


__all__ = ["INDICATION_NAMES", "by_dose_kind", "by_indication", "indication", "narrow", "qualifier_hint",
           "typed_indication"]
