"""Invariants of code_encounter (issue 11 Tests), checked with hypothesis on generated encounters."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.units import ADD_ON_PRIMARIES
from assistant.units.encounter import Administration, Encounter, EncounterResult, code_encounter

INITIAL = {"96360", "96365", "96374", "96409", "96413"}
ADMIN_CODES_PREFIX = "96"


@st.composite
def administrations(draw: st.DrawFn, sites: bool = False) -> Administration:
    category = draw(st.sampled_from(["chemotherapy", "therapeutic", "hydration"]))
    route = "iv_infusion" if category == "hydration" else draw(st.sampled_from(["iv_infusion", "iv_push", "injection"]))
    substance = "NS" if category == "hydration" else draw(st.sampled_from(["drug a", "drug b", "drug c", "drug d"]))
    start = draw(st.integers(0, 24 * 60 - 1))
    minutes = draw(st.integers(1, 600)) if route == "iv_infusion" else None
    return Administration(
        substance=substance,
        category=category,
        hormonal=False if category == "chemotherapy" else None,
        route=route,
        start=datetime.time(start // 60, start % 60),
        minutes=minutes,
        day=draw(st.integers(0, 1)),
        site=draw(st.sampled_from([None, "port", "left arm"])) if sites else None,
    )


def encounters(sites: bool = False) -> st.SearchStrategy[Encounter]:
    return st.builds(
        Encounter,
        setting=st.sampled_from(["facility", "professional"]),
        payer=st.sampled_from(["cpt", "medicare"]),
        administrations=st.lists(administrations(sites), min_size=1, max_size=6),
    )


def admin_units(result: EncounterResult) -> int:
    return sum(line.units for line in result.lines if line.code.startswith(ADMIN_CODES_PREFIX))


@settings(max_examples=300)
@given(encounters(sites=True))
def test_never_two_initial_services_without_two_access_sites(encounter: Encounter) -> None:
    result = code_encounter(encounter)
    initials = [line for line in result.lines if line.code in INITIAL]
    sites = {(a.site or "") for a in encounter.administrations if a.site}
    assert len(initials) <= max(1, len(sites))
    assert sum(1 for line in initials if not line.modifiers) <= 1


@settings(max_examples=300)
@given(encounters(sites=True))
def test_no_add_on_without_one_of_its_primaries(encounter: Encounter) -> None:
    result = code_encounter(encounter)
    codes = {line.code for line in result.lines}
    for line in result.lines:
        if line.code in ADD_ON_PRIMARIES:
            assert codes & set(ADD_ON_PRIMARIES[line.code]), (line.code, sorted(codes))


@settings(max_examples=300)
@given(encounters(sites=True))
def test_units_are_never_negative_or_zero(encounter: Encounter) -> None:
    result = code_encounter(encounter)
    if not result.lines:  # nothing billed: the engine asked what it needs, or each timeline row says why
        assert result.questions or (result.timeline and all(row.coded for row in result.timeline))
        return
    assert all(line.units > 0 for line in result.lines)


@settings(max_examples=200)
@given(
    setting=st.sampled_from(["facility", "professional"]),
    drug_start=st.integers(0, 600),
    drug_minutes=st.integers(16, 600),
    offset=st.integers(0, 600),
    hydration_minutes=st.integers(1, 600),
    category=st.sampled_from(["chemotherapy", "therapeutic"]),
)
def test_moving_hydration_inside_a_drug_infusion_never_increases_units(
    setting: str, drug_start: int, drug_minutes: int, offset: int, hydration_minutes: int, category: str
) -> None:
    def at(minute: int) -> datetime.time:
        return datetime.time((minute // 60) % 24, minute % 60)

    drug = Administration(substance="drug", category=category, route="iv_infusion", start=at(drug_start),
                          minutes=drug_minutes)
    outside_start = drug_start + drug_minutes + offset
    outside = Administration(substance="NS", route="iv_infusion", start=at(outside_start),
                             minutes=hydration_minutes, day=outside_start // (24 * 60))
    inside = Administration(substance="NS", route="iv_infusion", start=at(drug_start),
                            minutes=min(hydration_minutes, drug_minutes))
    before = code_encounter(Encounter(setting=setting, administrations=[drug, outside]))  # type: ignore[arg-type]
    after = code_encounter(Encounter(setting=setting, administrations=[drug, inside]))  # type: ignore[arg-type]
    assert admin_units(after) <= admin_units(before)


@settings(max_examples=300)
@given(encounters(), administrations())
def test_adding_an_administration_never_removes_the_initial_service(
    encounter: Encounter, extra: Administration
) -> None:
    before = code_encounter(encounter)
    grown = encounter.model_copy(update={"administrations": [*encounter.administrations, extra]})
    after = code_encounter(grown)
    if any(line.code in INITIAL for line in before.lines) and not after.questions:
        assert any(line.code in INITIAL for line in after.lines)


def _maybe_time() -> st.SearchStrategy[datetime.time | None]:
    return st.none() | st.builds(datetime.time, st.integers(0, 23), st.integers(0, 59))


ANY_ADMINISTRATION = st.builds(
    Administration,
    substance=st.sampled_from(["NS", "drug a", "drug b", "J9271", "J9217", "zofran", "LR"]),
    category=st.none() | st.sampled_from(["chemotherapy", "therapeutic", "hydration"]),
    hormonal=st.none() | st.booleans(),
    route=st.sampled_from(["iv_infusion", "iv_push", "sc_infusion", "injection", "intralesional", "intrathecal"]),
    start=_maybe_time(),
    stop=_maybe_time(),
    minutes=st.none() | st.integers(-5, 3000),
    day=st.integers(0, 2),
    dose=st.none() | st.floats(-1, 1000, allow_nan=False),
    dose_unit=st.none() | st.sampled_from(["mg", "g", "mL", "units", "furlongs"]),
    drug_code=st.none() | st.sampled_from(["J9271", "J2405", "J9999"]),
    billing_quantity=st.none() | st.sampled_from([0.1, 1.0, 10.0]),
    billing_unit=st.none() | st.sampled_from(["mg", "mL"]),
    site=st.none() | st.sampled_from(["port", "left arm"]),
    pump=st.booleans(),
    keep_open=st.booleans(),
)


@settings(max_examples=400)
@given(
    st.builds(
        Encounter,
        setting=st.sampled_from(["facility", "professional"]),
        payer=st.sampled_from(["cpt", "medicare"]),
        administrations=st.lists(ANY_ADMINISTRATION, min_size=1, max_size=6),
        primary=st.none() | st.integers(0, 7),
    )
)
def test_any_valid_encounter_is_coded_or_asked_never_a_crash(encounter: Encounter) -> None:
    result = code_encounter(encounter)
    assert not (result.questions and result.lines)
    assert len(result.timeline) == len(encounter.administrations)
    if not result.lines:  # asked, or each timeline row says why nothing is billed
        assert result.questions or all(row.coded for row in result.timeline)
        return
    assert all(line.units > 0 and line.why and line.citation for line in result.lines)
