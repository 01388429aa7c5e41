"""A drug named by its generic, its ester or its brand, with the route stated, through `Assistant.ask` with the real
CMS files imported (corpus/drug_forms.py chooses; tests/corpus/test_drug_forms.py has the table on its own).

Both sides: IM vs nebulized triamcinolone, the molecule vs an ester named, an oral-only drug asked IM (said, never
coded with another route's code) vs asked PO, a curated name whose codes the route rules out (the dictionary's oral
code then), budesonide nebulized. Counts: J3301 is per 10 mg (HCPCS descriptor, ASP file), rounded up (100-04
Ch. 17 s. 10): 40 mg is 4 units, 45 mg is 5.
"""

from __future__ import annotations

import pytest

from assistant.chat.assistant import Assistant


def _lines(answer) -> dict[str, int]:
    return {line.code: line.units for line in answer.codes if line.units}


CODED = [
    pytest.param("triamcinolone 40 mg IM", {"96372": 1, "J3301": 4}, id="generic-im-is-the-nos-code"),
    pytest.param("triamcinolone 45 mg IM", {"96372": 1, "J3301": 5}, id="rounded-up"),
    pytest.param("triamcinolone acetonide 40 mg IM", {"96372": 1, "J3301": 4}, id="acetonide-im"),
    pytest.param("kenalog 40 mg IM", {"96372": 1, "J3301": 4}, id="brand-im"),
    pytest.param("triamcinolone hexacetonide 20 mg intra-articular", {"J3303": 4}, id="a-named-ester-keeps-its-code"),
    pytest.param("budesonide 0.5 mg neb", {"J7626": 1}, id="budesonide-nebulized"),
    pytest.param("ondansetron 8 mg PO", {"Q0162": 8}, id="curated-name-taken-orally"),
    pytest.param("ondansetron 4 mg IVP", {"96374": 1, "J2405": 4}, id="curated-name-by-injection"),
    pytest.param("zofran 8 mg PO", {"Q0162": 8}, id="brand-taken-orally"),
    pytest.param("capecitabine 500 mg PO", {"J8522": 10}, id="oral-drug-taken-orally"),
    # The crosswalk names only Sustol (J1627, extended-release) "granisetron"; the plain code is J1626 (100 mcg).
    pytest.param("granisetron 1 mg IV", {"J1626": 10}, id="extended-release-not-named"),
    # Brands of drug_names.py whose generic the CMS files name (billing units from the HCPCS descriptors, ASP file).
    pytest.param("merrem 1 g IV", {"J2185": 10}, id="brand-merrem-per-100-mg"),
    pytest.param("invanz 1 g IV", {"J1335": 2}, id="brand-invanz-per-500-mg"),
    pytest.param("leukine 250 mcg subq", {"96372": 1, "J2820": 5}, id="brand-leukine-per-50-mcg"),
    pytest.param("granix 300 mcg subq", {"96372": 1, "J1447": 300}, id="brand-granix-tbo-filgrastim"),
    pytest.param("vistaril 50 mg IM", {"96372": 1, "J3410": 2}, id="brand-vistaril-im-up-to-25-mg"),
]


@pytest.mark.parametrize(("question", "expected"), CODED)
def test_the_route_and_the_form_choose_the_code(drugs_imported: Assistant, question: str,
                                                expected: dict[str, int]) -> None:
    answer = drugs_imported.ask(question, payer="medicare")
    assert _lines(answer) == expected, answer.answer


SAID = [
    # (question, the codes never reported, words the answer says)
    pytest.param("capecitabine 500 mg IM", {"J8522"}, ("J8522", "oral"), id="oral-only-drug-asked-im"),
    pytest.param("dronabinol 5 mg IM", {"Q0167"}, ("Q0167", "oral"), id="oral-antiemetic-asked-im"),
    pytest.param("ketorolac 10 mg PO", {"J1885"}, ("J1885", "oral"), id="injection-only-drug-asked-po"),
    pytest.param("budesonide 0.5 mg IM", {"J7626", "J7627"}, ("J7626", "injection"), id="nebulizer-drug-asked-im"),
]


@pytest.mark.parametrize(("question", "never", "said"), SAID)
def test_a_route_no_code_has_is_said_never_coded(drugs_imported: Assistant, question: str, never: set[str],
                                                 said: tuple[str, ...]) -> None:
    answer = drugs_imported.ask(question, payer="medicare")
    assert not never & set(_lines(answer)), answer.answer
    assert _lines(answer) == {}, answer.answer  # asked: nothing billed until the route or product is said
    assert said and all(word in answer.answer for word in said), answer.answer


def test_nebulized_triamcinolone_is_never_the_injection(drugs_imported: Assistant) -> None:
    answer = drugs_imported.ask("triamcinolone 2 mg neb", payer="medicare")
    assert not {"J3300", "J3301", "J3302", "J3303", "J3304", "96372"} & set(_lines(answer)), answer.answer
