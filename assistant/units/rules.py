"""The shapes of a time rule, as small frozen tables, and the ONE generic algorithm that reads them.

A timed family is a ladder of bands (the highest band whose minimum is met is billed once) plus add-ons whose
units are attained by time (`TimeAddOn`: unit 1 at `first_unit_at` total minutes, then one more every `step`)
or counted from the request (`CountAddOn`: pump set-ups, sequential drugs...). Hour-based add-ons (subq,
hydration, IV, chemo), critical care, sedation, office E/M with prolonged services and psychotherapy all share
this shape; a new family is a new table, not new control flow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assistant.units.models import Payer

NO_LIMIT = 10**9


@dataclass(frozen=True, slots=True)
class Band:
    """A code billed once when the minutes reach `min_minutes` (and no higher band is reached)."""

    code: str
    min_minutes: int
    title: str
    add_on_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TimeAddOn:
    """Add-on units attained by time: the first at `first_unit_at` total minutes, one more every `step` minutes.

    Reported only after one of the band codes in `after`. Example, CPT "each additional hour": first 91, step 60.
    """

    code: str
    title: str
    first_unit_at: int
    step: int
    after: tuple[str, ...]

    def units(self, minutes: int) -> int:
        """Units attained at `minutes` total minutes (0 below the first threshold)."""
        if minutes < self.first_unit_at:
            return 0
        return 1 + (minutes - self.first_unit_at) // self.step


@dataclass(frozen=True, slots=True)
class CountAddOn:
    """Add-on units counted from a request field, e.g. pump set-ups after the first (`subtract=1`).

    `max_units` caps the count (e.g. once per encounter); `cap_note` is then added to the warnings.
    """

    code: str
    title: str
    field: str
    after: tuple[str, ...]
    subtract: int = 0
    max_units: int = NO_LIMIT
    cap_note: str = ""
    cap_unconfirmed: bool = False
    cap_citations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    """A warning attached when the minutes fall in [from_minutes, to_minutes].

    `unconfirmed` marks a rule without a primary source: the answer is then flagged and the note says what to check.
    """

    text: str
    from_minutes: int = 0
    to_minutes: int = NO_LIMIT
    unconfirmed: bool = False
    citation: str = ""

    def applies(self, minutes: int) -> bool:
        return self.from_minutes <= minutes <= self.to_minutes


@dataclass(frozen=True, slots=True)
class TimedRule:
    """Everything one payer's version of a timed family needs, with the sources of each part."""

    family: str
    payer: Payer
    bands: tuple[Band, ...]
    rule: str
    citations: tuple[str, ...]
    below_minimum: str
    time_add_ons: tuple[TimeAddOn, ...] = ()
    count_add_ons: tuple[CountAddOn, ...] = ()
    notes: tuple[Note, ...] = ()

    def band_for(self, minutes: int) -> Band | None:
        """The highest band whose minimum is met (bands are in ascending order), or None below the lowest."""
        chosen = None
        for band in self.bands:
            if minutes < band.min_minutes:
                break
            chosen = band
        return chosen

    def code_units(self, minutes: int) -> tuple[tuple[str, int], ...]:
        """The fast path: (code, units) pairs for `minutes`, time add-ons included, count add-ons not."""
        band = self.band_for(minutes)
        if band is None:
            return ()
        pairs = [(band.code, 1)]
        for add_on in self.time_add_ons:
            if band.code in add_on.after:
                units = add_on.units(minutes)
                if units:
                    pairs.append((add_on.code, units))
        return tuple(pairs)


def hourly_add_on(code: str, title: str, after: tuple[str, ...]) -> TimeAddOn:
    """A CPT "each additional hour" add-on: unit n at 60*n+31 total minutes (91, 151, 211...)."""
    return TimeAddOn(code=code, title=title, first_unit_at=91, step=60, after=after)


def midpoint_units(minutes: int, unit_minutes: int = 15) -> int:
    """Units of `unit_minutes` under the midpoint rule: a unit is attained once more than half of it has passed.

    For 15-minute units that is 8-22 -> 1, 23-37 -> 2 (Medicare's 8-minute rule and the CPT rule of 8s).
    """
    if minutes <= 0:
        return 0
    return (minutes + unit_minutes // 2) // unit_minutes


@dataclass(frozen=True, slots=True)
class FieldNote:
    """A warning attached when a request field (a count) reaches `at_least`."""

    field: str
    at_least: int
    text: str
    unconfirmed: bool = False
    citation: str = ""


@dataclass(frozen=True, slots=True)
class TimedFamily:
    """A timed family: its rules per (payer, variant); `variant_fields` name the request fields that pick one."""

    name: str
    duration_noun: str
    variant_fields: tuple[str, ...]
    rules: Mapping[tuple[Payer, tuple[object, ...]], TimedRule]
    field_notes: tuple[FieldNote, ...] = ()
    missing_variant: str = ""
