"""The drug code a dose is for, among the codes one typed name fits (issue 17 reading leftovers): the typed route
and product form narrow first (`assistant.corpus.drug_qualifiers.narrow`, `drug_forms`), then the strength given
(`DrugDictionary.by_strength`). When the stated route rules out every code ("capecitabine 500 mg IM": its code
J8522 is oral), no code is left and the answer says why (`drug_forms.route_note`): a code of another route is never
reported."""

from __future__ import annotations

from assistant.corpus.drug_forms import route_note
from assistant.corpus.drugs import DrugDictionary
from assistant.corpus.records import CodeRecord


def narrowed(dictionary: DrugDictionary | None, records: list[CodeRecord], term: str, text: str,
             dose: float | None, unit: str | None) -> tuple[list[CodeRecord], str | None]:
    """The codes with a billing unit that `term` (typed in `text`) can mean after the typed qualifiers and the
    strength, and, when none is left because of the stated route, why (else None). Without a dictionary, the
    records as given."""
    if dictionary is None:
        return records, None
    # Every code with a billing unit the dictionary gives the name, beside the records carrying it as a lay term:
    # the crosswalk's "granisetron" is only Sustol's (J1627, extended-release), the descriptor's also J1626;
    # "ondansetron" typed PO is Q0162 (oral) beside J2405. The route and the product form then choose.
    records = [*records, *(r for r in dictionary.candidates(term) if r not in records and r.billing_unit is not None)]
    found = [r for r in dictionary.resolve(records, text) if r.billing_unit is not None]
    found = dictionary.by_strength(found, dose, unit, term, text)
    return found, None if found else route_note(records, text, term) or None


__all__ = ["narrowed"]
