"""Typed qualifiers choose among the codes one drug name fits (issue 17), read from the public HCPCS descriptors:

- **route**: a code whose descriptor says "oral" (J8501 aprepitant, oral) is kept only when the words say oral/PO/
  tablet; otherwise the injectable codes ("emend IV" is fosaprepitant J1453, "emend 125 mg PO" aprepitant J8501);
- **product**: a code the descriptor reserves for one maker's or brand's product in parentheses ("methotrexate
  (accord)", "argatroban (auromedics)") only when that product is named, else the code without one;
- **indication, ESRD**: the descriptors split some drugs by "(for esrd on dialysis)" vs "(non-esrd use)" (epoetin
  alfa J0885 / Q4081, darbepoetin J0881 / J0882, epoetin beta J0888 / J0887, argatroban J0883 / J0884, ferumoxytol
  Q0138 / Q0139): "ESRD" / "end-stage renal" or "non-ESRD" / "not on dialysis" typed decide; nothing typed -> asked,
  with the words that decide (`qualifier_hint`). "dialysis" alone does not decide (acute kidney injury on dialysis is
  not ESRD: HCPCS G0491). The same table (`INDICATION_SPLITS`) holds HIV pre-exposure prophylaxis vs treatment
  (lenacapavir J0738 / J1961): "PrEP" or "HIV treatment" typed decide;
- **dose unit**: a code whose billing unit cannot take the dose's unit (units vs micrograms) cannot count it
  (`by_dose_kind`: "epoetin 20,000 units" is epoetin alfa, per 1000 units, never epoetin beta, per microgram).

The stated route (an injection is never an inhalation solution or an oral drug; a nebulized drug never an
injection) and the product form (preservative-free, extended-release, an ester ...: a form the words do not name
yields, the NOS code is what a dose alone means) are declared in `drug_forms` and applied here first and after the
product step. Still several -> asked, never the first. Pure: the records' descriptors and the typed words only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.drug_forms import ORAL_WORDS, by_form, by_route, form_hint
from assistant.corpus.records import CodeRecord
from assistant.units.drugs import DOSE_UNITS

_TOKEN = re.compile(r"[a-z0-9]+")

_ORAL_WORDS = re.compile(ORAL_WORDS, re.IGNORECASE)
_ORAL_CODE = re.compile(r"\boral\b", re.IGNORECASE)

# Words in a descriptor's parentheses that describe a form or an indication, not a product ("(e.g., liquid)",
# "(human)", "(for esrd on dialysis)", "(for non-esrd use)").
_FORM_WORDS = frozenset({
    "e", "g", "eg", "i", "liquid", "lyophilized", "non", "human", "recombinant", "synthetic", "equine", "ovine",
    "porcine", "bovine", "biosimilar", "depot", "for", "suspension", "solution", "powder", "and", "or", "of", "in",
    "the", "a", "with", "without", "preservative", "free", "dextrose", "sodium", "chloride", "water", "use", "only",
    "esrd", "on", "dialysis",
})

@dataclass(frozen=True)
class Indication:
    """One indication a HCPCS descriptor reserves a code for: what the descriptor says, what a coder types, and
    the words an answer asks for."""

    name: str
    label: str  # in an answer: "non-ESRD use"
    descriptor: re.Pattern[str]
    typed: re.Pattern[str]
    say: str  # the word to type: "non-ESRD"


_I = re.IGNORECASE
NON_ESRD = Indication(
    "non_esrd", "non-ESRD use", re.compile(r"\bnon[- ]?esrd\b", _I),
    re.compile(r"\bnon[- ]?esrd\b|\b(?:not|no|without)\s+(?:an?\s+)?esrd\b|\bnot\s+on\s+(?:hemo|peritoneal\s+)?"
               r"dialysis\b|\bnon[- ]?dialysis\b|\bno\s+dialysis\b", _I), "non-ESRD")
ESRD = Indication("esrd", "ESRD on dialysis", re.compile(r"\besrd\b", _I),
                  re.compile(r"\besrd\b|\bend[- ]stage\s+renal\b", _I), "ESRD on dialysis")
HIV_PREP = Indication("hiv_prep", "HIV pre-exposure prophylaxis", re.compile(r"\bpre-?exposure\s+prophylaxis\b", _I),
                      re.compile(r"\bprep\b|\bpre-?exposure\b", _I), "PrEP")
HIV_TREATMENT = Indication(
    "hiv_treatment", "HIV treatment", re.compile(r"\bhiv\s+(?:treatment|tx)\b", _I),
    re.compile(r"\bhiv\s+(?:treatment|tx|therapy)\b|\b(?:treatment|tx)\s+(?:of|for)\s+hiv\b|\bhiv[- ]?(?:\+|positive)",
               _I), "HIV treatment")
# Pairs of indications the HCPCS descriptors split one drug by; the first is matched first ("non-esrd" holds
# "esrd"). ESRD: epoetin alfa J0885/Q4081, darbepoetin J0881/J0882, epoetin beta J0888/J0887, argatroban
# J0883/J0884, ferumoxytol Q0138/Q0139. HIV: lenacapavir J0738 (PrEP, Yeztugo) / J1961 (treatment, Sunlenca).
INDICATION_SPLITS: tuple[tuple[Indication, Indication], ...] = ((NON_ESRD, ESRD), (HIV_PREP, HIV_TREATMENT))
INDICATION_NAMES = {i.name: i.label for pair in INDICATION_SPLITS for i in pair}


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
        # A billing unit stated in brackets ("(500 ml = 1 unit)", J7040) names no product either.
        words |= {w for w in _tokens(inner) if w not in _FORM_WORDS and not w.isdigit() and w not in DOSE_UNITS}
    # The drug's own name is no product: "heparin sodium, (heparin lock flush)" is named by "lock flush" only, so
    # "heparin 5000 units IM" keeps the generic heparin code.
    return words - set(_tokens(re.sub(r"\([^()]*\)", " ", descriptor)))


def indication(record: CodeRecord) -> str | None:
    """The indication the code's descriptor reserves it for (`INDICATION_SPLITS`: "esrd", "non_esrd", "hiv_prep",
    "hiv_treatment"), or None (HCPCS file)."""
    text = _descriptor(record)
    for pair in INDICATION_SPLITS:
        for kind in pair:
            if kind.descriptor.search(text):
                return kind.name
    return None


def typed_indication(words: str, pair: tuple[Indication, Indication] = (NON_ESRD, ESRD)) -> str | None:
    """The one indication of `pair` the words say ("non-ESRD" before "ESRD"); None when neither or both."""
    first = bool(pair[0].typed.search(words))
    second = bool(pair[1].typed.search(pair[0].typed.sub(" ", words)))
    if first == second:
        return None
    return pair[0].name if first else pair[1].name


def narrow(candidates: list[CodeRecord], words: str = "") -> list[CodeRecord]:
    """The codes the typed qualifiers leave (route, product, ESRD indication: see the module docstring; the stated
    route and the product form: `drug_forms`); every candidate when nothing chooses (then asked), none when the
    stated route rules out every code (`drug_forms.route_note` says why)."""
    kept = by_route(list(candidates), words)
    if len(kept) > 1:
        oral = [r for r in kept if _ORAL_CODE.search(_descriptor(r))]
        if oral and len(oral) < len(kept):
            kept = oral if _ORAL_WORDS.search(words) else [r for r in kept if r not in oral]
    if len(kept) > 1:
        named = set(_tokens(words))
        specific = {r.code: _product_specific(r) for r in kept}
        generic = [r for r in kept if not specific[r.code]]
        chosen = [r for r in kept if specific[r.code] & named]
        if generic and len(generic) < len(kept):
            kept = chosen or generic
        elif chosen:  # every code is one product's: the product named ("adrenalin" J0169 beside "(endo)" J0163)
            kept = chosen
    return by_indication(by_form(kept, words), words)


def _split(candidates: list[CodeRecord]) -> tuple[dict[str, str | None], list[tuple[Indication, Indication]]]:
    """Each candidate's indication, and the indication pairs the candidates are split by."""
    kinds = {r.code: indication(r) for r in candidates}
    present = set(kinds.values())
    return kinds, [pair for pair in INDICATION_SPLITS if {pair[0].name, pair[1].name} <= present]


def by_indication(candidates: list[CodeRecord], words: str) -> list[CodeRecord]:
    """The codes of the indication the words name, when the codes are split by it; else all of them."""
    if len(candidates) < 2:
        return candidates
    kinds, pairs = _split(candidates)
    for pair in pairs:
        said = typed_indication(words, pair)
        if said is not None:
            return [r for r in candidates if kinds[r.code] == said]
    return candidates


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
    """The words that would decide among these codes, when a typed qualifier does (else ""): the indication or
    the route. Said with the question that asks which code, so the coder knows what to add."""
    kinds, pairs = _split(candidates)
    for pair in pairs:
        parts = "; ".join(f"{kind.label}: " + ", ".join(c for c, k in kinds.items() if k == kind.name) for kind in pair)
        return (f" The HCPCS descriptors split this drug by indication ({parts}): say '{pair[0].say}' or "
                f"'{pair[1].say}'.")
    oral = [r.code for r in candidates if _ORAL_CODE.search(_descriptor(r))]
    if oral and len(oral) < len(candidates):
        return f" {', '.join(oral)} {'is' if len(oral) == 1 else 'are'} oral: say IV/injection or oral (PO)."
    return form_hint(candidates)  # preservative-free, extended-release, an ester ... (drug_forms)


__all__ = ["INDICATION_NAMES", "INDICATION_SPLITS", "Indication", "by_dose_kind", "by_indication", "indication",
           "narrow", "qualifier_hint", "typed_indication"]
