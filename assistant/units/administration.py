"""One drug-administration encounter: therapeutic IV infusion, IV pushes and SC/IM injections; chemo pushes.

Only one initial service is reported per encounter (NCCI Ch. XI; OPPS Ch. 4 §230.2). Which service is initial:
- facility setting: the hierarchy, infusion before push before injection;
- professional setting: the service that was the key or primary reason for the encounter (`primary_service`);
  when both an infusion and a push were given and it is not said, the answer assumes the infusion and warns.
An SC/IM injection (96372) is counted per injection and never takes the initial slot from an IV service.
"""

from __future__ import annotations

from assistant.units import sources as src
from assistant.units.errors import MissingDetailError
from assistant.units.models import UnitsRequest
from assistant.units.outcome import Outcome
from assistant.units.tables import CHEMO_INFUSION, IV_INFUSION
from assistant.units.timed import timed_outcome
from assistant.units.titles import ADD_ON_PRIMARIES, TITLES

PUSH_MAX_MINUTES = 15  # CPT push definition: an infusion of 15 minutes or less is a push


def _line(outcome: Outcome, code: str, units: int) -> None:
    if units > 0:
        outcome.lines.append((code, units, TITLES[code]))


def drug_administration(request: UnitsRequest, family: str, minutes: int | None) -> Outcome:
    """Lines for iv_infusion, iv_push and injection (see the module docstring for the initial-service rule)."""
    if family == "iv_infusion" and minutes is None and not (request.pushes or request.injections):
        raise MissingDetailError("How long did the infusion run? Give the minutes or the start and end times.")
    pushes = request.pushes if request.pushes is not None else (1 if family == "iv_push" else 0)
    injections = request.injections if request.injections is not None else (1 if family == "injection" else 0)
    outcome = Outcome(rule="", minutes=minutes)
    infusion_minutes: int | None = None
    if family == "iv_infusion" and minutes is not None:
        if minutes <= PUSH_MAX_MINUTES:
            pushes += 1
            outcome.warn(
                f"An infusion of {minutes} minutes is a push by the CPT definition (15 minutes or less): "
                "it is coded as an IV push."
            )
            outcome.cite(src.PUSH_DEFINITION)
        else:
            infusion_minutes = minutes
    elif family == "iv_push" and minutes is not None and minutes > PUSH_MAX_MINUTES:
        infusion_minutes = minutes
        pushes = max(pushes - 1, 0)
        outcome.warn(
            f"A 'push' lasting {minutes} minutes is an infusion by the CPT definition (a push is 15 minutes or "
            "less): it is coded as an infusion."
        )
        outcome.cite(src.PUSH_DEFINITION)

    has_infusion = infusion_minutes is not None
    rules: list[str] = []
    if has_infusion and pushes:
        outcome.cite(src.ONE_INITIAL)
        if request.setting == "facility":
            initial = "infusion"
            rules.append("Facility: the infusion is the initial service (hierarchy: infusion before push).")
            outcome.cite(src.INITIAL_FACILITY)
        elif request.primary_service is not None:
            initial = request.primary_service
            rules.append(f"Professional: the {initial} was the primary reason for the encounter, so it is initial.")
            outcome.cite(src.INITIAL_PROFESSIONAL)
        else:
            initial = "infusion"
            outcome.cite(src.INITIAL_PROFESSIONAL)
            outcome.warn(
                "Ambiguous: both an infusion and a push were given. On a professional claim the initial code is the "
                "service that was the primary reason for the encounter, not a hierarchy. This answer assumes the "
                "infusion; if the push was the primary reason, the push is 96374 and the infusion becomes +96367 "
                "(plus +96366 per further hour). Say which service was primary."
            )
    elif has_infusion:
        initial = "infusion"
    elif pushes:
        initial = "push"
    else:
        initial = "injection"

    if has_infusion:
        assert infusion_minutes is not None
        infusion_rule = IV_INFUSION.rules[(request.payer, ())]
        outcome.cite(*infusion_rule.citations)
        timed = infusion_rule.code_units(infusion_minutes)  # 96365 (+96366): the infusion is at least 16 minutes
        if initial == "infusion":
            for code, units in timed:
                _line(outcome, code, units)
            rules.append(infusion_rule.rule)
        else:
            _line(outcome, "96374", 1)
            pushes -= 1
            _line(outcome, "96367", 1)
            for code, units in timed[1:]:
                _line(outcome, code, units)
            rules.append(
                "The infusion after the initial push is a sequential infusion, +96367 for its first hour; each "
                "further hour is +96366 once more than 30 minutes pass beyond the last full hour."
            )
    if pushes:
        outcome.cite(src.IV_PUSH, src.PUSH_DEFINITION)
        if initial == "push" and not has_infusion:
            _line(outcome, "96374", 1)
            pushes -= 1
            rules.append("96374 is the initial push; each push of a further new drug is +96375.")
        else:
            rules.append("Each push of a new drug after the initial service is +96375.")
        _line(outcome, "96375", pushes)

    has_initial = bool(outcome.lines)
    if request.sequential_infusions:
        outcome.cite(src.IV_SEQUENTIAL)
        if has_initial:
            existing = next((u for c, u, _ in outcome.lines if c == "96367"), 0)
            outcome.lines = [line for line in outcome.lines if line[0] != "96367"]
            _line(outcome, "96367", existing + request.sequential_infusions)
            rules.append("Each further infusion of a new drug in sequence is +96367 (up to an hour each).")
            outcome.warn(
                "Each sequential infusion is counted as +96367 for up to an hour; one that runs longer adds "
                "+96366 per further hour by the same more-than-30-minutes rule."
            )
        else:
            outcome.warn("A sequential infusion (+96367) needs an initial infusion or push: give its minutes.")
    if request.concurrent_infusion:
        outcome.cite(src.IV_SEQUENTIAL)
        primaries = ADD_ON_PRIMARIES["96368"]
        if has_infusion and any(code in primaries for code, _, _ in outcome.lines):
            _line(outcome, "96368", 1)
            rules.append("A drug infused at the same time as another is +96368, once per encounter.")
        elif has_infusion:
            # The infusion is +96367 after an initial push: none of 96368's listed primaries is on the claim.
            outcome.warn(
                "+96368 (a concurrent infusion) is listed with "
                + ", ".join(primaries)
                + ", and none of them is reported here: the infusion it ran beside is +96367 after the initial "
                "push. +96368 is not counted; check the payer's add-on policy (CMS add-on code list) before "
                "reporting it with 96367.",
                unconfirmed=True,
            )
            outcome.cite(src.ADD_ON_CODE_LIST)
        else:
            outcome.warn("A concurrent infusion (+96368) runs beside another infusion: give that infusion's minutes.")
    if request.same_drug_pushes:
        outcome.cite(src.PUSH_96376_FACILITY)
        if request.setting == "professional":
            outcome.warn(
                "96376 (the same drug pushed again more than 30 minutes later) is not reported on a professional "
                "claim: it may be reported by facilities only (status X on the Medicare physician fee schedule)."
            )
        elif has_initial:
            _line(outcome, "96376", request.same_drug_pushes)
            rules.append("Facility: each push of the same drug more than 30 minutes after the last is +96376.")
        else:
            outcome.warn("+96376 needs an initial push or infusion in the same encounter.")
    if injections:
        outcome.cite(src.INJECTION)
        _line(outcome, "96372", injections)
        rules.append("Each therapeutic SC or IM injection is 96372.")
        if has_initial:
            outcome.warn(
                "96372 with an IV infusion or push in the same encounter: check the NCCI PTP edit for the pair "
                "(the injection is often bundled) and whether a modifier is allowed."
            )
    outcome.rule = " ".join(rules) or "Nothing to report: no infusion, push or injection was given."
    if not outcome.lines:
        outcome.not_billable_reason = "No infusion of 16 minutes or more, push or injection to report."
    return outcome


def chemo_push(request: UnitsRequest, minutes: int | None) -> Outcome:
    """96409 for the first chemotherapy push and +96411 for each further drug; a 'push' over 15 minutes is coded
    as a chemotherapy infusion (CPT push definition)."""
    pushes = request.pushes if request.pushes is not None else 1
    if minutes is not None and minutes > PUSH_MAX_MINUTES:
        after = request.model_copy(update={"pushes": max(pushes - 1, 0)})
        outcome = timed_outcome(after, CHEMO_INFUSION, minutes)
        outcome.warn(
            f"A chemotherapy 'push' lasting {minutes} minutes is an infusion by the CPT definition (a push is 15 "
            "minutes or less): it is coded as a chemotherapy infusion."
        )
        outcome.cite(src.PUSH_DEFINITION)
        return outcome
    outcome = Outcome(
        rule="96409 is the first chemotherapy push; each push of a further drug is +96411.",
        citations=[src.CHEMO_PUSH, src.PUSH_DEFINITION],
        minutes=minutes,
    )
    _line(outcome, "96409", 1 if pushes else 0)
    _line(outcome, "96411", pushes - 1)
    if not outcome.lines:
        outcome.not_billable_reason = "No chemotherapy push was given (pushes = 0)."
    return outcome


def iv_infusion(request: UnitsRequest, minutes: int | None) -> Outcome:
    """The iv_infusion family's calculator (the registry's entry point)."""
    return drug_administration(request, "iv_infusion", minutes)


def iv_push(request: UnitsRequest, minutes: int | None) -> Outcome:
    """The iv_push family's calculator."""
    return drug_administration(request, "iv_push", minutes)


def injection(request: UnitsRequest, minutes: int | None) -> Outcome:
    """The injection family's calculator."""
    return drug_administration(request, "injection", minutes)
