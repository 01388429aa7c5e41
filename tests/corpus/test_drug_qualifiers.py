"""Issue 17: typed qualifiers choose among a drug's codes, from the public HCPCS descriptors (drug_qualifiers.py).
Both sides of each: ESRD vs non-ESRD vs neither (asked), the dose's unit kind, oral vs IV, a product named or not.
The records here quote the HCPCS October 2025 descriptors; tests/chat/test_chat_visits.py asks the same through
the imported CMS files."""

from __future__ import annotations

import pytest

from assistant.corpus.drug_qualifiers import (
    by_dose_kind,
    by_indication,
    indication,
    narrow,
    qualifier_hint,
    typed_indication,
)
from assistant.corpus.drugs import DrugDictionary
from assistant.corpus.records import BillingUnit, CodeRecord


def _drug(code: str, descriptor: str, quantity: float, unit: str, terms: tuple[str, ...] = ()) -> CodeRecord:
    return CodeRecord(code=code, system="HCPCS", family="drugs", title=f"drug {code}",
                      description=f"A drug code {code} for tests.", lay_terms=list(terms),
                      billing_unit=BillingUnit(quantity=quantity, unit=unit), official_descriptor=descriptor)


J0885 = _drug("J0885", "Injection, epoetin alfa, (for non-esrd use), 1000 units", 1000, "units", ("procrit",))
Q4081 = _drug("Q4081", "Injection, epoetin alfa, 100 units (for esrd on dialysis)", 100, "units", ("procrit",))
J0887 = _drug("J0887", "Injection, epoetin beta, 1 microgram, (for esrd on dialysis)", 1, "mcg")
J0888 = _drug("J0888", "Injection, epoetin beta, 1 microgram, (for non esrd use)", 1, "mcg")
J0881 = _drug("J0881", "Injection, darbepoetin alfa, 1 microgram (non-esrd use)", 1, "mcg", ("aranesp",))
J0882 = _drug("J0882", "Injection, darbepoetin alfa, 1 microgram (for esrd on dialysis)", 1, "mcg", ("aranesp",))
J0883 = _drug("J0883", "Injection, argatroban, 1 mg (for non-esrd use)", 1, "mg")
J0884 = _drug("J0884", "Injection, argatroban, 1 mg (for esrd on dialysis)", 1, "mg")
J0891 = _drug("J0891", "Injection, argatroban (accord), not therapeutically equivalent to j0883, 1 mg (for non-esrd "
              "use)", 1, "mg")
J0163 = _drug("J0163", "Injection, epinephrine in sodium chloride (endo), 0.1 mg", 0.1, "mg")
J0165 = _drug("J0165", "Injection, epinephrine, not otherwise specified, 0.1 mg", 0.1, "mg")
J0169 = _drug("J0169", "Injection, epinephrine (adrenalin), not therapeutically equivalent to j0165, 0.1 mg", 0.1, "mg")
J1453 = _drug("J1453", "Injection, fosaprepitant, 1 mg", 1, "mg", ("emend",))
J8501 = _drug("J8501", "Aprepitant, oral, 5 mg", 5, "mg", ("emend",))
J1644 = _drug("J1644", "Injection, heparin sodium, per 1000 units", 1000, "units")
J1642 = _drug("J1642", "Injection, heparin sodium, (heparin lock flush), per 10 units", 10, "units")

J0738 = _drug("J0738", "Injection, lenacapavir, 1 mg, fda approved prescription, only for use as hiv pre-exposure "
              "prophylaxis (not for use as treatment for hiv)", 1, "mg")
J1961 = _drug("J1961", "Injection, lenacapavir (only for use as hiv treatment), 1 mg", 1, "mg")
EPOETIN = [J0885, Q4081]
DARBEPOETIN = [J0881, J0882]


@pytest.mark.parametrize(("record", "expected"), [
    pytest.param(J0885, "non_esrd", id="for-non-esrd-use"), pytest.param(Q4081, "esrd", id="for-esrd-on-dialysis"),
    pytest.param(J0888, "non_esrd", id="non-esrd-with-a-space"), pytest.param(J0881, "non_esrd", id="non-esrd-use"),
    pytest.param(J1453, None, id="no-indication"), pytest.param(J0738, "hiv_prep", id="hiv-prep"),
    pytest.param(J1961, "hiv_treatment", id="hiv-treatment"),
])
def test_the_descriptor_names_the_indication(record: CodeRecord, expected: str | None) -> None:
    assert indication(record) == expected


@pytest.mark.parametrize(("words", "expected"), [
    pytest.param("epoetin 20,000 units non-ESRD", "non_esrd", id="non-esrd"),
    pytest.param("aranesp 60 mcg, pt not on dialysis", "non_esrd", id="not-on-dialysis"),
    pytest.param("procrit 10000 units nonesrd", "non_esrd", id="nonesrd"),
    pytest.param("aranesp 60 mcg for ESRD pt", "esrd", id="esrd"),
    pytest.param("epogen 4000 units, end-stage renal disease on HD", "esrd", id="end-stage-renal"),
    pytest.param("epogen 4000 units at dialysis", None, id="dialysis-alone-does-not-decide"),
    pytest.param("procrit 20000 units", None, id="nothing-typed"),
    pytest.param("non-ESRD per note but ESRD per problem list", None, id="both-typed-is-asked"),
])
def test_what_the_coder_typed(words: str, expected: str | None) -> None:
    assert typed_indication(words) == expected


QUALIFIED = [
    # ESRD vs non-ESRD vs neither (asked: every code kept).
    pytest.param(EPOETIN, "procrit 20,000 units non-ESRD", ["J0885"], id="epoetin-non-esrd"),
    pytest.param(EPOETIN, "procrit 20,000 units ESRD on dialysis", ["Q4081"], id="epoetin-esrd"),
    pytest.param(EPOETIN, "procrit 20,000 units", ["J0885", "Q4081"], id="epoetin-neither-asked"),
    pytest.param(DARBEPOETIN, "aranesp 60 mcg not on dialysis", ["J0881"], id="darbepoetin-non-esrd"),
    pytest.param(DARBEPOETIN, "aranesp 60 mcg esrd", ["J0882"], id="darbepoetin-esrd"),
    pytest.param(DARBEPOETIN, "aranesp 60 mcg", ["J0881", "J0882"], id="darbepoetin-neither-asked"),
    # A maker's own code stays out unless named; then the indication decides among the generic codes.
    pytest.param([J0883, J0884, J0891], "argatroban 50 mg non-esrd", ["J0883"], id="argatroban-generic-non-esrd"),
    pytest.param([J0883, J0884, J0891], "argatroban accord 50 mg non-esrd", ["J0891"], id="argatroban-accord"),
    # Every code is one product's: the product named keeps its code; beside the generic code, none named is it.
    pytest.param([J0163, J0169], "adrenalin 1 mg IM", ["J0169"], id="product-named-among-products"),
    pytest.param([J0163, J0165, J0169], "epinephrine 1 mg IM", ["J0165"], id="no-product-named-generic"),
    # HIV pre-exposure prophylaxis vs treatment (lenacapavir).
    pytest.param([J0738, J1961], "lenacapavir 927 mg SQ for PrEP", ["J0738"], id="lenacapavir-prep"),
    pytest.param([J0738, J1961], "lenacapavir 927 mg SQ, HIV treatment", ["J1961"], id="lenacapavir-treatment"),
    pytest.param([J0738, J1961], "lenacapavir 927 mg SQ", ["J0738", "J1961"], id="lenacapavir-neither-asked"),
    # Oral vs IV.
    pytest.param([J1453, J8501], "emend IV 150 mg", ["J1453"], id="emend-iv-is-fosaprepitant"),
    pytest.param([J1453, J8501], "emend 125 mg PO", ["J8501"], id="emend-po-is-oral-aprepitant"),
    # The drug's own name is not a product qualifier ("heparin (heparin lock flush)").
    pytest.param([J1644, J1642], "heparin 5000 units SC", ["J1644"], id="heparin-is-not-lock-flush"),
    pytest.param([J1644, J1642], "heparin lock flush 500 units", ["J1642"], id="lock-flush-named"),
]


@pytest.mark.parametrize(("candidates", "words", "expected"), QUALIFIED)
def test_typed_qualifiers_choose(candidates: list[CodeRecord], words: str, expected: list[str]) -> None:
    assert [r.code for r in narrow(candidates, words)] == expected


def test_the_indication_alone_leaves_codes_without_one() -> None:
    assert by_indication([J1453, J8501], "non-esrd") == [J1453, J8501]
    assert by_indication([J0885], "esrd") == [J0885]  # one code: nothing to choose


@pytest.mark.parametrize(("unit", "expected"), [
    pytest.param("units", ["J0885", "Q4081"], id="units-is-epoetin-alfa"),
    pytest.param("mcg", ["J0887", "J0888"], id="mcg-is-epoetin-beta"),
    pytest.param("mL", ["J0885", "Q4081", "J0887", "J0888"], id="no-code-in-ml-keeps-all"),
    pytest.param("furlongs", ["J0885", "Q4081", "J0887", "J0888"], id="unknown-unit-keeps-all"),
])
def test_the_dose_unit_kind(unit: str, expected: list[str]) -> None:
    assert [r.code for r in by_dose_kind([J0885, Q4081, J0887, J0888], unit)] == expected


def test_the_question_names_the_word_that_decides() -> None:
    hint = qualifier_hint(EPOETIN)
    assert "non-ESRD" in hint and "J0885" in hint and "Q4081" in hint
    assert "oral" in qualifier_hint([J1453, J8501]) and "J8501" in qualifier_hint([J1453, J8501])
    assert qualifier_hint([J0883, J0891]) == ""  # nothing typed would decide: no hint
    assert "PrEP" in qualifier_hint([J0738, J1961])


def test_epoetin_is_typed_for_both_and_the_unit_and_indication_choose() -> None:
    dictionary = DrugDictionary([J0885, Q4081, J0887, J0888])
    (mention,) = dictionary.find("epoetin 20,000 units non-ESRD")
    assert {r.code for r in mention.candidates} == {"J0885", "Q4081", "J0887", "J0888"}
    words = "epoetin 20,000 units non-ESRD"
    chosen = dictionary.by_strength(dictionary.resolve(mention.candidates, words), 20000, "units", "epoetin", words)
    assert [r.code for r in chosen] == ["J0885"]
    asked = dictionary.by_strength(dictionary.resolve(mention.candidates, "epoetin 20,000 units"), 20000, "units",
                                   "epoetin", "epoetin 20,000 units")
    assert sorted(r.code for r in asked) == ["J0885", "Q4081"]
