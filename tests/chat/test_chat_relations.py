"""Issue 17 class 4: shared and carrier times, mixtures. The reader turns the words that relate two administrations
into typed relations (reading/relations.py); the encounter engine codes them (units/encounter/relations.py).

Both sides of each relation: "in one syringe" vs two separate pushes, "carrier fluid" vs hydration before the drug,
"concurrently on the same line" vs sequential, a flush beside a drug vs a flush alone. Expected lines come from the
rules (encounters.md A4, A5, A8, E14; rules.md 2-3), with the bundled corpus only; questions in our own words.
"""

from __future__ import annotations

import re

import pytest

from assistant.chat.encounter_route import code_structured
from assistant.chat.reading.relations import is_fluid
from assistant.chat.reading.services import Service, read_services
from assistant.contract import Answer
from assistant.units.encounter import Encounter

# A drug finder over a few names (the router's comes from the corpus): words -> administration category.
NAMES = {"zofran": "therapeutic", "dex": "therapeutic", "rocephin": "therapeutic", "vanco": "therapeutic",
         "leucovorin": "therapeutic", "toradol": "therapeutic", "gemzar": "chemotherapy", "taxol": "chemotherapy",
         "oxaliplatin": "chemotherapy", "carboplatin": "chemotherapy", "ns": "therapeutic"}
_NAME = re.compile(r"\b(?:" + "|".join(NAMES) + r")\b", re.IGNORECASE)


def finder(text: str) -> list[tuple[str, tuple[int, int], str | None]]:
    return [(m.group(0), m.span(), NAMES[m.group(0).lower()]) for m in _NAME.finditer(text)]


def relations(services: list[Service]) -> set[tuple[str, str, str]]:
    """(service, relation, other service) by drug words (or the words of a row with no drug)."""
    def name(s: Service) -> str:
        return (s.drug or s.words).lower()
    return {(name(s), r.kind, name(services[r.other])) for s in services for r in s.relations}


# (id, question, the relations read) — the left column of each pair has the relation, the right one does not.
READING_ROWS = [
    ("one-syringe", "dex 10 mg + zofran 4 mg in one syringe IVP", {("zofran", "mixed_with", "dex")}),
    ("two-pushes", "dex 10 mg IVP + zofran 4 mg IVP", set()),
    ("same-bag-time-after", "dex 12 mg and zofran 16 mg in the same bag 0800-0820", {("zofran", "mixed_with", "dex")}),
    ("carrier-for", "NS 1000-1030 used as the carrier for gemzar 1000-1030", {("ns", "carrier_of", "gemzar")}),
    ("hydration-then-drug", "NS 0900-1000 then gemzar 1000-1030", set()),
    ("fluid-as-carrier-after", "gemzar 1000-1030 with NS as the carrier", {("ns", "carrier_of", "gemzar")}),
    ("diluent", "zofran 8 mg over 20 min in 50 mL NS", {("ns", "carrier_of", "zofran")}),
    ("diluent-volume-after", "vanco 1 g 0900-1000 with NS 250 mL", {("ns", "carrier_of", "vanco")}),
    ("fluid-alone-is-hydration", "hydration in NS 0900-1000", set()),
    ("piggyback-reference", "NS 0800-1000, rocephin 1 g IVPB 0830-0900 piggybacked into the NS",
     {("rocephin", "piggybacked_into", "ns")}),
    ("piggyback-into-timed-fluid", "rocephin 1 g IVPB 0830-0900 piggybacked into NS 0800-1000",
     {("rocephin", "piggybacked_into", "ns")}),
    ("flushes", "port accessed, saline flush, taxol 0900-1200, heparin flush after",
     {("saline flush", "included_in", "taxol"), ("heparin flush", "included_in", "taxol"),
      ("port accessed", "included_in", "taxol")}),
    ("flush-alone-is-not-hidden", "port flush only today", set()),
    # Every flush solution of the one declaration (vocabulary.FLUSH_SOLUTIONS) names the flush whole.
    ("flush-solutions-of-the-vocabulary", "taxol 0900-1200, normal saline flush after, hep lock flush at the end",
     {("normal saline flush", "included_in", "taxol"), ("hep lock flush", "included_in", "taxol")}),
    ("concurrent-with", "oxaliplatin 0930-1130 with leucovorin running concurrently",
     {("leucovorin", "concurrent_with", "oxaliplatin")}),
    ("concurrently-with-named-first", "leucovorin concurrently with oxaliplatin 0930-1130",
     {("oxaliplatin", "concurrent_with", "leucovorin")}),
    ("y-site", "oxaliplatin + leucovorin via Y-site 0930-1130", {("leucovorin", "concurrent_with", "oxaliplatin")}),
    ("sequential", "oxaliplatin 0930-1130 then leucovorin 1130-1230", set()),
    ("placeholders-share-a-range", "drug A + drug B concurrent via Y-site 0800-1000", {("b", "concurrent_with", "a")}),
    ("drug-class-with-its-carrier", "abx 0900-0930 with NS as carrier", {("ns", "carrier_of", "abx")}),
    ("same-bag-as", "dex 12 mg in the same bag as the carboplatin 0900-1000", {("carboplatin", "mixed_with", "dex")}),
]


@pytest.mark.parametrize(("question", "expected"), [r[1:] for r in READING_ROWS], ids=[r[0] for r in READING_ROWS])
def test_the_words_that_relate_administrations_are_read_as_relations(question: str,
                                                                    expected: set[tuple[str, str, str]]) -> None:
    services = read_services(question, finder)
    assert services
    assert relations(services) == expected


@pytest.mark.parametrize("question", [
    "NS 0800-1000, rocephin 1 g IVPB 0830-0900 piggybacked into the NS",
    "zofran 8 mg over 20 min in 50 mL NS",
    "gemzar 1000-1030 with NS as the carrier",
    "vanco 1 g 0900-1000 with NS 250 mL",
])
def test_a_fluid_named_as_carrier_or_line_never_makes_a_drug_hydration(question: str) -> None:
    drugs = [s for s in read_services(question, finder) if s.drug and not is_fluid(s.drug)]
    assert drugs
    assert all(s.category in ("therapeutic", "chemotherapy") for s in drugs), drugs


def test_a_diluent_volume_is_never_the_drug_dose() -> None:
    (zofran,) = [s for s in read_services("zofran 8 mg over 20 min in 50 mL NS", finder) if s.drug == "zofran"]
    assert (zofran.dose, zofran.dose_unit, zofran.minutes) == (8.0, "mg", 20)


def test_a_drug_after_with_is_never_lost() -> None:
    # No word says how it ran: it is its own service (then asked), never folded into the first drug's words.
    services = read_services("oxaliplatin 0930-1130 with leucovorin", finder)
    assert [s.drug for s in services] == ["oxaliplatin", "leucovorin"]
    assert [s.drug for s in read_services("NS 1 L with KCl 20 mEq 0900-1000", finder)] == ["NS"]


# --- whole answers (bundled corpus) -----------------------------------------------------------------------------

def lines_of(answer: Answer) -> dict[str, int]:
    return {"-".join([line.code, *line.modifiers]): line.units for line in answer.codes if line.units}


# (id, question, expected lines) in pairs: with the relation, then the same visit without it.
ANSWER_ROWS = [
    ("mixed-in-one-syringe", "ED: zofran 4 mg + dex 10 mg drawn up in the same syringe, IV push",
     {"96374": 1, "J2405": 4, "J1100": 10}),
    ("two-syringes", "ED: zofran 4 mg IVP, then dex 10 mg IVP", {"96374": 1, "96375": 1, "J2405": 4, "J1100": 10}),
    ("premeds-in-one-bag", "office: dex 12 mg and zofran 8 mg in one bag 0830-0850, then taxol 0900-1200",
     {"96413": 1, "96415": 2, "96367": 1, "J1100": 12, "J2405": 8}),
    ("carrier-fluid", "office: NS 1300-1330 as carrier for gemzar 1300-1330", {"96413": 1}),
    ("hydration-before-drug", "office: NS 1200-1300 then gemzar 1300-1330", {"96413": 1, "96361": 1}),
    ("drug-in-its-diluent", "office: rocephin 1 g in 100 mL NS over 30 min", {"96365": 1, "J0696": 4}),
    ("concurrent-same-line", "office: oxaliplatin 1000-1200 with leucovorin running at the same time on the same "
     "line", {"96413": 1, "96415": 1, "96368": 1}),
    ("sequential-line", "office: oxaliplatin 1000-1200 then leucovorin 1200-1300", {"96413": 1, "96415": 1,
                                                                                  "96367": 1}),
    ("piggyback-into-ns", "ER: NS 1400-1500, rocephin 1 g IVPB 1410-1440 piggybacked into the NS",
     {"96365": 1, "J0696": 4}),
    # "on the same line as the NS" names the running fluid, never the drug's category (it had made rocephin
    # hydration: nothing billable).
    ("same-line-as-the-ns", "rocephin 1 g IVPB 0900-0930 on the same line as the NS", {"96365": 1, "J0696": 4}),
    ("same-line-as-timed-ns", "ED: NS 0900-1000, rocephin 1 g IVPB 0915-0945 on the same line as the NS",
     {"96365": 1, "J0696": 4}),
    ("via-the-ns-line", "rocephin 1 g IVPB 0900-0930 via the NS line", {"96365": 1, "J0696": 4}),
    ("thru-primary-ns-line", "rocephin 1 g IVPB 0900-0930 thru primary NS line", {"96365": 1, "J0696": 4}),
    ("ns-alone-stays-hydration", "NS 0900-1000 via the NS line", {"96360": 1}),
    # "separate lines" is two access sites or two lines of one access: the codes differ, so it is asked.
    ("separate-lines-asked", "ED: vanco 0900-1000 and rocephin 0900-0930 on separate lines", {}),
    ("one-line-concurrent", "ED: vanco 0900-1000 and rocephin 0900-0930 concurrently", {"96365": 1, "96368": 1}),
    ("flushes-with-chemo", "HOPD: port accessed and flushed, taxol 0900-1200, heparin flush at the end",
     {"96413": 1, "96415": 2}),
    ("kvo-with-a-drug", "ED: NS 0900-1100 at KVO with vanco 0930-1030", {"96365": 1}),
    ("placeholders-concurrent", "HOPD: drug A + drug B concurrent via Y-site 0800-1000",
     {"96365": 1, "96366": 1, "96368": 1}),
    ("placeholders-two-pushes", "ED: drug A and drug B IVP", {"96374": 1, "96375": 1}),
    ("flush-volume-is-not-a-dose", "HOPD: taxol 0900-1200, heparin flush 500 units after", {"96413": 1, "96415": 2}),
]


@pytest.mark.parametrize(("question", "expected"), [r[1:] for r in ANSWER_ROWS], ids=[r[0] for r in ANSWER_ROWS])
def test_relations_give_the_lines_the_rules_give(assistant, question: str, expected: dict[str, int]) -> None:
    answer = assistant.ask(question)
    assert answer.route == "units"
    assert lines_of(answer) == expected


@pytest.mark.parametrize(("question", "words"), [
    ("ED: zofran 4 mg + dex 10 mg drawn up in the same syringe, IV push", "one administration"),
    ("office: NS 1300-1330 as carrier for gemzar 1300-1330", "incidental, not hydration"),
    ("HOPD: port accessed and flushed, taxol 0900-1200, heparin flush at the end", "a flush is included"),
    ("HOPD: port accessed and flushed, taxol 0900-1200, heparin flush at the end", "port or line"),
])
def test_every_service_read_stays_in_the_answer_with_why_it_is_not_billed(assistant, question: str,
                                                                         words: str) -> None:
    assert words in assistant.ask(question).answer


def test_a_drug_with_no_word_on_how_it_ran_is_asked_never_dropped(assistant) -> None:
    answer = assistant.ask("office: oxaliplatin 1000-1200 with leucovorin")
    assert answer.codes == [] and "leucovorin" in answer.answer


NAMED_ROWS = [r for r in ANSWER_ROWS if "drug A" not in r[1]]  # placeholders name no dictionary drug


@pytest.mark.parametrize("question", [r[1] for r in NAMED_ROWS], ids=[r[0] for r in NAMED_ROWS])
def test_every_drug_named_is_a_row_of_the_visit_and_a_filler_changes_nothing(assistant, question: str) -> None:
    answer = assistant.ask(question)
    table = answer.answer.split("**The visit as I read it:**")[-1].split("\n\n")[0].lower()
    named = [words for words, _span, _category in assistant.router.find_drugs(question)]
    assert named
    assert all(words.lower() in table for words in named), (named, table)
    assert lines_of(assistant.ask(f"{question}, per the MAR")) == lines_of(answer)


def test_structured_relations_through_the_api_path(assistant) -> None:
    # The API, CLI and Encounter tab send the relation fields by index; a carrier is never looked up as a drug.
    encounter = Encounter.model_validate({"setting": "professional", "administrations": [
        {"substance": "NS", "route": "iv_infusion", "start": "10:00", "stop": "10:30", "carrier_of": 1},
        {"substance": "gemzar", "route": "iv_infusion", "start": "10:00", "stop": "10:30"}]})
    result, answer = code_structured(encounter, assistant.router)
    assert {line.code: line.units for line in result.lines} == {"96413": 1}
    assert "'NS' is" not in answer.answer and "incidental, not hydration" in answer.answer
