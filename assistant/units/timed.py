"""The ONE generic algorithm for a timed family: band + time add-ons + count add-ons + notes, read from its table.

Its own module so that every calculator (engine, administration, the family registry) imports it without a cycle.
"""

from __future__ import annotations

from assistant.units.errors import MissingDetailError
from assistant.units.models import Payer, UnitsRequest
from assistant.units.outcome import Outcome
from assistant.units.rules import TimedFamily, TimedRule
from assistant.units.titles import TITLES


def timed_outcome(request: UnitsRequest, family: TimedFamily, minutes: int | None) -> Outcome:
    """Lines, rule, sources and warnings for `minutes` of a timed family under the request's payer and variant."""
    variant = tuple(getattr(request, name) for name in family.variant_fields)
    if minutes is None:
        rule = family.rules.get((request.payer, variant))
        ladder = f" {describe_ladder(rule)}" if rule is not None else ""
        raise MissingDetailError(
            f"How long did {family.duration_noun} last? Give the minutes or the start and end times.{ladder}"
        )
    if None in variant:
        raise MissingDetailError(ask_for_variant(family, request.payer, variant, minutes))
    rule = family.rules.get((request.payer, variant))
    if rule is None:
        raise MissingDetailError(_unsupported_variant(family, variant))
    outcome = Outcome(rule=rule.rule, citations=list(rule.citations), minutes=minutes)
    pairs = rule.code_units(minutes)  # the same core as the fast path
    if pairs:
        band_code = pairs[0][0]
        outcome.lines.extend((code, units, TITLES[code]) for code, units in pairs)
        for counted in rule.count_add_ons:
            wanted = int(getattr(request, counted.field) or 0) - counted.subtract
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


def describe_ladder(rule: TimedRule) -> str:
    """The rule's codes by time in one sentence ("By time: G0500 from 10 minutes; +99153 from 23, then every 15.")."""
    parts = [f"{band.code} from {band.min_minutes} minute{'' if band.min_minutes == 1 else 's'}" for band in rule.bands]
    parts += [f"+{a.code} from {a.first_unit_at}, then every {a.step}" for a in rule.time_add_ons]
    return "By time (" + rule.payer.upper().replace("MEDICARE", "Medicare") + "): " + "; ".join(parts) + "."


def _unsupported_variant(family: TimedFamily, variant: tuple[object, ...]) -> str:
    asked = ", ".join(f"{name} {value}" for name, value in zip(family.variant_fields, variant, strict=True))
    known = sorted({", ".join(map(str, v)) for _, v in family.rules})
    return f"{family.name} has no rule for {asked}. Known: {'; '.join(known)}."


def ask_for_variant(family: TimedFamily, payer: Payer, variant: tuple[object, ...], minutes: int) -> str:
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
