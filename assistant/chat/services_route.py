"""Units answers for several services in one question (issue 10 item 2), and the drug-administration hand-off.

Drug-administration services go to ENC's encounter engine (`assistant/chat/encounter_route.py`) when it codes them;
until it does (or for what it leaves), several infusions of one chemo family keep their own times, several pushes of
different drugs each count, and several drug doses each get their line. Also the JW/JZ lines of a typed vial.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.chat import answers
from assistant.chat.encounter_route import answer_encounter
from assistant.chat.reading.question import ParsedQuestion
from assistant.chat.reading.services import Service
from assistant.chat.reading.text import escape_user_text
from assistant.chat.reading.visit_cues import visit_service
from assistant.contract import Answer, CodeLine
from assistant.corpus.records import CodeRecord
from assistant.units import UnitsError
from assistant.units.drugs import waste_lines
from assistant.units.registry import ADMINISTRATION_FAMILIES

if TYPE_CHECKING:
    from assistant.chat.router import RouteContext, Router


# Office E/M codes (CPT 99202-99205 new, 99211-99215 established): a level the coder typed is on the claim as typed.
_OFFICE_EM = frozenset({"99202", "99203", "99204", "99205", "99211", "99212", "99213", "99214", "99215"})


def _drug_administration_code(code: str) -> bool:
    return code.isdigit() and 96360 <= int(code) <= 96549


def keep_typed_em(answer: Answer, parsed: ParsedQuestion, payer: str = "cpt") -> Answer:
    """Conservation (issue 17): an office E/M code the coder typed beside a timed or drug service ("99213-25 + NS
    1 hr 15 min", "99214 plus psychotherapy 30 min") stays on the claim as its own line, 1 unit, as typed; its level
    is the coder's (never counted here). An add-on warning about its missing primary is dropped, since it is here."""
    if answer.route != "units" or not answer.codes:
        return answer
    billed = {line.code for line in answer.codes}
    typed = [code for code in dict.fromkeys(parsed.codes) if code in _OFFICE_EM and code not in billed]
    if not typed or any(code in _OFFICE_EM for code in billed):
        return answer
    if payer == "medicare" and "99211" in typed and any(_drug_administration_code(code) for code in billed):
        # Medicare does not pay 99211 the same day as a drug administration service (96360-96549): a payment
        # policy, not a PTP pair (100-04 Ch 12 section 30.6.7; CR 3631).
        typed.remove("99211")
        answer.answer += ("\n\n**Not billed:** 99211 (Medicare does not pay 99211 on the same day as a drug "
                          "administration service: 100-04 Ch 12 section 30.6.7; CR 3631).")
        if not typed:
            return answer
    lines = [CodeLine(code=code, units=1, description="Office/outpatient E/M visit, the level as you typed it")
             for code in typed]
    answer.codes[:0] = lines
    answer.warnings[:] = [w for w in answer.warnings if not (" is an add-on code" in w and "its primary code is not"
                                                             in w and any(code in w for code in typed))]
    answer.answer += ("\n\n**Also on the claim, as you typed it:** " + ", ".join(f"{code} x1" for code in typed)
                      + " (the E/M level is the one you documented; with a procedure or drug administration the "
                      "same day it takes modifier 25 when significant and separately identifiable: NCCI Policy "
                      "Manual Ch XI).")
    return answer


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def add_waste_lines(answer: Answer, parsed: ParsedQuestion, drug: CodeRecord, context: RouteContext) -> None:
    """The vial a dose came from, typed with it: Medicare Part B single-dose containers put the discarded amount
    on its own JW line, or JZ on the line when nothing was discarded (100-04 Ch 17 section 40; MM13056), by
    `units.drugs.waste_lines`; other payers and multi-dose vials take neither."""
    assert drug.billing_unit is not None and parsed.dose is not None and parsed.vial_size is not None
    try:
        lines, notes = waste_lines(
            drug.code, parsed.dose, parsed.dose_unit or "", drug.billing_unit.quantity, drug.billing_unit.unit,
            parsed.vial_size, parsed.vial_unit or "", parsed.vials, single_dose=parsed.single_dose is not False,
            payer=context.payer)
    except UnitsError as error:
        answer.warnings.append(f"JW/JZ not worked out: {escape_user_text(str(error))}")
        return
    shown = []
    before = [line.model_copy(deep=True) for line in answer.codes]
    for line in lines:
        name = f"{line.code}-{line.modifier}" if line.modifier else line.code
        shown.append(f"{name} x{line.units}" + (f" ({escape_user_text(line.note)})" if line.note else ""))
        if line.modifier == "JW":
            answer.codes.append(CodeLine(code=f"{line.code}-JW", units=line.units, modifiers=["JW"],
                                         description=f"{drug.title}: amount discarded (JW)"))
        elif line.modifier:  # JZ: on the drug line itself (issue 20 item 2: the lead and table show it)
            for code_line in answer.codes:
                if code_line.code == line.code and line.modifier not in code_line.modifiers:
                    code_line.modifiers.append(line.modifier)
    answers.restate_codes(answer, before)
    answer.answer += "\n\n**Single-dose container (JW/JZ):** " + "; ".join(shown) + "."
    answer.warnings.extend(notes)

DRUG_ADMINISTRATION = ADMINISTRATION_FAMILIES  # declared once, in units/registry.py

def encounter_hook(router: Router, services: list[Service], context: RouteContext) -> Answer | None:
    """Drug-administration services go to ENC's encounter engine (assistant/chat/encounter_route.py) when it
    is there; None = not an encounter it codes (the single-family path below answers)."""
    if any(visit_service(s.words) for s in services):
        return answer_encounter(services, context, router)  # a port flush, an on-body injector (issue 17)
    administrations = [s for s in services if s.family in DRUG_ADMINISTRATION]
    # A whole visit (several administrations), or one drug given by a stated time or route; a lone timed
    # service or a dose question ("Hizentra 10 grams how many units") stays with the single-family path.
    one_given = len(administrations) == 1 and administrations[0].drug is not None and (
        administrations[0].minutes is not None or administrations[0].start is not None
        or administrations[0].route in ("im", "sc", "iv_push", "injection"))
    if len(administrations) < 2 and not one_given:
        return None
    return answer_encounter(services, context, router)

def several_services(
    router: Router, parsed: ParsedQuestion, services: list[Service], context: RouteContext
) -> Answer | None:
    """Until the encounter engine codes whole visits: several infusions of one chemo family keep their own time
    (the first is initial, each further one a sequential infusion: CPT 96413/96415, 96417), and several pushes
    of different drugs are an initial push and each new drug's sequential push (CPT 96374, 96375), each drug with
    its own dose line. Anything else is answered by the single-family path."""
    chemo = [s for s in services if s.family == "chemo_infusion" and s.minutes is not None]
    pushes = [s for s in services if s.family in ("iv_push", "chemo_push")]
    warnings = list(context.warnings)
    if len(chemo) >= 2 and len(chemo) == len([s for s in services if s.minutes is not None]):
        first = chemo[0]
        request = router._time_request(replace(parsed, minutes=first.minutes, start=first.start, end=first.end,
                                             sequential_infusions=len(chemo) - 1), "chemo_infusion", context)
        summary = (f"{_sentence_case(answers.FAMILY_NAMES['chemo_infusion'])}, "
                   + ", then ".join(f"{escape_user_text(s.drug or 'infusion')} "
                                    f"{answers.format_minutes(s.minutes or 0)}" for s in chemo))
        for later in chemo[1:]:
            if (later.minutes or 0) > 90:
                warnings.append(f"The sequential infusion ({escape_user_text(later.words)}) ran "
                                f"{later.minutes} minutes: its own further hours are not counted in this answer; "
                                "check them with the encounter coding.")
        warnings.append("Each infusion keeps its own time: the first is the initial service, each later one a "
                        "sequential infusion of a new drug (CPT 96417); times are not added together.")
    elif len([s for s in services if s.dose is not None]) >= 2 and not parsed.has_duration and not pushes:
        # Several drugs with their doses and no administration service named: one drug line each (issue 12).
        request = None
        summary = "Drug units"
    elif len(pushes) >= 2 and len({s.drug or s.words for s in pushes}) == len(pushes):
        request = router._time_request(replace(parsed, pushes=len(pushes)), pushes[0].family or "iv_push",
                                     context)
        summary = (f"{_sentence_case(answers.FAMILY_NAMES[pushes[0].family or 'iv_push'])}, "
                   + ", ".join(escape_user_text(s.drug or s.words) for s in pushes))
    else:
        return None
    requests = [request] if request is not None else []
    for service in services:
        if service.dose is None:
            continue
        one = replace(parsed, text=service.words, codes=service.codes, dose=service.dose,
                      dose_unit=service.dose_unit, earlier_texts=())
        drug, why = router.find_drug(one)
        if drug is None:
            warnings.append(f"No drug line for {escape_user_text(service.words)}: "
                            f"{why or 'name the drug (generic or brand) or its J code'}.")
            continue
        requests.append(router._drug_request(one, drug, context))
        summary += f"; {drug.code} dose {service.dose:g} {service.dose_unit}"
    if not requests:
        return None
    try:
        results = [router._calculate(r) for r in requests]
    except UnitsError as error:
        return answers.units_problem_answer([escape_user_text(str(error)).rstrip(".")], warnings)
    codes_in_answer = {line.code for r in results for line in r.lines if line.units}
    warnings.extend(router._orphan_add_on_warnings(codes_in_answer))
    warnings.extend(parsed.notes)
    summary += f", {answers.setting_name(results[0].setting)}"
    return answers.units_answer(results, router.descriptions(sorted(codes_in_answer)), summary, warnings,
                                list(context.notes))
