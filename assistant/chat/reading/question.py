"""What the reader hands to the router for one question (or a conversation merged into one): `ParsedQuestion`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

from assistant.chat.reading.problems import Problem

Payer = Literal["cpt", "medicare"]
CareSetting = Literal["professional", "facility"]


@dataclass(frozen=True)
class ParsedQuestion:
    """Everything the parser read in one question. `None` means "the question did not say"."""

    text: str = ""
    earlier_texts: tuple[str, ...] = ()  # the earlier turns this one was merged with, oldest first
    codes: tuple[str, ...] = ()
    minutes: int | None = None
    start: time | None = None
    end: time | None = None
    duration_text: str | None = None  # the duration as the coder typed it, for messages
    duration_unit: Literal["minutes", "hours"] | None = None  # the one unit the duration was typed in, if one
    bare_number: float | None = None  # a number with no unit ("what about 104?"), read in the earlier turn's unit
    dose: float | None = None
    dose_unit: str | None = None  # normalised: g, mg, mcg, units, mL
    payer: Payer | None = None
    setting: CareSetting | None = None
    code_minutes: dict[str, int] | None = None
    pump_setups: int | None = None
    sites: int | None = None
    patient: Literal["new", "established"] | None = None
    with_em: bool | None = None
    sedation_by: Literal["same", "other"] | None = None
    patient_under_5: bool | None = None
    base_units: float | None = None
    pushes: int | None = None  # IV or chemo pushes of different drugs, counting the first
    same_drug_pushes: int | None = None  # repeat pushes of a drug already pushed, more than 30 minutes later
    prolonged_pump: bool | None = None  # a chemo infusion through a portable or implantable pump (96416 past 8 h)
    injections: int | None = None  # SC/IM injections
    sequential_infusions: int | None = None  # further infusions of a new drug after the initial one
    concurrent_infusion: bool | None = None
    family: str | None = None  # from a lay cue ("subq" -> subq_infusion)
    other_families: tuple[str, ...] = ()  # further services named in the same question (answered one at a time)
    family_cue: str | None = None  # the words that gave the family
    together: bool = False  # billing-together words: with, same day, bundle, NCCI, modifier 59
    asks_units: bool = False  # "how many units", "how do I code", "bill": the coder wants a count
    followup: bool = False  # "what about ...", "and for medicare?"
    problems: tuple[Problem, ...] = ()  # input a units answer must refuse, typed (worded by answers.problem_text)
    vial_size: float | None = None  # a container typed with the dose ("from two 100 mg single-dose vials")
    vial_unit: str | None = None
    vials: int | None = None
    single_dose: bool | None = None  # single-dose (True) or multi-dose (False) container, when said
    over_a_day: bool = False  # the one time given is longer than 24 hours (the encounter engine splits by date)
    notes: tuple[str, ...] = ()  # assumptions worth a warning (two durations added up)

    @property
    def has_quantity(self) -> bool:
        """True when the question gives a duration, a clock range, per-code minutes or a dose."""
        return (
            self.minutes is not None
            or self.start is not None
            or bool(self.code_minutes)
            or self.dose is not None
            or bool(self.problems)
        )

    @property
    def has_duration(self) -> bool:
        return self.minutes is not None or self.start is not None or bool(self.code_minutes)
