"""Drug questions through `Assistant.ask` with the real CMS files imported into a private data directory (issue 12
item 2): brand and generic names, billing units, weight-based doses, several drugs, JW/JZ.

The reader (assistant/chat/reading) passes the new pieces through (mg/kg with the weight, one line per drug, vial
sizes); the dictionary and the arithmetic they need are tested in tests/corpus/test_drugs.py and
tests/units/test_drug_units.py.
"""

from __future__ import annotations

import pytest

from assistant.chat.assistant import Assistant


@pytest.fixture(scope="module")
def real(drugs_imported: Assistant) -> Assistant:
    return drugs_imported


def _lines(answer) -> dict[str, int]:
    return {line.code: line.units for line in answer.codes if line.units}


# The examples of issue 12 (all refused or wrong before): one drug, its code, its units.
EXAMPLES = [
    pytest.param("keytruda 200 mg", {"J9271": 200}, id="keytruda"),
    pytest.param("privigen 40 g", {"J1459": 80}, id="privigen"),
    pytest.param("kenalog 40 mg", {"J3301": 4}, id="kenalog"),
    pytest.param("Depo-Provera 150 mg", {"J1050": 150}, id="depo-provera"),
    pytest.param("solu-medrol 125 mg", {"J2919": 25}, id="solu-medrol"),
    pytest.param("heparin 5000 units", {"J1644": 5}, id="heparin"),
    pytest.param("depo-medrol 80 mg", {"J1010": 80}, id="depo-medrol-is-J1010-not-J1040"),
    pytest.param("remicade 500 mg units", {"J1745": 50}, id="remicade"),
    pytest.param("rituxan 700 mg how many units", {"J9312": 70}, id="rituxan"),
]


@pytest.mark.parametrize(("question", "expected"), EXAMPLES)
def test_issue_examples(real: Assistant, question: str, expected: dict[str, int]):
    answer = real.ask(question, payer="medicare")
    assert answer.route == "units", answer.answer
    assert _lines(answer) == expected


READER_ROWS = [
    pytest.param("infliximab 5 mg/kg, 82 kg", {"J1745": 41}, id="mg-per-kg"),
    pytest.param("paclitaxel 175 mg/m2, BSA 1.8", {"J9267": 315}, id="mg-per-m2"),
    # 1 g/kg x 70 kg = 70 g = 140 units of J1561 (500 mg each); read as "1 g" it had been x2.
    pytest.param("gamunex 1 g/kg, 70 kg", {"J1561": 140}, id="grams-per-kg"),
    pytest.param("gamunex 1 gm per kg, 70 kg", {"J1561": 140}, id="grams-per-kg-in-words"),
    # corpus/drug_names.py: HUMIRA is adalimumab (FDA label); J0135 (20 mg) ended 2024-12-31, J0139 is per 1 mg.
    pytest.param("humira 40 mg", {"J0139": 40}, id="brand-from-the-sourced-table"),
    # Issue 10's row: two pushes of different drugs are 96374 + 96375 beside each drug's own line.
    pytest.param("zofran 4 mg IVP and toradol 30 mg IVP", {"96374": 1, "96375": 1, "J2405": 4, "J1885": 2},
                 id="two-drugs"),
    pytest.param("keytruda 200 mg and privigen 40 g", {"J9271": 200, "J1459": 80}, id="two-drugs-by-brand"),
    # corpus.drugs.find reads the NDC as Keytruda (tests/corpus/test_drugs.py); the router's find_drug must use it
    pytest.param("NDC 00006-3026-02 200 mg", {"J9271": 200}, id="ndc-with-dose"),
]


# JW/JZ (100-04 Ch 17 s40; MM13056): the arithmetic is units/drugs.py waste_lines; the lines need the router to
# pass the vial size (typed, or corpus.drugs.container_amounts) and to show the modifier on the line.
WASTE_ROWS = [
    pytest.param("keytruda 150 mg from two 100 mg single-dose vials, medicare", ("J9271", 150, "JW", 50),
                 id="jw-line-for-50-mg"),
    pytest.param("infliximab 400 mg from four 100 mg vials, medicare", ("J1745", 40, "JZ", 0), id="jz-nothing-wasted"),
]


@pytest.mark.parametrize(("question", "expected"), WASTE_ROWS)
def test_waste_rows_for_the_reader(real: Assistant, question: str, expected: tuple[str, int, str, int]):
    code, units, modifier, wasted = expected
    answer = real.ask(question, payer="medicare")
    shown = modifier in answer.answer and (not wasted or f"{code}-JW" in answer.answer or "JW x" in answer.answer)
    assert shown, answer.answer
    assert _lines(answer).get(code) == units


@pytest.mark.parametrize(("question", "expected"), READER_ROWS)
def test_rows_for_the_reader(real: Assistant, question: str, expected: dict[str, int]):
    answer = real.ask(question, payer="medicare")
    assert _lines(answer) == expected, answer.answer


def test_a_terminated_code_is_never_counted(real: Assistant):
    for question in ("depo-medrol 80 mg", "methylprednisolone acetate 80 mg", "solu-medrol 125 mg"):
        answer = real.ask(question)
        assert not {"J1040", "J1030", "J1020", "J2930"} & set(_lines(answer)), question


def test_names_shared_by_codes_are_asked_not_guessed(real: Assistant):
    # Lupron Depot is J1950 (per 3.75 mg) or J9217 (per 7.5 mg) in the crosswalk; our corpus names "Lupron Depot" as
    # a lay term of J9217 only (the 22.5 mg depot is the prostate cancer product), so the words pick one code and
    # the dose gives its units: 22.5 mg / 7.5 mg = 3. A second code carrying the same words would be asked instead
    # (tests/chat: normal saline).
    answer = real.ask("lupron depot 22.5 mg")
    assert _lines(answer) == {"J9217": 3}, answer.answer


def test_ndc_lookup_gives_the_billing_quantity(real: Assistant):
    answer = real.ask("NDC 0006-3026-02")
    assert answer.route == "lookup"
    assert [line.code for line in answer.codes] == ["J9271"]
    assert "**100 billing units**" in answer.answer


def test_jw_question_reaches_the_modifier(real: Assistant):
    answer = real.ask("what does JW mean")
    assert answer.route == "lookup" and answer.codes[0].code == "JW"
    assert "single-dose" in answer.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # rules.md "One brand, several codes": the crosswalk gives Lupron Depot to J1950 (per 3.75 mg, non-cancer
        # use, 96372) and J9217 (per 7.5 mg, cancer, 96402); the strength given decides when only one code's
        # containers hold it (crosswalk bill units per package), else the product is asked.
        pytest.param("lupron depot 3.75 mg IM for endometriosis", {"96372": 1, "J1950": 1}, id="3.75-is-J1950"),
        pytest.param("lupron depot 22.5 mg IM", {"96402": 1, "J9217": 3}, id="22.5-is-J9217"),
        pytest.param("lupron depot 3.75 mg", {"J1950": 1}, id="3.75-drug-line-only"),
        pytest.param("lupron depot 7.5 mg IM", {}, id="7.5-fits-both-asked"),
    ],
)
def test_a_brand_with_several_codes_is_narrowed_by_strength_or_asked(real: Assistant, question: str,
                                                                      expected: dict[str, int]):
    answer = real.ask(question)
    assert _lines(answer) == expected, answer.answer
    if not expected:
        assert "J1950" in answer.answer and "J9217" in answer.answer  # the question names both codes


def test_a_generic_name_is_never_narrowed_by_a_vial_size(real: Assistant):
    # "methylprednisolone" is the acetate (J1010) or the sodium succinate (J2919): 80 mg is drawn from any vial, so
    # the strength never picks the salt (the brand does: depo-medrol is J1010).
    asked = real.ask("methylprednisolone 80 mg IM how many units")
    assert _lines(asked) == {} and "J1010" in asked.answer and "J2919" in asked.answer
    assert _lines(real.ask("depo-medrol 80 mg IM")) == {"96372": 1, "J1010": 80}
