"""Relations between administrations (issue 17 class 4): a mixture is one administration carrying several drugs, a
carrier fluid is not hydration, a flush is part of its administration, concurrent drugs share a range, a piggybacked
drug keeps its own range. Both sides of each relation: the same visit with and without it.

Expected lines from the rules: encounters.md A4 (mixture, concurrent +96368 once), A5 (incidental and overlapped
hydration; NCCI-XI B.5), A8 (flush included; port flush alone 96523), rules.md 2-3 (time rules), E14 (AAPC Onc 170567).
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from assistant.units.encounter import Encounter, EncounterResult, code_encounter

DEX = {"substance": "dex", "category": "therapeutic", "dose": 10, "dose_unit": "mg", "drug_code": "J1100",
       "billing_quantity": 1, "billing_unit": "mg"}
ZOFRAN = {"substance": "zofran", "category": "therapeutic", "dose": 4, "dose_unit": "mg", "drug_code": "J2405",
          "billing_quantity": 1, "billing_unit": "mg"}
CHEMO = {"substance": "carboplatin", "category": "chemotherapy"}


def code(setting: str, *administrations: dict[str, Any]) -> EncounterResult:
    return code_encounter(Encounter.model_validate({"setting": setting, "administrations": list(administrations)}))


def lines(result: EncounterResult) -> dict[str, int]:
    assert not result.questions, result.questions
    return {"-".join([line.code, *line.modifiers]): line.units for line in result.lines}


# (id, setting, administrations, expected lines): each relation row sits beside the same visit without it.
ROWS = [
    # A4: one push of one mixture is ONE administration; each drug keeps its J line. Two syringes: two pushes.
    ("mixture-one-syringe", "facility",
     [{**DEX, "route": "iv_push"}, {**ZOFRAN, "route": "iv_push", "mixed_with": 0}],
     {"96374": 1, "J1100": 10, "J2405": 4}),
    ("two-separate-pushes", "facility",
     [{**DEX, "route": "iv_push"}, {**ZOFRAN, "route": "iv_push"}],
     {"96374": 1, "96375": 1, "J1100": 10, "J2405": 4}),
    # One IM injection of a mixture is one 96372; two injections are two.
    ("mixture-one-im-injection", "professional",
     [{**DEX, "route": "injection"}, {**ZOFRAN, "route": "injection", "mixed_with": 0}],
     {"96372": 1, "J1100": 10, "J2405": 4}),
    ("two-im-injections", "professional",
     [{**DEX, "route": "injection"}, {**ZOFRAN, "route": "injection"}],
     {"96372": 2, "J1100": 10, "J2405": 4}),
    # One bag of premeds (20 min, its time typed with the second drug) before chemo: 96413 + one 96367.
    ("mixture-one-bag-then-chemo", "professional",
     [{**DEX, "route": "iv_infusion"},
      {**ZOFRAN, "route": "iv_infusion", "start": "09:00", "stop": "09:20", "mixed_with": 0},
      {**CHEMO, "route": "iv_infusion", "start": "09:25", "stop": "10:10"}],
     {"96413": 1, "96367": 1, "J1100": 10, "J2405": 4}),
    ("two-bags-then-chemo", "professional",
     [{**DEX, "route": "iv_infusion", "start": "08:30", "stop": "08:50"},
      {**ZOFRAN, "route": "iv_infusion", "start": "09:00", "stop": "09:20"},
      {**CHEMO, "route": "iv_infusion", "start": "09:25", "stop": "10:10"}],
     {"96413": 1, "96367": 2, "J1100": 10, "J2405": 4}),
    # A mixture with a chemotherapy drug is coded by its highest-ranked drug.
    ("mixture-with-chemo-is-chemo", "facility",
     [{**ZOFRAN, "route": "iv_push"}, {**CHEMO, "route": "iv_push", "mixed_with": 0}],
     {"96409": 1, "J2405": 4}),
    # A5 (NCCI-XI B.5): the carrier of a drug is incidental, never hydration; hydration before the drug is.
    ("carrier-fluid", "professional",
     [{"substance": "NS", "route": "iv_infusion", "start": "10:00", "stop": "10:30", "carrier_of": 1},
      {**CHEMO, "route": "iv_infusion", "start": "10:00", "stop": "10:30"}],
     {"96413": 1}),
    ("hydration-before-the-drug", "professional",
     [{"substance": "NS", "route": "iv_infusion", "start": "09:00", "stop": "10:00"},
      {**CHEMO, "route": "iv_infusion", "start": "10:00", "stop": "10:30"}],
     {"96413": 1, "96361": 1}),
    # A diluent has no time of its own: never asked about, never hydration.
    ("diluent-without-a-time", "professional",
     [{**ZOFRAN, "route": "iv_infusion", "minutes": 20}, {"substance": "NS", "route": "iv_infusion", "carrier_of": 0}],
     {"96365": 1, "J2405": 4}),
    # A8: a flush belongs to its administration; a flush with no relation is a fluid whose time is asked.
    ("flushes-included", "facility",
     [{"substance": "NS flush", "route": "iv_push", "included_in": 1},
      {**CHEMO, "route": "iv_infusion", "start": "09:30", "stop": "12:30"},
      {"substance": "heparin flush", "route": "iv_push", "included_in": 1}],
     {"96413": 1, "96415": 2}),
    # E14: a drug documented as running concurrently on the same line shares the range: +96368, either order.
    ("concurrent-shares-the-range", "professional",
     [{**CHEMO, "route": "iv_infusion", "start": "09:33", "stop": "12:15"},
      {"substance": "leucovorin", "category": "therapeutic", "route": "iv_infusion", "concurrent_with": 0}],
     {"96413": 1, "96415": 2, "96368": 1}),
    ("concurrent-named-first", "professional",
     [{"substance": "leucovorin", "category": "therapeutic", "route": "iv_infusion", "start": "09:33",
       "stop": "12:15"},
      {**CHEMO, "route": "iv_infusion", "concurrent_with": 0}],
     {"96413": 1, "96415": 2, "96368": 1}),
    ("sequential-not-concurrent", "professional",
     [{**CHEMO, "route": "iv_infusion", "start": "09:33", "stop": "12:15"},
      {"substance": "leucovorin", "category": "therapeutic", "route": "iv_infusion", "start": "12:15",
       "stop": "13:15"}],
     {"96413": 1, "96415": 2, "96367": 1}),
    # Concurrent with minutes only (no clock times): linked by the words, not by an overlap.
    ("concurrent-minutes-only", "facility",
     [{"substance": "vanco", "category": "therapeutic", "route": "iv_infusion", "minutes": 60},
      {"substance": "abx 2", "category": "therapeutic", "route": "iv_infusion", "minutes": 30,
       "concurrent_with": 0}],
     {"96365": 1, "96368": 1}),
    # Two sites are not one line: a second initial with 59, never 96368.
    ("concurrent-words-two-sites", "facility",
     [{"substance": "vanco", "category": "therapeutic", "route": "iv_infusion", "start": "09:00", "stop": "10:00",
       "site": "left arm"},
      {"substance": "abx 2", "category": "therapeutic", "route": "iv_infusion", "start": "09:00", "stop": "09:30",
       "site": "right arm", "concurrent_with": 0}],
     {"96365": 1, "96365-59": 1}),
    # A drug piggybacked into running NS keeps its range; the NS minutes under it are not hydration (30 left: < 31).
    ("piggyback-into-ns", "facility",
     [{"substance": "NS", "route": "iv_infusion", "start": "09:00", "stop": "10:00"},
      {"substance": "rocephin", "category": "therapeutic", "route": "iv_infusion", "start": "09:15", "stop": "09:45",
       "piggyback_on": 0}],
     {"96365": 1}),
    ("piggyback-into-long-ns", "facility",
     [{"substance": "NS", "route": "iv_infusion", "start": "08:00", "stop": "11:00"},
      {"substance": "rocephin", "category": "therapeutic", "route": "iv_infusion", "start": "09:00", "stop": "09:30",
       "piggyback_on": 0}],
     {"96365": 1, "96361": 2}),
]


@pytest.mark.parametrize(("setting", "administrations", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_relations_code_as_the_rules_say(setting: str, administrations: list[dict[str, Any]],
                                         expected: dict[str, int]) -> None:
    result = code(setting, *administrations)
    assert lines(result) == expected
    # Conservation: every administration is a row of the timeline that says how it was coded or why not.
    assert len(result.timeline) == len(administrations)
    assert all(row.coded and row.coded != "not coded (see the questions)" for row in result.timeline)


NS = {"substance": "NS", "route": "iv_infusion"}
TIMED_DEX = {**DEX, "route": "iv_infusion", "start": "09:00", "stop": "10:00"}


@pytest.mark.parametrize(("administrations", "source"), [
    pytest.param([TIMED_DEX, {**ZOFRAN, "route": "iv_infusion", "mixed_with": 0}], "AAPC forum 14684", id="mixture"),
    pytest.param([{**NS, "carrier_of": 1}, TIMED_DEX], "NCCI-XI B.5", id="carrier"),
    pytest.param([TIMED_DEX, {**NS, "included_in": 0}], "flush at the end of an infusion", id="flush"),
    pytest.param([TIMED_DEX, {**ZOFRAN, "route": "iv_infusion", "concurrent_with": 0}], "AAPC Onc 170567",
                 id="concurrent"),
])
def test_each_relation_names_its_source(administrations: list[dict[str, Any]], source: str) -> None:
    result = code("facility", *administrations)
    assert not result.questions
    assert any(source in citation for citation in result.citations), result.citations


def test_a_flush_with_no_relation_is_a_fluid_whose_time_is_asked() -> None:
    result = code("facility", {"substance": "NS flush", "category": "hydration", "route": "iv_push"},
                  {**CHEMO, "route": "iv_infusion", "start": "09:30", "stop": "12:30"})
    assert result.lines == [] and any("How long did NS flush run" in q for q in result.questions)


def test_a_mixture_with_two_different_times_is_asked() -> None:
    result = code("facility", {**DEX, "route": "iv_infusion", "start": "09:00", "stop": "09:20"},
                  {**ZOFRAN, "route": "iv_infusion", "start": "09:30", "stop": "09:50", "mixed_with": 0})
    assert result.lines == [] and any("different times" in q for q in result.questions)


def test_concurrent_words_with_times_that_do_not_overlap_are_asked() -> None:
    result = code("professional", {**CHEMO, "route": "iv_infusion", "start": "09:00", "stop": "10:00"},
                  {"substance": "leucovorin", "category": "therapeutic", "route": "iv_infusion", "start": "11:00",
                   "stop": "12:00", "concurrent_with": 0})
    assert result.lines == [] and any("do not overlap" in q for q in result.questions)


def test_a_carrier_running_long_past_its_drug_is_flagged_not_billed() -> None:
    result = code("professional", {"substance": "NS", "route": "iv_infusion", "start": "10:00", "stop": "11:30",
                                   "carrier_of": 1},
                  {**CHEMO, "route": "iv_infusion", "start": "10:00", "stop": "10:30"})
    assert lines(result) == {"96413": 1}
    assert any("60 minutes outside" in w for w in result.warnings)


def test_the_mixture_row_names_every_drug_and_the_member_row_says_why() -> None:
    result = code("facility", {**DEX, "route": "iv_push"}, {**ZOFRAN, "route": "iv_push", "mixed_with": 0})
    host, member = result.timeline
    assert host.substance == "dex + zofran (one mixture)" and host.codes == ["96374"]
    assert member.codes == [] and "mixed with dex" in member.coded and "drug line stays" in member.coded


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("mixed_with", 1, "not its own"),
    ("carrier_of", 5, "must be the index of another administration"),
    ("concurrent_with", -1, "greater than or equal to 0"),
])
def test_a_relation_must_name_another_administration(field: str, value: int, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        Encounter.model_validate({"setting": "facility", "administrations": [
            {**DEX, "route": "iv_push"}, {**ZOFRAN, "route": "iv_push", field: value}]})


def test_a_part_of_a_part_is_refused() -> None:
    with pytest.raises(ValidationError, match="itself part of another one"):
        Encounter.model_validate({"setting": "facility", "administrations": [
            {**DEX, "route": "iv_push"}, {**ZOFRAN, "route": "iv_push", "mixed_with": 0},
            {"substance": "NS flush", "route": "iv_push", "included_in": 1}]})
