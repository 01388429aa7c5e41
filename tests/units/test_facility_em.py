"""Hospital, nursing facility and home E/M by total time (2023+), prolonged 99418/99417 vs G0316-G0318
[encounters.md B3; issue 14]."""

from __future__ import annotations

import pytest

from assistant.units import MissingDetailError, UnitsRequest, calculate
from assistant.units import sources as src

HOSPITAL = [
    # initial inpatient or observation care
    pytest.param("initial", "cpt", 39, {}, id="initial-39-min-by-mdm"),
    pytest.param("initial", "cpt", 40, {"99221": 1}, id="initial-40-min-99221"),
    pytest.param("initial", "cpt", 54, {"99221": 1}, id="initial-54-min-99221"),
    pytest.param("initial", "cpt", 55, {"99222": 1}, id="initial-55-min-99222"),
    pytest.param("initial", "cpt", 74, {"99222": 1}, id="initial-74-min-99222"),
    pytest.param("initial", "cpt", 75, {"99223": 1}, id="initial-75-min-99223"),
    pytest.param("initial", "cpt", 89, {"99223": 1}, id="initial-89-min-no-99418"),
    pytest.param("initial", "cpt", 90, {"99223": 1, "99418": 1}, id="initial-90-min-first-99418"),
    pytest.param("initial", "cpt", 104, {"99223": 1, "99418": 1}, id="initial-104-min-one-99418"),
    pytest.param("initial", "cpt", 105, {"99223": 1, "99418": 2}, id="initial-105-min-two-99418"),
    pytest.param("initial", "medicare", 89, {"99223": 1}, id="medicare-initial-89-min-no-g0316"),
    pytest.param("initial", "medicare", 90, {"99223": 1, "G0316": 1}, id="medicare-initial-90-min-g0316"),
    pytest.param("initial", "medicare", 105, {"99223": 1, "G0316": 2}, id="medicare-initial-105-min-two-g0316"),
    # subsequent
    pytest.param("subsequent", "cpt", 24, {}, id="subsequent-24-min-by-mdm"),
    pytest.param("subsequent", "cpt", 25, {"99231": 1}, id="subsequent-25-min-99231"),
    pytest.param("subsequent", "cpt", 30, {"99231": 1}, id="subsequent-30-min-issue-row"),
    pytest.param("subsequent", "cpt", 34, {"99231": 1}, id="subsequent-34-min-99231"),
    pytest.param("subsequent", "cpt", 35, {"99232": 1}, id="subsequent-35-min-99232"),
    pytest.param("subsequent", "cpt", 49, {"99232": 1}, id="subsequent-49-min-99232"),
    pytest.param("subsequent", "cpt", 50, {"99233": 1}, id="subsequent-50-min-99233"),
    pytest.param("subsequent", "cpt", 64, {"99233": 1}, id="subsequent-64-min-no-99418"),
    pytest.param("subsequent", "cpt", 65, {"99233": 1, "99418": 1}, id="subsequent-65-min-99418"),
    pytest.param("subsequent", "medicare", 64, {"99233": 1}, id="medicare-subsequent-64-min-no-g0316"),
    pytest.param("subsequent", "medicare", 65, {"99233": 1, "G0316": 1}, id="medicare-subsequent-65-min-g0316"),
    pytest.param("subsequent", "medicare", 80, {"99233": 1, "G0316": 2}, id="medicare-subsequent-80-min-two-g0316"),
    # discharge day management
    pytest.param("discharge", "cpt", 1, {"99238": 1}, id="discharge-1-min-99238"),
    pytest.param("discharge", "cpt", 30, {"99238": 1}, id="discharge-30-min-99238"),
    pytest.param("discharge", "cpt", 31, {"99239": 1}, id="discharge-31-min-99239"),
    pytest.param("discharge", "cpt", 45, {"99239": 1}, id="discharge-45-min-issue-row"),
    pytest.param("discharge", "medicare", 120, {"99239": 1}, id="discharge-120-min-no-prolonged"),
    # admission and discharge on the same date [encounters.md B3]
    pytest.param("same_day", "cpt", 44, {}, id="same-day-44-min-by-mdm"),
    pytest.param("same_day", "cpt", 45, {"99234": 1}, id="same-day-45-min-99234"),
    pytest.param("same_day", "cpt", 69, {"99234": 1}, id="same-day-69-min-99234"),
    pytest.param("same_day", "cpt", 70, {"99235": 1}, id="same-day-70-min-99235"),
    pytest.param("same_day", "cpt", 84, {"99235": 1}, id="same-day-84-min-99235"),
    pytest.param("same_day", "cpt", 85, {"99236": 1}, id="same-day-85-min-99236"),
    pytest.param("same_day", "cpt", 99, {"99236": 1}, id="same-day-99-min-no-99418"),
    pytest.param("same_day", "cpt", 100, {"99236": 1, "99418": 1}, id="same-day-100-min-99418-derived"),
    pytest.param("same_day", "medicare", 109, {"99236": 1}, id="medicare-same-day-109-min-no-g0316"),
    pytest.param("same_day", "medicare", 110, {"99236": 1, "G0316": 1}, id="medicare-same-day-110-min-g0316"),
]


@pytest.mark.parametrize(("visit", "payer", "minutes", "expected"), HOSPITAL)
def test_hospital_em(billed, visit, payer, minutes, expected):
    assert billed(family="hospital_em", visit=visit, payer=payer, minutes=minutes) == expected


NURSING = [
    pytest.param("initial", "cpt", 24, {}, id="nf-initial-24-min-by-mdm"),
    pytest.param("initial", "cpt", 25, {"99304": 1}, id="nf-initial-25-min-99304"),
    pytest.param("initial", "cpt", 34, {"99304": 1}, id="nf-initial-34-min-99304"),
    pytest.param("initial", "cpt", 35, {"99305": 1}, id="nf-initial-35-min-99305"),
    pytest.param("initial", "cpt", 49, {"99305": 1}, id="nf-initial-49-min-99305"),
    pytest.param("initial", "cpt", 50, {"99306": 1}, id="nf-initial-50-min-99306"),
    pytest.param("initial", "cpt", 64, {"99306": 1}, id="nf-initial-64-min-no-99418"),
    pytest.param("initial", "cpt", 65, {"99306": 1, "99418": 1}, id="nf-initial-65-min-99418"),
    pytest.param("initial", "medicare", 94, {"99306": 1}, id="medicare-nf-initial-94-min-no-g0317"),
    pytest.param("initial", "medicare", 95, {"99306": 1, "G0317": 1}, id="medicare-nf-initial-95-min-g0317"),
    pytest.param("subsequent", "cpt", 9, {}, id="nf-subsequent-9-min-by-mdm"),
    pytest.param("subsequent", "cpt", 10, {"99307": 1}, id="nf-subsequent-10-min-99307"),
    pytest.param("subsequent", "cpt", 15, {"99308": 1}, id="nf-subsequent-15-min-99308"),
    pytest.param("subsequent", "cpt", 29, {"99308": 1}, id="nf-subsequent-29-min-99308"),
    pytest.param("subsequent", "cpt", 30, {"99309": 1}, id="nf-subsequent-30-min-99309"),
    pytest.param("subsequent", "cpt", 44, {"99309": 1}, id="nf-subsequent-44-min-99309"),
    pytest.param("subsequent", "cpt", 45, {"99310": 1}, id="nf-subsequent-45-min-99310"),
    pytest.param("subsequent", "cpt", 59, {"99310": 1}, id="nf-subsequent-59-min-no-99418"),
    pytest.param("subsequent", "cpt", 60, {"99310": 1, "99418": 1}, id="nf-subsequent-60-min-99418"),
    pytest.param("subsequent", "medicare", 84, {"99310": 1}, id="medicare-nf-subsequent-84-min-no-g0317"),
    pytest.param("subsequent", "medicare", 85, {"99310": 1, "G0317": 1}, id="medicare-nf-subsequent-85-min-g0317"),
]


@pytest.mark.parametrize(("visit", "payer", "minutes", "expected"), NURSING)
def test_nursing_facility_em(billed, visit, payer, minutes, expected):
    assert billed(family="nursing_facility_em", visit=visit, payer=payer, minutes=minutes) == expected


HOME = [
    pytest.param("new", "cpt", 14, {}, id="home-new-14-min-by-mdm"),
    pytest.param("new", "cpt", 15, {"99341": 1}, id="home-new-15-min-99341"),
    pytest.param("new", "cpt", 30, {"99342": 1}, id="home-new-30-min-99342"),
    pytest.param("new", "cpt", 59, {"99342": 1}, id="home-new-59-min-99342"),
    pytest.param("new", "cpt", 60, {"99344": 1}, id="home-new-60-min-99344"),
    pytest.param("new", "cpt", 75, {"99345": 1}, id="home-new-75-min-99345"),
    pytest.param("new", "cpt", 89, {"99345": 1}, id="home-new-89-min-no-99417"),
    pytest.param("new", "cpt", 90, {"99345": 1, "99417": 1}, id="home-new-90-min-99417"),
    pytest.param("new", "medicare", 139, {"99345": 1}, id="medicare-home-new-139-min-no-g0318"),
    pytest.param("new", "medicare", 140, {"99345": 1, "G0318": 1}, id="medicare-home-new-140-min-g0318"),
    pytest.param("established", "cpt", 19, {}, id="home-est-19-min-by-mdm"),
    pytest.param("established", "cpt", 20, {"99347": 1}, id="home-est-20-min-99347"),
    pytest.param("established", "cpt", 30, {"99348": 1}, id="home-est-30-min-99348"),
    pytest.param("established", "cpt", 40, {"99349": 1}, id="home-est-40-min-99349"),
    pytest.param("established", "cpt", 59, {"99349": 1}, id="home-est-59-min-99349"),
    pytest.param("established", "cpt", 60, {"99350": 1}, id="home-est-60-min-99350"),
    pytest.param("established", "cpt", 74, {"99350": 1}, id="home-est-74-min-no-99417"),
    pytest.param("established", "cpt", 75, {"99350": 1, "99417": 1}, id="home-est-75-min-99417"),
    pytest.param("established", "medicare", 109, {"99350": 1}, id="medicare-home-est-109-min-no-g0318"),
    pytest.param("established", "medicare", 110, {"99350": 1, "G0318": 1}, id="medicare-home-est-110-min-g0318"),
]


@pytest.mark.parametrize(("patient", "payer", "minutes", "expected"), HOME)
def test_home_em(billed, patient, payer, minutes, expected):
    assert billed(family="home_em", patient=patient, payer=payer, minutes=minutes) == expected


def test_both_prolonged_codes_are_named(calc):
    cpt = calc(family="hospital_em", visit="initial", minutes=95)
    medicare = calc(family="hospital_em", visit="initial", minutes=95, payer="medicare")
    assert any("G0316" in w for w in cpt.warnings) and "99418" in cpt.rule
    assert any("99418" in w for w in medicare.warnings) and "G0316" in medicare.rule
    assert src.PROLONGED_G031X in medicare.citations and src.PROLONGED_99418 in cpt.citations


def test_medicare_nursing_facility_names_its_time_window(calc):
    result = calc(family="nursing_facility_em", visit="subsequent", minutes=90, payer="medicare")
    assert "G0317" in result.rule
    assert any("3 days after" in w for w in result.warnings)


def test_99306_between_45_and_49_minutes_is_flagged(calc):
    result = calc(family="nursing_facility_em", visit="initial", minutes=47)
    assert result.unconfirmed and [line.code for line in result.lines] == ["99305"]
    assert not calc(family="nursing_facility_em", visit="initial", minutes=50).unconfirmed


@pytest.mark.parametrize(
    ("family", "fields"),
    [
        pytest.param("hospital_em", {}, id="hospital-visit-missing"),
        pytest.param("nursing_facility_em", {}, id="nf-visit-missing"),
        pytest.param("home_em", {}, id="home-patient-missing"),
        pytest.param("nursing_facility_em", {"visit": "discharge"}, id="nf-discharge-not-modelled"),
    ],
)
def test_missing_or_unknown_visit_is_asked(family, fields):
    with pytest.raises(MissingDetailError):
        calculate(UnitsRequest(family=family, minutes=40, **fields))


def test_below_the_lowest_level_says_mdm(calc):
    result = calc(family="hospital_em", visit="subsequent", minutes=20)
    assert "medical decision making" in result.not_billable_reason


@pytest.mark.parametrize(
    ("family", "variant"),
    [
        pytest.param("hospital_em", ("initial",), id="hospital-initial"),
        pytest.param("hospital_em", ("subsequent",), id="hospital-subsequent"),
        pytest.param("hospital_em", ("same_day",), id="hospital-same-day"),
        pytest.param("nursing_facility_em", ("initial",), id="nf-initial"),
        pytest.param("nursing_facility_em", ("subsequent",), id="nf-subsequent"),
        pytest.param("home_em", ("new",), id="home-new"),
        pytest.param("home_em", ("established",), id="home-established"),
    ],
)
def test_payers_agree_on_the_level_and_medicare_never_starts_prolonged_time_earlier(family, variant):
    """Invariant over every minute of a day: the level code is the payers' common ground; only prolonged time
    differs, and Medicare's thresholds are never earlier than CPT's (CY 2023 PFS final rule vs CPT 2023)."""
    from assistant.units import calculate_minutes

    for minutes in range(1, 24 * 60 + 1):
        cpt = calculate_minutes(family, minutes, "cpt", variant)
        medicare = calculate_minutes(family, minutes, "medicare", variant)
        assert cpt[:1] == medicare[:1], minutes
        cpt_prolonged = sum(units for _code, units in cpt[1:])
        medicare_prolonged = sum(units for _code, units in medicare[1:])
        assert medicare_prolonged <= cpt_prolonged, minutes


def test_same_day_prolonged_threshold_conflict_is_flagged(calc):
    assert calc(family="hospital_em", visit="same_day", minutes=110, payer="medicare").unconfirmed
    assert not calc(family="hospital_em", visit="same_day", minutes=95, payer="medicare").unconfirmed
