"""PT/OT timed codes in 15-minute units [rules.md 7], and the untimed codes beside them [encounters.md B2].

Medicare (Claims Processing Manual Ch. 5 §20.2): add all timed minutes, read the total units off the 8-minute
rule, give each code its full 15-minute units, then give the leftover units to the largest remainders.
CPT / "rule of 8s" (many commercial payers): each code on its own, 8-22 minutes 1 unit, 23-37 2 units...
Untimed codes (evaluations 97161-97168, supervised modalities 97010-97028, group 97150) are 1 unit each whatever
their minutes and never enter the timed total; Medicare takes G0283 for 97014 and pays nothing for 97010.
"""

from __future__ import annotations

from assistant.units import sources as src
from assistant.units.errors import InvalidCountError, MissingDetailError, TooLongError
from assistant.units.models import UnitsRequest
from assistant.units.outcome import Outcome
from assistant.units.rules import midpoint_units
from assistant.units.titles import TITLES

UNIT_MINUTES = 15
MINIMUM_MINUTES = 8  # the midpoint of a 15-minute unit
EVALUATIONS = frozenset({"97161", "97162", "97163", "97164", "97165", "97166", "97167", "97168"})
MODALITIES = frozenset({"97010", "97012", "97014", "97016", "97018", "97022", "97024", "97026", "97028", "G0283"})
UNTIMED = EVALUATIONS | MODALITIES | {"97150"}
MEDICARE_REPLACES = {"97014": "G0283"}  # 97014 is status I for Medicare; G0283 is its Medicare code
MEDICARE_BUNDLED = frozenset({"97010"})  # MUE 0, bundled: Medicare pays no separate unit


def therapy_title(code: str) -> str:
    return TITLES.get(code, f"Timed therapy code {code}, 15-minute units")


def _split(request: UnitsRequest) -> tuple[dict[str, int], list[str]]:
    """(timed code -> minutes, untimed codes in order): untimed codes given with minutes are moved out."""
    given = dict(request.code_minutes or {})
    untimed: list[str] = []
    for code in [*(request.untimed_codes or []), *[c for c in given if c.strip().upper() in UNTIMED]]:
        code = code.strip().upper()
        if code not in UNTIMED:
            raise InvalidCountError(
                f"{code} is not an untimed therapy code (evaluations 97161-97168, supervised modalities 97010-97028, "
                "97150): give its minutes as a timed code."
            )
        if code not in untimed:
            untimed.append(code)
    timed = {code: value for code, value in given.items() if code.strip().upper() not in UNTIMED}
    return timed, untimed


def _untimed_lines(untimed: list[str], payer: str, outcome: Outcome) -> list[tuple[str, int, str]]:
    lines: list[tuple[str, int, str]] = []
    for code in untimed:
        billed = code
        if payer == "medicare" and code in MEDICARE_REPLACES:
            billed = MEDICARE_REPLACES[code]
            outcome.warn(f"Medicare does not take {code} (status I): it is reported as {billed}, 1 unit.")
            outcome.cite(src.THERAPY_G0283)
        elif payer == "medicare" and code in MEDICARE_BUNDLED:
            outcome.warn(f"{code} is bundled for Medicare (MUE 0): no separate unit is reported.")
            outcome.cite(src.THERAPY_G0283)
            continue
        elif code in MEDICARE_BUNDLED:
            outcome.warn(f"{code} is bundled by Medicare (MUE 0) and by many payers: check the payer before billing.")
        if all(line[0] != billed for line in lines):
            lines.append((billed, 1, therapy_title(billed)))
    if untimed:
        outcome.cite(src.THERAPY_UNTIMED)
        outcome.warn(
            "Untimed codes (" + ", ".join(untimed) + ") are 1 unit each whatever their minutes and are kept out of "
            "the timed total (Medicare Claims Processing Manual Ch. 5 §20.2)."
        )
    return lines


def _checked_minutes(request: UnitsRequest, code_minutes: dict[str, int]) -> dict[str, int]:
    if not code_minutes:
        hint = ""
        if request.minutes is not None and request.minutes > 0:
            total_units = midpoint_units(request.minutes)
            hint = (
                f" {request.minutes} total timed minutes are {total_units} unit(s) under Medicare's 8-minute rule; "
                "the split between codes needs the minutes of each."
            )
        raise MissingDetailError(
            "Timed therapy needs the minutes of each timed code, e.g. 97112 24 minutes and 97110 23 minutes." + hint
        )
    minutes: dict[str, int] = {}
    for code, value in code_minutes.items():
        code = code.strip().upper()
        if value < 0:
            raise InvalidCountError(f"{code} can't take {value} minutes: give the minutes spent on it (0 or more).")
        if value > 24 * 60:
            raise TooLongError(f"{code} with {value} minutes is more than 24 hours: check the minutes per code.")
        minutes[code] = minutes.get(code, 0) + value
    return minutes


def medicare_allocation(code_minutes: dict[str, int]) -> tuple[dict[str, int], list[str]]:
    """Medicare units per code, and the codes tied for the last leftover unit (empty when there is no tie).

    Total units come from the total minutes; each code keeps its full 15-minute units; leftover units go to the
    largest remainders (CMS example 3: a 7-minute service beats a 3-minute remainder). Ties keep input order.
    """
    total_units = midpoint_units(sum(code_minutes.values()))
    units = {code: m // UNIT_MINUTES for code, m in code_minutes.items()}
    leftover = total_units - sum(units.values())
    by_remainder = sorted(code_minutes, key=lambda c: -(code_minutes[c] % UNIT_MINUTES))
    for code in by_remainder[:leftover]:
        units[code] += 1
    tied: list[str] = []
    if 0 < leftover < len(by_remainder):
        cut = code_minutes[by_remainder[leftover - 1]] % UNIT_MINUTES
        if cut and code_minutes[by_remainder[leftover]] % UNIT_MINUTES == cut:
            tied = [c for c in by_remainder if code_minutes[c] % UNIT_MINUTES == cut]
    return units, tied


def therapy(request: UnitsRequest) -> Outcome:
    """Units per timed code under the payer's rule, with the total and any tie explained; untimed codes 1 unit each."""
    timed_given, untimed = _split(request)
    if untimed and not timed_given:
        outcome = Outcome(
            rule="Untimed therapy codes are 1 unit each, whatever their minutes; no timed code was given.",
            citations=[src.THERAPY_UNTIMED],
            minutes=request.minutes,
        )
        outcome.lines.extend(_untimed_lines(untimed, request.payer, outcome))
        return outcome
    code_minutes = _checked_minutes(request, timed_given)
    total = sum(code_minutes.values())
    outcome = _timed(request, code_minutes, total)
    untimed_lines = _untimed_lines(untimed, request.payer, outcome)
    evaluations = [line for line in untimed_lines if line[0] in EVALUATIONS]
    others = [line for line in untimed_lines if line[0] not in EVALUATIONS]
    outcome.lines = evaluations + outcome.lines + others
    if outcome.lines:
        outcome.not_billable_reason = None
    return outcome


def _timed(request: UnitsRequest, code_minutes: dict[str, int], total: int) -> Outcome:
    """The timed codes' lines under the payer's rule."""
    if request.payer == "medicare":
        outcome = Outcome(
            rule=(
                "Medicare 8-minute rule: the total timed minutes give the total units (8-22 one, 23-37 two, 38-52 "
                "three...); each code gets its full 15-minute units, and leftover units go to the largest remaining "
                "minutes."
            ),
            citations=[src.THERAPY_MEDICARE],
            minutes=total,
        )
        if total < MINIMUM_MINUTES:
            outcome.not_billable_reason = f"{total} total timed minutes is under 8: no timed unit is billed (Medicare)."
            return outcome
        units, tied = medicare_allocation(code_minutes)
        if tied:
            outcome.warn(
                f"Tie: {', '.join(tied)} have the same remaining minutes, so either may take the last unit (CMS "
                "example 2). This answer gives it to the first listed; document the choice."
            )
        outcome.warn(
            "Commercial payers may count each code on its own (the CPT 'rule of 8s'), which can give more units."
        )
    else:
        outcome = Outcome(
            rule=(
                "CPT per-code rule ('rule of 8s'): each timed code is counted on its own, 8-22 minutes one unit, "
                "23-37 two, 38-52 three..."
            ),
            citations=[src.THERAPY_CPT, src.CPT_TIME_RULE],
            minutes=total,
        )
        units = {code: midpoint_units(m) for code, m in code_minutes.items()}
        short = [code for code, m in code_minutes.items() if 0 < m < MINIMUM_MINUTES]
        if short:
            outcome.warn(
                f"{', '.join(short)}: under 8 minutes, no unit under the per-code rule (Medicare would add up all "
                "timed minutes first)."
            )
        outcome.warn(
            "Payer-dependent: many commercial payers use this per-code rule, others follow Medicare's total-time "
            "method (8 + 8 minutes on two codes is 2 units here, 1 under Medicare). Check the payer's policy."
        )
        if not any(units.values()):
            outcome.not_billable_reason = (
                f"No timed code reaches 8 minutes ({total} minutes in total): no unit under the per-code rule."
            )
    for code, count in units.items():
        if count:
            outcome.lines.append((code, count, therapy_title(code)))
    return outcome
