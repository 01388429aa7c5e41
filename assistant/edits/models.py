"""What the NCCI tables answer: one MUE value, one PTP edit, and the meaning of their indicators.

The indicator meanings are public CMS definitions (NCCI Policy Manual for Medicare Services, chapter I; the MUE
and PTP file layouts published with each quarterly release), written here in our own words.
"""

from __future__ import annotations

from dataclasses import dataclass

# (kind, setting) -> the SQLite table. The practitioner tables apply to professional claims, the outpatient
# hospital (OPH) tables to facility claims (CMS NCCI: "MUEs for Practitioner Services" and "MUEs for Outpatient
# Hospital Services" are separate files; so are the practitioner and hospital PTP files).
TABLE_FOR: dict[tuple[str, str], str] = {
    ("mue", "professional"): "mue",
    ("mue", "facility"): "mue_oph",
    ("ptp", "professional"): "ptp",
    ("ptp", "facility"): "ptp_oph",
}
# SQLite table -> the name an answer gives it.
TABLE_LABELS: dict[str, str] = {
    "mue": "practitioner MUE table",
    "mue_oph": "outpatient hospital MUE table",
    "ptp": "practitioner PTP table",
    "ptp_oph": "outpatient hospital PTP table",
    "aoc": "add-on code edit table",
}

# CMS add-on code edit types (Medicare NCCI Add-on Code Edits page, "AOC types"), in our words.
AOC_TYPE_MEANINGS: dict[int, str] = {
    1: "paid only with one of the primary codes CMS lists for it",
    2: "CMS lists no primary codes; the Medicare contractor decides which primaries are acceptable",
    3: "CMS lists some primary codes; the contractor may accept others",
}


def table_for(kind: str, setting: str) -> str:
    """The table holding `kind` ("mue" or "ptp") for a claim `setting` ("professional" or "facility")."""
    try:
        return TABLE_FOR[(kind, setting)]
    except KeyError:
        raise ValueError(
            f"no {kind!r} table for setting {setting!r}: expected kind 'mue' or 'ptp' and setting "
            "'professional' or 'facility'"
        ) from None

# PTP modifier indicator -> what it means for the claim (CMS NCCI PTP file layout, "Modifier Indicator").
MODIFIER_INDICATOR_MEANINGS: dict[int, str] = {
    0: "never billed together: no modifier lets the column 2 code be paid with the column 1 code",
    1: (
        "allowed together with a modifier such as 59 or XE/XS/XP/XU, only when the documentation supports a "
        "distinct service (different session, site, lesion or encounter)"
    ),
    9: "edit deleted: CMS no longer applies this pair edit",
}

# MUE adjudication indicator (MAI) -> how the limit is applied (CMS MUE file layout, "MUE Adjudication Indicator").
MAI_MEANINGS: dict[int, str] = {
    1: "claim line edit: the limit applies to each claim line (units over it deny that line)",
    2: "date of service edit, absolute (policy): the limit applies to all lines of the date of service and "
    "is not exceeded on appeal",
    3: "date of service edit, clinical: the limit applies to all lines of the date of service; units above it "
    "may be paid on appeal with documentation of medical necessity",
}


class NotLoadedError(LookupError):
    """The table asked for has not been imported yet; the message says how to import it."""


def describe_modifier_indicator(indicator: int) -> str:
    """The coder's meaning of a PTP modifier indicator (0, 1 or 9); any other value is a ValueError."""
    try:
        return MODIFIER_INDICATOR_MEANINGS[int(indicator)]
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"PTP modifier indicator must be 0, 1 or 9, not {indicator!r}") from None


def describe_mai(mai: int) -> str:
    """The coder's meaning of an MUE adjudication indicator (1, 2 or 3); any other value is a ValueError."""
    try:
        return MAI_MEANINGS[int(mai)]
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"MUE adjudication indicator (MAI) must be 1, 2 or 3, not {mai!r}") from None


@dataclass(frozen=True, slots=True)
class MueEntry:
    """The MUE of one code: the most units reported for one patient (per line or per date of service).

    `mai_description` is the file's own wording ("Date of Service Edit: Clinical"); `source` is the imported
    file's name and `quarter` its effective quarter ("2026 Q2", or None when it could not be told). `table` is
    "mue" (practitioner) or "mue_oph" (outpatient hospital).
    """

    code: str
    value: int
    mai: int
    mai_description: str
    rationale: str
    source: str
    quarter: str | None
    table: str = "mue"

    @property
    def table_label(self) -> str:
        """"practitioner MUE table" or "outpatient hospital MUE table"."""
        return TABLE_LABELS[self.table]

    @property
    def mai_meaning(self) -> str:
        """How CMS applies this limit, in our words (see `describe_mai`)."""
        return describe_mai(self.mai)

    @property
    def citation(self) -> str:
        """One line naming the table, its quarter and the file, for an answer's sources."""
        return f"CMS NCCI {self.table_label}, {self.quarter or 'quarter unknown'} ({self.source})"


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """One NCCI procedure-to-procedure edit: `column2` is not paid with `column1` unless the indicator allows it.

    Deleted edits (modifier indicator 9) are kept and returned: they answer "this edit was deleted", which is
    different from "no edit exists" (None). `deleted` tells them apart.
    """

    column1: str
    column2: str
    modifier_indicator: int
    rationale: str
    source: str
    quarter: str | None
    table: str = "ptp"

    @property
    def table_label(self) -> str:
        """"practitioner PTP table" or "outpatient hospital PTP table"."""
        return TABLE_LABELS[self.table]

    @property
    def deleted(self) -> bool:
        """True for a deleted edit (modifier indicator 9): the pair is no longer edited."""
        return self.modifier_indicator == 9

    @property
    def modifier_allowed(self) -> bool:
        """True when a modifier (59, XE/XS/XP/XU) can bypass the edit with supporting documentation."""
        return self.modifier_indicator == 1

    @property
    def meaning(self) -> str:
        """What the modifier indicator means for this pair (see `describe_modifier_indicator`)."""
        return describe_modifier_indicator(self.modifier_indicator)

    @property
    def citation(self) -> str:
        """One line naming the table, its quarter and the file, for an answer's sources."""
        return f"CMS NCCI {self.table_label}, {self.quarter or 'quarter unknown'} ({self.source})"


@dataclass(frozen=True, slots=True)
class AddOnEdit:
    """One add-on code of the CMS add-on code edit table: its type and the primary codes CMS lists for it."""

    addon: str
    aoc_type: int
    primaries: tuple[str, ...]
    source: str
    quarter: str | None

    @property
    def meaning(self) -> str:
        """What the AOC type means for the claim (see `AOC_TYPE_MEANINGS`)."""
        return AOC_TYPE_MEANINGS.get(self.aoc_type, f"AOC type {self.aoc_type}")

    @property
    def citation(self) -> str:
        """One line naming the table, its quarter and the file, for an answer's sources."""
        return f"CMS NCCI add-on code edit table, {self.quarter or 'quarter unknown'} ({self.source})"
