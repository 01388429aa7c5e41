"""The engine's public models: what a caller sends (`UnitsRequest`) and gets back (`UnitsResult`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.units.vocabulary import Payer, Setting


class UnitsRequest(BaseModel):
    """One units question. Only `family` is always needed; each family reads the fields it documents.

    Time: give `minutes`, or `start` and `end` (clock times; an end before the start crosses midnight, so
    23:00 -> 02:00 is 180 minutes). Payer: "cpt" (the CPT rule many commercial payers follow) or "medicare".

    Family-specific fields:
    - subq_infusion: `pump_setups` (each set-up after the first is +96371), `sites` (sites at the first set-up,
      all inside 96369).
    - iv_infusion / iv_push / injection (one drug-administration encounter, therapeutic drugs):
      `minutes` is the length of the initial infusion (iv_infusion; for iv_push a duration over 15 minutes
      makes it an infusion). `pushes`: IV pushes of different drugs in the encounter, counting the initial one
      (default 1 for iv_push, else 0). `same_drug_pushes`: pushes of a drug already pushed, more than 30 minutes
      after it (96376, facility only). `injections`: SC/IM injections, 96372 each (default 1 for injection,
      else 0). `sequential_infusions`: further infusions of a new drug after the initial one (96367 each, up
      to an hour each). `concurrent_infusion`: a second drug infused at the same time (96368, once).
      `primary_service` ("infusion" or "push"): for the professional setting, the service that was the key
      reason for the encounter; needed when both an infusion and a push were given.
    - chemo_infusion: `minutes`, `sequential_infusions` (96417 each), `pushes` (chemo pushes of new drugs
      after the infusion, 96411 each), `prolonged_pump` (a pump-driven infusion of more than 8 hours: 96416).
    - chemo_push: `pushes` (chemo drugs pushed, default 1).
    - office_em: `patient` ("new" or "established"), `minutes` = total time on the date of the encounter.
    - psychotherapy: `with_em` (an E/M billed the same day: the add-on codes), `interactive_complexity` (+90785).
    - crisis_psychotherapy: `minutes` (total crisis time on the date).
    - family_psychotherapy: `patient_present` (90847 with the patient, 90846 without).
    - sedation: `sedation_by` ("same" physician as the procedure or "other"), `patient_under_5`, `gi_endoscopy`
      (sedation by the endoscopist for a GI endoscopy: G0500 for Medicare).
    - therapy: `code_minutes` (minutes per code; untimed codes in it count 1 unit whatever their minutes),
      `untimed_codes` (evaluations 97161-97168, supervised modalities 97010-97028, 97150: 1 unit each).
    - hospital_em: `visit` ("initial", "subsequent", "discharge" or "same_day" admission and discharge);
      nursing_facility_em: `visit` ("initial" or
      "subsequent"); home_em: `patient` ("new" or "established"). `minutes` = total time on the date.
    - care_management: `care_program` ("ccm_staff" 99490, "ccm_complex" 99487, "ccm_physician" 99491,
      "pcm_physician" 99424, "pcm_staff" 99426), `minutes` = total time in the calendar month.
    - anesthesia: `minutes`, `base_units` (or from the CMS base-unit file given to `calculate`), `anesthesia_code`.
    - drug_units: `drug_code`, `dose`, `dose_unit`, `billing_quantity`, `billing_unit`, `single_dose_vial`.
    """

    model_config = ConfigDict(extra="forbid")

    family: str
    minutes: int | None = None
    start: datetime.time | None = None
    end: datetime.time | None = None
    payer: Payer = "cpt"
    setting: Setting = "professional"
    # subq_infusion
    pump_setups: int = 1
    sites: int | None = None
    # therapy
    code_minutes: dict[str, int] | None = None
    # office_em / psychotherapy
    patient: Literal["new", "established"] | None = None
    with_em: bool = False
    interactive_complexity: bool = False
    # family_psychotherapy
    patient_present: bool | None = None
    # sedation
    sedation_by: Literal["same", "other"] = "same"
    patient_under_5: bool = False
    gi_endoscopy: bool = False
    # therapy
    untimed_codes: list[str] | None = None
    # hospital_em / nursing_facility_em
    visit: Literal["initial", "subsequent", "discharge", "same_day"] | None = None
    # care_management
    care_program: Literal["ccm_staff", "ccm_complex", "ccm_physician", "pcm_physician", "pcm_staff"] | None = None
    # anesthesia
    base_units: float | None = None
    anesthesia_code: str | None = None
    # drug_units
    drug_code: str | None = None
    dose: float | None = None
    dose_unit: str | None = None
    billing_quantity: float | None = None
    billing_unit: str | None = None
    single_dose_vial: bool | None = None
    # drug administration (iv_infusion, iv_push, injection, chemo_infusion, chemo_push)
    pushes: int | None = None
    same_drug_pushes: int = 0
    injections: int | None = None
    sequential_infusions: int = 0
    concurrent_infusion: bool = False
    primary_service: Literal["infusion", "push"] | None = None
    prolonged_pump: bool = False


class BillableLine(BaseModel):
    """One claim line: a code and its units. `add_on_to` lists the primary codes an add-on is reported with."""

    code: str
    units: int
    title: str
    add_on_to: list[str] = Field(default_factory=list)


class UnitsResult(BaseModel):
    """The engine's answer, with the rule applied and its sources so a coder or auditor can check it.

    `lines` is empty exactly when nothing is reported; `not_billable_reason` then says why.
    `unconfirmed` is true when any rule behind the answer lacks a primary source; `warnings` says what to check.
    """

    family: str
    payer: Payer
    setting: Setting
    minutes: int | None = None
    lines: list[BillableLine] = Field(default_factory=list)
    rule: str
    citations: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    not_billable_reason: str | None = None
    unconfirmed: bool = False
    anesthesia_time_units: float | None = None
    anesthesia_total_units: float | None = None
    anesthesia_base_units: float | None = None


@dataclass(frozen=True, slots=True)
class MueLimit:
    """A Medically Unlikely Edit: the most units of `code` a payer expects per line or day (`mai` says which)."""

    code: str
    value: int
    mai: int
    mai_description: str


MueLookup = Callable[[str], "MueLimit | None"]


@dataclass(frozen=True, slots=True)
class FamilyInfo:
    """A family the engine answers: its name (the key of FAMILIES), a short title, its codes and a summary."""

    name: str
    title: str
    codes: tuple[str, ...]
    description: str
