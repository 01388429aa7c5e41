"""Place of service (POS) codes: the CMS POS code set with our own descriptions (`corpus/pos.yml`).

POS codes tell where a professional service was given (box 24B of the CMS-1500 / 837P). They are public domain
CMS data (CMS Place of Service Code Set); the names are CMS's, the descriptions ours. `rate` says whether a
practitioner's service there is paid at the Medicare Physician Fee Schedule's facility or non-facility rate, where
CMS says so (42 CFR 414.22(b)(5)(i); Medicare Claims Processing Manual 100-04 Ch. 12 Sec. 20.4.2).
Revenue codes (UB-04 form locator 42) are licensed by the NUBC: none are shipped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

POS_FILE = Path(__file__).resolve().parent.parent.parent / "corpus" / "pos.yml"
POS_SOURCE = "CMS Place of Service Code Set (public domain; descriptions in our own words)"
RATE_SOURCE = ("42 CFR 414.22(b)(5)(i); Medicare Claims Processing Manual (100-04) Ch. 12 Sec. 20.4.2; CY 2024 PFS "
               "final rule (POS 10 non-facility, POS 02 facility)")
Rate = Literal["facility", "non-facility", "own system", "not stated"]


class PlaceOfService(BaseModel):
    """One POS code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^\d\d$")
    name: str
    description: str
    rate: Rate
    rate_note: str = ""
    lay_terms: tuple[str, ...] = ()


class PosFileError(ValueError):
    """The POS file cannot be read: the message names the file and the entry."""


def load_pos(path: Path = POS_FILE) -> dict[str, PlaceOfService]:
    """Code -> POS entry, in file order; `PosFileError` names the file and entry of a bad one."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PosFileError(f"{path}: cannot read the POS file: {error}") from error
    if not isinstance(document, list):
        raise PosFileError(f"{path}: should be a YAML list of POS entries")
    entries: dict[str, PlaceOfService] = {}
    for index, raw in enumerate(document):
        try:
            entry = PlaceOfService.model_validate(raw)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem.get("loc", ())) or "entry"
            raise PosFileError(f"{path}: entry #{index + 1}: {where}: {problem['msg']}") from error
        if entry.code in entries:
            raise PosFileError(f"{path}: entry #{index + 1}: POS {entry.code} is listed twice")
        entries[entry.code] = entry
    return entries


@lru_cache(maxsize=1)
def pos_codes() -> dict[str, PlaceOfService]:
    """The bundled POS code set, read once."""
    return load_pos()
