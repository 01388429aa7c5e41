"""The one door to the NCCI tables: MUE, PTP and add-on look-ups for one claim setting, and the release they hold.

Every reader of the tables goes through `ClaimEdits` (the units and encounter routes through the MUE/PTP look-ups
they hand to the engines, the edits answers, the look-up cards, the scrubber), so a claim's setting picks its
tables in one place. CMS publishes separate files per setting: "MUEs for Practitioner Services" apply to
professional claims and "MUEs for Outpatient Hospital Services" to facility claims, and likewise the practitioner
and hospital PTP files (CMS NCCI MUE and PTP pages; NCCI Policy Manual for Medicare Services, chapter I). A facility
claim is therefore never checked against a practitioner table, nor the reverse: when the setting's table is not
imported the look-ups say "not loaded" (None), never another table's value (issue 12, issue 21 item 3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from assistant.edits.models import TABLE_LABELS, AddOnEdit, MueEntry, PtpEdit, table_for
from assistant.units.vocabulary import SETTINGS, Setting

EditKind = Literal["mue", "ptp"]
MueEntryLookup = Callable[[str], MueEntry | None]
PtpPairsLookup = Callable[[list[str]], list[PtpEdit]]

# The importer command of each setting's table (`python -m assistant import KIND FILE`).
_IMPORT_KIND: dict[tuple[str, str], str] = {
    ("mue", "professional"): "mue",
    ("mue", "facility"): "mue-oph",
    ("ptp", "professional"): "ptp",
    ("ptp", "facility"): "ptp-oph",
}


class EditsTables(Protocol):
    """What the look-up reads of the store (`assistant.edits.EditsStore` satisfies it)."""

    def loaded(self, kind: str, setting: Setting = ...) -> bool: ...
    def mue(self, code: str, setting: Setting = ...) -> MueEntry | None: ...
    def pairs(self, codes: Iterable[str], *, include_deleted: bool = ..., setting: Setting = ...) -> list[PtpEdit]: ...
    def ptp_count(self, code: str, setting: Setting = ...) -> tuple[int, int]: ...
    def addon(self, code: str) -> AddOnEdit | None: ...
    def info(self) -> dict[str, dict[str, Any]]: ...
    @property
    def has_addons(self) -> bool: ...


def other_setting(setting: Setting) -> Setting:
    """The claim setting that is not `setting` (its tables are never read for `setting`)."""
    return "facility" if setting == "professional" else "professional"


@dataclass(frozen=True)
class ClaimEdits:
    """The NCCI tables of one claim setting: every MUE and PTP read names `setting`, never the other one.

    `store` may be None (no edits database): then nothing is loaded and every look-up is None or empty. The add-on
    code edit table is one CMS file for every setting.
    """

    store: EditsTables | None
    setting: Setting

    def __post_init__(self) -> None:
        if self.setting not in SETTINGS:
            raise ValueError(f"claim setting must be 'professional' or 'facility', not {self.setting!r}")

    # --- what is loaded ------------------------------------------------------------------------------------
    def table(self, kind: EditKind) -> str:
        """The SQLite table of `kind` for this setting ("mue", "mue_oph", "ptp", "ptp_oph")."""
        return table_for(kind, self.setting)

    def label(self, kind: EditKind) -> str:
        """The table's name in an answer ("outpatient hospital MUE table")."""
        return TABLE_LABELS[self.table(kind)]

    def loaded(self, kind: EditKind) -> bool:
        """True when this setting's `kind` table is imported."""
        return self.store is not None and bool(self.store.loaded(kind, self.setting))

    def release(self, kind: EditKind) -> str | None:
        """The quarter ("2026 Q2") of this setting's `kind` table as imported, or None (not loaded or not told)."""
        if self.store is None:
            return None
        return (self.store.info().get(self.table(kind)) or {}).get("quarter")

    def import_command(self, kind: EditKind) -> str:
        """The command that imports this setting's `kind` table."""
        return f"python -m assistant import {_IMPORT_KIND[(kind, self.setting)]} FILE"

    def not_loaded_note(self, kind: EditKind) -> str | None:
        """A warning for an answer whose lines were not checked because this setting's table is missing while the
        other setting's is loaded (None when this one is loaded, or when neither is: answers then say nothing)."""
        if self.store is None or self.loaded(kind):
            return None
        other = other_setting(self.setting)
        if not self.store.loaded(kind, other):
            return None
        what = "MUE" if kind == "mue" else "PTP edits"
        return (f"{what} not checked: the {self.label(kind)} is not loaded (the {TABLE_LABELS[table_for(kind, other)]}"
                f" applies to {other} claims only); import it with `{self.import_command(kind)}`.")

    # --- look-ups ----------------------------------------------------------------------------------------
    def mue(self, code: str) -> MueEntry | None:
        """The MUE of `code` in this setting's table, or None (no MUE there, or the table is not loaded)."""
        return self.store.mue(code, self.setting) if self.store is not None else None

    def pairs(self, codes: Iterable[str], *, include_deleted: bool = True) -> list[PtpEdit]:
        """Every PTP edit among `codes` in this setting's table ([] when it is not loaded)."""
        if self.store is None:
            return []
        return list(self.store.pairs(codes, include_deleted=include_deleted, setting=self.setting))

    def ptp_count(self, code: str) -> tuple[int, int] | None:
        """(active, deleted) PTP edits of this setting's table naming `code`, or None when the table is not loaded."""
        if self.store is None or not self.loaded("ptp"):
            return None
        return self.store.ptp_count(code, self.setting)

    def addon(self, code: str) -> AddOnEdit | None:
        """The add-on code edit of `code` from the CMS add-on table, or None (not an add-on there, or not loaded)."""
        if self.store is None or not self.store.has_addons:
            return None
        return self.store.addon(code)

    @property
    def has_addons(self) -> bool:
        """True once the CMS add-on code edit table is imported."""
        return self.store is not None and bool(self.store.has_addons)

    # --- the engines' look-ups -------------------------------------------------------------------------------
    def mue_lookup(self) -> MueEntryLookup | None:
        """code -> this setting's `MueEntry` (the units and encounter engines read `.value`, `.mai`,
        `.mai_description`), or None when the table is not loaded (so the engines skip the check)."""
        return self.mue if self.loaded("mue") else None

    def ptp_lookup(self) -> PtpPairsLookup | None:
        """codes -> this setting's PTP edits among them (the encounter engine's `ptp_lookup`), or None when the
        table is not loaded."""
        if not self.loaded("ptp"):
            return None

        def among(codes: list[str]) -> list[PtpEdit]:
            return self.pairs(codes)

        return among
