"""The sane range of every number the assistant reads from a question or an API body (issue 24 item 2).

A number outside its kind's range is not a service anyone documented: it is a typo, a test or an attack, and
counting it would cost unbounded work ("rituxan 99999999999 minutes" grew the server to 4 GB while splitting the
time into 24-hour blocks). Each reader checks where it parses the number and answers "out of range" (a units
answer with no codes, saying the range), never a guess and never an error.

The ranges are deliberately generous, so no real question meets them:
- minutes of one service: 7 days (a continuous infusion by pump runs up to a few days; time over a day is split
  by date of service, CPM4 section 230.2);
- minutes in one encounter or question: 31 days (care management time is counted per calendar month);
- a dose, in any unit: one billion (penicillin G is dosed in millions of units);
- a count of services, pushes, sites, vials: 1,000;
- the date-of-service offset of an administration: 31 days;
- administrations in one encounter: 200;
- digits in one number: 14 (an NDC has 11 digits, a GTIN 14); longer is not a number anyone counts with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Kind = Literal["service_minutes", "visit_minutes", "dose", "count", "day", "administrations"]

MAX_NUMBER_DIGITS = 14
MAX_NUMBER = 10.0**MAX_NUMBER_DIGITS


@dataclass(frozen=True)
class Range:
    """The accepted values of one kind of number, inclusive, and how the answer names them."""

    low: float
    high: float
    what: str


RANGES: dict[Kind, Range] = {
    "service_minutes": Range(0, 7 * 24 * 60, "minutes for one service"),
    "visit_minutes": Range(0, 31 * 24 * 60, "minutes in one question or encounter"),
    "dose": Range(0, 1e9, "a dose"),
    "count": Range(0, 1000, "a count"),
    "day": Range(0, 31, "days after the first date of service"),
    "administrations": Range(1, 200, "administrations in one encounter"),
}


def in_range(kind: Kind, value: float) -> bool:
    """True when `value` is a finite number within the range of `kind` (the sign is the caller's: abs is checked,
    since a negative time or dose has its own, clearer answer)."""
    bounds = RANGES[kind]
    return math.isfinite(value) and abs(value) <= bounds.high


def range_text(kind: Kind | Literal["number"]) -> str:
    """"minutes for one service: at most 10,080"; "a number: at most 14 digits"."""
    if kind == "number":
        return f"a number: at most {MAX_NUMBER_DIGITS} digits"
    bounds = RANGES[kind]
    return f"{bounds.what}: at most {bounds.high:,.0f}"


def out_of_range_text(kind: Kind, shown: str) -> str:
    """The sentence an answer gives for a number outside its range, e.g. "99999999999 minutes is more than the
    10,080 minutes for one service this assistant counts"."""
    return f"{shown} is outside the range this assistant counts ({range_text(kind)}); check the documented number"


def number_too_long(digits: str) -> bool:
    """True for a run of digits longer than MAX_NUMBER_DIGITS (thousands commas ignored)."""
    return sum(character.isdigit() for character in digits) > MAX_NUMBER_DIGITS
