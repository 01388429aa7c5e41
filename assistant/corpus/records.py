"""Typed code records: what the bundled corpus files and the importers produce."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CodeSystem = Literal["CPT", "HCPCS"]


class BillingUnit(BaseModel):
    """The amount one billed unit of a drug code stands for, e.g. 100 mg for J1559."""

    model_config = ConfigDict(extra="forbid")

    quantity: float = Field(gt=0)
    unit: str = Field(min_length=1, description="mg, mcg, g, units, mL ...")


class CodeRecord(BaseModel):
    """One code, described in our own words (never AMA descriptor text)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=5, max_length=7)
    system: CodeSystem
    family: str = Field(min_length=1, description="Family of codes, e.g. subq_infusion, drugs, critical_care.")
    title: str = Field(min_length=3, max_length=120, description="Short title in our own words.")
    description: str = Field(min_length=20, description="2-5 sentences in our own words.")
    lay_terms: list[str] = Field(default_factory=list, description="Shorthand coders type: subq, SCIG, NS bolus.")
    add_on_to: list[str] = Field(default_factory=list, description="Primary codes this add-on code is reported with.")
    billing_unit: BillingUnit | None = None
    time_rule: str | None = Field(None, description="Units-engine family that counts this code's units.")
    sources: list[str] = Field(default_factory=list)
    # Filled only by importers from files the organisation supplies (licensed CPT file, CMS HCPCS file).
    official_descriptor: str | None = None
    official_source: str | None = None

    @field_validator("code")
    @classmethod
    def _upper_code(cls, value: str) -> str:
        return value.strip().upper()

    @property
    def is_add_on(self) -> bool:
        """True when the code is reported only together with a primary code."""
        return bool(self.add_on_to)

    def content_hash(self) -> str:
        """A stable hash of everything that goes into the record's embedded text and metadata."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]
