"""`calculate`: validate the request, pick the family's table, run the one generic algorithm, add MUE checks.

`calculate_minutes` is the fast path for the timed families (no pydantic): the same tables and algorithm.
"""

from __future__ import annotations

import datetime

from assistant.units.anesthesia import BaseUnitsLookup, with_base_units
from assistant.units.errors import (
    ConflictingTimesError,
    InvalidCountError,
    InvalidDoseError,
    MissingDetailError,
    NonPositiveDurationError,
    SameStartEndError,
    TooLongError,
    UnknownFamilyError,
)
from assistant.units.limits import in_range, out_of_range_text
from assistant.units.models import MueLookup, Payer, UnitsRequest, UnitsResult
from assistant.units.outcome import Outcome
from assistant.units.registry import NOUNS, REGISTRY, TIMED_FAMILIES
from assistant.units.timed import ask_for_variant, timed_outcome
from assistant.units.titles import ADD_ON_PRIMARIES

__all__ = ["ask_for_variant", "calculate", "calculate_minutes", "describe_minutes", "timed_outcome"]

MAX_MINUTES = 24 * 60


def _noun(family: str) -> str:
    return NOUNS.get(family, "a service")


def describe_minutes(minutes: int) -> str:
    """Minutes in a coder's words: whole hours as hours ("-3 hours", "25 hours"), otherwise minutes."""
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" if abs(hours) == 1 else f"{hours} hours"
    return f"{minutes} minute" if abs(minutes) == 1 else f"{minutes} minutes"


def check_minutes(minutes: int, noun: str) -> int:
    """Return `minutes` if it is a possible duration (1 minute to 24 hours), else raise a clear UnitsError."""
    if minutes <= 0:
        text = f"{noun} can't last {describe_minutes(minutes)}: give a duration of at least 1 minute."
        raise NonPositiveDurationError(text[0].upper() + text[1:])
    if minutes > MAX_MINUTES:
        raise TooLongError(
            f"{describe_minutes(minutes)} is more than 24 hours: one encounter can't be counted past that. "
            "Split the time by date of service and ask for each date."
        )
    return minutes


def clock_minutes(start: datetime.time, end: datetime.time) -> int:
    """Minutes from start to end; an end earlier than the start crosses midnight (23:00 -> 02:00 is 180)."""
    if start == end:
        raise SameStartEndError(
            f"The end time equals the start time ({start.strftime('%H:%M')}): give the real end time or the minutes."
        )
    start_minute = start.hour * 60 + start.minute
    end_minute = end.hour * 60 + end.minute
    return (end_minute - start_minute) % MAX_MINUTES or MAX_MINUTES


def resolve_minutes(request: UnitsRequest, noun: str) -> int | None:
    """The request's duration from `minutes` or from `start`/`end`, checked; None when neither is given."""
    if (request.start is None) != (request.end is None):
        missing = "end" if request.end is None else "start"
        raise MissingDetailError(f"Give both a start and an end time (the {missing} time is missing), or the minutes.")
    from_clock = clock_minutes(request.start, request.end) if request.start and request.end else None
    if request.minutes is not None:
        check_minutes(request.minutes, noun)
        if from_clock is not None and from_clock != request.minutes:
            raise ConflictingTimesError(
                f"The times give {from_clock} minutes but {request.minutes} minutes were given: which is right?"
            )
        return request.minutes
    return from_clock


def _check_counts(request: UnitsRequest) -> None:
    if request.pump_setups < 1:
        raise InvalidCountError(
            f"{request.pump_setups} pump set-ups is impossible: a subcutaneous infusion has at least the first one."
        )
    if request.sites is not None and request.sites < 1:
        raise InvalidCountError(f"{request.sites} sites is impossible: an infusion has at least one site.")
    counts = {
        "pushes": request.pushes,
        "same-drug pushes": request.same_drug_pushes,
        "injections": request.injections,
        "sequential infusions": request.sequential_infusions,
    }
    for name, value in counts.items():
        if value is not None and value < 0:
            raise InvalidCountError(f"{value} {name} is impossible: give how many were given (0 or more).")
        if value is not None and not in_range("count", value):  # bounded work and no absurd line (issue 24)
            raise InvalidCountError(out_of_range_text("count", f"{value:,} {name}") + ".")
    for name, amount in (("a dose of", request.dose), ("a billing unit of", request.billing_quantity)):
        if amount is not None and not in_range("dose", amount):
            raise InvalidDoseError(out_of_range_text("dose", f"{name} {amount:g}") + ".")


def _mue_warnings(outcome: Outcome, mue_lookup: MueLookup) -> None:
    for code, units, _ in outcome.lines:
        try:
            limit = mue_lookup(code)
        except Exception as error:  # the lookup is the caller's; its failure must not lose the answer
            outcome.warn(f"The MUE check for {code} failed ({error}); check the MUE table by hand.")
            continue
        if limit is not None and units > limit.value:
            outcome.warn(
                f"{code} x{units} exceeds its MUE of {limit.value} (MAI {limit.mai}: {limit.mai_description}). "
                "Check the documentation and the payer's MUE policy before billing more than the MUE."
            )


def calculate(
    request: UnitsRequest,
    mue_lookup: MueLookup | None = None,
    base_units_lookup: BaseUnitsLookup | None = None,
) -> UnitsResult:
    """Billable lines for the request under its payer's rule, with the rule, sources and warnings.

    Raises only `UnitsError` subclasses, with a message a coder understands (bad duration, unknown family,
    missing detail, impossible dose conversion...). `lines` is empty exactly when `not_billable_reason` is set.
    `base_units_lookup(code)` gives an anesthesia code's base units (the imported CMS file) when the request has none.
    """
    family = request.family.strip().lower()
    if family not in REGISTRY:
        raise UnknownFamilyError(f"Unknown family {family!r}. Known families: {', '.join(REGISTRY)}.")
    _check_counts(request)
    minutes = resolve_minutes(request, _noun(family))
    base_note = None
    if family == "anesthesia":
        request, base_note = with_base_units(request, base_units_lookup)
    outcome = REGISTRY[family].calculator(request, minutes)
    if base_note:
        outcome.warn(base_note)
    if mue_lookup is not None:
        _mue_warnings(outcome, mue_lookup)
    if not outcome.lines and outcome.not_billable_reason is None:
        outcome.not_billable_reason = "Nothing to report for this request."
    if outcome.minutes is None:
        outcome.minutes = minutes
    # One validation call for the result and its lines: pydantic's core does it faster than model_construct.
    return UnitsResult.model_validate(
        {
            "family": family,
            "payer": request.payer,
            "setting": request.setting,
            "minutes": outcome.minutes,
            "lines": [
                {"code": code, "units": units, "title": title, "add_on_to": ADD_ON_PRIMARIES.get(code, ())}
                for code, units, title in outcome.lines
            ],
            "rule": outcome.rule,
            "citations": outcome.citations,
            "warnings": outcome.warnings,
            "not_billable_reason": outcome.not_billable_reason if not outcome.lines else None,
            "unconfirmed": outcome.unconfirmed,
            "anesthesia_time_units": outcome.anesthesia_time_units,
            "anesthesia_total_units": outcome.anesthesia_total_units,
            "anesthesia_base_units": outcome.anesthesia_base_units,
        }
    )


def calculate_minutes(
    family: str, minutes: int, payer: Payer = "cpt", variant: tuple[object, ...] = ()
) -> tuple[tuple[str, int], ...]:
    """Fast path for the timed families: (code, units) pairs only, no warnings, no pydantic.

    `variant` holds the values of the family's variant fields in order (office_em: (patient,); psychotherapy:
    (with_em,); sedation: (sedation_by, patient_under_5, gi_endoscopy); chemo_infusion: (prolonged_pump,);
    hospital_em / nursing_facility_em: (visit,); home_em: (patient,); care_management: (care_program,);
    family_psychotherapy: (patient_present,)); missing trailing values take the defaults in DEFAULT_VARIANTS.
    Same tables and algorithm as `calculate`.
    """
    timed = TIMED_FAMILIES.get(family)
    if timed is None:
        raise UnknownFamilyError(
            f"No minutes-only fast path for {family!r}. Timed families: {', '.join(TIMED_FAMILIES)}."
        )
    check_minutes(minutes, timed.duration_noun)
    if len(variant) < len(timed.variant_fields):
        variant = tuple(variant) + DEFAULT_VARIANTS[family][len(variant):]
    rule = timed.rules.get((payer, variant))
    if rule is None:
        raise MissingDetailError(f"{family} needs {', '.join(timed.variant_fields)}; got {variant!r}.")
    return rule.code_units(minutes)


DEFAULT_VARIANTS: dict[str, tuple[object, ...]] = {
    "office_em": ("established",),
    "psychotherapy": (False,),
    "sedation": ("same", False, False),
    "chemo_infusion": (False,),
    "family_psychotherapy": (True,),
    "hospital_em": ("subsequent",),
    "nursing_facility_em": ("subsequent",),
    "home_em": ("established",),
    "care_management": ("ccm_staff",),
}
