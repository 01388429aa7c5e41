"""The whole-encounter models (issue 11 item 1): what a caller sends (`Encounter`) and gets back (`EncounterResult`).

Pure: standard library and pydantic only. Field names are a contract with the chat route, the web API and the CLI:
fields may be added, never renamed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.units.vocabulary import Category, Payer, Route, Setting

# The relation fields of `Administration`; the first three make it part of another administration (not coded alone).
PART_FIELDS = ("mixed_with", "carrier_of", "included_in")
RELATION_FIELDS = (*PART_FIELDS, "concurrent_with", "piggyback_on")


class Administration(BaseModel):
    """One drug or fluid given in the encounter, with its own time.

    Time: `start` and `stop` (a stop earlier than the start crosses midnight), or `minutes` (with or without a
    start). `day` is the date-of-service offset (0 = the first date) of `start`, for visits over midnight or
    longer than 24 hours. A push needs no time unless the same drug is pushed again (the gap decides 96376).
    """

    model_config = ConfigDict(extra="forbid")

    substance: str = Field(min_length=1, description="drug name, HCPCS code, or fluid ('normal saline')")
    category: Category | None = Field(
        default=None, description="None: derived from the drug code where known, otherwise asked"
    )
    hormonal: bool | None = Field(default=None, description="hormonal antineoplastic (96402) vs not (96401)")
    route: Route
    start: datetime.time | None = None
    stop: datetime.time | None = None
    minutes: int | None = Field(default=None, description="the administration's own minutes")
    day: int = Field(default=0, ge=0, description="date-of-service offset of the start (0 = first date)")
    dose: float | None = None
    dose_unit: str | None = None
    drug_code: str | None = Field(default=None, description="HCPCS drug code (J9271...) for the drug line")
    billing_quantity: float | None = Field(default=None, description="the code's billing unit size, e.g. 10")
    billing_unit: str | None = Field(default=None, description="the code's billing unit, e.g. mg")
    # Issue 17 (devices.py): services that are not coded by the drug-administration hierarchy.
    on_body_injector: bool = Field(
        default=False, description="the dose was given by applying an on-body injector (96377, CMS A54682)"
    )
    port_flush: bool = Field(
        default=False, description="irrigation of an implanted venous access port (96523 only as the day's only "
        "service); `route` is then ignored"
    )
    added_pump_setup: bool = Field(
        default=False, description="a further subcutaneous pump set-up with new site(s) during the same infusion "
        "(+96371 once, no time of its own)"
    )
    site: str | None = Field(default=None, description="vascular access site ('port', 'left arm')")
    pump: bool = Field(default=False, description="explicit portable/implantable pump started (96416)")
    keep_open: bool = Field(default=False, description="fluid to keep the line open (KVO): not hydration")
    # Relations to another administration of the same encounter, by its index (issue 17 class 4; encounters.md A4/A5).
    mixed_with: int | None = Field(default=None, ge=0, description="mixed with administration N in one syringe or "
                                   "bag: one administration carrying both drugs; each drug keeps its own line")
    carrier_of: int | None = Field(default=None, ge=0, description="the fluid that carried or diluted "
                                   "administration N: incidental, not hydration")
    concurrent_with: int | None = Field(default=None, ge=0, description="ran at the same time as administration N "
                                        "on the same line: shares its range when it has none (+96368)")
    piggyback_on: int | None = Field(default=None, ge=0, description="piggybacked into the running fluid N: keeps "
                                     "its own range; the fluid's minutes under it are not hydration")
    included_in: int | None = Field(default=None, ge=0, description="a flush that belongs to administration N: "
                                    "included in it, not reported")

    def part_of(self) -> tuple[str, int] | None:
        """(relation, index) when this administration is part of another one (a mixture member, a carrier fluid,
        an included flush): it is then not coded on its own (units/encounter/relations.py)."""
        for name in PART_FIELDS:
            other = getattr(self, name)
            if other is not None:
                return name, other
        return None

    @field_validator("substance")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("name the substance given (a drug, a code or a fluid)")
        return value


class Encounter(BaseModel):
    """One encounter: who bills (setting), which rules (payer) and every administration."""

    model_config = ConfigDict(extra="forbid")

    setting: Setting
    payer: Payer = "cpt"
    administrations: list[Administration] = Field(min_length=1)
    primary: int | None = Field(
        default=None, ge=0, description="professional: index of the administration that was the primary reason"
    )

    @model_validator(mode="after")
    def _relations_point_to_others(self) -> Encounter:
        """A relation names another administration of this encounter; a mixture, carrier or flush joins one that
        stands on its own (never a chain), so nothing is coded twice or lost."""
        count = len(self.administrations)
        for number, adm in enumerate(self.administrations):
            for name in RELATION_FIELDS:
                other = getattr(adm, name)
                if other is None:
                    continue
                if other >= count or other == number:
                    raise ValueError(f"administration {number + 1} ({adm.substance}): {name} must be the index of "
                                     f"another administration (0 to {count - 1}, not its own {number})")
                target = self.administrations[other]
                if name in PART_FIELDS and any(getattr(target, part) is not None for part in PART_FIELDS):
                    raise ValueError(f"administration {number + 1} ({adm.substance}): {name} names administration "
                                     f"{other + 1}, which is itself part of another one; name that one")
        return self


class EncounterLine(BaseModel):
    """One billable line: code, units, modifiers, the date offset, why it is reported and the rule's source."""

    code: str
    units: int
    why: str
    citation: str
    administrations: list[int] = Field(default_factory=list)
    modifiers: list[str] = Field(default_factory=list)
    day: int = 0
    title: str = ""
    add_on_to: list[str] = Field(default_factory=list)


class TimelineRow(BaseModel):
    """One administration as the engine read it, and how it was coded (or why it was not reported)."""

    index: int
    substance: str
    route: str
    category: str | None
    day: int = 0
    start: str | None = None
    stop: str | None = None
    minutes: int | None = None
    counted_minutes: int | None = None
    coded: str
    codes: list[str] = Field(default_factory=list)


class EncounterResult(BaseModel):
    """The coded encounter. `questions` non-empty means the answer depends on them: `lines` is then empty."""

    setting: Setting
    payer: Payer
    lines: list[EncounterLine] = Field(default_factory=list)
    timeline: list[TimelineRow] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    edits: list[str] = Field(default_factory=list, description="PTP pairs found among the result codes")
    unconfirmed: bool = False


class PtpPair(Protocol):
    """What a PTP look-up returns per pair (EDITS' PtpEdit fits): the two codes and the modifier indicator."""

    @property
    def column1(self) -> str: ...

    @property
    def column2(self) -> str: ...

    @property
    def modifier_indicator(self) -> int: ...


PtpLookup = Callable[[list[str]], Sequence[PtpPair]]
