"""Service or product: whether the question asks for the administration (the service code) or the drug (the
product code), and how that orders a search's hits (issue 22 item 3).

A drug given in an office is two lines: the administration (CPT 96360-96549, HCPCS G0008-G0010) and the drug
itself (HCPCS J/Q codes by billing unit). Both share the drug's name (the bundled administration records list the
drugs given that way as lay terms), so the words alone tie them. The question says which one it means:
- a dose ("ketorolac 30 mg", "keytruda 200 mg") is an amount of a product: the drug code first (a dose is
  billed in units of the drug code, CMS 100-04 Ch. 17 s. 70; the administration has no dose);
- administration words without a dose ("administration of an IM antibiotic", "IM injection of toradol", "B12 shot
  given by the nurse", "iron infusion") ask for the service: the administration code first;
- "administration"/"admin"/"administered" said outright wins over a dose ("admin of ceftriaxone 1 g").
A vaccine's administration is never 96372 (CPT 96372 parenthetical: immunization administration is reported with
90460-90474; Medicare: G0008/G0009/G0010, 100-04 Ch. 18 s. 10.2), so a vaccine question demotes the bundled
injection and infusion codes. Rules as data: each pattern and factor below, with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.corpus.records import CodeRecord

Wanted = Literal["product", "service"]

# An amount of a drug: a number and a unit of mass, volume or activity ("200 mg", "1 g", "10,000 units", "5 mg/kg",
# "2.4 million units", "20 meq"). Minutes and hours are times, not doses.
DOSE = re.compile(
    r"\d[\d,]*(?:\.\d+)?\s*(?:million\s+units?|mg/m2|mg/kg|mcg/kg|mg|mcg|µg|micrograms?|milligrams?|grams?|gm|g|"
    r"units?|iu|ml|cc|meq|mmol|liters?|l)\b",
    re.IGNORECASE,
)
# Words that ask for the act of giving a drug.
SERVICE_WORDS = re.compile(
    r"\b(?:admin\w*|injections?\s+of|inject(?:ed|ing)|giv(?:e|en|ing)|gave|shots?|push(?:ed|es)?|"
    r"infus(?:ed|ing)|infusions?|hook\s*-?\s*up|applied|applying)\b",
    re.IGNORECASE,
)
# Said outright, the administration is meant even beside a dose.
EXPLICIT_SERVICE = re.compile(r"\badmin(?:istration|istered|istering|ister)?\b", re.IGNORECASE)
VACCINE = re.compile(r"\b(?:vaccines?|vaccinations?|immuni[sz]ations?|flu\s+shots?|influenza|pneumo\w*|hep(?:atitis)?"
                     r"\s*b\s+(?:shot|vaccine))\b", re.IGNORECASE)

# Families of administration services (the bundled corpus) and administration descriptors (HCPCS G0008-G0010).
SERVICE_FAMILIES = frozenset({"drug_administration", "chemotherapy"})
SERVICE_DESCRIPTOR = re.compile(r"^administration of\b", re.IGNORECASE)
PRODUCT_FAMILIES = frozenset({"drugs"})
PRODUCT_DESCRIPTOR = re.compile(r"^(?:injection|infusion),", re.IGNORECASE)

# How much the other kind counts: enough to put the wanted kind first among equals, not to hide the other.
OTHER_KIND_FACTOR = 0.5
# Bundled injection/infusion codes when the question is about a vaccine (CPT 96372 parenthetical; 100-04 Ch. 18).
VACCINE_NOT_96372_FACTOR = 0.6


@dataclass(frozen=True)
class Intent:
    """What the question asks for (None: it does not say) and whether it is about a vaccine."""

    wanted: Wanted | None
    vaccine: bool = False


def read_intent(question: str) -> Intent:
    """The question's intent: a dose means the product, administration words (or "admin" outright) the service."""
    explicit = bool(EXPLICIT_SERVICE.search(question))
    dose = bool(DOSE.search(question))
    wanted: Wanted | None = None
    if explicit or (SERVICE_WORDS.search(question) and not dose):
        wanted = "service"
    elif dose:
        wanted = "product"
    return Intent(wanted, bool(VACCINE.search(question)))


def kind_of(record: CodeRecord) -> Wanted | None:
    """"service" for an administration code, "product" for a drug code, None for anything else."""
    descriptor = record.official_descriptor or ""
    if record.family in SERVICE_FAMILIES or SERVICE_DESCRIPTOR.search(descriptor):
        return "service"
    if record.family in PRODUCT_FAMILIES or record.billing_unit is not None or PRODUCT_DESCRIPTOR.search(descriptor):
        return "product"
    return None


def intent_factor(record: CodeRecord, intent: Intent) -> float:
    """How much the record's fused score counts under the question's intent (1.0 for most)."""
    factor = 1.0
    kind = kind_of(record)
    if intent.wanted is not None and kind is not None and kind != intent.wanted:
        factor *= OTHER_KIND_FACTOR
    if intent.vaccine and record.family == "drug_administration":
        factor *= VACCINE_NOT_96372_FACTOR
    return factor


def intent_note(record: CodeRecord, intent: Intent) -> str | None:
    """The words of "why it fits" saying the intent put this record first, or None."""
    kind = kind_of(record)
    if intent.wanted is None or kind != intent.wanted:
        return None
    if kind == "product":
        return "you gave a dose, so the drug's own code comes first (its administration is a separate code)"
    return "you asked for giving the drug, so the administration code comes first (the drug has its own code)"


# "Administering lovenox subq", "gave the antibiotic IM": a drug given under the skin or into a muscle with no pump,
# drip or time is an injection (CPT 96372 "therapeutic, prophylactic, or diagnostic injection; subcutaneous or
# intramuscular"; a subcutaneous infusion, 96369, runs through a pump for a timed period). The question reads as
# "... injection" on the lexical side, so the injection record's whole name ("subq injection") is matched instead of
# the bare route word the infusion record also lists.
INJECTION_ROUTE = re.compile(r"\b(?:sub-?q|sq|sc|subcut\w*|im|intramuscular\w*)\b", re.IGNORECASE)
NOT_AN_INJECTION = re.compile(r"\b(?:infus\w*|pumps?|drips?|iv|intravenous\w*|hours?|hrs?|minutes?|mins?|"
                              r"injections?|shots?|vaccin\w*)\b", re.IGNORECASE)


def implied_injection(question: str) -> bool:
    """True when the question gives a drug by a subcutaneous or intramuscular route with no infusion, pump or time
    and does not already say "injection" or "shot" ("administering lovenox subq"). A dose asks for the drug."""
    return bool(SERVICE_WORDS.search(question) and INJECTION_ROUTE.search(question)
                and not NOT_AN_INJECTION.search(question) and not DOSE.search(question))
