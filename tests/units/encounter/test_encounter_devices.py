"""Issue 17's visit services outside the IV hierarchy (devices.py), both sides of each rule, and the professional's
primary reason (encounters.md A2): a port flush alone vs with a drug (A8), an on-body injector vs a prefilled
syringe (CMS A54682), one pump vs a later second pump set-up (rules.md 1)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.units.encounter import Encounter, code_encounter

FLUSH: dict[str, Any] = {"substance": "port flush", "route": "iv_push", "port_flush": True}
ZOFRAN_PUSH: dict[str, Any] = {"substance": "zofran", "category": "therapeutic", "route": "iv_push"}
TORADOL_PUSH: dict[str, Any] = {"substance": "toradol", "category": "therapeutic", "route": "iv_push"}
ROCEPHIN_30: dict[str, Any] = {"substance": "rocephin", "category": "therapeutic", "route": "iv_infusion",
                               "start": "10:00", "stop": "10:30", "dose": 1, "dose_unit": "g", "drug_code": "J0696",
                               "billing_quantity": 250, "billing_unit": "mg"}
PEGFILGRASTIM: dict[str, Any] = {"substance": "neulasta", "category": "therapeutic", "route": "injection",
                                 "dose": 6, "dose_unit": "mg", "drug_code": "J2506", "billing_quantity": 0.5,
                                 "billing_unit": "mg"}
SCIG_150: dict[str, Any] = {"substance": "cuvitru", "category": "therapeutic", "route": "sc_infusion",
                            "start": "09:00", "stop": "11:30"}
SECOND_PUMP: dict[str, Any] = {"substance": "cuvitru", "category": "therapeutic", "route": "sc_infusion",
                               "start": "10:30", "added_pump_setup": True}


def _code(administrations: list[dict[str, Any]], setting: str = "professional", **kw: Any):
    encounter = Encounter.model_validate({"setting": setting, "administrations": administrations, **kw})
    return code_encounter(encounter)


def _lines(result) -> dict[str, int]:
    return {line.code: line.units for line in result.lines}


ROWS = [
    # Port flush (encounters.md A8; NCCI PTP: 96523 column 2, indicator 0, beside every drug administration code).
    pytest.param([FLUSH], {}, {"96523": 1}, id="port-flush-alone-is-96523"),
    pytest.param([FLUSH, {**FLUSH, "substance": "heparin flush"}], {}, {"96523": 1}, id="two-flushes-one-96523"),
    pytest.param([FLUSH, ZOFRAN_PUSH], {}, {"96374": 1}, id="port-flush-with-a-push-not-billed"),
    pytest.param([FLUSH, ROCEPHIN_30], {}, {"96365": 1, "J0696": 4}, id="port-flush-with-an-infusion-not-billed"),
    pytest.param([FLUSH, {**PEGFILGRASTIM}], {}, {"96372": 1, "J2506": 12}, id="port-flush-with-an-injection"),
    # On-body injector (CMS A54682): 96377; the prefilled syringe is 96372.
    pytest.param([{**PEGFILGRASTIM, "on_body_injector": True}], {}, {"96377": 1, "J2506": 12}, id="on-body-96377"),
    pytest.param([PEGFILGRASTIM], {}, {"96372": 1, "J2506": 12}, id="prefilled-syringe-96372"),
    pytest.param([{**PEGFILGRASTIM, "on_body_injector": True, "category": None}], {}, {"96377": 1, "J2506": 12},
                 id="on-body-needs-no-category"),
    # Subcutaneous infusion (rules.md 1): one pump vs a later second pump set-up with new sites.
    pytest.param([SCIG_150], {}, {"96369": 1, "96370": 1}, id="one-pump-150-min"),
    pytest.param([SCIG_150, SECOND_PUMP], {}, {"96369": 1, "96370": 1, "96371": 1}, id="second-pump-96371"),
    pytest.param([SCIG_150, SECOND_PUMP, {**SECOND_PUMP, "start": "11:00"}], {},
                 {"96369": 1, "96370": 1, "96371": 1}, id="third-set-up-still-one-96371"),
    pytest.param([SECOND_PUMP, SCIG_150], {}, {"96369": 1, "96370": 1, "96371": 1}, id="set-up-listed-first"),
    # The professional's primary reason (encounters.md A2): stated vs not; the facility keeps its hierarchy.
    pytest.param([TORADOL_PUSH, ROCEPHIN_30], {"primary": 0}, {"96374": 1, "96367": 1, "J0696": 4},
                 id="primary-push-stated-then-96367"),
    pytest.param([TORADOL_PUSH, ROCEPHIN_30], {}, {"96365": 1, "96375": 1, "J0696": 4},
                 id="primary-not-stated-hierarchy"),
    pytest.param([TORADOL_PUSH, ROCEPHIN_30], {"primary": 1}, {"96365": 1, "96375": 1, "J0696": 4},
                 id="primary-infusion-stated"),
]


@pytest.mark.parametrize(("administrations", "extra", "expected"), ROWS)
def test_device_and_primary_rows(administrations: list[dict[str, Any]], extra: dict[str, Any],
                                 expected: dict[str, int]) -> None:
    result = code_encounter(Encounter.model_validate(
        {"setting": "professional", "administrations": administrations, **extra}))
    assert not result.questions
    assert _lines(result) == expected


def test_facility_keeps_the_hierarchy_whatever_the_primary() -> None:
    result = _code([TORADOL_PUSH, ROCEPHIN_30], setting="facility", primary=0)
    assert _lines(result) == {"96365": 1, "96375": 1, "J0696": 4}


def test_a_flush_with_a_drug_stays_in_the_answer_as_not_reported() -> None:
    result = _code([FLUSH, ZOFRAN_PUSH])
    flush = result.timeline[0]
    assert flush.codes == [] and flush.coded.startswith("not reported")
    assert "zofran" in flush.coded and "only service" in flush.coded
    assert any("96523" in citation for citation in result.citations)


def test_the_flush_line_cites_the_ptp_table() -> None:
    (line,) = _code([FLUSH]).lines
    assert line.code == "96523" and "PTP" in line.citation


def test_a_pump_set_up_without_its_infusion_is_asked_never_coded() -> None:
    result = _code([SECOND_PUMP])
    assert result.lines == []
    assert result.questions and "subcutaneous infusion" in result.questions[0]


def test_the_second_set_up_is_flagged_unconfirmed_once_per_encounter() -> None:
    result = _code([SCIG_150, SECOND_PUMP])
    assert result.unconfirmed
    assert any("96371" in warning and "UNCONFIRMED" in warning for warning in result.warnings)


def test_the_stated_primary_is_said_on_the_initial_line() -> None:
    result = _code([TORADOL_PUSH, ROCEPHIN_30], primary=0)
    initial = next(line for line in result.lines if line.code == "96374")
    assert "primary reason" in initial.why
    assert not any("was not stated" in warning for warning in result.warnings)
    unstated = _code([TORADOL_PUSH, ROCEPHIN_30])
    assert any("was not stated" in warning for warning in unstated.warnings)


@pytest.mark.parametrize("push_first", [True, False], ids=["push-listed-first", "infusion-listed-first"])
@pytest.mark.parametrize("push_clock", [None, "09:00", "11:00"], ids=["push-no-time", "push-before", "push-after"])
def test_the_stated_primary_decides_whatever_the_order_or_clock(push_first: bool, push_clock: str | None) -> None:
    push = {**TORADOL_PUSH, "start": push_clock}
    administrations = [push, ROCEPHIN_30] if push_first else [ROCEPHIN_30, push]
    push_index = administrations.index(push)
    as_push = _lines(_code(administrations, primary=push_index))
    as_infusion = _lines(_code(administrations, primary=1 - push_index))
    assert as_push == {"96374": 1, "96367": 1, "J0696": 4}
    assert as_infusion == {"96365": 1, "96375": 1, "J0696": 4}
    for primary in (push_index, 1 - push_index):  # the facility's hierarchy never reads the primary reason
        assert _lines(_code(administrations, setting="facility", primary=primary)) == as_infusion
