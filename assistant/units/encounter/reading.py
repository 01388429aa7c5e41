"""Turn each `Administration` into an `Item`: its category, kind (infusion, push ...), absolute clock interval and
the questions it raises. No coding happens here; `engine.py` codes the items together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.units.encounter import sources as src
from assistant.units.encounter.catalog import drug_default
from assistant.units.encounter.models import Administration

DAY = 24 * 60
PUSH_MAX_MINUTES = 15  # CPT push definition: an infusion of 15 minutes or less is a push

# Fluids read as hydration when no category is given (the fluid's own name, never a drug).
FLUIDS = frozenset(
    {
        "ns", "normal saline", "saline", "0.9% saline", "0.9% ns", "0.9% sodium chloride", "sodium chloride",
        "nacl", "lr", "lactated ringers", "lactated ringer's", "ringers", "d5w", "d5ns", "d5 1/2 ns", "1/2 ns",
        "half normal saline", "d5lr", "iv fluids", "ivf", "fluids", "hydration", "fluid bolus", "ns bolus",
        "plasmalyte", "plasma-lyte",
    }
)
_CODE = re.compile(r"^[A-Z]\d{4}$")
CATEGORY_RANK = {"chemotherapy": 0, "therapeutic": 1, "hydration": 2}
KIND_RANK = {"infusion": 0, "push": 1}
PART = "part"  # the kind of an administration that is part of another one (relations.py): never coded alone


@dataclass(slots=True)
class Item:
    """One administration as the engine codes it. Times are absolute minutes from 00:00 of day 0."""

    index: int
    adm: Administration
    kind: str  # infusion | push | injection | sc_infusion | intralesional | intrathecal | part
    category: str | None
    hormonal: bool | None
    start: int | None
    end: int | None
    minutes: int | None
    key: str  # the substance, for "same drug" comparisons
    counted: int | None = None
    concurrent_with: int | None = None
    notes: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    billed: bool = False

    @property
    def name(self) -> str:
        return self.adm.substance

    @property
    def day(self) -> int:
        return self.start // DAY if self.start is not None else self.adm.day

    @property
    def rank(self) -> tuple[int, int]:
        return CATEGORY_RANK.get(self.category or "", 3), KIND_RANK.get(self.kind, 2)

    @property
    def is_iv(self) -> bool:
        return self.kind in ("infusion", "push")

    @property
    def is_drug_iv(self) -> bool:
        return self.is_iv and self.category in ("chemotherapy", "therapeutic") and not self.adm.pump


@dataclass(slots=True)
class Reading:
    items: list[Item]
    questions: list[str]
    warnings: list[str]
    citations: list[str]
    unconfirmed: bool = False


def substance_key(adm: Administration) -> str:
    return (adm.drug_code or adm.substance).strip().casefold()


def _category(adm: Administration, reading: Reading) -> tuple[str | None, bool | None]:
    if adm.keep_open or adm.carrier_of is not None or adm.included_in is not None:
        return "hydration", None
    code = adm.drug_code or (adm.substance.strip().upper() if _CODE.match(adm.substance.strip().upper()) else None)
    default = drug_default(code)
    hormonal = adm.hormonal if adm.hormonal is not None else (default.hormonal if default else None)
    if adm.category is not None:
        return adm.category, hormonal
    if default is not None:
        reading.warnings.append(
            f"{adm.substance} read as {default.category} administration by default ({default.source}); the drug "
            "alone does not decide it for Medicare (TDL 12397), so check the documentation."
            + (f" {default.disputed}." if default.disputed else "")
        )
        reading.citations.append(src.CHEMO_SCOPE)
        reading.unconfirmed = reading.unconfirmed or bool(default.disputed)
        return default.category, hormonal
    if adm.substance.strip().casefold() in FLUIDS:
        return "hydration", None
    return None, hormonal


def _times(adm: Administration, name: str, reading: Reading) -> tuple[int | None, int | None, int | None]:
    """(start, end, minutes) in absolute minutes; a stop before the start crosses midnight."""
    base = adm.day * DAY
    start = base + adm.start.hour * 60 + adm.start.minute if adm.start is not None else None
    minutes = adm.minutes
    if minutes is not None and minutes <= 0:
        reading.questions.append(f"{name}: a duration of {minutes} minutes is not possible; give the real time.")
        return start, None, None
    if adm.stop is not None:
        stop = adm.stop.hour * 60 + adm.stop.minute
        if start is None:
            if minutes is None:
                reading.questions.append(f"{name}: it stopped at {adm.stop:%H:%M}; when did it start?")
                return None, None, None
            end = base + stop
            return end - minutes, end, minutes
        span = (base + stop - start) % DAY
        if span == 0:
            reading.questions.append(
                f"{name}: the stop time equals the start time ({adm.start:%H:%M}); give the real stop time or minutes."
            )
            return start, None, None
        if minutes is not None and minutes != span and minutes != span + DAY * (minutes // DAY):
            reading.questions.append(
                f"{name}: {adm.start:%H:%M}-{adm.stop:%H:%M} is {span} minutes but {minutes} minutes were stated; "
                "which is right?"
            )
            return start, None, None
        minutes = minutes if minutes is not None else span
    end = start + minutes if start is not None and minutes is not None else None
    return start, end, minutes


# Services coded by devices.py, outside the drug-administration hierarchy (issue 17): their kind is the service.
DEVICE_KINDS = frozenset({"port_flush", "on_body_injector", "pump_setup"})


def device_kind(adm: Administration) -> str | None:
    """The kind of a port flush, an on-body injector application or a further SC pump set-up, else None."""
    if adm.port_flush:
        return "port_flush"
    if adm.on_body_injector:
        return "on_body_injector"
    if adm.added_pump_setup:
        return "pump_setup"
    return None


def read_items(administrations: list[Administration]) -> Reading:
    """Items for every administration, with the questions whose answers change the codes."""
    reading = Reading(items=[], questions=[], warnings=[], citations=[])
    for index, adm in enumerate(administrations):
        name = adm.substance
        category, hormonal = _category(adm, reading)
        start, end, minutes = _times(adm, name, reading)
        kind = device_kind(adm) or {"iv_infusion": "infusion", "iv_push": "push"}.get(adm.route, adm.route)
        item = Item(index, adm, kind, category, hormonal, start, end, minutes, substance_key(adm))
        if category == "hydration" and kind == "push":
            item.kind = "infusion"  # a fluid bolus is an infusion of its own minutes (AHIMA 105755)
        elif category != "hydration" and not adm.pump and kind == "infusion" and minutes is not None:
            if minutes <= PUSH_MAX_MINUTES:
                item.kind = "push"
                item.notes.append(f"an infusion of {minutes} minutes is a push (15 minutes or less)")
                reading.citations.append(src.PUSH_DEFINITION)
        elif kind == "push" and minutes is not None and minutes > PUSH_MAX_MINUTES:
            item.kind = "infusion"
            item.notes.append(f"a 'push' over {minutes} minutes is an infusion (a push is 15 minutes or less)")
            reading.warnings.append(
                f"{name}: a push lasting {minutes} minutes is coded as an infusion by the CPT push definition; a "
                "forum reading keeps a documented push a push (AAPC forum 106018)."
            )
            reading.citations.append(src.PUSH_DEFINITION)
        if category is None and not adm.keep_open and kind not in DEVICE_KINDS:
            reading.questions.append(
                f"Was {name} given as chemotherapy (or a complex biologic), as a therapeutic drug, or as hydration? "
                "The codes differ."
            )
        if adm.part_of() is not None:
            item.kind = PART  # a mixture member, carrier or flush: coded with its administration (relations.py)
        # A pump start (96416) needs no time; a subcutaneous pump is part of 96369 and still needs its time.
        needs_time = item.kind == "sc_infusion" or (item.kind == "infusion" and not adm.keep_open and not adm.pump)
        if needs_time and item.minutes is None and not any(q.startswith(f"{name}:") for q in reading.questions):
            reading.questions.append(
                f"How long did {name} run? Give each service's time separately (its start and stop times, or its "
                "minutes): each infusion keeps its own time."
            )
        if category == "chemotherapy" and item.kind == "injection" and hormonal is None:
            reading.questions.append(
                f"Is {name} a hormonal antineoplastic (96402) or not (96401)? Give the drug code or say which."
            )
        reading.items.append(item)
    return reading
