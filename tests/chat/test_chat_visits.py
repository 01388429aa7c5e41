"""Issue 17's visit services read from coders' words (reading/visit_cues.py, chat/encounter_visit.py), both sides:
a stated primary reason vs none, a port flush alone vs with a drug, an on-body injector vs a syringe, one pump vs a
later second pump set-up. The cue table is pure; the questions go through `Assistant.ask` with the CMS files
imported into a private data directory (the drugs come from them)."""

from __future__ import annotations

import pytest

from assistant.chat.assistant import Assistant
from assistant.chat.reading.visit_cues import (
    added_pump_setup,
    on_body_injector,
    port_flush,
    states_primary_reason,
)

CUES = [
    # (cue function, words, drug, expected)
    pytest.param(states_primary_reason, "zofran IVP (primary reason)", "zofran", True, id="primary-in-parens"),
    pytest.param(states_primary_reason, "main reason for the visit was the rocephin IVPB", "rocephin", True,
                 id="main-reason-for-visit"),
    pytest.param(states_primary_reason, "pt came in for toradol IVP", "toradol", True, id="came-in-for-the-drug"),
    pytest.param(states_primary_reason, "here for her IV abx", None, True, id="here-for-iv-abx"),
    pytest.param(states_primary_reason, "pt came in for fatigue, zofran IVP", "zofran", False,
                 id="came-in-for-a-symptom"),
    pytest.param(states_primary_reason, "zofran IVP, primary reason not documented", "zofran", False,
                 id="primary-not-documented"),
    pytest.param(states_primary_reason, "unclear which was the primary reason", None, False, id="primary-unclear"),
    pytest.param(states_primary_reason, "zofran 4 mg IVP", "zofran", False, id="no-cue"),
    pytest.param(port_flush, "port flush only", None, True, id="port-flush"),
    pytest.param(port_flush, "flushed the port with heparin", None, True, id="flushed-the-port"),
    pytest.param(port_flush, "mediport irrigation", None, True, id="mediport-irrigation"),
    pytest.param(port_flush, "no port flush today", None, False, id="no-port-flush"),
    pytest.param(port_flush, "port accessed, NS flush", None, False, id="port-access-then-line-flush"),
    pytest.param(port_flush, "zofran via port", None, False, id="drug-via-port"),
    pytest.param(on_body_injector, "on-body injector applied", None, True, id="on-body-injector"),
    pytest.param(on_body_injector, "neulasta onpro", None, True, id="onpro"),
    pytest.param(on_body_injector, "neulasta prefilled syringe", None, False, id="prefilled-syringe"),
    pytest.param(on_body_injector, "not the on body injector", None, False, id="not-on-body"),
    pytest.param(added_pump_setup, "second pump set up with new sites", None, True, id="second-pump"),
    pytest.param(added_pump_setup, "another pump at 1100", None, True, id="another-pump"),
    pytest.param(added_pump_setup, "2 sites", None, False, id="two-sites-one-set-up"),
    pytest.param(added_pump_setup, "no second pump", None, False, id="no-second-pump"),
    pytest.param(added_pump_setup, "pump started at 0900", None, False, id="the-first-pump"),
]


@pytest.mark.parametrize(("cue", "words", "drug", "expected"), CUES)
def test_visit_cues(cue, words: str, drug: str | None, expected: bool) -> None:
    assert (cue(words, drug) if cue is states_primary_reason else cue(words)) is expected


@pytest.fixture(scope="module")
def real(drugs_imported: Assistant) -> Assistant:
    return drugs_imported


def _lines(answer) -> dict[str, int]:
    return {line.code: line.units for line in answer.codes if line.units}


VISITS = [
    # Primary reason (encounters.md A2): stated -> its service is initial whatever the clock; not stated -> hierarchy.
    pytest.param("office: primary reason was the toradol 30 mg IVP; rocephin 1 g IVPB 1400-1430 after it",
                 {"96374": 1, "96367": 1, "J1885": 2, "J0696": 4}, id="primary-push-stated"),
    pytest.param("office: toradol 30 mg IVP, rocephin 1 g IVPB 1400-1430",
                 {"96365": 1, "96375": 1, "J1885": 2, "J0696": 4}, id="primary-not-stated"),
    pytest.param("HOPD: pt came in for toradol 30 mg IVP, rocephin 1 g IVPB 1400-1430",
                 {"96365": 1, "96375": 1, "J1885": 2, "J0696": 4}, id="facility-ignores-primary"),
    # Port flush (A8): alone 96523; with a drug, not billed (and said).
    pytest.param("just a port flush with heparin today", {"96523": 1}, id="port-flush-alone"),
    pytest.param("flushed her mediport, zofran 4 mg IVP", {"96374": 1, "J2405": 4}, id="port-flush-with-push"),
    # On-body injector (CMS A54682) vs a prefilled syringe.
    pytest.param("pegfilgrastim 6 mg on-body injector placed today", {"96377": 1, "J2506": 12}, id="on-body"),
    pytest.param("pegfilgrastim 6 mg SQ", {"96372": 1, "J2506": 12}, id="prefilled-syringe"),
    # SCIG (rules.md 1): one pump vs a second pump set-up later.
    pytest.param("hizentra 8 g subq 1300-1445", {"96369": 1, "96370": 1, "J1559": 80}, id="one-pump"),
    pytest.param("hizentra 8 g subq 1300-1445, another pump set up with new sites at 1400",
                 {"96369": 1, "96370": 1, "96371": 1, "J1559": 80}, id="second-pump"),
    pytest.param("hizentra 8 g subq 1300-1445, 3 sites", {"96369": 1, "96370": 1, "J1559": 80}, id="three-sites"),
]


@pytest.mark.parametrize(("question", "expected"), VISITS)
def test_visits_through_ask(real: Assistant, question: str, expected: dict[str, int]) -> None:
    answer = real.ask(question)
    assert answer.route == "units", answer.answer
    assert _lines(answer) == expected, answer.answer


def test_a_flush_beside_a_drug_is_a_not_billed_row(real: Assistant) -> None:
    answer = real.ask("flushed her mediport, zofran 4 mg IVP")
    assert "port flush" in answer.answer and "not reported" in answer.answer


QUALIFIED = [
    # Typed qualifiers choose among a drug's codes (drug_qualifiers.py, HCPCS descriptors): ESRD / non-ESRD / neither.
    pytest.param("procrit 40,000 units subq, non-ESRD", {"96372": 1, "J0885": 40}, id="epoetin-alfa-non-esrd"),
    pytest.param("procrit 4,000 units subq, ESRD pt", {"96372": 1, "Q4081": 40}, id="epoetin-alfa-esrd"),
    pytest.param("epoetin 10,000 units, not on dialysis", {"J0885": 10}, id="epoetin-typed-units-non-esrd"),
    pytest.param("darbepoetin 150 mcg SQ, non ESRD", {"96372": 1, "J0881": 150}, id="darbepoetin-non-esrd"),
    pytest.param("aranesp 25 mcg SQ for ESRD", {"96372": 1, "J0882": 25}, id="darbepoetin-esrd"),
    # IV vs oral.
    pytest.param("emend 150 mg IV over 25 min", {"96365": 1, "J1453": 150}, id="emend-iv-fosaprepitant"),
    pytest.param("emend 80 mg PO", {"J8501": 16}, id="emend-po-aprepitant"),
]


@pytest.mark.parametrize(("question", "expected"), QUALIFIED)
def test_typed_qualifiers_through_ask(real: Assistant, question: str, expected: dict[str, int]) -> None:
    answer = real.ask(question)
    assert _lines(answer) == expected, answer.answer


@pytest.mark.parametrize("question", ["aranesp 25 mcg SQ", "procrit 40,000 units", "epoetin 10,000 units"])
def test_no_qualifier_typed_is_asked_naming_the_word(real: Assistant, question: str) -> None:
    answer = real.ask(question)
    assert _lines(answer) == {}, answer.answer
    assert "non-ESRD" in answer.answer and "ESRD on dialysis" in answer.answer


def test_two_primary_reasons_are_asked_never_chosen(real: Assistant) -> None:
    answer = real.ask("office: zofran 4 mg IVP (primary reason), toradol 30 mg IVP (primary reason), "
                      "rocephin 1 g IVPB 1400-1430")
    assert _lines(answer) == {}
    assert "several primary reasons" in answer.answer and "zofran" in answer.answer and "toradol" in answer.answer


def test_a_flush_solution_stays_on_the_flush_row(real: Assistant) -> None:
    answer = real.ask("port flush with heparin 500 units")
    assert _lines(answer) == {"96523": 1}
    assert "heparin 500 units" in answer.answer
