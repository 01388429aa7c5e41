"""`calculate`: validate the request, pick the family's table, run the one generic algorithm, add MUE checks.

`calculate_minutes` is the fast path for the timed families (no pydantic): the same tables and algorithm.
"""

from __future__ import annotations

import datetime

from assistant.units.administration import chemo_push, drug_administration
from assistant.units.anesthesia import anesthesia
from assistant.units.drugs import drug_units
from assistant.units.errors import (
    ConflictingTimesError,
    InvalidCountError,
    MissingDetailError,
    NonPositiveDurationError,
    SameStartEndError,
    TooLongError,
    UnknownFamilyError,
)
from assistant.units.models import MueLookup, Payer, UnitsRequest, UnitsResult
from assistant.units.outcome import Outcome
from assistant.units.tables import ADD_ON_PRIMARIES, FAMILIES, TIMED_FAMILIES, TITLES, TimedFamily
from assistant.units.therapy import therapy

MAX_MINUTES = 24 * 60

_NOUNS = {
    "iv_push": "a push",
    "injection": "an injection",
    "chemo_push": "a chemotherapy push",
    "therapy": "therapy",
    "anesthesia": "anesthesia",
    "drug_units": "a drug administration",
}


def _noun(family: str) -> str:
    timed = TIMED_FAMILIES.get(family)
    return timed.duration_noun if timed else _NOUNS.get(family, "a service")


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


def timed_outcome(request: UnitsRequest, family: TimedFamily, minutes: int | None) -> Outcome:
    """The generic algorithm for a timed family: band + time add-ons + count add-ons + notes from its table."""
    if minutes is None:
        raise MissingDetailError(
            f"How long did {family.duration_noun} last? Give the minutes or the start and end times."
        )
    variant = tuple(getattr(request, name) for name in family.variant_fields)
    if None in variant:
        raise MissingDetailError(_ask_for_variant(family, request.payer, variant, minutes))
    rule = family.rules[(request.payer, variant)]
    outcome = Outcome(rule=rule.rule, citations=list(rule.citations), minutes=minutes)
    pairs = rule.code_units(minutes)  # the same core as the fast path
    if pairs:
        band_code = pairs[0][0]
        outcome.lines.extend((code, units, TITLES[code]) for code, units in pairs)
        for counted in rule.count_add_ons:
            wanted = (getattr(request, counted.field) or 0) - counted.subtract
            if band_code in counted.after and wanted > 0:
                outcome.lines.append((counted.code, min(wanted, counted.max_units), counted.title))
                if wanted > counted.max_units:
                    outcome.warn(counted.cap_note, unconfirmed=counted.cap_unconfirmed)
                    outcome.cite(*counted.cap_citations)
    else:
        outcome.not_billable_reason = rule.below_minimum
    for note in rule.notes:
        if note.applies(minutes):
            outcome.warn(note.text, unconfirmed=note.unconfirmed)
            if note.citation:
                outcome.cite(note.citation)
    for field_note in family.field_notes:
        value = getattr(request, field_note.field)
        if value is not None and value >= field_note.at_least:
            outcome.warn(field_note.text, unconfirmed=field_note.unconfirmed)
            if field_note.citation:
                outcome.cite(field_note.citation)
    return outcome


def _ask_for_variant(family: TimedFamily, payer: Payer, variant: tuple[object, ...], minutes: int) -> str:
    """A question naming what is missing, with the answer for each possible value (never a silent guess)."""
    options = []
    for (rule_payer, rule_variant), rule in family.rules.items():
        if rule_payer != payer or any(v is not None and v != rv for v, rv in zip(variant, rule_variant, strict=True)):
            continue
        label = ", ".join(
            f"{name} {value}"
            for name, value, asked in zip(family.variant_fields, rule_variant, variant, strict=True)
            if asked is None
        )
        pairs = rule.code_units(minutes)
        answer = " + ".join(f"{code} x{units}" for code, units in pairs) or "no code by time"
        options.append(f"{label}: {answer}")
    lead = family.missing_variant or f"{family.name} needs: {', '.join(family.variant_fields)}."
    return f"{lead} At {minutes} minutes ({payer}) - " + "; ".join(options) + "."


def _outcome(request: UnitsRequest, family: str, minutes: int | None) -> Outcome:
    timed = TIMED_FAMILIES.get(family)
    if family in ("iv_infusion", "iv_push", "injection"):
        if family == "iv_infusion" and minutes is None and not (request.pushes or request.injections):
            raise MissingDetailError("How long did the infusion run? Give the minutes or the start and end times.")
        return drug_administration(request, family, minutes)
    if timed is not None:
        return timed_outcome(request, timed, minutes)
    if family == "chemo_push":
        return chemo_push(request, minutes)
    if family == "therapy":
        return therapy(request)
    if family == "anesthesia":
        return anesthesia(request, minutes)
    return drug_units(request)  # the only family left (FAMILIES is checked first)


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


def calculate(request: UnitsRequest, mue_lookup: MueLookup | None = None) -> UnitsResult:
    """Billable lines for the request under its payer's rule, with the rule, sources and warnings.

    Raises only `UnitsError` subclasses, with a message a coder understands (bad duration, unknown family,
    missing detail, impossible dose conversion...). `lines` is empty exactly when `not_billable_reason` is set.
    """
    family = request.family.strip().lower()
    if family not in FAMILIES:
        raise UnknownFamilyError(f"Unknown family {family!r}. Known families: {', '.join(FAMILIES)}.")
    _check_counts(request)
    minutes = resolve_minutes(request, _noun(family))
    outcome = _outcome(request, family, minutes)
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
        }
    )


def calculate_minutes(
    family: str, minutes: int, payer: Payer = "cpt", variant: tuple[object, ...] = ()
) -> tuple[tuple[str, int], ...]:
    """Fast path for the timed families: (code, units) pairs only, no warnings, no pydantic.

    `variant` holds the values of the family's variant fields in order (office_em: (patient,); psychotherapy:
    (with_em,); sedation: (sedation_by, patient_under_5); chemo_infusion: (prolonged_pump,)); empty means the
    default. Same tables and algorithm as `calculate`.
    """
    timed = TIMED_FAMILIES.get(family)
    if timed is None:
        raise UnknownFamilyError(
            f"No minutes-only fast path for {family!r}. Timed families: {', '.join(TIMED_FAMILIES)}."
        )
    check_minutes(minutes, timed.duration_noun)
    if not variant and timed.variant_fields:
        variant = DEFAULT_VARIANTS[family]
    rule = timed.rules.get((payer, variant))
    if rule is None:
        raise MissingDetailError(f"{family} needs {', '.join(timed.variant_fields)}; got {variant!r}.")
    return rule.code_units(minutes)


DEFAULT_VARIANTS: dict[str, tuple[object, ...]] = {
    "office_em": ("established",),
    "psychotherapy": (False,),
    "sedation": ("same", False),
    "chemo_infusion": (False,),
}
