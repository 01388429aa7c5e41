"""HCPCS drug units [rules.md 11]: dose / billing unit, rounded up; below one billing unit is 1 unit.

Units convert within their kind only: mass (g, mg, mcg), activity units (units, IU), volume (mL, L). A dose in
one kind cannot be billed in another without the drug's concentration, so that is an error, never a guess.
"""

from __future__ import annotations

import math
from decimal import Decimal

from assistant.units import sources as src
from assistant.units.errors import (
    ImpossibleConversionError,
    InvalidDoseError,
    MissingDetailError,
    MissingDoseUnitError,
    UnknownDoseUnitError,
)
from assistant.units.models import UnitsRequest
from assistant.units.outcome import Outcome

# unit name -> (kind, size in the kind's base unit: mcg, unit, mL)
DOSE_UNITS: dict[str, tuple[str, Decimal]] = {
    **{name: ("mass", Decimal(1_000_000)) for name in ("g", "gm", "gram", "grams")},
    **{name: ("mass", Decimal(1_000)) for name in ("mg", "milligram", "milligrams")},
    **{name: ("mass", Decimal(1)) for name in ("mcg", "ug", "µg", "microgram", "micrograms")},
    **{name: ("activity", Decimal(1)) for name in ("unit", "units", "u", "iu", "international units")},
    **{name: ("volume", Decimal(1)) for name in ("ml", "milliliter", "milliliters", "cc")},
    **{name: ("volume", Decimal(1_000)) for name in ("l", "liter", "liters")},
}


def _unit(name: str, what: str) -> tuple[str, Decimal]:
    key = name.strip().lower().rstrip(".")
    if key not in DOSE_UNITS:
        raise UnknownDoseUnitError(
            f"Unknown {what} unit {name!r}: use g, mg, mcg, units, or mL (the engine converts between them)."
        )
    return DOSE_UNITS[key]


def billing_units(dose: float, dose_unit: str, billing_quantity: float, billing_unit: str) -> int:
    """Units to bill: dose / billing quantity after conversion, rounded up, never below 1.

    Decimal arithmetic keeps 0.3 g / 100 mg at exactly 3 (a float would give 3.0000000000000004 and round to 4).
    """
    dose_kind, dose_size = _unit(dose_unit, "dose")
    bill_kind, bill_size = _unit(billing_unit, "billing")
    if dose_kind != bill_kind:
        raise ImpossibleConversionError(
            f"A dose in {dose_unit} can't be converted to a billing unit in {billing_unit} without the drug's "
            f"concentration: give the dose in {billing_unit}, or check the code's billing unit."
        )
    amount = Decimal(str(dose)) * dose_size
    per_unit = Decimal(str(billing_quantity)) * bill_size
    return max(1, math.ceil(amount / per_unit))


def drug_units(request: UnitsRequest) -> Outcome:
    """The drug line with its units, and the rounding and JW/JZ notes that apply."""
    if request.dose is None:
        raise MissingDetailError("What dose was given? Drug units need the dose and its unit, e.g. 500 mg.")
    if not request.dose_unit:
        raise MissingDoseUnitError(f"A dose of {request.dose:g} needs a unit (mg, mcg, g, units or mL).")
    if not math.isfinite(request.dose) or request.dose <= 0:
        raise InvalidDoseError(f"A dose of {request.dose:g} {request.dose_unit} is not a dose: give the amount given.")
    if not request.billing_unit:
        code = request.drug_code or "the drug code"
        raise MissingDetailError(f"What is the billing unit of {code} (for example 'per 250 mg')?")
    quantity = request.billing_quantity if request.billing_quantity is not None else 1.0
    if not math.isfinite(quantity) or quantity <= 0:
        raise InvalidDoseError(f"A billing unit of {quantity:g} {request.billing_unit} is impossible: check the code.")
    if not request.drug_code:
        raise MissingDetailError("Which HCPCS drug code is this for (for example J0696)?")
    units = billing_units(request.dose, request.dose_unit, quantity, request.billing_unit)
    code = request.drug_code.strip().upper()
    per = f"{quantity:g} {request.billing_unit}"
    outcome = Outcome(
        rule=(
            f"Units are the dose divided by the billing unit, rounded up: {request.dose:g} {request.dose_unit} at "
            f"{per} per unit is {units} unit(s); a dose below one billing unit is 1 unit."
        ),
        citations=[src.DRUG_UNITS],
        lines=[(code, units, f"{code}, {request.dose:g} {request.dose_unit} given, billed per {per}")],
    )
    if request.payer == "medicare":
        if request.single_dose_vial is not False:
            outcome.cite(src.JW_JZ)
            lead = (
                "Single-dose container" if request.single_dose_vial else "If the drug came from a single-dose container"
            )
            outcome.warn(
                f"{lead} (Medicare Part B): report any discarded amount on a separate line with modifier JW, or "
                "add JZ when nothing was discarded. Multi-dose vials are excluded."
            )
    else:
        outcome.warn(
            "Commercial payers set their own drug unit and waste rules (UNCONFIRMED): this follows the Medicare "
            "round-up rule. Check the payer's policy.",
            unconfirmed=True,
        )
    return outcome
