"""Durations from minutes or clock times, and every bad-input error with its message."""

from __future__ import annotations

import datetime

import pytest

from assistant.units import (
    FAMILIES,
    ConflictingTimesError,
    InvalidCountError,
    MissingDetailError,
    NonPositiveDurationError,
    SameStartEndError,
    TooLongError,
    UnitsError,
    UnknownFamilyError,
)

T = datetime.time


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        pytest.param(T(23, 0), T(2, 0), 180, id="crosses-midnight-180"),
        pytest.param(T(8, 15), T(9, 45), 90, id="same-day-90"),
        pytest.param(T(9, 0), T(8, 59), 1439, id="almost-24-hours"),
        pytest.param(T(23, 59), T(0, 1), 2, id="two-minutes-over-midnight"),
    ],
)
def test_minutes_from_clock_times(calc, start, end, minutes):
    assert calc(family="subq_infusion", start=start, end=end).minutes == minutes


def test_clock_and_minutes_agreeing_is_fine(calc):
    assert calc(family="hydration", start=T(23, 0), end=T(2, 0), minutes=180).minutes == 180


@pytest.mark.parametrize(
    ("fields", "error", "snippet"),
    [
        pytest.param({"minutes": -180}, NonPositiveDurationError, "can't last -3 hours", id="minus-3-hours"),
        pytest.param({"minutes": -45}, NonPositiveDurationError, "-45 minutes", id="minus-45-minutes"),
        pytest.param({"minutes": 0}, NonPositiveDurationError, "at least 1 minute", id="zero-minutes"),
        pytest.param({"minutes": 1500}, TooLongError, "25 hours is more than 24 hours", id="25-hours"),
        pytest.param({"minutes": 1441}, TooLongError, "more than 24 hours", id="1441-minutes"),
        pytest.param({"start": T(9), "end": T(9)}, SameStartEndError, "equals the start", id="end-equals-start"),
        pytest.param({"start": T(9)}, MissingDetailError, "end time is missing", id="start-only"),
        pytest.param({"end": T(9)}, MissingDetailError, "start time is missing", id="end-only"),
        pytest.param(
            {"start": T(9), "end": T(10), "minutes": 90}, ConflictingTimesError, "60 minutes", id="conflicting"
        ),
        pytest.param({}, MissingDetailError, "How long", id="no-duration"),
        pytest.param({"minutes": 60, "pump_setups": 0}, InvalidCountError, "pump set-ups", id="zero-pump-set-ups"),
        pytest.param({"minutes": 60, "sites": 0}, InvalidCountError, "sites", id="zero-sites"),
    ],
)
def test_bad_subq_input(calc, fields, error, snippet):
    with pytest.raises(error, match=snippet):
        calc(family="subq_infusion", **fields)


def test_minus_3_hours_names_the_service(calc):
    with pytest.raises(NonPositiveDurationError, match="^A subcutaneous infusion can't last -3 hours"):
        calc(family="subq_infusion", minutes=-180)
    with pytest.raises(NonPositiveDurationError, match="^An infusion can't last -3 hours"):
        calc(family="iv_infusion", minutes=-180)


def test_exactly_24_hours_is_allowed(calc):
    assert calc(family="hydration", minutes=1440).minutes == 1440


def test_unknown_family_lists_the_known_ones(calc):
    with pytest.raises(UnknownFamilyError) as error:
        calc(family="chemo", minutes=60)
    for name in FAMILIES:
        assert name in str(error.value)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"family": "iv_push", "pushes": -1}, id="negative-pushes"),
        pytest.param({"family": "injection", "injections": -2}, id="negative-injections"),
        pytest.param({"family": "iv_infusion", "minutes": 60, "sequential_infusions": -1}, id="negative-sequential"),
        pytest.param({"family": "iv_push", "same_drug_pushes": -1}, id="negative-same-drug"),
    ],
)
def test_negative_counts(calc, fields):
    with pytest.raises(InvalidCountError, match="impossible"):
        calc(**fields)


@pytest.mark.parametrize("family", ["hydration", "critical_care", "psychotherapy", "sedation", "anesthesia"])
def test_timed_families_need_a_duration(calc, family):
    with pytest.raises(MissingDetailError, match="How long"):
        calc(family=family)


def test_every_error_is_a_units_error_and_a_value_error():
    for error in (NonPositiveDurationError, SameStartEndError, TooLongError, UnknownFamilyError, InvalidCountError):
        assert issubclass(error, UnitsError)
        assert issubclass(error, ValueError)
