"""Follow-ups that change the last visit (issue 17 class 7, assistant/chat/followup_visit.py).

Both sides of each boundary: a turn that changes the visit (one service's time, the setting, the payer, a variant)
is applied to the visit's words and the whole visit is coded again; a turn that names its own service, gives a
number without its unit, a dose or a count is not a revision (a new question, or the field-by-field merge); a time
that fits several services, or a drug the visit does not have, is asked. Expected lines come from rules.md and
encounters.md (section named in each row), never from running the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.chat.assistant import Assistant
from assistant.chat.followup_visit import Revision, revise_conversation
from assistant.chat.parse import parse_question
from assistant.contract import Answer
from assistant.corpus.loader import load_corpus
from assistant.edits import FILENAME, EditsStore
from assistant.settings import REPO_ROOT, Settings

# A small stand-in for the corpus drug dictionary (Router.find_drugs): the drug names these rows use.
_DRUGS = re.compile(r"\b(?:rituxan|zofran|rocephin|keytruda|vanco|benadryl|toradol)\b", re.IGNORECASE)


def _drugs(text: str) -> list[tuple[str, tuple[int, int], str | None]]:
    return [(m.group(0), m.span(), None) for m in _DRUGS.finditer(text)]


def _revise(history: list[str], question: str) -> Revision | None:
    return revise_conversation([parse_question(turn) for turn in [*history, question]], _drugs)


# --- the visit re-read with the change ---------------------------------------------------------------------------

REVISED = [
    # (id, history, follow-up, the visit coded again)
    ("pt-one-code-time-keeps-the-other", ["97110 25 min, 97530 20 min, medicare"], "what if 97530 was 30 min",
     "97110 25 min, 97530 30 min, medicare"),
    ("pt-other-code-time", ["97110 25 min, 97530 20 min, medicare"], "what if 97110 went 40 min",
     "97110 40 min, 97530 20 min, medicare"),
    ("hydration-clock-keeps-the-drug", ["HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1145 after"],
     "what if the hydration ran 1200-1300 instead", "HOPD: rocephin 1 g IVPB 1100-1130, NS 1200-1300 after"),
    ("drug-named-duration-keeps-its-start", ["NS 0900-1130, zofran IVP 0905, rituxan 0930-1330"],
     "what if the rituxan ran 3 hours", "NS 0900-1130, zofran IVP 0905, rituxan 0930-1230"),
    ("shorthand-therapy-is-the-psychotherapy", ["99214 plus psychotherapy 30 min"], "what if therapy was 40 min?",
     "99214 plus psychotherapy 40 min"),
    ("it-is-the-only-timed-service", ["mod sed 40 min, same doc, pt 70yo"], "what if it was 55 min",
     "mod sed 55 min, same doc, pt 70yo"),
    ("code-asked-before-gets-the-time", ["what is 96366"], "how many units for 2 hrs 10 min",
     "what is 96366 2 hrs 10 min"),
    ("setting-word-replaced", ["zofran IVP then again 45 min later, facility"], "and in the office?",
     "zofran IVP then again 45 min later, in the office"),
    ("setting-side", ["NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, facility"],
     "same visit but on the professional side?",
     "NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, on the professional side"),
    ("setting-word-of-a-service-kept", ["subsequent hospital visit 35 min"], "and for medicare?",
     "subsequent hospital visit 35 min, for medicare"),
    ("service-named-by-hospital-keeps-it", ["subsequent hospital visit 35 min"], "what about in the office?",
     "subsequent hospital visit 35 min, in the office"),
    ("place-is-a-setting", ["infusion center: IV abx 45 min"], "and in the office?", "IV abx 45 min, in the office"),
    ("payer-and-vials-added", ["keytruda 200 mg IV 30 min office"], "same but medicare, 2 x 100 mg vials",
     "keytruda 200 mg IV 30 min office, medicare, 2 x 100 mg vials"),
    ("payer-word-replaced", ["critical care 110 min medicare"], "what about commercial?",
     "critical care 110 min, commercial"),
    ("variant-negated", ["family psychotherapy with patient 50 min"], "what if pt wasn't in the room",
     "family psychotherapy 50 min, pt wasn't in the room"),
    ("variant-typed-code-kept", ["90847 50 min"], "what if pt wasn't in the room",
     "90847 50 min, pt wasn't in the room"),
    ("patient-type-replaced", ["office visit 45 min new patient"], "and for an established patient?",
     "office visit 45 min, for an established patient"),
    ("two-changes-in-turn", ["subq 2 hours", "what about 3 hours?"], "and for medicare?",
     "subq 3 hours, for medicare"),
    # A duration for a service documented by clock times keeps its documented start.
    ("clock-range-to-minutes", ["NS bolus 11pm to 2am"], "what about 90 minutes?", "NS bolus 2300-0030"),
    ("stop-time-moves-the-end", ["IVIG 0900-1200, medicare"], "and if it stopped at 1130?",
     "IVIG 0900-1130, medicare"),
    ("start-time-moves-the-start", ["hydration 0800-1000"], "what if it started at 0845", "hydration 0845-1000"),
    ("named-drug-dc-time", ["rocephin 1 g IVPB 0830-0900, NS 0900-1030, ED"], "what if the NS was d/c'd at 1015",
     "rocephin 1 g IVPB 0830-0900, NS 0900-1015, ED"),
    ("an-hour-longer-keeps-the-start", ["HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1245 after"],
     "what if the fluids ran an hour longer?", "HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1345 after"),
    ("minutes-more", ["critical care 80 min"], "what if it was 30 min more", "critical care 110 min"),
    ("another-half-hour", ["subq 2 hours"], "and another 30 min?", "subq 150 min"),
    ("minutes-shorter", ["subq 2 hours"], "what if 30 min shorter", "subq 90 min"),
    ("dose-replaced", ["ceftriaxone 1 g how many units"], "what about 2 g?", "ceftriaxone 2 g how many units"),
    ("same-but-dose-keeps-the-infusion", ["rocephin 1 g IVPB 30 min ED"], "same but 2 g",
     "rocephin 2 g IVPB 30 min ED"),
    ("dose-of-the-named-drug", ["zofran 4 mg IVP 0900, rocephin 1 g IVPB 0910-0940"], "what if rocephin was 2 g",
     "zofran 4 mg IVP 0900, rocephin 2 g IVPB 0910-0940"),
    ("route-of-the-named-drug", ["zofran 4 mg IVP 0900, toradol 30 mg IVP 0915, facility"],
     "what if the toradol was IM", "zofran 4 mg IVP 0900, toradol 30 mg IM 0915, facility"),
    ("push-time-of-the-named-drug", ["ED: NS 1 L 0800-0930, zofran 4 mg IVP 0815"],
     "what if the zofran was given at 0945 instead", "ED: NS 1 L 0800-0930, zofran 4 mg IVP 0945"),
    ("body-size-of-the-patient", ["rituxan 375 mg/m2, BSA 1.8, 0900-1300"], "what about BSA 2.0",
     "rituxan 375 mg/m2, BSA 2.0, 0900-1300"),
    ("till-moves-the-end", ["ED: NS 1 L 0800-0930, zofran 4 mg IVP 0815"], "what if NS ran till 1100",
     "ED: NS 1 L 0800-1100, zofran 4 mg IVP 0815"),
    # A container's size is never the dose given: the dose stays, the vial is added (JW/JZ lines).
    ("vial-size-is-not-a-dose", ["carboplatin 450 mg IV 0900-1000"], "what if the vial is 600 mg",
     "carboplatin 450 mg IV 0900-1000, the vial is 600 mg"),
    ("vials-are-not-a-dose", ["keytruda 200 mg IV 30 min"], "and 2 x 100 mg vials, mcr",
     "keytruda 200 mg IV 30 min, 2 x 100 mg vials, mcr"),
    ("code-swapped-in-a-one-code-visit", ["97110 30 min"], "what if it was 97530 instead", "97530 30 min"),
    ("code-swapped-by-name", ["97110 30 min, 97140 15 min"], "what if 97530 instead of 97140",
     "97110 30 min, 97530 15 min"),
    ("em-code-swapped-keeps-the-add-on", ["99213 plus psychotherapy 38 min"], "what if it was 99214",
     "99214 plus psychotherapy 38 min"),
    ("again-adds-a-repeat", ["IV push zofran 4 mg 0900, facility"], "and again at 0945",
     "IV push zofran 4 mg 0900, facility, again at 0945"),
    ("sum-is-one-time", ["critical care 100 min"], "what if it was 20+30 min", "critical care 50 min"),
    ("and-adds-a-service", ["rocephin 1 g IVPB 1000-1030, ED"], "and zofran IVP 1040",
     "rocephin 1 g IVPB 1000-1030, ED, zofran IVP 1040"),
    ("also-adds-a-dose", ["rocephin 1 g IVPB 1000-1030, ED"], "also zofran 4 mg IVP at 1040",
     "rocephin 1 g IVPB 1000-1030, ED, zofran 4 mg IVP at 1040"),
]


@pytest.mark.parametrize(("history", "question", "revised"), [row[1:] for row in REVISED],
                         ids=[row[0] for row in REVISED])
def test_a_change_is_applied_to_the_visit_words(history: list[str], question: str, revised: str) -> None:
    revision = _revise(history, question)
    assert revision is not None and revision.asks is None
    assert revision.text == revised
    assert revision.how and revision.visit != revision.text


NOT_REVISED = [
    # (id, history, turn): a new question, or merged field by field (reading/followup.py)
    ("own-drug-and-dose-is-new", ["how do I code 2.5 hours subq"], "zofran 4 mg how many units"),
    ("own-family-is-new", ["critical care 110 min medicare"], "subq 2.5 hours"),
    ("bare-number-is-merged", ["subq 2 hours"], "what about 3?"),
    ("dose-with-no-dose-before-is-merged", ["subq 2 hours"], "what about 2 g?"),
    ("count-is-merged", ["how do I code 2.5 hours subq"], "and with a second pump?"),
    ("badge-number-is-new", ["subq 2.5 hours"], "my badge number is 5"),
    ("next-code-lookup-is-merged", ["what is 96369"], "and 96370?"),
    ("another-family-time-is-merged", ["how do I code 2.5 hours subq"], "what about hydration 3 hours"),
    ("time-alone-with-no-history", [], "how many units for 2 hrs 10 min"),
    ("stop-before-start-is-not-moved", ["hydration 0800-1000"], "what if it ended 0700"),
    ("stop-time-without-a-clock-range", ["hydration 2 hours"], "what if it stopped at 1130"),
    ("if-opening-a-new-question", ["chemo 0900-1030, NS 1030-1130"], "if pt had 97110 30 min how many units"),
    ("add-on-is-not-add", ["subq 2 hours"], "add-on code for 96369?"),
    ("merged-turn-ends-the-chain", ["subq 2 hours", "what about 3?"], "and for medicare?"),
]


@pytest.mark.parametrize(("history", "question"), [row[1:] for row in NOT_REVISED], ids=[row[0] for row in NOT_REVISED])
def test_a_turn_that_is_not_a_change_of_the_visit(history: list[str], question: str) -> None:
    assert _revise(history, question) is None


ASKED = [
    # (id, history, turn, words the question names)
    ("it-with-two-timed-services", ["NS 0900-1130, zofran IVP 0905, rituxan 0930-1330"], "what if it ran 3 hours",
     ["NS 0900-1130", "rituxan 0930-1330"]),
    ("drug-not-in-the-visit", ["rocephin 1 g IVPB 1000-1030 then NS 1030-1130, ED"], "what if the zofran ran 1000-1100",
     ["zofran"]),
    ("shorter-than-the-whole-time", ["subq 2 hours"], "what if 3 hours shorter", ["3 hours"]),
    ("longer-than-no-time", ["what is 96365"], "what if an hour longer", ["an hour"]),
    ("sessions-not-a-total", ["critical care 110 min"], "what if it was 2 separate sessions of 40 min",
     ["2 separate sessions", "40 min"]),
    ("switch-the-merge-cannot-apply-to-a-visit", ["office visit 99214 and psychotherapy 30 min"], "and if no E/M?",
     ["and if no E/M?"]),
    ("dose-of-two-drugs-unnamed", ["zofran 4 mg IVP 0900, rocephin 1 g IVPB 0910-0940"], "what about 2 g",
     ["what about 2 g"]),
    ("route-of-two-pushes-unnamed", ["zofran 4 mg IVP 0900, toradol 30 mg IVP 0915"], "what if it was IM",
     ["what if it was IM"]),
    ("code-not-in-the-visit", ["97110 25 min, 97530 20 min"], "what if 97140 was 10 min", ["97140"]),
]


@pytest.mark.parametrize(("history", "question", "named"), [row[1:] for row in ASKED], ids=[row[0] for row in ASKED])
def test_a_change_that_fits_no_one_service_is_asked(history: list[str], question: str, named: list[str]) -> None:
    revision = _revise(history, question)
    assert revision is not None and revision.asks is not None
    assert named and all(words in revision.asks for words in named)
    assert revision.text == revision.visit  # nothing was changed or coded


def test_a_push_at_a_clock_time_has_no_duration_to_change() -> None:
    """"it" with one infusion and a push at a clock time is the infusion (a push has no duration)."""
    revision = _revise(["zofran IVP 0905, rocephin 1 g IVPB 0930-1000"], "what if it ran 0930-1045")
    assert revision is not None and revision.text == "zofran IVP 0905, rocephin 1 g IVPB 0930-1045"


def test_a_revised_visit_past_the_question_limit_is_not_read() -> None:
    turns = [parse_question("subq 2 hours " + "x" * 60), parse_question("and for medicare?")]
    assert revise_conversation(turns, _drugs, limit=90) is not None
    assert revise_conversation(turns, _drugs, limit=60) is None


# --- through Assistant.ask (bundled corpus, no model) ----------------------------------------------------------------

@pytest.fixture(scope="module")
def coder(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    settings = Settings(data_dir=tmp_path_factory.mktemp("followup") / "data", corpus_dir=REPO_ROOT / "corpus")
    return Assistant(settings, load_corpus(settings), None, EditsStore(Path(settings.resolved_data_dir) / FILENAME))


def _ask(coder: Assistant, history: list[str], question: str) -> Answer:
    return coder.ask(question, history=[{"role": "user", "content": turn} for turn in history])


def _lines(answer: Answer) -> dict[str, int]:
    return {line.code: line.units for line in answer.codes if line.units}


CODED = [
    # (id, history, follow-up, lines, source)
    ("psych-addon-by-new-time", ["99214 plus psychotherapy 30 min"], "what if the psychotherapy was 40 min?",
     {"99214": 1, "90836": 1}),  # rules.md 6: with an E/M, 38-52 min = +90836
    ("sedation-it", ["moderate sedation 40 min, same physician, 70 year old"], "what if it lasted 55 min",
     {"99152": 1, "99153": 3}),  # rules.md 9: 53-67 min = 99152 + 99153 x3
    ("therapy-one-code", ["97110 25 min, 97530 20 min, medicare"], "what if 97530 was 30 min",
     {"97110": 2, "97530": 2}),  # rules.md 7: 55 min = 4 units, the 4th to the larger remainder
    ("family-psych-absent", ["family psychotherapy with patient 50 min"], "what if the pt was not present",
     {"90846": 1}),  # encounters.md B1
    ("family-psych-present", ["family psychotherapy without patient 50 min"], "what if the pt was present",
     {"90847": 1}),  # encounters.md B1
    ("hydration-after-drug", ["HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1145 after"],
     "what if the fluids ran 1200-1300 instead", {"96365": 1, "96361": 1, "J0696": 4}),  # encounters.md A2, A5
    ("hydration-still-short", ["HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1145 after"],
     "what if the NS ran 1130-1155", {"96365": 1, "J0696": 4}),  # encounters.md A5: 25 drug-free min, none
    ("saline-is-the-ns", ["HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1145 after"], "what if the saline ran 1130-1300",
     {"96365": 1, "96361": 1, "J0696": 4}),  # encounters.md A5: 90 drug-free min = +96361 x1
    ("code-from-lookup", ["what is 96366"], "units for 2 hrs 10 min", {"96365": 1, "96366": 1}),  # rules.md 2
    ("repeat-push-office", ["zofran IVP then again 45 min later, facility"], "and in the office?",
     {"96374": 1}),  # rules.md 2: +96376 is facility only
    ("route-change-keeps-the-other-push", ["zofran 4 mg IVP 0900, toradol 30 mg IVP 0915, facility"],
     "what if the toradol was IM", {"96374": 1, "96372": 1, "J2405": 4, "J1885": 2}),  # rules.md 2, 96372 per injection
    ("repeat-push-added", ["zofran IVP 0900, facility"], "and same drug again at 0945",
     {"96374": 1, "96376": 1}),  # rules.md 2: same drug pushed more than 30 min later, facility = +96376
    ("code-swapped", ["97110 30 min"], "what if it was 97530 instead", {"97530": 2}),  # rules.md 7: 30 min = 2
    ("added-push-keeps-the-drug", ["rocephin 1 g IVPB 1000-1030, ED"], "also zofran 4 mg IVP at 1040",
     {"96365": 1, "96375": 1, "J0696": 4, "J2405": 4}),  # encounters.md A2: a new drug pushed after = +96375
    ("chemo-visit-pro-side", ["NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, facility"],
     "same visit but for the physician claim?", {"96413": 1, "96415": 3, "96375": 1}),  # encounters.md A2
]


@pytest.mark.parametrize(("history", "question", "lines"), [row[1:] for row in CODED], ids=[row[0] for row in CODED])
def test_the_changed_visit_is_coded_again(coder: Assistant, history: list[str], question: str,
                                          lines: dict[str, int]) -> None:
    answer = _ask(coder, history, question)
    assert answer.route == "units" and _lines(answer) == lines, answer.answer
    steps = [step for step in answer.reading if step.kind == "follow_up"]
    assert len(steps) == 1 and "coded again as" in steps[0].value and steps[0].text == question
    assert "Read as a follow-up" in answer.answer


def test_the_same_words_without_history_are_not_a_revision(coder: Assistant) -> None:
    answer = _ask(coder, [], "what if 97530 was 30 min")
    assert not [step for step in answer.reading if step.kind == "follow_up"]


def test_an_asked_change_bills_nothing(coder: Assistant) -> None:
    answer = _ask(coder, ["rocephin 1 g IVPB 1000-1030 then NS 1030-1130, ED"], "what if the zofran ran 1000-1100")
    assert answer.route == "units" and answer.codes == [] and "zofran" in answer.answer


SAME_TIME = [
    ["HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1245 after"],
    ["chemo infusion 0900-1030, NS 1030-1200, facility"],
    ["97110 25 min, 97530 20 min, medicare"],
    ["psychotherapy 45 min with E/M 99213"],
]


@pytest.mark.parametrize("history", SAME_TIME, ids=["drug-hydration", "chemo-hydration", "pt-two-codes", "psych-em"])
def test_restating_a_service_time_never_changes_the_lines(coder: Assistant, history: list[str]) -> None:
    """Property: a follow-up giving a service the time it already had codes the visit exactly as before (the other
    services are kept, nothing is added or dropped)."""
    first = _ask(coder, [], history[0])
    assert _lines(first), first.answer
    timed = re.search(r"(?:NS|97530|psychotherapy) (\d{4}-\d{4}|\d+ min)", history[0])
    assert timed is not None
    again = _ask(coder, history, f"what if the {timed.group(0).split()[0]} was {timed.group(1)}")
    assert _lines(again) == _lines(first), again.answer


def test_switching_the_setting_and_back_gives_the_first_lines(coder: Assistant) -> None:
    visit = "zofran IVP 0900, zofran IVP again 1000, facility"
    first, office, back = (_ask(coder, [], visit), _ask(coder, [visit], "and in the office?"),
                           _ask(coder, [visit, "and in the office?"], "and back in the facility?"))
    assert _lines(first) and _lines(back) == _lines(first)
    assert "96376" in _lines(first) and "96376" not in _lines(office)  # rules.md 2: facility only


# --- properties -------------------------------------------------------------------------------------------------------

_VISITS = [
    "97110 25 min, 97530 20 min, medicare",
    "NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, facility",
    "HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1145 after",
    "chemo 0900-1030, NS 1030-1130, facility",
]


@given(visit=st.sampled_from(_VISITS), text=st.text(max_size=80))
def test_any_turn_after_a_visit_never_raises(visit: str, text: str) -> None:
    revision = _revise([visit], text)
    assert revision is None or (revision.text and revision.visit == visit)


_OPENINGS = ["what if {name} was {t}", "what if the {name} ran {t} instead", "and if {name} took {t}?"]


@given(index=st.integers(min_value=0, max_value=3), minutes=st.integers(min_value=1, max_value=600),
       opening=st.sampled_from(_OPENINGS))
def test_a_new_time_for_one_service_keeps_every_other_service_as_typed(index: int, minutes: int, opening: str) -> None:
    """Property: changing one service's time leaves the words of every other service of the visit unchanged."""
    visit = "97110 25 min, 97530 20 min, 97140 15 min, 97112 10 min, medicare"
    codes = ["97110", "97530", "97140", "97112"]
    revision = _revise([visit], opening.format(name=codes[index], t=f"{minutes} min"))
    assert revision is not None and revision.asks is None
    kept = [part for part in visit.split(", ") if not part.startswith(codes[index])]
    assert len(kept) == 4 and all(part in revision.text for part in kept)
    assert f"{codes[index]} {minutes} min" in revision.text
