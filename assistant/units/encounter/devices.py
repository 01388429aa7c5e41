"""Services of a drug-administration visit that the IV hierarchy does not code (issue 17): a port flush, an on-body
injector application and a further subcutaneous pump set-up. Each is coded here with its own rule and source, or
kept in the answer as a "not reported because" row (conservation: every service read is accounted for).

The citations live beside their rules here (not in sources.py, whose constants each name a guideline article).
"""

from __future__ import annotations

from assistant.units.encounter import sources as src
from assistant.units.encounter.lines import Book
from assistant.units.encounter.reading import DEVICE_KINDS, Item

__all__ = ["DEVICE_KINDS", "ON_BODY_INJECTOR", "PORT_FLUSH", "code_devices"]

PORT_FLUSH = (
    "CPT 96523 irrigation of an implanted venous access device, reported only when it is the only service of the "
    "day: the CMS NCCI PTP table (practitioner 2026Q2) has 96523 as column 2 with modifier indicator 0 beside every "
    "drug administration code (96360-96379, 96401-96450, 96521, 96522) and most other services (Select Health "
    "policy #09: not billed when an injection or infusion is given that day)"
)
ON_BODY_INJECTOR = (
    "CMS billing article A54682 (pegfilgrastim): applying the on-body injector is 96377 (practitioner MUE 1); the "
    "prefilled syringe instead is J2506 + 96372"
)


def code_devices(items: list[Item], book: Book) -> None:
    """Code every device item after the other services: a port flush is reported only when nothing else was
    given, so it needs the whole visit."""
    others = [i for i in items if i.kind not in DEVICE_KINDS]
    for item in items:
        if item.kind == "on_body_injector":
            _on_body_injector(item, book)
        elif item.kind == "pump_setup":
            _pump_setup(item, items, book)
        elif item.kind == "port_flush":
            _port_flush(item, others, items, book)


def _on_body_injector(item: Item, book: Book) -> None:
    if any(line.code == "96377" for line in book.lines):
        item.notes.append("not reported: 96377 is reported once (practitioner MUE 1)")
        book.cite(ON_BODY_INJECTOR)
        return
    book.add("96377", 1, f"96377: on-body injector applied for {item.name} (its timed subcutaneous dose)",
             ON_BODY_INJECTOR, [item.index], item.day)
    item.codes.append("96377")
    item.billed = True


def _pump_setup(item: Item, items: list[Item], book: Book) -> None:
    """A later extra pump set-up with new sites during a subcutaneous infusion: +96371 once (rules.md 1; sites
    placed at the first set-up are inside 96369). Without the infusion it adds to, it is asked, never coded."""
    infusions = [i for i in items if i.kind == "sc_infusion"]
    if not infusions:
        book.questions.append(f"The further pump set-up ({item.name}) adds to a subcutaneous infusion (+96371): "
                              "give that infusion and its time.")
        return
    if any(line.code == "96371" for line in book.lines):
        item.notes.append("not reported: 96371 is counted once (MUE 1; once per encounter UNCONFIRMED)")
        book.cite(src.SUBQ)
        return
    book.add("96371", 1, f"96371: a further pump set-up with new site(s) during the {infusions[0].name} "
             "subcutaneous infusion (sites placed at the first set-up are part of 96369)", src.SUBQ,
             [item.index], item.day)
    item.codes.append("96371")
    item.billed = True
    book.warn("96371 is counted once per encounter (MUE 1; the CPT 'once per encounter' note is UNCONFIRMED); one "
              "source (clearcostestimate) reads it as each new site placed at the first set-up, which is not "
              "counted here.",
              unconfirmed=True)


def _port_flush(item: Item, others: list[Item], items: list[Item], book: Book) -> None:
    flushes = [i for i in items if i.kind == "port_flush"]
    if others:
        names = ", ".join(dict.fromkeys(i.name for i in others))
        item.notes.append(f"not reported: a port flush with another drug administration the same day ({names}) is "
                          "part of that service; 96523 is only for a flush that is the day's only service")
        book.cite(PORT_FLUSH)
        return
    if item is not flushes[0]:
        item.notes.append("not reported: one 96523 for the day's port care")
        return
    book.add("96523", 1, f"96523: {item.name}, the only service of the day", PORT_FLUSH,
             [i.index for i in flushes], item.day)
    item.codes.append("96523")
    item.billed = True
