"""Typed code records: what the bundled corpus files and the importers produce."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from assistant.units import registry as units_registry

CodeSystem = Literal["CPT", "HCPCS", "MODIFIER"]

# Units-engine families a record's `time_rule` may name: derived from the units family registry (a leaf library).
TIME_RULES: tuple[str, ...] = units_registry.TIME_RULES

# CPT: five digits (Category I) or four digits + F/T/U (Category II/III, PLA). HCPCS Level II: a letter + 4 digits.
_CODE_SHAPES: dict[str, re.Pattern[str]] = {
    "CPT": re.compile(r"\d{5}|\d{4}[FTU]"),
    "HCPCS": re.compile(r"[A-Z]\d{4}"),
    # CPT and HCPCS Level II modifiers: two characters (25, 59, JW, XU, TC, E1 ...).
    "MODIFIER": re.compile(r"[A-Z0-9]{2}"),
}
# Fields added for issue 12: left out of the content hash while empty, so records that do not use them keep the
# hash (and the embedded index) they had.
_OPTIONAL_HASH_FIELDS = ("added_on", "replaced_by")


class BillingUnit(BaseModel):
    """The amount one billed unit of a drug code stands for, e.g. 100 mg for J1559."""

    model_config = ConfigDict(extra="forbid")

    quantity: float = Field(gt=0)
    unit: str = Field(min_length=1, description="mg, mcg, g, units, mL ...")


class CodeRecord(BaseModel):
    """One code, described in our own words (never AMA descriptor text)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=7)
    system: CodeSystem
    family: str = Field(min_length=1, description="Family of codes, e.g. subq_infusion, drugs, critical_care.")
    title: str = Field(min_length=3, max_length=120, description="Short title in our own words.")
    description: str = Field(min_length=20, description="2-5 sentences in our own words.")
    lay_terms: list[str] = Field(default_factory=list, description="Shorthand coders type: subq, SCIG, NS bolus.")
    add_on_to: list[str] = Field(default_factory=list, description="Primary codes this add-on code is reported with.")
    billing_unit: BillingUnit | None = None
    time_rule: str | None = Field(None, description="Units-engine family that counts this code's units.")
    sources: list[str] = Field(default_factory=list)
    # The official descriptor: public-domain HCPCS Level II text may be bundled; CPT wording only ever comes
    # from a licensed file the organisation imports (never bundled: AMA copyright).
    official_descriptor: str | None = None
    official_source: str | None = None
    # The CMS termination date of a code that is no longer valid for later dates of service (HCPCS term_dt). A
    # terminated code stays in the corpus for older claims; a current code sharing its lay terms wins over it.
    terminated_on: date | None = None
    # The date CMS added the code (HCPCS add_dt), and the code(s) that replace a terminated one (the HCPCS file's
    # cross-reference fields, else the sourced table in assistant/corpus/replacements.py).
    added_on: date | None = None
    replaced_by: list[str] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _upper_code(cls, value: str) -> str:
        return value.strip().upper()

    @field_validator("replaced_by")
    @classmethod
    def _upper_replacements(cls, value: list[str]) -> list[str]:
        return [code.strip().upper() for code in value]

    @field_validator("add_on_to")
    @classmethod
    def _upper_primaries(cls, value: list[str], info: ValidationInfo) -> list[str]:
        primaries = [code.strip().upper() for code in value]
        if info.data.get("code") in primaries:
            raise ValueError(f"code {info.data['code']} lists itself as its own primary")
        return primaries

    @field_validator("lay_terms", "sources")
    @classmethod
    def _no_blank_entries(cls, value: list[str]) -> list[str]:
        cleaned = [item.strip() for item in value]
        if any(not item for item in cleaned):
            raise ValueError("entries must not be blank")
        return cleaned

    @model_validator(mode="after")
    def _code_fits_system(self) -> CodeRecord:
        """A CPT code is five digits (or four + F/T/U); a HCPCS Level II code is a letter and four digits; a
        modifier is two characters."""
        if not _CODE_SHAPES[self.system].fullmatch(self.code):
            raise ValueError(f"code {self.code} does not look like a {self.system} code")
        return self

    @property
    def is_add_on(self) -> bool:
        """True when the code is reported only together with a primary code."""
        return bool(self.add_on_to)

    def content_hash(self) -> str:
        """A stable hash of everything that goes into the record's embedded text and metadata."""
        data = self.model_dump(mode="json")
        for name in _OPTIONAL_HASH_FIELDS:
            if not data.get(name):
                data.pop(name, None)
        payload = json.dumps(data, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]
