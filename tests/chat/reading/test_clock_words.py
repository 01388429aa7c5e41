"""A clock time is never part of a drug's name or an infusion's length by itself (issue 17 classes 1 and 5).

"NS 1000-1100" is saline from 10:00 to 11:00, not the 1000 cc bag named "NS 1000"; "neulasta 6 mg SQ 1630" is a shot
given at 16:30 (CPT 96372), not a subcutaneous infusion whose length must be asked (96369 is by infusion time,
rules.md section 1)."""

from __future__ import annotations

import pytest

from assistant.chat.reading.services import read_services


@pytest.mark.parametrize(("question", "start_hour"), [
    pytest.param("ED: NS 1000-1100, zofran IVP 1010", 10, id="range-at-the-hour"),
    pytest.param("NS 0900-1000 then rocephin IVPB", 9, id="range-before-a-drug"),
    pytest.param("NS 1015-1230, office", 10, id="range-off-the-hour"),
])
def test_a_clock_range_is_never_part_of_the_fluid_name(assistant, question: str, start_hour: int) -> None:
    # The bundled corpus names the 1000 cc bag "NS 1000" (J7030): the range's first time must not complete it.
    services = read_services(question, assistant.router.find_drugs)
    fluid = services[0]
    assert fluid.family == "hydration"
    assert not any(ch.isdigit() for ch in (fluid.drug or ""))
    assert fluid.start is not None and fluid.start.hour == start_hour


@pytest.mark.parametrize(("question", "family", "route"), [
    pytest.param("neulasta 6 mg SQ 1630", "injection", "sc", id="dose-and-a-clock-point-is-a-shot"),
    pytest.param("prolia 60 mg SQ at 1400", "injection", "sc", id="at-a-clock-point"),
    pytest.param("prolia 60 mg SQ", "injection", "sc", id="no-time"),
    pytest.param("hizentra 10 g SQ 0900-1000", "subq_infusion", "sc_infusion", id="a-clock-range-is-an-infusion"),
    pytest.param("hizentra 10 g SQ over 60 min", "subq_infusion", "sc_infusion", id="minutes-are-an-infusion"),
])
def test_a_clock_point_is_when_a_shot_was_given(question: str, family: str, route: str) -> None:
    (service,) = read_services(question)
    assert (service.family, service.route) == (family, route)


@pytest.mark.parametrize(("question", "lines"), [
    # The gap before "again" is a repeat of the drug before it: facility +96376 only more than 30 minutes later
    # (rules.md section 2); it had been folded into the first push and the repeat lost.
    pytest.param("zofran IVP then again 45 min later, facility", {"96374": 1, "96376": 1}, id="repeat-after-a-gap"),
    pytest.param("zofran IVP then again 20 min later, facility", {"96374": 1}, id="repeat-too-soon"),
    pytest.param("zofran IVP then again 45 min later, office", {"96374": 1}, id="repeat-professional"),
    pytest.param("zofran IVP then 45 min later toradol IVP, ED", {"96374": 1, "96375": 1}, id="gap-before-a-new-drug"),
])
def test_a_gap_before_again_is_a_repeat(assistant, question: str, lines: dict[str, int]) -> None:
    assert {line.code: line.units for line in assistant.ask(question).codes} == lines
