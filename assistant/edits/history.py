"""NCCI look-ups for a date of service: the MUE or PTP release in force on that date, and PTP row dates.

Releases are kept by the importers (releases.keep_previous_release): the live table is the last imported quarter,
older quarters are `<table>__<2026q1>`. `EditsHistory.mue_on(code, day)` / `ptp_on(a, b, day)` choose the release
in force on `day` (releases.choose_release) and answer from it, with the `ReleaseChoice` saying which release
and whether the date is outside what is loaded.

PTP rows with their own dates. The CMS PTP files give each edit an effective date and a deletion date; the
derived shared file has neither. After a PTP import, `record_ptp_dates` reads the dates of a CMS-layout file and
keeps only the rows whose dates fall inside the release's quarter (an edit added mid-quarter, or deleted during
or after it): every other row is in force for the whole quarter, so the table stays small. A dated look-up then
says "not yet in force on that date" or "deleted on ...". Files without the date columns record nothing and the
answer says the file has no row dates.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.edits.models import MueEntry, PtpEdit, table_for
from assistant.edits.releases import (
    Release,
    ReleaseChoice,
    SqliteReader,
    choose_release,
    edits_releases,
    quarter_dates,
)

CREATE_PTP_DATES = """
CREATE TABLE IF NOT EXISTS ptp_dates (
    table_name TEXT NOT NULL, quarter TEXT NOT NULL, column1 TEXT NOT NULL, column2 TEXT NOT NULL,
    effective INTEGER, deleted INTEGER,
    PRIMARY KEY (table_name, quarter, column1, column2)
) WITHOUT ROWID
"""
_NAME = re.compile(r"^[a-z_]+(?:__\d{4}q[1-4])?$")  # a table name we built; never one from input


def _table_name(release: Release) -> str:
    if not _NAME.match(release.table):
        raise ValueError(f"unexpected table name {release.table!r}")
    return release.table


@dataclass(frozen=True, slots=True)
class DatedPtp:
    """A PTP edit looked up for a date of service: the edit (None: no edit in that release), the release choice,
    and what the row's own dates say ("" when the row has none recorded)."""

    edit: PtpEdit | None
    choice: ReleaseChoice
    row_dates: str = ""
    in_force: bool = True


class EditsHistory:
    """Date-of-service look-ups over every loaded release of the NCCI MUE and PTP tables."""

    def __init__(self, path: Path | str) -> None:
        self.reader = SqliteReader(path)

    def releases(self, kind: str, setting: str = "professional") -> list[Release]:
        """The loaded releases of the `kind` ("mue"/"ptp") table of `setting`, oldest first."""
        table = table_for(kind, setting)
        return self.reader.cached(("releases", table), lambda: sorted(
            edits_releases(self.reader, table), key=lambda release: release.starts))

    def choose(self, kind: str, day: date | None, setting: str = "professional") -> ReleaseChoice:
        return choose_release(self.releases(kind, setting), day)

    def mue_on(self, code: str, day: date | None, setting: str = "professional") -> tuple[MueEntry | None,
                                                                                         ReleaseChoice]:
        """The MUE of `code` in the release in force on `day`, and the choice (None when none is in force)."""
        choice = self.choose("mue", day, setting)
        if choice.release is None:
            return None, choice
        table = _table_name(choice.release)
        rows = self.reader.query(
            f"SELECT code, value, mai, mai_description, rationale FROM {table} WHERE code = ?",
            (code.strip().upper(),),
        )
        if not rows:
            return None, choice
        release = choice.release
        return MueEntry(*rows[0], release.source, release.quarter, table_for("mue", setting)), choice

    def ptp_on(self, code_a: str, code_b: str, day: date | None, setting: str = "professional") -> DatedPtp:
        """The PTP edit between two codes (either order) in the release in force on `day`, with the row's dates."""
        choice = self.choose("ptp", day, setting)
        if choice.release is None:
            return DatedPtp(None, choice)
        table = _table_name(choice.release)
        first, second = code_a.strip().upper(), code_b.strip().upper()
        rows = self.reader.query(
            f"SELECT p.column1, p.column2, p.modifier_indicator, r.text FROM {table} AS p "
            "JOIN ptp_rationale AS r ON r.id = p.rationale_id "
            "WHERE (p.column1 = ?1 AND p.column2 = ?2) OR (p.column1 = ?2 AND p.column2 = ?1)",
            (first, second),
        )
        if not rows:
            return DatedPtp(None, choice)
        rows.sort(key=lambda row: row[0] != first)
        release = choice.release
        base = table_for("ptp", setting)
        edit = PtpEdit(*rows[0], release.source, release.quarter, base)
        has_dates = self.reader.cached(("ptp_dates", base, release.quarter), lambda: bool(self.reader.query(
            "SELECT 1 FROM ptp_dates WHERE table_name = ? AND quarter = ? LIMIT 1", (base, release.quarter))))
        dates = self.reader.query(
            "SELECT effective, deleted FROM ptp_dates WHERE table_name = ? AND quarter = ? AND column1 = ? "
            "AND column2 = ?", (base, release.quarter, edit.column1, edit.column2),
        ) if has_dates else []
        if not dates or day is None:
            return DatedPtp(edit, choice)
        effective, deleted = (_from_int(value) for value in dates[0])
        if effective is not None and day < effective:
            return DatedPtp(edit, choice, f"effective {effective.isoformat()}: not yet in force on "
                            f"{day.isoformat()}", in_force=False)
        if deleted is not None and day >= deleted:
            return DatedPtp(edit, choice, f"deleted {deleted.isoformat()}: no longer applied on {day.isoformat()}",
                            in_force=False)
        parts = [f"effective {effective.isoformat()}" if effective else "", f"deletion date {deleted.isoformat()}"
                 if deleted else ""]
        return DatedPtp(edit, choice, ", ".join(part for part in parts if part))


def _from_int(value: int | None) -> date | None:
    return None if value is None else date(value // 10000, value // 100 % 100, value % 100)


def _to_int(text: str) -> int | None:
    value = text.strip()
    if not re.fullmatch(r"\d{8}", value) or value.strip("0") == "":
        return None
    return int(value)


def _header_positions(cells: list[str]) -> tuple[int, int, int, int] | None:
    keys = [re.sub(r"[^a-z0-9]+", "", cell.lower()) for cell in cells]

    def find(*starts: str) -> int | None:
        return next((i for i, key in enumerate(keys) if any(key.startswith(start) for start in starts)), None)

    positions = (find("column1"), find("column2"), find("effectivedate", "effective"), find("deletiondate"))
    return None if any(position is None for position in positions) else positions  # type: ignore[return-value]


def _dated_rows(rows: Iterable[list[str]], positions: tuple[int, int, int, int], table: str, quarter: str
                ) -> list[tuple]:
    start, end = quarter_dates(quarter)
    start_int, end_int = int(start.strftime("%Y%m%d")), int(end.strftime("%Y%m%d"))
    first, second, effective_at, deleted_at = positions
    width = max(positions) + 1
    kept: list[tuple] = []
    for cells in rows:
        if len(cells) < width or not re.fullmatch(r"[A-Z0-9]{5}", cells[first].strip().upper()):
            continue
        effective, deleted = _to_int(cells[effective_at]), _to_int(cells[deleted_at])
        mid_quarter = effective is not None and start_int < effective <= end_int
        ends = deleted is not None and deleted > start_int  # on or before the start: already stored as deleted
        if mid_quarter or ends:
            kept.append((table, quarter, cells[first].strip().upper(), cells[second].strip().upper(), effective,
                         deleted))
    return kept


def record_ptp_dates(path: Path | str, db_path: Path | str, table: str, quarter: str | None) -> int | None:
    """Keep the dates of the PTP rows of a CMS-layout file that matter inside `quarter` (see the module
    docstring); returns how many were kept, or None for a file without date columns or an unknown quarter."""
    if quarter is None:
        return None
    with Path(path).open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    opener = gzip.open if compressed else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as stream:  # type: ignore[operator]
        head = [stream.readline() for _ in range(25)]
        delimiter = "\t" if "".join(head).count("\t") > "".join(head).count(",") else ","
        positions = None
        for cells in csv.reader(head, delimiter=delimiter):
            positions = _header_positions(cells)
            if positions is not None:
                break
        if positions is None:  # no date columns (the derived copy): nothing more is read
            return None
        kept = _dated_rows(csv.reader(itertools.chain(head, stream), delimiter=delimiter), positions, table,
                           quarter)
    connection = sqlite3.connect(db_path, isolation_level=None, timeout=300.0)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(CREATE_PTP_DATES)
        connection.execute("DELETE FROM ptp_dates WHERE table_name = ? AND quarter = ?", (table, quarter))
        connection.executemany("INSERT OR REPLACE INTO ptp_dates VALUES (?, ?, ?, ?, ?, ?)", kept)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return len(kept)


def ptp_dates_summary(kept: int | None) -> str:
    """The words added to the PTP import summary about row dates."""
    if kept is None:
        return "; the file has no effective/deletion dates (a derived copy): dated answers use its quarter only"
    return f"; {kept:,} edits with effective or deletion dates inside the quarter kept for dated look-ups"


class EditsOnDate:
    """The NCCI store as it stood on a date of service: the scrubber's look-ups (`loaded`, `mue`, `pairs`, `addon`,
    `info`) answered from the MUE and PTP releases in force on `day`; add-on edits from the live table. Pass it to
    `scrub()` in place of the `EditsStore` to scrub a claim of an earlier quarter."""

    def __init__(self, store: object, day: date) -> None:
        self.store = store
        self.day = day
        self.path = getattr(store, "path", None)
        self.history = EditsHistory(self.path) if self.path is not None else None

    def notes(self, setting: str = "professional") -> list[str]:
        """Which releases answered for the date of service, and a date outside the loaded releases."""
        if self.history is None:
            return []
        notes = []
        for kind in ("mue", "ptp"):
            choice = self.history.choose(kind, self.day, setting)
            if choice.release is not None:
                notes.append(f"{kind.upper()}: the {choice.release.quarter} release ({choice.release.source}), in "
                             f"force on the date of service {self.day.isoformat()}.")
            if choice.note:
                notes.append(f"{kind.upper()}: {choice.note}.")
        return notes

    def loaded(self, kind: str, setting: str = "professional") -> bool:
        return self.history is not None and self.history.choose(kind, self.day, setting).release is not None

    def mue(self, code: str, setting: str = "professional") -> MueEntry | None:
        return self.history.mue_on(code, self.day, setting)[0] if self.history is not None else None

    def pairs(self, codes: Iterable[str], *, include_deleted: bool = True, setting: str = "professional"
              ) -> list[PtpEdit]:
        unique = sorted({code.strip().upper() for code in codes if code and code.strip()})
        edits = []
        for index, first in enumerate(unique):
            for second in unique[index + 1:]:
                found = self.history.ptp_on(first, second, self.day, setting) if self.history else None
                if found is None or found.edit is None or not found.in_force:
                    continue
                if include_deleted or not found.edit.deleted:
                    edits.append(found.edit)
        return sorted(edits, key=lambda edit: (edit.column1, edit.column2))

    def addon(self, code: str) -> object:
        return self.store.addon(code)  # type: ignore[attr-defined]

    @property
    def has_addons(self) -> bool:
        return bool(getattr(self.store, "has_addons", False))

    def info(self) -> dict:
        info = getattr(self.store, "info", None)
        return info() if callable(info) else {}
