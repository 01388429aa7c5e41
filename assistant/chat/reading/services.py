"""The services a question names: what the reader hands to the router and the encounter engine.

Issue 10 item 2: "Services, not one bag of numbers". Each service keeps its own time, drug, dose and count,
and the words it came from; times are never summed across services. Field names are a contract with
`assistant/chat/encounter_route.py` (ENC): fields may be added, never renamed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    """One service read from a question (a drug administration, a timed service, a coded service)."""

    family: str | None  # units family name ("iv_infusion", "hydration", "psychotherapy" ...) or None when unknown
    route: str | None  # "iv_infusion" | "iv_push" | "sc_infusion" | "injection" | "im" | "sc" | None
    category: str | None  # "chemotherapy" | "hydration" | "therapeutic" | None (from words like chemo/NS)
    drug: str | None  # drug words as typed ("zofran"), or None
    code: str | None  # a typed code naming the service or drug
    minutes: int | None  # this service's own time (from a duration or its clock range)
    start: datetime.time | None  # clock start (a push at 0905 has start only)
    end: datetime.time | None  # clock end
    dose: float | None
    dose_unit: str | None
    count: int | None  # "x2", "2 pushes"
    relation: str | None  # "sequential" | "concurrent" | "then" | "during" | None (to the service before)
    pump: bool | None  # an explicit portable/implantable pump; False for "no pump"
    site: str | None  # a vascular access site when named ("second IV site", "left arm")
    words: str  # the part of the question it came from
    span: tuple[int, int]  # character span of `words` in the question
    # additions (never renamed): the typed codes in this part, and negated cues ("non-chemo", "no pump")
    codes: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    weight_kg: float | None = None  # a patient weight stated in this part (for mg/kg doses)
    bsa_m2: float | None = None  # a body surface area stated in this part (for mg/m2 doses)


__all__ = ["Service"]
