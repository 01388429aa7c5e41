"""The reading trail of an answer (issue 10 item 6): how the question was read, step by step.

Each step is `{"kind", "text" (the words as typed), "value"}`, plus where the payer and setting came from. The web
chat shows it collapsed under the answer ("How I read your question"); the API and CLI JSON carry it.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.chat.reading.services import Service
from assistant.chat.reading.spans import (
    BodySurfaceArea,
    ClockPoint,
    ClockRange,
    Code,
    Count,
    Dose,
    Duration,
    Negation,
    Rate,
    Route,
    Weight,
    read,
)
from assistant.contract import ReadingStep


def _minutes(minutes: int) -> str:
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if not hours:
        return f"{sign}{minutes if minutes >= 0 else -minutes} minutes"
    shown = f"{sign}{abs(minutes)} minutes"
    return f"{shown} ({hours} h {rest} min)" if rest else f"{shown} ({hours} h)"


def reading_trail(
    text: str,
    services: Sequence[Service],
    payer: tuple[str, str],
    setting: tuple[str, str],
    followup: bool = False,
) -> list[ReadingStep]:
    """The steps for `text`; `payer`/`setting` are (value, where it came from: "your words" | "the request" |
    "the default")."""
    steps: list[ReadingStep] = []
    reading = read(text)
    for span in reading.spans:
        if isinstance(span, Duration):
            how = {"sum": " (a part of a sum)", "product": " (a multiplication)"}.get(span.how, "")
            steps.append(ReadingStep(kind="duration", text=span.surface, value=_minutes(span.minutes) + how))
        elif isinstance(span, ClockRange):
            steps.append(ReadingStep(kind="clock_range", text=span.surface,
                                     value=f"{span.start:%H:%M} to {span.end:%H:%M} = {_minutes(span.minutes)}"))
        elif isinstance(span, ClockPoint):
            steps.append(ReadingStep(kind="clock_time", text=span.surface, value=f"at {span.at:%H:%M}"))
        elif isinstance(span, Dose):
            steps.append(ReadingStep(kind="dose", text=span.surface, value=f"{span.amount:g} {span.unit}"))
        elif isinstance(span, Count):
            steps.append(ReadingStep(kind="count", text=span.surface, value=f"{span.n} {span.noun or ''}".strip()))
        elif isinstance(span, Code):
            steps.append(ReadingStep(kind="code", text=span.surface, value=span.code))
        elif isinstance(span, Route):
            steps.append(ReadingStep(kind="route", text=span.surface, value=span.route))
        elif isinstance(span, Negation):
            steps.append(ReadingStep(kind="negation", text=span.surface, value="negated: not used"))
        elif isinstance(span, Weight):
            steps.append(ReadingStep(kind="weight", text=span.surface, value=f"{span.kg:g} kg"))
        elif isinstance(span, BodySurfaceArea):
            steps.append(ReadingStep(kind="body_surface_area", text=span.surface, value=f"{span.m2:g} m2"))
        elif isinstance(span, Rate):
            steps.append(ReadingStep(kind="rate", text=span.surface, value="a rate, not a duration"))
    for problem in reading.problems:
        steps.append(ReadingStep(kind="problem", text=problem.surface, value=problem.kind.replace("_", " ")))
    for service in services:
        parts = [service.family or "unknown service"]
        if service.drug:
            parts.append(f"drug {service.drug}")
        if service.minutes is not None:
            parts.append(_minutes(service.minutes))
        if service.dose is not None:
            parts.append(f"dose {service.dose:g} {service.dose_unit}")
        if service.relation:
            parts.append(service.relation)
        parts.extend(f"{r.kind.replace('_', ' ')} {services[r.other].drug or services[r.other].words}"
                     for r in service.relations if r.other < len(services))  # issue 17 class 4
        if service.pump is False:
            parts.append("no pump")
        steps.append(ReadingStep(kind="service", text=service.words, value=", ".join(parts)))
    if followup:
        steps.append(ReadingStep(kind="follow_up", text=text, value="read with your earlier question"))
    steps.append(ReadingStep(kind="payer", text="", value=f"{_payer_name(payer[0])}: {payer[1]}"))
    steps.append(ReadingStep(kind="setting", text="", value=f"{setting[0]}: {setting[1]}"))
    return steps


def _payer_name(payer: str) -> str:
    return "Medicare" if payer == "medicare" else "CPT"
