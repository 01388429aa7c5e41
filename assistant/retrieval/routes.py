"""An inhaled form yields to the injection of the same drug when the question names neither (issue 22, product
codes vs the generic).

CMS codes a nebulizer drug supplied through DME apart from the injection of the same molecule: "betamethasone,
inhalation solution, compounded product, administered through dme" (J7624) beside "injection, betamethasone acetate
3 mg and betamethasone sodium phosphate 3 mg" (J0702); acetylcysteine inhalation (J7604/J7608) beside the
injection (J0132) (CMS HCPCS Level II descriptors J7604-J7699; DME MAC LCD L33370 Nebulizers). A question naming the
drug with a dose and no inhaled or nebulized word means the drug given in the office, by injection. A molecule with
no injection code among the candidates (albuterol, ipratropium, budesonide) is left alone: its inhaled code is the
only one there is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.corpus.drug_forms import INHALED_WORDS
from assistant.corpus.records import CodeRecord

INHALED_FACTOR = 0.6
_INHALED = re.compile(r"\binhalation (?:solution|suspension)\b|\bfor inhalation\b|\badministered through dme\b",
                      re.IGNORECASE)
# The form word CMS puts before a drug's name ("Injection, betamethasone ..."); an injection or infusion code.
DRUG_FORM_WORD = re.compile(r"^(?:injection|infusion|instillation),\s*", re.IGNORECASE)
_INJECTED = re.compile(r"^(?:injection|infusion),", re.IGNORECASE)
# The reader's inhaled-route words (corpus/drug_forms.py), and the inhalation codes' own descriptor words.
ASKS_FOR_INHALED = re.compile(rf"{INHALED_WORDS}|\b(?:inhal\w*|neb\w*|aerosol\w*|breathing treatments?|dme|"
                              r"compound\w*|mdi)\b", re.IGNORECASE)
_MOLECULE = re.compile(r"[a-z][a-z-]{3,}", re.IGNORECASE)


def first_drug_word(descriptor: str) -> str | None:
    """The drug a descriptor names first, after its form word: "Injection, betamethasone acetate ..." ->
    "betamethasone"."""
    match = _MOLECULE.match(DRUG_FORM_WORD.sub("", descriptor))
    return match.group(0).casefold() if match else None


def injected_molecules(records: Iterable[CodeRecord]) -> set[str]:
    """The molecules named first by the injection and infusion codes among `records` ("betamethasone")."""
    found = set()
    for record in records:
        descriptor = record.official_descriptor or ""
        if _INJECTED.match(descriptor) and not _INHALED.search(descriptor):
            molecule = first_drug_word(descriptor)
            if molecule:
                found.add(molecule)
    return found


def inhaled_factor(record: CodeRecord, question: str, injected: set[str]) -> float:
    """INHALED_FACTOR for an inhaled form whose molecule also has an injection code among the candidates, when the
    question says nothing inhaled; else 1.0."""
    descriptor = record.official_descriptor or ""
    if not _INHALED.search(descriptor) or _INJECTED.match(descriptor) or ASKS_FOR_INHALED.search(question):
        return 1.0
    return INHALED_FACTOR if first_drug_word(descriptor) in injected else 1.0
