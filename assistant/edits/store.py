"""Read the imported NCCI MUE and PTP tables: exact look-ups by code, safe from many threads.

Each thread gets its own read-only SQLite connection (opened on first use). The database is in WAL mode, so a
reader always sees the last committed import: after `python -m assistant import ptp FILE` the next look-up
answers from the new table with no restart. `reload()` is only needed when the file itself was deleted or
replaced (not by our importers, which update it in place).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.edits.models import MueEntry, NotLoadedError, PtpEdit

_IMPORT_HINT = {
    "mue": "python -m assistant import mue FILE (the CMS practitioner MUE table, CSV)",
    "ptp": "python -m assistant import ptp FILE (the CMS NCCI practitioner PTP table, CSV or CSV.gz)",
}
_TABLE_LABEL = {"mue": "MUE", "ptp": "NCCI PTP"}

_MUE_SQL = (
    "SELECT m.code, m.value, m.mai, m.mai_description, m.rationale, e.source, e.quarter "
    "FROM mue AS m JOIN edits_meta AS e ON e.table_name = 'mue' WHERE m.code = ?"
)
# Either order in one statement: each side of the OR is a primary-key look-up.
_PTP_SELECT = (
    "SELECT p.column1, p.column2, p.modifier_indicator, r.text, e.source, e.quarter "
    "FROM ptp AS p JOIN ptp_rationale AS r ON r.id = p.rationale_id JOIN edits_meta AS e ON e.table_name = 'ptp' "
)
_PTP_PAIR_SQL = _PTP_SELECT + "WHERE (p.column1 = ?1 AND p.column2 = ?2) OR (p.column1 = ?2 AND p.column2 = ?1)"
# The code list travels as one JSON parameter: one cached statement for any number of codes, no variable limit.
_PTP_AMONG_SQL = (
    _PTP_SELECT + "WHERE p.column1 IN (SELECT value FROM json_each(?1)) "
    "AND p.column2 IN (SELECT value FROM json_each(?1)) ORDER BY p.column1, p.column2"
)


def normalize_code(code: str) -> str:
    """A code as stored: surrounding spaces removed, letters upper-case ("j1559 " -> "J1559")."""
    return code.strip().upper()


class EditsStore:
    """The NCCI MUE and PTP tables in one SQLite file, read-only.

    Creating a store never fails: when the file or a table is missing, `has_mue`/`has_ptp` are False, look-ups
    return None (or an empty list) and `require()` raises `NotLoadedError` with the command that imports it.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._generation = 0
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    # --- connections -----------------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection | None:
        """This thread's read-only connection, or None while the database file does not exist."""
        local = self._local
        connection: sqlite3.Connection | None = getattr(local, "connection", None)
        if connection is not None and local.generation == self._generation:
            return connection
        if connection is not None:  # reload() was called: drop this thread's old connection
            self._forget(connection)
            local.connection = None
        if not self.path.is_file():
            return None
        uri = self.path.resolve().as_uri() + "?mode=ro"
        # check_same_thread=False only so that close() may close every thread's connection at shutdown;
        # each connection is still used by the one thread that opened it.
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10.0)
        connection.execute("PRAGMA query_only = ON")
        with self._lock:
            self._connections.append(connection)
        local.connection = connection
        local.generation = self._generation
        return connection

    def _forget(self, connection: sqlite3.Connection) -> None:
        with self._lock:
            if connection in self._connections:
                self._connections.remove(connection)
        connection.close()

    def _query(self, sql: str, parameters: Iterable[Any]) -> list[tuple]:
        """Rows of a read, or [] when the database or its tables are not there yet."""
        connection = self._connection()
        if connection is None:
            return []
        try:
            return connection.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return []
            raise

    def reload(self) -> None:
        """Make every thread reopen its connection on its next look-up (after the file was replaced or deleted)."""
        with self._lock:
            self._generation += 1

    def close(self) -> None:
        """Close every connection of every thread (at shutdown); later look-ups reopen as needed."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._generation += 1
        for connection in connections:
            connection.close()

    # --- what is loaded ------------------------------------------------------------------------------------
    def info(self) -> dict[str, dict[str, Any]]:
        """Per loaded table ("mue", "ptp"): source file, quarter, rows, deleted_rows, imported_at (UTC ISO), seconds."""
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
        """True once an MUE table has been imported."""
        return self._has("mue")

    @property
    def has_ptp(self) -> bool:
        """True once a PTP table has been imported."""
        return self._has("ptp")

    def require(self, table: str) -> None:
        """Raise `NotLoadedError` (saying how to import it) unless `table` ("mue" or "ptp") is loaded."""
        if table not in _IMPORT_HINT:
            raise ValueError(f"unknown edits table {table!r}: expected 'mue' or 'ptp'")
        if not self._has(table):
            raise NotLoadedError(
                f"The {_TABLE_LABEL[table]} table has not been imported yet; import it with: {_IMPORT_HINT[table]}"
            )

    # --- look-ups ----------------------------------------------------------------------------------------
    def mue(self, code: str) -> MueEntry | None:
        """The practitioner MUE of `code`, or None when the code has no MUE or no MUE table is loaded."""
        rows = self._query(_MUE_SQL, (normalize_code(code),))
        return MueEntry(*rows[0]) if rows else None

    def ptp(self, code_a: str, code_b: str) -> PtpEdit | None:
        """The PTP edit between two codes in either order (column 1 and 2 as CMS lists them), or None.

        Deleted edits (modifier indicator 9) are returned, marked `deleted`. Should a table list both orders,
        the edit with `code_a` in column 1 is returned (CMS lists each pair once; the shared 2026 Q2 file does).
        """
        first, second = normalize_code(code_a), normalize_code(code_b)
        rows = self._query(_PTP_PAIR_SQL, (first, second))
        if not rows:
            return None
        rows.sort(key=lambda row: row[0] != first)
        return PtpEdit(*rows[0])

    def pairs(self, codes: Iterable[str], *, include_deleted: bool = True) -> list[PtpEdit]:
        """Every PTP edit between any two of `codes`, sorted by column 1 then column 2.

        Deleted edits (indicator 9) are included unless `include_deleted` is False. Duplicate codes count once;
        an empty list (or a table not loaded) gives [].
        """
        unique = sorted({normalize_code(code) for code in codes if code and code.strip()})
        if len(unique) < 2:
            return []
        edits = [PtpEdit(*row) for row in self._query(_PTP_AMONG_SQL, (json.dumps(unique),))]
        return edits if include_deleted else [edit for edit in edits if not edit.deleted]
