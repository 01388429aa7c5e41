"""Issue 17: read visits the way coders type them. Rows per class, both sides (a real drug in a drug slot vs a filler
word in the same slot), and the properties: no substance outside the dictionary unless it stands in a drug slot,
conservation (every administration read is a row of the visit table), a filler word never changes the billable
lines, "same drug" never gives 96375.

Expected lines come from the rules (../shared/notes/rules.md and encounters.md), with the bundled corpus only.
"""

from __future__ import annotations

import re

import pytest

from assistant.chat.reading.services import read_services
from assistant.contract import Answer


def lines_of(answer: Answer) -> dict[str, int]:
    return {line.code: line.units for line in answer.codes if line.units}


# --- class 1: words that are not drugs never become drugs ------------------------------------------------------

# (id, question, setting, expected lines) — CPT 96413/96415, 96361, 96374/96375 (rules.md 2-4; encounters.md)
FILLER_ROWS = [
    # 90 minutes of chemo is 96413 alone: 96415 needs more than 30 minutes past the first hour (rules.md 3).
    ("chemo-then-hydration-at-the-center", "chemo 90 min then hydration 1 hr at the infusion center", None,
     {"96413": 1, "96361": 1}),
    ("push-on-the-same-line", "ED: zofran IVP then toradol IVP on the same IV line", None,
     {"96374": 1, "96375": 1}),
    ("pro-fee-pt-here-for-abx", "pro fee, pt here for IV antibiotics 45 min", None, {"96365": 1}),
    ("ns-with-a-clock-range", "ED: NS 1015-1230", None, {"96360": 1, "96361": 1}),
]


@pytest.mark.parametrize(("question", "setting", "expected"), [r[1:] for r in FILLER_ROWS],
                         ids=[r[0] for r in FILLER_ROWS])
def test_filler_words_never_become_drugs(assistant, question: str, setting: str | None,
                                         expected: dict[str, int]) -> None:
    answer = assistant.ask(question, setting=setting)
    assert lines_of(answer) == expected
    for word in ("center", "line", "fee", "here"):
        assert f"Was {word}" not in answer.answer and f"'{word}'" not in answer.answer


# Both sides of one slot: "<X> 4 mg IVP" with a drug the dictionary knows, and with a word that is not a drug.
SLOT_ROWS = [
    ("drug-in-dose-slot", "zofran 4 mg IVP", "zofran"),
    ("unknown-word-in-dose-slot-is-typed-unknown", "xyzomab 4 mg IVP", "xyzomab"),
    ("drug-after-a-route", "IVP toradol", "toradol"),
    ("placeholder-after-drug", "IV infusion 60 min then drug B 45 min sequential", "b"),
]
NOT_SLOT_ROWS = [
    ("filler-after-a-time", "IV push, then another 30 min later at the center"),
    ("filler-before-a-duration", "hydration 1 hr at the infusion center"),
    ("filler-line", "NS 60 min on the main line"),
    ("filler-than", "IV push same drug repeated more than 30 min later"),
]


@pytest.mark.parametrize(("question", "drug"), [r[1:] for r in SLOT_ROWS], ids=[r[0] for r in SLOT_ROWS])
def test_a_word_in_a_drug_slot_is_the_substance(assistant, question: str, drug: str) -> None:
    services = assistant.router.services(_parsed(question))
    drugs = [s.drug.casefold() for s in services if s.drug]
    assert drugs
    assert drugs[-1] == drug


@pytest.mark.parametrize("question", [r[1] for r in NOT_SLOT_ROWS], ids=[r[0] for r in NOT_SLOT_ROWS])
def test_a_word_outside_a_drug_slot_is_context(assistant, question: str) -> None:
    services = assistant.router.services(_parsed(question))
    assert services
    assert all(s.drug is None or s.drug.casefold() in ("ns",) for s in services), services


def _parsed(question: str):
    from assistant.chat.parse import parse_question

    return parse_question(question)


# --- class 3: pushes and repeats --------------------------------------------------------------------------------

# CPT 96374 initial push, +96375 each new drug, +96376 same drug more than 30 minutes later, facility only
# (encounters.md A5; AAPC "Skip 96376 on physician claim").
PUSH_ROWS = [
    ("three-pushes-no-times", "IVP toradol, IVP zofran, IVP morphine, ED", {"96374": 1, "96375": 2}),
    ("same-drug-listed-times-facility", "HOPD: toradol IVP at 0900, 0945 and 1030", {"96374": 1, "96376": 2}),
    ("same-drug-again-20-min-facility", "ED: zofran IVP 0800, zofran IVP again at 0820", {"96374": 1}),
    ("same-drug-again-office", "office: zofran IVP 1000 and again 1045", {"96374": 1}),
    ("same-drug-gap-after-that", "ED: toradol IVP, then 40 min after that another toradol IVP",
     {"96374": 1, "96376": 1}),
    ("more-than-30-later", "ED: zofran IVP, then zofran IVP again more than 30 min later", {"96374": 1, "96376": 1}),
]


@pytest.mark.parametrize(("question", "expected"), [r[1:] for r in PUSH_ROWS], ids=[r[0] for r in PUSH_ROWS])
def test_push_visits(assistant, question: str, expected: dict[str, int]) -> None:
    answer = assistant.ask(question)
    assert answer.route == "units"
    assert lines_of(answer) == expected


@pytest.mark.parametrize("question", [
    "ED: zofran IVP 0800 then same drug IVP again 0900",
    "HOPD: morphine IVP at 1400, same drug IVP again 1500",
    "ED: zofran IVP, then same drug again 45 min later",
    "facility: toradol IVP 0900 and again 0910",
])
def test_same_drug_never_gives_96375(assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.codes
    assert "96375" not in lines_of(answer)


# --- class 5: lines under a confident first line (conservation) ------------------------------------------------

# A drug dose with its administration gives both lines; an SC/IM dose with no time is an injection (96372; 96401
# non-hormonal / 96402 hormonal antineoplastic: codingahead 96401/96402, encounters.md A7); a typed E/M code stays.
CONSERVATION_ROWS = [
    ("medroxyprogesterone-im", "depo-provera 150 mg IM", {"96372": 1, "J1050": 150}),
    ("bortezomib-sc-non-hormonal", "velcade 2.6 mg SC", {"96401": 1, "J9041": 26}),
    ("leuprolide-im-hormonal", "lupron depot 22.5 mg IM", {"96402": 1, "J9217": 3}),
    ("two-im-injections-listed", "2 IM injections: B12 1000 mcg and toradol 60 mg",
     {"96372": 2, "J3420": 1, "J1885": 4}),
    ("em-with-hydration", "99214 + NS 1 hr 15 min for dehydration, office", {"99214": 1, "96360": 1}),
    ("em-with-psychotherapy", "99213 plus psychotherapy 30 min", {"99213": 1, "90833": 1}),
]


@pytest.mark.parametrize(("question", "expected"), [r[1:] for r in CONSERVATION_ROWS],
                         ids=[r[0] for r in CONSERVATION_ROWS])
def test_every_service_read_is_on_the_claim(assistant, question: str, expected: dict[str, int]) -> None:
    assert lines_of(assistant.ask(question)) == expected


def test_the_visit_table_holds_exactly_the_administrations_read(assistant) -> None:
    question = "ED: NS 0900-1100, zofran 4 mg IVP 0905, toradol IVP 0915, rocephin 1 g IVPB 0930-1000"
    services = [s for s in assistant.router.services(_parsed(question)) if s.family]
    answer = assistant.ask(question)
    table = [line for line in answer.answer.splitlines() if re.match(r"\| \d{1,2} \| ", line)]
    assert len(services) == 4
    assert len(table) == len(services)


# --- properties ----------------------------------------------------------------------------------------------------

VISITS = [
    "ED: zofran 4 mg IVP, toradol 30 mg IVP",
    "chemo 2 hrs then hydration 1 hr",
    "depo-provera 150 mg IM",
    "facility: NS 0900-1000, rocephin 1 g IVPB 0915-0945",
    "keytruda 200 mg IV over 30 min",
]
FILLER_PHRASES = ["pt here today", "on the main line", "at the infusion center", "per the MAR", "please"]


@pytest.mark.parametrize("filler", FILLER_PHRASES)
@pytest.mark.parametrize("question", VISITS)
def test_a_filler_phrase_never_changes_the_billable_lines(assistant, question: str, filler: str) -> None:
    plain = lines_of(assistant.ask(question))
    assert plain
    assert lines_of(assistant.ask(f"{question}, {filler}")) == plain


WORDS = ["line", "center", "port", "bag", "pump", "then", "than", "later", "fee", "here", "after", "main", "mar",
         "chart", "nurse", "room"]


@pytest.mark.parametrize("word", WORDS)
def test_no_substance_outside_the_dictionary_unless_in_a_drug_slot(assistant, word: str) -> None:
    # The word stands beside a time, never before a dose or route: it must not be read as a drug.
    for question in (f"IV infusion 60 min {word}", f"hydration 90 min {word} facility", f"IV push {word} 20 min later"):
        services = read_services(question, assistant.router.find_drugs)
        assert services
        assert all(word not in (s.drug or "").casefold().split() for s in services), (question, services)


# --- class 7: follow-ups -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "merged"), [
    ("keytruda 200 mg", False),                      # its own drug and dose: a new question
    ("solu-medrol 125 mg how many units", False),
    ("what about 3 hours?", True),                   # a follow-up cue
    ("and for medicare?", True),
    ("and 2 g", True),                               # says it adds to the last one
])
def test_a_turn_naming_its_own_drug_is_a_new_question(question: str, merged: bool) -> None:
    from assistant.chat.parse import parse_conversation

    parsed = parse_conversation(["how do I code 2.5 hours subq"], question)
    assert bool(parsed.earlier_texts) is merged


def test_a_new_drug_turn_never_keeps_the_earlier_subq_time(assistant) -> None:
    answer = assistant.ask("keytruda 200 mg", history=[{"role": "user", "content": "subq 2.5 hours"}])
    assert lines_of(answer) == {"J9271": 200}


# --- class 2: a name several codes share is asked, never the first -----------------------------------------------

def test_a_name_of_several_codes_with_a_dose_is_asked(assistant) -> None:
    answer = assistant.ask("IVIG 40 g IV 0900-1300, office")
    assert lines_of(answer) == {}
    assert any("several drug codes" in w for w in answer.warnings)


# --- services named in words map to their codes (PT/OT, CPT code set titles; 8-minute rule, rules.md 8) -----------

@pytest.mark.parametrize(("question", "expected"), [
    ("ther ex 33 min and manual 97140 7 min, medicare", {"97110": 2, "97140": 1}),
    ("PT eval mod complexity + ther ex 1:1 25 min, medicare", {"97162": 1, "97110": 2}),
    ("OT eval low + ther act 20 min, medicare", {"97165": 1, "97530": 1}),
    ("neuro re-ed 24 min and ther ex 23 min, medicare", {"97112": 2, "97110": 1}),
])
def test_therapy_services_named_in_words(assistant, question: str, expected: dict[str, int]) -> None:
    assert lines_of(assistant.ask(question)) == expected


@pytest.mark.parametrize(("payer", "code"), [("medicare", "G0283"), ("cpt", "97014")])
def test_unattended_estim_named_in_words(assistant, payer: str, code: str) -> None:
    answer = assistant.ask("e-stim unattended + ther ex 30 min", payer=payer)
    assert lines_of(answer) == {code: 1, "97110": 2}
