"""Whole-encounter drug administration coding (issue 11): every administration of a visit coded together.

A pure library at the units layer: standard library, pydantic and `assistant.units` only.

    from assistant.units.encounter import Administration, Encounter, code_encounter
    code_encounter(Encounter(setting="facility", administrations=[...])).lines
"""

from assistant.units.encounter.engine import code_encounter
from assistant.units.encounter.models import (
    Administration,
    Category,
    Encounter,
    EncounterLine,
    EncounterResult,
    PtpLookup,
    PtpPair,
    TimelineRow,
)

__all__ = [
    "Administration",
    "Category",
    "Encounter",
    "EncounterLine",
    "EncounterResult",
    "PtpLookup",
    "PtpPair",
    "TimelineRow",
    "code_encounter",
]
