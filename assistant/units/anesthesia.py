"""Anesthesia time units [rules.md 10; encounters.md B6].

Medicare (Claims Processing Manual Ch. 12 §50): the claim line carries the anesthesia code and the actual minutes;
the contractor divides by 15 and rounds to one decimal; base units (from the question or the imported CMS
base-unit file) are added and the total is shown. Commercial rounding to whole units is payer-specific and
UNCONFIRMED, so no commercial line is computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from assistant.units import sources as src
from assistant.units.errors import InvalidCountError, MissingDetailError
from assistant.units.models import UnitsRequest
from assistant.units.outcome import Outcome

TENTH = Decimal("0.1")
NO_TIME_UNITS = frozenset({"01995", "01996"})  # Ch. 12 §50.G: no time units for these daily-management codes

BaseUnitsLookup = Callable[[str], "float | None"]
"""An anesthesia code -> its CMS base units (None when the code is not in the file)."""


def with_base_units(request: UnitsRequest, lookup: BaseUnitsLookup | None) -> tuple[UnitsRequest, str | None]:
    """The request with `base_units` filled from the imported CMS file when the question gave none, and a note."""
    if request.base_units is not None or not request.anesthesia_code:
        return request, None
    code = request.anesthesia_code.strip().upper()
    if lookup is None:
        return request, None
    try:
        value = lookup(code)
    except Exception as error:  # the lookup is the caller's; its failure must not lose the answer
        return request, f"The base-unit look-up for {code} failed ({error}); give the base units."
    if value is None:
        return request, f"{code} is not in the imported CMS anesthesia base-unit file: give its base units."
    note = f"Base units for {code}: {value:g}, from the imported CMS anesthesia base-unit file."
    return request.model_copy(update={"base_units": value}), note


def medicare_time_units(minutes: int) -> float:
    """Minutes / 15 rounded to one decimal, half up (37 minutes -> 2.5)."""
    return float((Decimal(minutes) / Decimal(15)).quantize(TENTH, rounding=ROUND_HALF_UP))


def anesthesia(request: UnitsRequest, minutes: int | None) -> Outcome:
    """Time units (and total with base units) for the anesthesia minutes; a Medicare line when the code is given."""
    if minutes is None:
        raise MissingDetailError("How long was the anesthesia? Give the minutes or the start and end times.")
    if request.base_units is not None and not (math.isfinite(request.base_units) and request.base_units >= 0):
        raise InvalidCountError(f"Base units can't be {request.base_units:g}: give the code's base units (0 or more).")
    code = request.anesthesia_code.strip().upper() if request.anesthesia_code else None
    time_units = 0.0 if code in NO_TIME_UNITS else medicare_time_units(minutes)
    total = None
    if request.base_units is not None:
        total = float(Decimal(str(request.base_units)) + Decimal(str(time_units)))
    shown = (
        f"{request.base_units:g} base + {time_units:g} time = {total:g} units"
        if total is not None and request.base_units is not None
        else f"{time_units:g} time units; base units not given"
    )
    outcome = Outcome(
        rule=(
            f"Medicare: the claim line reports the anesthesia code with the actual minutes ({minutes}); time units "
            f"are the minutes divided by 15, to one decimal ({time_units:g}); the payment adds the code's base "
            f"units ({shown})."
        ),
        citations=[src.ANESTHESIA_MEDICARE, src.ANESTHESIA_BASE_UNITS],
        minutes=minutes,
        anesthesia_time_units=time_units,
        anesthesia_total_units=total,
        anesthesia_base_units=request.base_units,
    )
    if code in NO_TIME_UNITS:
        outcome.warn(f"{code} takes no time units (Claims Processing Manual Ch. 12 §50.G): base units only.")
    if request.payer == "medicare":
        if code:
            outcome.lines.append((code, minutes, f"Anesthesia {code}: {minutes} minutes reported ({shown})"))
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
