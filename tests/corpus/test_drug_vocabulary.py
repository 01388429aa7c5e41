"""Issue 17: the drug dictionary as a closed vocabulary. A substance is a name the dictionary knows: the generic names
of the public HCPCS descriptors (with and without their salt), the sourced brand/abbreviation table, one-edit typos
of names of five letters or more; typed qualifiers (oral, a product's own code) choose among a name's codes."""

from __future__ import annotations

import pytest

from assistant.corpus.drug_names import DRUG_NAMES
from assistant.corpus.drugs import DrugDictionary, narrow
from assistant.corpus.records import BillingUnit, CodeRecord


def _drug(code: str, descriptor: str, terms: tuple[str, ...] = ()) -> CodeRecord:
    """A drug record as the HCPCS import makes it: the public descriptor, no curated names unless given."""
    return CodeRecord(code=code, system="HCPCS", family="drugs", title=f"drug {code}",
                      description=f"A drug code {code} for tests.", lay_terms=list(terms),
                      billing_unit=BillingUnit(quantity=1, unit="mg"), official_descriptor=descriptor)


RECORDS = [
    _drug("J9040", "Injection, bleomycin sulfate, 15 units"),
    _drug("J9370", "Vincristine sulfate, 1 mg"),
    _drug("J2765", "Injection, metoclopramide hcl, up to 10 mg"),
    _drug("J2405", "Injection, ondansetron hydrochloride, per 1 mg", ("zofran", "ondansetron")),
    _drug("Q0162", "Ondansetron 1 mg, oral, fda approved prescription anti-emetic"),
    _drug("J9260", "Injection, methotrexate sodium, 50 mg"),
    _drug("J9255", "Injection, methotrexate (accord), not therapeutically equivalent to j9260, 50 mg"),
    _drug("J8610", "Methotrexate; oral, 2.5 mg", ("methotrexate",)),  # the crosswalk's drug name, as imported
    _drug("J9074", "Injection, cyclophosphamide (sandoz), 5 mg"),
    _drug("J9075", "Injection, cyclophosphamide, not otherwise specified, 5 mg"),
    _drug("J1956", "Injection, levofloxacin, 250 mg"),
]


@pytest.fixture(scope="module")
def dictionary() -> DrugDictionary:
    return DrugDictionary(RECORDS)


def _found(dictionary: DrugDictionary, text: str, words: str = "") -> list[list[str]]:
    return [[r.code for r in dictionary.resolve(m.candidates, words or text)] for m in dictionary.find(text)]


# (id, text, the codes each drug mention resolves to)
KNOWN = [
    ("generic-without-salt", "bleomycin 15 units IVP", [["J9040"]]),
    ("generic-without-salt-2", "vincristine 2 mg IVP", [["J9370"]]),
    ("brand-from-sourced-table", "reglan 10mg IVP", [["J2765"]]),
    ("brand-to-generic-levaquin", "levaquin 750 mg IVPB", [["J1956"]]),
    ("brand-of-a-generic-with-product-codes", "cytoxan 1000 mg IV", [["J9075"]]),
    ("typo-one-letter-dropped", "zofrn 4mg IVP", [["J2405"]]),
    ("typo-two-letters-swapped", "zofarn 4 mg IVP", [["J2405"]]),
    ("injectable-when-no-oral-word", "ondansetron 4 mg IVP", [["J2405"]]),
    ("oral-when-oral-typed", "ondansetron 8 mg PO", [["Q0162"]]),
    ("generic-code-not-a-makers-own", "methotrexate 25 mg SC", [["J9260"]]),
    ("a-makers-code-when-the-maker-is-named", "methotrexate accord 50 mg", [["J9255"]]),
    ("the-oral-code-when-oral", "methotrexate 2.5 mg oral tablets", [["J8610"]]),
    ("product-code-when-the-product-is-named", "cyclophosphamide sandoz 500 mg", [["J9074"]]),
]


@pytest.mark.parametrize(("text", "expected"), [r[1:] for r in KNOWN], ids=[r[0] for r in KNOWN])
def test_names_coders_type_resolve_to_their_code(dictionary: DrugDictionary, text: str,
                                                 expected: list[list[str]]) -> None:
    assert _found(dictionary, text) == expected


# Words that stand where a drug would and are not drugs (both sides: the same slot with a real drug is above).
FILLERS = ["line", "center", "later", "units", "then", "pump", "bag", "port", "than", "fluids", "hours", "after",
           "again", "total", "started", "medicare", "office", "patient", "same", "infusion", "saline", "flush"]


@pytest.mark.parametrize("word", FILLERS)
def test_filler_words_are_never_drugs(dictionary: DrugDictionary, word: str) -> None:
    assert dictionary.find(f"{word} 4 mg IVP") == []
    assert dictionary.typo(word) is None


@pytest.mark.parametrize(("typed", "name"), [("zofrn", "zofran"), ("vincristin", "vincristine"),
                                             ("bleomicin", "bleomycin")])
def test_a_typo_says_which_name_it_was_read_as(dictionary: DrugDictionary, typed: str, name: str) -> None:
    mentions = dictionary.find(f"{typed} 2 mg")
    assert len(mentions) == 1
    assert mentions[0].typo_of == name
    assert mentions[0].surface == typed


@pytest.mark.parametrize("typed", ["zof", "regl", "zofrnnn", "xyzabc"])
def test_short_or_far_words_are_not_typos(dictionary: DrugDictionary, typed: str) -> None:
    assert dictionary.find(f"{typed} 4 mg") == []


def test_narrow_keeps_every_candidate_when_nothing_chooses() -> None:
    two_generics = [RECORDS[0], RECORDS[1]]
    assert narrow(two_generics, "") == two_generics


def test_every_brand_row_names_a_source_and_a_generic() -> None:
    assert DRUG_NAMES
    for row in DRUG_NAMES:
        assert row.names and row.generic and row.source, row


def test_a_brand_whose_generic_is_not_loaded_adds_nothing() -> None:
    empty = DrugDictionary([_drug("J2765", "Injection, metoclopramide hcl, up to 10 mg")])
    assert empty.find("zometa 4 mg") == []
    assert [m.surface for m in empty.find("reglan 10 mg")] == ["reglan"]
