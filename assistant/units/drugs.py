"""HCPCS drug units [rules.md 11]: dose / billing unit, rounded up; below one billing unit is 1 unit.

Units convert within their kind only: mass (g, mg, mcg), activity units (units, IU), volume (mL, L). A dose in
one kind cannot be billed in another without the drug's concentration, so that is an error, never a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
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


# --- issue 12: doses by weight or body surface, and the JW/JZ split of single-dose containers ---------------------

_WEIGHT_UNITS: dict[str, Decimal] = {  # in kg
    **{name: Decimal(1) for name in ("kg", "kgs", "kilogram", "kilograms")},
    **{name: Decimal("0.45359237") for name in ("lb", "lbs", "pound", "pounds")},  # exact definition of the pound
}


def weight_based_dose(per_kg: float, dose_unit: str, weight: float, weight_unit: str = "kg") -> tuple[Decimal, str]:
    """The dose of a mg/kg (or mcg/kg, units/kg) order: `per_kg` x weight in kg ("5 mg/kg, 82 kg" -> 410 mg).

    Pounds are converted exactly (1 lb = 0.45359237 kg); the product is not rounded here (units round up later).
    """
    _unit(dose_unit, "dose")
    key = weight_unit.strip().lower().rstrip(".")
    if key not in _WEIGHT_UNITS:
        raise UnknownDoseUnitError(f"Unknown weight unit {weight_unit!r}: give the weight in kg or lb.")
    if not (math.isfinite(per_kg) and per_kg > 0):
        raise InvalidDoseError(f"A dose of {per_kg:g} {dose_unit}/kg is not a dose: give the amount per kg.")
    if not (math.isfinite(weight) and 0 < weight <= 700):
        raise InvalidDoseError(f"A weight of {weight:g} {weight_unit} is not a patient's weight: check it.")
    return Decimal(str(per_kg)) * Decimal(str(weight)) * _WEIGHT_UNITS[key], dose_unit


def bsa_dose(per_m2: float, dose_unit: str, bsa_m2: float) -> tuple[Decimal, str]:
    """The dose of a mg/m2 order: `per_m2` x body surface area in m2 ("175 mg/m2, BSA 1.8" -> 315 mg)."""
    _unit(dose_unit, "dose")
    if not (math.isfinite(per_m2) and per_m2 > 0):
        raise InvalidDoseError(f"A dose of {per_m2:g} {dose_unit}/m2 is not a dose: give the amount per m2.")
    if not (math.isfinite(bsa_m2) and 0.1 <= bsa_m2 <= 4):
        raise InvalidDoseError(f"A body surface area of {bsa_m2:g} m2 is not a patient's: check it (adults ~1.5-2.2).")
    return Decimal(str(per_m2)) * Decimal(str(bsa_m2)), dose_unit


def _amount(value: float | Decimal, unit: str, what: str) -> tuple[str, Decimal]:
    kind, size = _unit(unit, what)
    return kind, Decimal(str(value)) * size


def _format(amount: Decimal, unit: str) -> str:
    _kind, size = _unit(unit, "dose")
    value = amount / size
    return f"{value.normalize():f}".rstrip(".") + f" {unit}"


@dataclass(frozen=True)
class WasteLine:
    """One billed line of a single-dose-container drug: code, units, modifier (JW / JZ / None) and why."""

    code: str
    units: int
    modifier: str | None
    note: str = field(default="", compare=False)


def waste_lines(
    code: str, dose: float | Decimal, dose_unit: str, billing_quantity: float, billing_unit: str,
    container_size: float, container_unit: str, containers: int | None = None, *, single_dose: bool = True,
    payer: str = "medicare",
) -> tuple[list[WasteLine], list[str]]:
    """The drug lines for a dose drawn from `containers` (default: as few as hold the dose) of `container_size`.

    Medicare Part B, single-dose containers (100-04 Ch 17 section 40; MM13056; CMS JW/JZ FAQs): the administered
    amount is billed in units rounded up (Ch 17 section 10); the amount discarded is billed on its own line with JW
    in whole billing units it still fills beyond the administered units; JZ goes on the line when nothing is
    discarded. Multi-dose containers and other payers take neither modifier. Returns (lines, notes).
    """
    code = code.strip().upper()
    dose_kind, given = _amount(dose, dose_unit, "dose")
    bill_kind, per_unit = _amount(billing_quantity, billing_unit, "billing")
    box_kind, per_box = _amount(container_size, container_unit, "container")
    if len({dose_kind, bill_kind, box_kind}) != 1:
        raise ImpossibleConversionError(
            f"The dose ({dose_unit}), the billing unit ({billing_unit}) and the vial size ({container_unit}) must be "
            "in the same kind of unit (mass, activity or volume): give them so."
        )
    if given <= 0 or per_unit <= 0 or per_box <= 0:
        raise InvalidDoseError("The dose, the billing unit and the vial size must all be positive amounts.")
    needed = math.ceil(given / per_box)
    count = needed if containers is None else containers
    if count < needed:
        raise InvalidDoseError(
            f"{count} container(s) of {container_size:g} {container_unit} hold less than the dose of "
            f"{_format(given, dose_unit)}: check the dose or the number of vials."
        )
    opened = per_box * count
    administered_units = max(1, math.ceil(given / per_unit))
    opened_units = math.ceil(opened / per_unit)
    discarded = opened - given
    jw_units = max(0, opened_units - administered_units)
    notes: list[str] = []
    administered_note = f"{_format(given, dose_unit)} given at {billing_quantity:g} {billing_unit} a unit"
    if payer != "medicare" or not single_dose:
        why = "multi-dose container: neither JW nor JZ" if not single_dose else (
            "JW/JZ is a Medicare Part B rule; other payers set their own (UNCONFIRMED): check the payer")
        notes.append(why)
        return [WasteLine(code, administered_units, None, administered_note)], notes
    if discarded <= 0:
        notes.append("Nothing was discarded from the single-dose container(s): JZ on the drug line (required for "
                     "Medicare Part B since 2023-07-01; MM13056).")
        return [WasteLine(code, administered_units, "JZ", administered_note)], notes
    wasted = _format(discarded, dose_unit)
    if jw_units == 0:
        notes.append(
            f"{wasted} discarded fits inside the last billed unit, so there is no JW line (billing it again would "
            "be an overpayment: Noridian JD DME example). Whether such a line then takes JZ is not stated in our "
            "sources (UNCONFIRMED): check the MAC's JW/JZ FAQ."
        )
        return [WasteLine(code, administered_units, None, administered_note)], notes
    notes.append(
        f"{wasted} of {count} x {container_size:g} {container_unit} discarded: {jw_units} unit(s) on a separate JW "
        "line with the same code (100-04 Ch 17 section 40; CMS JW/JZ FAQs). The record must document the amount."
    )
    return [
        WasteLine(code, administered_units, None, administered_note),
        WasteLine(code, jw_units, "JW", f"{wasted} discarded"),
    ], notes
