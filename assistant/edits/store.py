"""Read the imported NCCI MUE and PTP tables: exact look-ups by code, safe from many threads.

Each thread gets its own read-only SQLite connection (opened on first use: `releases.SqliteReader`, the reader the
release-aware stores share too). The database is in WAL mode, so a reader always sees the last committed import:
after `python -m assistant import ptp FILE` the next look-up answers from the new table with no restart. `reload()`
is only needed when the file itself was deleted or replaced (not by our importers, which update it in place).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.edits.models import AddOnEdit, MueEntry, NotLoadedError, PtpEdit, table_for
from assistant.edits.releases import SqliteReader
from assistant.units.vocabulary import Setting

_IMPORT_HINT = {
    "mue": "python -m assistant import mue FILE (the CMS practitioner MUE table, CSV)",
    "ptp": "python -m assistant import ptp FILE (the CMS NCCI practitioner PTP table, CSV or CSV.gz)",
    "mue_oph": "python -m assistant import mue-oph FILE (the CMS outpatient hospital MUE table, "
    "MCR_MUE_OutpatientHospitalServices, CSV)",
    "ptp_oph": "python -m assistant import ptp-oph FILE (the CMS NCCI outpatient hospital PTP table, ccioph-..., "
    "text or CSV)",
    "aoc": "python -m assistant import addon FILE (the CMS NCCI add-on code edit table, CSV or text)",
}
_TABLE_LABEL = {"mue": "MUE", "ptp": "NCCI PTP", "mue_oph": "outpatient hospital MUE",
                "ptp_oph": "outpatient hospital PTP", "aoc": "add-on code edit"}


def _mue_sql(table: str) -> str:
    return (
        f"SELECT m.code, m.value, m.mai, m.mai_description, m.rationale, e.source, e.quarter, '{table}' "
        f"FROM {table} AS m JOIN edits_meta AS e ON e.table_name = '{table}' WHERE m.code = ?"
    )


def _ptp_select(table: str) -> str:
    return (
        f"SELECT p.column1, p.column2, p.modifier_indicator, r.text, e.source, e.quarter, '{table}' "
        f"FROM {table} AS p JOIN ptp_rationale AS r ON r.id = p.rationale_id "
        f"JOIN edits_meta AS e ON e.table_name = '{table}' "
    )


# Table names come from TABLE_FOR (fixed strings), never from input. Either order in one statement: each side of
# the OR is a primary-key look-up. The code list travels as one JSON parameter: one cached statement for any
# number of codes, no variable limit.
_MUE_SQL = {table: _mue_sql(table) for table in ("mue", "mue_oph")}
_PTP_PAIR_SQL = {
    table: _ptp_select(table) + "WHERE (p.column1 = ?1 AND p.column2 = ?2) OR (p.column1 = ?2 AND p.column2 = ?1)"
    for table in ("ptp", "ptp_oph")
}
_PTP_AMONG_SQL = {
    table: _ptp_select(table) + "WHERE p.column1 IN (SELECT value FROM json_each(?1)) "
    "AND p.column2 IN (SELECT value FROM json_each(?1)) ORDER BY p.column1, p.column2"
    for table in ("ptp", "ptp_oph")
}
_PTP_COUNT_SQL = {
    table: "SELECT coalesce(sum(mi != 9), 0), coalesce(sum(mi = 9), 0) FROM ("
    f"SELECT modifier_indicator AS mi FROM {table} WHERE column1 = ?1 UNION ALL "
    f"SELECT modifier_indicator AS mi FROM {table} WHERE column2 = ?1 AND column1 != ?1)"
    for table in ("ptp", "ptp_oph")
}
_AOC_SQL = (
    "SELECT a.addon, a.aoc_type, a.primary_code, e.source, e.quarter FROM aoc AS a "
    "JOIN edits_meta AS e ON e.table_name = 'aoc' WHERE a.addon = ? ORDER BY a.primary_code"
)


def normalize_code(code: str) -> str:
    """A code as stored: surrounding spaces removed, letters upper-case ("j1559 " -> "J1559")."""
    return code.strip().upper()


class EditsStore:
    """The NCCI MUE and PTP (practitioner and outpatient hospital) and add-on code tables in SQLite, read-only.

    Creating a store never fails: when the file or a table is missing, `has_mue`/`has_ptp` are False, look-ups
    return None (or an empty list) and `require()` raises `NotLoadedError` with the command that imports it.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.reader = SqliteReader(self.path)

    def _query(self, sql: str, parameters: Iterable[Any]) -> list[tuple]:
        """Rows of a read, or [] when the database or its tables are not there yet."""
        return self.reader.query(sql, parameters)

    def reload(self) -> None:
        """Make every thread reopen its connection on its next look-up (after the file was replaced or deleted)."""
        self.reader.reload()

    def close(self) -> None:
        """Close every connection of every thread (at shutdown); later look-ups reopen as needed."""
        self.reader.close()

    # --- what is loaded ------------------------------------------------------------------------------------
    def info(self) -> dict[str, dict[str, Any]]:
        """Per loaded table ("mue", "ptp", "mue_oph", "ptp_oph", "aoc"): source file, quarter, rows, deleted_rows,
        imported_at (UTC ISO), seconds."""
        rows = self._query(
            "SELECT table_name, source, quarter, rows, deleted_rows, imported_at, seconds FROM edits_meta "
            "ORDER BY table_name",
            (),
        )
        return {
            name: {
                "source": source,
                "quarter": quarter,
                "rows": count,
                "deleted_rows": deleted,
                "imported_at": imported_at,
                "seconds": seconds,
            }
            for name, source, quarter, count, deleted, imported_at, seconds in rows
        }

    def _has(self, table: str) -> bool:
        return bool(self._query("SELECT 1 FROM edits_meta WHERE table_name = ?", (table,)))

    @property
    def has_mue(self) -> bool:
        """True once a practitioner MUE table has been imported."""
        return self._has("mue")

    @property
    def has_ptp(self) -> bool:
        """True once a practitioner PTP table has been imported."""
        return self._has("ptp")

    @property
    def has_addons(self) -> bool:
        """True once the CMS add-on code edit table has been imported."""
        return self._has("aoc")

    def loaded(self, kind: str, setting: Setting = "professional") -> bool:
        """True when the `kind` ("mue"/"ptp") table for `setting` ("professional"/"facility") is imported."""
        return self._has(table_for(kind, setting))

    def require(self, table: str) -> None:
        """Raise `NotLoadedError` (saying how to import it) unless `table` is loaded ("mue", "ptp", "mue_oph",
        "ptp_oph" or "aoc")."""
        if table not in _IMPORT_HINT:
            raise ValueError(f"unknown edits table {table!r}: expected 'mue' or 'ptp' (or mue_oph, ptp_oph, aoc)")
        if not self._has(table):
            raise NotLoadedError(
                f"The {_TABLE_LABEL[table]} table has not been imported yet; import it with: {_IMPORT_HINT[table]}"
            )

    @staticmethod
    def import_hint(table: str) -> str:
        """The command that imports `table`."""
        return _IMPORT_HINT[table]

    # --- look-ups ----------------------------------------------------------------------------------------
    def mue(self, code: str, setting: Setting = "professional") -> MueEntry | None:
        """The MUE of `code` in the table of `setting` ("professional": practitioner table; "facility": outpatient
        hospital table), or None when the code has no MUE there or that table is not loaded. Never falls back
        from one table to the other: check `loaded("mue", setting)` to tell "not loaded" from "no MUE"."""
        rows = self._query(_MUE_SQL[table_for("mue", setting)], (normalize_code(code),))
        return MueEntry(*rows[0]) if rows else None

    def ptp(self, code_a: str, code_b: str, setting: Setting = "professional") -> PtpEdit | None:
        """The PTP edit between two codes in either order (column 1 and 2 as CMS lists them), or None.

        Deleted edits (modifier indicator 9) are returned, marked `deleted`. Should a table list both orders,
        the edit with `code_a` in column 1 is returned (CMS lists each pair once; the shared 2026 Q2 file does).
        """
        first, second = normalize_code(code_a), normalize_code(code_b)
        rows = self._query(_PTP_PAIR_SQL[table_for("ptp", setting)], (first, second))
        if not rows:
            return None
        rows.sort(key=lambda row: row[0] != first)
        return PtpEdit(*rows[0])

    def pairs(
        self, codes: Iterable[str], *, include_deleted: bool = True, setting: Setting = "professional"
    ) -> list[PtpEdit]:
        """Every PTP edit between any two of `codes` in the table of `setting`, sorted by column 1 then column 2.

        Deleted edits (indicator 9) are included unless `include_deleted` is False. Duplicate codes count once;
        an empty list (or a table not loaded) gives [].
        """
        table = table_for("ptp", setting)
        unique = sorted({normalize_code(code) for code in codes if code and code.strip()})
        if len(unique) < 2:
            return []
        edits = [PtpEdit(*row) for row in self._query(_PTP_AMONG_SQL[table], (json.dumps(unique),))]
        return edits if include_deleted else [edit for edit in edits if not edit.deleted]

    def ptp_count(self, code: str, setting: Setting = "professional") -> tuple[int, int]:
        """(active, deleted) PTP edits naming `code` in either column of the setting's table; (0, 0) when the code
        has none or the table is not loaded. Fast on tables imported with the column 2 index (every import since
        it was added); a scan of the table otherwise."""
        rows = self._query(_PTP_COUNT_SQL[table_for("ptp", setting)], (normalize_code(code),))
        return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)

    def addon(self, code: str) -> AddOnEdit | None:
        """The add-on code edit of `code` (its AOC type and listed primaries), or None when `code` is not an add-on
        in the imported table (or the table is not loaded)."""
        rows = self._query(_AOC_SQL, (normalize_code(code),))
        if not rows:
            return None
        primaries = tuple(row[2] for row in rows if row[2] != "CCCCC")
        return AddOnEdit(rows[0][0], rows[0][1], primaries, rows[0][3], rows[0][4])
