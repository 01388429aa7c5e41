"""The encounter engine's work is bounded (issue 24 item 2): numbers outside their sane range (units/limits.py) are
said as questions, with no lines, before any work; both sides of each boundary."""

from __future__ import annotations

import pytest

from assistant.units.encounter import Administration, Encounter, code_encounter
from assistant.units.limits import RANGES


def _infusion(**fields: object) -> Administration:
    return Administration(**{"substance": "rituximab", "category": "chemotherapy", "route": "iv_infusion", **fields})


SERVICE = int(RANGES["service_minutes"].high)
CASES = [
    pytest.param([_infusion(minutes=SERVICE)], True, id="a-week-of-minutes-coded"),
    pytest.param([_infusion(minutes=SERVICE + 1)], False, id="past-a-week-asked"),
    pytest.param([_infusion(minutes=100_000_000)], False, id="api-repro-100-million-minutes"),
    pytest.param([_infusion(minutes=99_999_999_999)], False, id="chat-repro-11-nines"),
    pytest.param([_infusion(minutes=60, day=31)], True, id="day-31-coded"),
    pytest.param([_infusion(minutes=60, day=32)], False, id="day-32-asked"),
    pytest.param([_infusion(minutes=60, dose=1e9, dose_unit="mg")], True, id="dose-a-billion-coded"),
    pytest.param([_infusion(minutes=60, dose=1e10, dose_unit="mg")], False, id="dose-past-a-billion-asked"),
    pytest.param([_infusion(minutes=SERVICE)] * 5, False, id="five-weeks-in-one-encounter-asked"),
    pytest.param([_infusion(minutes=10)] * 200, True, id="200-administrations-coded"),
    pytest.param([_infusion(minutes=10)] * 201, False, id="201-administrations-asked"),
]


@pytest.mark.parametrize(("administrations", "coded"), CASES)
def test_out_of_range_is_asked_never_coded(administrations: list[Administration], coded: bool) -> None:
    result = code_encounter(Encounter(setting="facility", administrations=administrations))
    refused = [q for q in result.questions if "outside the range this assistant counts" in q]
    if coded:
        assert not refused
        return
    assert refused and result.lines == []
