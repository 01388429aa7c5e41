"""Visit services the encounter route reads from a service's words (issue 17): a port flush, a further subcutaneous
pump set-up, an on-body injector and the professional's primary reason. The words are the closed vocabulary of
`reading/visit_cues.py`; the encounter engine (`assistant/units/encounter/devices.py`) codes them with their sources.
"""

from __future__ import annotations

from typing import Any, Protocol

from assistant.chat.reading.visit_cues import (
    added_pump_setup,
    on_body_injector,
    port_flush,
    states_primary_reason,
)
from assistant.chat.reading.vocabulary import FLUSH_SOLUTIONS


class ServiceWords(Protocol):
    """The fields of READ's `Service` read here."""

    family: str | None
    drug: str | None
    dose: float | None
    minutes: int | None
    start: Any
    relation: str | None
    words: str


def _row(substance: str, route: str, category: str | None, service: ServiceWords, **flags: Any) -> dict[str, Any]:
    return {"substance": substance, "category": category, "hormonal": None, "route": route, "start": service.start,
            "stop": None, "minutes": None, "site": None, "pump": False, "keep_open": False, **flags,
            "_relation": service.relation, "_gap": None}


def visit_rows(service: ServiceWords, rows: list[dict[str, Any]],
               flush_read_apart: bool = False) -> tuple[list[dict[str, Any]], bool]:
    """The rows a port flush or a further pump set-up in the service's words adds, and whether they are all the
    service says (True: nothing else in it to code).

    - "second pump set up with new sites at 1030": a further set-up of the subcutaneous infusion before it (the
      same drug, no time of its own: +96371); with no infusion before it the engine asks.
    - "port flush" / "flushed the port": a port flush row (96523 only as the day's only service); the service is
      the flush alone unless it also names a drug other than the flush solution ("port flush, then zofran IVP").
      `flush_read_apart`: the reading gave that flush its own service, included in this one (relations.py): the
      flush is coded there, never twice."""
    words = service.words
    previous = next((r for r in reversed(rows) if r["route"] == "sc_infusion"), None)
    # A set-up has no time of its own: "another pump set up at 1 hr" is when, and the second pump's minutes are the
    # same subcutaneous infusion's (96370 counts the infusion's time, not each pump's).
    same_drug = service.drug is None or previous is None or previous["substance"].casefold() == service.drug.casefold()
    if added_pump_setup(words) and service.dose is None and (service.minutes is None or previous is not None) \
            and same_drug:
        substance = previous["substance"] if previous else (service.drug or "subcutaneous pump set-up")
        category = previous["category"] if previous else "therapeutic"
        return [_row(substance, "sc_infusion", category, service, added_pump_setup=True)], True
    if added_pump_setup(words) and service.drug and service.minutes is not None and service.family == "subq_infusion":
        # "hizentra 6 g SQ 0800-0850, another pump started at 0830" read as one service: the infusion and its set-up
        setup = _row(service.drug, "sc_infusion", None, service, added_pump_setup=True)
        setup["start"] = None  # the service's clock times are the infusion's
        return [setup], False
    if port_flush(words):
        drug = (service.drug or "").strip().casefold()
        alone = not drug or drug in FLUSH_SOLUTIONS
        if flush_read_apart and not alone:
            return [], False
        solution = f" ({service.drug} {service.dose:g} {service.dose_unit or ''})".replace(" )", ")") \
            if alone and drug and service.dose is not None else ""
        flush = _row(f"port flush{solution}", "iv_push", None, service, port_flush=True, site="port")
        if not alone:
            flush["start"] = None  # the clock times of the service are its drug's ("port flush and rocephin 1000")
        return [flush], alone
    return [], False


def device_flags(service: ServiceWords) -> dict[str, Any]:
    """Flags of the service's own row: an on-body injector application (96377) and a stated primary reason."""
    return {"on_body_injector": on_body_injector(service.words),
            "_primary": states_primary_reason(service.words, service.drug)}


def primary_index(rows: list[dict[str, Any]]) -> int | None:
    """The one administration the words name as the primary reason for the visit; None when none or several do
    (then the hierarchy decides and the answer warns, encounters.md A2)."""
    marked = [i for i, row in enumerate(rows) if row.get("_primary")]
    # "zofran IVP x2 (primary reason)": the copies of one service are one reason, the first of them is initial.
    return marked[0] if marked and len({rows[i]["substance"] for i in marked}) == 1 else None


def primary_questions(rows: list[dict[str, Any]]) -> list[str]:
    """Two different services each named the primary reason: which one was is asked, never chosen."""
    named = list(dict.fromkeys(row["substance"] for row in rows if row.get("_primary")))
    if len(named) < 2:
        return []
    return [f"The words name several primary reasons for the visit ({', '.join(named)}): which one was the key "
            "reason? On a professional claim it is the initial service (CPT; AAPC Onc Alert 171590)."]


__all__ = ["device_flags", "primary_index", "primary_questions", "visit_rows"]
