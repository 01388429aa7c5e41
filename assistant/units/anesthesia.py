"""Anesthesia time units [rules.md 10].

Medicare (Claims Processing Manual Ch. 12 §50): the claim carries the actual minutes; the contractor divides by
15 and rounds to one decimal; base units are added. Commercial rounding to whole units is payer-specific and
UNCONFIRMED, so no commercial line is computed.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from assistant.units import sources as src
from assistant.units.errors import InvalidCountError, MissingDetailError
from assistant.units.models import UnitsRequest
from assistant.units.outcome import Outcome

TENTH = Decimal("0.1")


def medicare_time_units(minutes: int) -> float:
    """Minutes / 15 rounded to one decimal, half up (37 minutes -> 2.5)."""
    return float((Decimal(minutes) / Decimal(15)).quantize(TENTH, rounding=ROUND_HALF_UP))


def anesthesia(request: UnitsRequest, minutes: int | None) -> Outcome:
    """Time units (and total with base units) for the anesthesia minutes; a Medicare line when the code is given."""
    if minutes is None:
        raise MissingDetailError("How long was the anesthesia? Give the minutes or the start and end times.")
    if request.base_units is not None and not (math.isfinite(request.base_units) and request.base_units >= 0):
        raise InvalidCountError(f"Base units can't be {request.base_units:g}: give the code's base units (0 or more).")
    time_units = medicare_time_units(minutes)
    total = None
    if request.base_units is not None:
        total = float(Decimal(str(request.base_units)) + Decimal(str(time_units)))
    outcome = Outcome(
        rule=(
            f"Medicare: time units are the anesthesia minutes divided by 15, to one decimal ({minutes} minutes = "
            f"{time_units:g} units); the payment adds the code's base units."
        ),
        citations=[src.ANESTHESIA_MEDICARE],
        minutes=minutes,
        anesthesia_time_units=time_units,
        anesthesia_total_units=total,
    )
    if request.payer == "medicare":
        if request.anesthesia_code:
            code = request.anesthesia_code.strip().upper()
            outcome.lines.append((code, minutes, f"Anesthesia {code}: actual minutes reported as the units"))
        else:
            outcome.not_billable_reason = (
                f"No claim line without the anesthesia code: report the actual minutes ({minutes}) on its line; "
                "the time units are computed from them."
            )
    else:
        whole_down, whole_up = minutes // 15, math.ceil(minutes / 15)
        outcome.cite(src.ANESTHESIA_COMMERCIAL)
        outcome.warn(
            "Commercial payers usually count whole 15-minute units with their own rounding (UNCONFIRMED): "
            f"{minutes} minutes is {whole_down} unit(s) rounded down or {whole_up} rounded up. Check the payer "
            "contract; the Medicare tenth-of-a-unit figure is shown for reference.",
            unconfirmed=True,
        )
        outcome.not_billable_reason = (
            "No line computed for a commercial payer: its anesthesia time rounding is contract-specific (UNCONFIRMED)."
        )
    if request.base_units is None:
        outcome.warn("Base units were not given: the total adds the anesthesia code's base units to the time units.")
    return outcome
