"""Markdown of a coded encounter (issue 11 item 4): the lead, the visit as read, the billable lines with why and
source, questions and warnings. Split out of `encounter_route.py` (issue 21: one job per module, under 500 lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.chat.answers import cell, public_citation, report_lead
from assistant.contract import Answer, CodeLine
from assistant.units.encounter import Encounter, EncounterResult
from assistant.units.encounter.catalog import TITLES


def render(result: EncounterResult, encounter: Encounter, notes: Sequence[str] = (), placed: set[int] | None = None,
           extra_warnings: Sequence[str] = ()) -> Answer:
    """Markdown: the lead, the timeline table, the billable lines with why, questions, sources and warnings."""
    placed = placed or set()
    setting = "facility (hospital outpatient)" if encounter.setting == "facility" else "professional (physician)"
    rules = "Medicare" if encounter.payer == "medicare" else "CPT"
    codes = [CodeLine(code=line.code, units=line.units, modifiers=list(line.modifiers),
                      description=(line.title or TITLES.get(line.code, "")) +
                      (f" (modifier {', '.join(line.modifiers)})" if line.modifiers else ""))
             for line in result.lines]
    if result.questions:
        lead = "**I need to know more before coding this encounter:**\n" + "\n".join(
            f"- {cell(q)}" for q in result.questions)
    elif codes:
        lead = report_lead(codes)  # the units answers' lead, so JW/JZ lines added later are restated in it
    else:
        lead = "**Nothing billable in this encounter.**"
    timeline = ["| # | Substance | Route | Category | Date | Start-stop | Minutes | How it was coded |",
                "|---|---|---|---|---|---|---|---|"]
    for row in result.timeline:
        clock = "" if row.index in placed or row.start is None else f"{row.start}-{row.stop or ''}".rstrip("-")
        minutes = "" if row.minutes is None else str(row.minutes)
        if row.counted_minutes is not None and row.counted_minutes != row.minutes:
            minutes += f" ({row.counted_minutes} counted)"
        timeline.append(f"| {row.index + 1} | {cell(row.substance)} | {row.route.replace('_', ' ')} | "
                        f"{row.category or '?'} | day {row.day + 1} | {clock} | {minutes} | {cell(row.coded)} |")
    lines = ["| Code | Units | Why | Source |", "|---|---|---|---|"]
    for line in result.lines:
        when = f" (day {line.day + 1})" if line.day else ""
        lines.append(f"| {_code_text(line)}{when} | {line.units} | {cell(line.why)} | {cell(line.citation)} |")
    warnings = list(dict.fromkeys([*result.warnings, *extra_warnings]))
    if result.unconfirmed and not any("UNCONFIRMED" in w for w in warnings):
        warnings.append("Part of this answer rests on a rule marked UNCONFIRMED: check it before you bill.")
    blocks = [
        lead,
        f"_Whole encounter, {setting}, {rules} rules._",
        *(f"_{cell(n)}_" for n in notes),
        "**The visit as I read it:**\n" + "\n".join(timeline),
        ("**Billable lines:**\n" + "\n".join(lines)) if result.lines else "",
        ("**Sources:**\n" + "\n".join(f"- {c}" for c in result.citations)) if result.citations else "",
        ("**Warnings:**\n" + "\n".join(f"- {cell(w)}" for w in warnings)) if warnings else "",
    ]
    text = public_citation("\n\n".join(b for b in blocks if b).strip()) + "\n"  # no note ids (issue 20 item 3)
    return Answer(route="units", answer=text, codes=codes, citations=[public_citation(c) for c in result.citations],
                  warnings=[*result.questions, *(public_citation(w) for w in warnings)])


def _code_text(line: Any) -> str:
    code = "-".join([line.code, *line.modifiers])
    return f"{code} x{line.units}"


__all__ = ["cell", "render"]
