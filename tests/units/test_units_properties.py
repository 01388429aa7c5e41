"""Properties over many inputs: monotone units, add-ons always with a primary, therapy sums."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from assistant.units import (
    ADD_ON_PRIMARIES,
    FAMILIES,
    PRIMARY_BILLED_SEPARATELY,
    UnitsError,
    UnitsRequest,
    calculate,
    calculate_minutes,
)
from assistant.units.anesthesia import medicare_time_units
from assistant.units.drugs import billing_units
from assistant.units.registry import TIMED_FAMILIES
from assistant.units.rules import midpoint_units
from assistant.units.therapy import medicare_allocation

# 96416 starts a pump infusion of more than 8 hours: from 481 minutes it replaces the hourly 96413/96415 count with
# one initiation code, so its units legitimately drop there (test_chemo.py checks both sides of that boundary).
NOT_TIME_UNITS = {("chemo_infusion", (True,))}


def test_timed_units_never_decrease_as_minutes_grow():
    """Exhaustive over every minute of a day, for every timed family, payer and variant."""
    for family in TIMED_FAMILIES.values():
        for (payer, variant), rule in family.rules.items():
            if (family.name, variant) in NOT_TIME_UNITS:
                continue
            previous_total, previous_add_ons = 0, {}
            time_add_ons = {add_on.code for add_on in rule.time_add_ons}
            for minutes in range(1, 24 * 60 + 1):
                pairs = dict(rule.code_units(minutes))
                total = sum(pairs.values())
                assert total >= previous_total, (family.name, payer, variant, minutes)
                for code, units in previous_add_ons.items():
                    assert pairs.get(code, 0) >= units, (family.name, payer, variant, minutes, code)
                previous_total = total
                previous_add_ons = {c: u for c, u in pairs.items() if c in time_add_ons}


@settings(max_examples=200, deadline=None)
@given(minutes=st.integers(1, 1439), pushes=st.integers(0, 4), setting=st.sampled_from(["professional", "facility"]))
def test_iv_units_never_decrease_as_minutes_grow(minutes, pushes, setting):
    def total(m: int) -> int:
        result = calculate(UnitsRequest(family="iv_infusion", minutes=m, pushes=pushes, setting=setting))
        return sum(line.units for line in result.lines)

    assert total(minutes + 1) >= total(minutes)


def _requests() -> st.SearchStrategy[UnitsRequest]:
    timed = st.builds(
        UnitsRequest,
        family=st.sampled_from(sorted(TIMED_FAMILIES)),
        minutes=st.integers(1, 1440),
        payer=st.sampled_from(["cpt", "medicare"]),
        setting=st.sampled_from(["professional", "facility"]),
        pump_setups=st.integers(1, 4),
        sites=st.none() | st.integers(1, 4),
        patient=st.sampled_from(["new", "established"]),
        with_em=st.booleans(),
        sedation_by=st.sampled_from(["same", "other"]),
        patient_under_5=st.booleans(),
        pushes=st.none() | st.integers(0, 4),
        sequential_infusions=st.integers(0, 3),
        prolonged_pump=st.booleans(),
        interactive_complexity=st.booleans(),
        patient_present=st.booleans(),
        gi_endoscopy=st.booleans(),
        visit=st.sampled_from(["initial", "subsequent", "discharge", "same_day"]),
        care_program=st.sampled_from(["ccm_staff", "ccm_complex", "ccm_physician", "pcm_physician", "pcm_staff"]),
    ).filter(lambda r: r.family != "nursing_facility_em" or r.visit in ("initial", "subsequent"))
    administration = st.builds(
        UnitsRequest,
        family=st.sampled_from(["iv_infusion", "iv_push", "injection", "chemo_push"]),
        minutes=st.none() | st.integers(1, 600),
        setting=st.sampled_from(["professional", "facility"]),
        pushes=st.none() | st.integers(0, 4),
        same_drug_pushes=st.integers(0, 3),
        injections=st.none() | st.integers(0, 3),
        sequential_infusions=st.integers(0, 3),
        concurrent_infusion=st.booleans(),
        primary_service=st.none() | st.sampled_from(["infusion", "push"]),
    ).filter(lambda r: r.family != "iv_infusion" or r.minutes is not None)
    return timed | administration


@settings(max_examples=400, deadline=None)
@given(request=_requests())
# Found by hypothesis (issue 11): a push as the primary service makes the infusion +96367, and +96368 was then
# emitted with none of its listed primaries (96365, 96366, 96413, 96415, 96416).
@example(
    request=UnitsRequest(
        family="iv_infusion", minutes=16, setting="professional", pushes=1, concurrent_infusion=True,
        primary_service="push",
    )  # fmt: skip
)
def test_an_add_on_never_appears_without_its_primary(request):
    result = calculate(request)
    codes = {line.code for line in result.lines}
    for line in result.lines:
        if line.code not in ADD_ON_PRIMARIES:
            continue
        assert line.add_on_to == list(ADD_ON_PRIMARIES[line.code])
        if line.code in PRIMARY_BILLED_SEPARATELY:
            assert any("E/M" in w for w in result.warnings)
        else:
            assert codes & set(ADD_ON_PRIMARIES[line.code]), (line.code, codes)
    assert bool(result.lines) != bool(result.not_billable_reason)
    assert result.citations or not result.lines


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["97110", "97112", "97140", "97530", "97116"]), st.integers(0, 120), min_size=1))
def test_medicare_therapy_allocation_sums_to_the_total(code_minutes):
    units, _ = medicare_allocation(code_minutes)
    total = midpoint_units(sum(code_minutes.values()))
    assert sum(units.values()) == total
    for code, minutes in code_minutes.items():
        assert minutes // 15 <= units[code] <= minutes // 15 + 1


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["97110", "97112", "97140"]), st.integers(0, 120), min_size=1),
    st.sampled_from(["cpt", "medicare"]),
)
def test_therapy_lines_never_exceed_per_code_rule(code_minutes, payer):
    result = calculate(UnitsRequest(family="therapy", code_minutes=code_minutes, payer=payer))
    billed = {line.code: line.units for line in result.lines}
    for code, units in billed.items():
        assert units <= midpoint_units(code_minutes[code]) + 1
    if payer == "medicare":
        assert sum(billed.values()) == midpoint_units(sum(code_minutes.values()))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 1439))
def test_anesthesia_time_units_never_decrease(minutes):
    assert medicare_time_units(minutes + 1) >= medicare_time_units(minutes)
    assert abs(medicare_time_units(minutes) - minutes / 15) <= 0.05 + 1e-9


@settings(max_examples=300, deadline=None)
@given(
    dose=st.decimals(min_value="0.001", max_value="100000", places=3),
    per=st.sampled_from([1, 10, 100, 250, 500, 1000]),
)
def test_drug_units_cover_the_dose_and_no_more_than_one_extra(dose, per):
    units = billing_units(float(dose), "mg", per, "mg")
    assert units >= 1
    assert units * per >= dose
    assert units == 1 or (units - 1) * per < dose


def test_fast_path_covers_every_timed_family():
    for name in TIMED_FAMILIES:
        assert calculate_minutes(name, 60) is not None


_ANY_NUMBER = st.none() | st.integers(-5000, 5000) | st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=600, deadline=None)
@given(
    family=st.sampled_from(sorted(FAMILIES)),
    minutes=st.none() | st.integers(-3000, 3000),
    counts=st.fixed_dictionaries(
        {
            "pushes": st.none() | st.integers(-2, 5),
            "injections": st.none() | st.integers(-2, 5),
            "sequential_infusions": st.integers(-2, 5),
            "same_drug_pushes": st.integers(-2, 5),
            "pump_setups": st.integers(-1, 5),
            "sites": st.none() | st.integers(-1, 5),
        }
    ),
    patient=st.none() | st.sampled_from(["new", "established"]),
    code_minutes=st.none() | st.dictionaries(st.sampled_from(["97110", "97140", " 97112 "]), st.integers(-10, 2000)),
    dose=_ANY_NUMBER,
    billing_quantity=_ANY_NUMBER,
    base_units=_ANY_NUMBER,
    dose_unit=st.none() | st.sampled_from(["mg", "g", "mcg", "units", "mL", "tablets", ""]),
    billing_unit=st.none() | st.sampled_from(["mg", "mL", "units", "vial"]),
)
def test_nothing_but_units_error_is_ever_raised(
    family, minutes, counts, patient, code_minutes, dose, billing_quantity, base_units, dose_unit, billing_unit
):
    request = UnitsRequest(
        family=family, minutes=minutes, patient=patient, code_minutes=code_minutes, dose=dose,
        billing_quantity=billing_quantity, base_units=base_units, dose_unit=dose_unit, billing_unit=billing_unit,
        drug_code="J0696", anesthesia_code="00790", **counts,
    )  # fmt: skip
    try:
        result = calculate(request)
    except UnitsError as error:
        assert str(error)
    else:
        assert bool(result.lines) != bool(result.not_billable_reason)
        if result.lines:  # else the reason is asserted just above
            assert all(line.units > 0 for line in result.lines)
