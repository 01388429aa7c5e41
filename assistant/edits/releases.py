"""Releases of the quarterly CMS tables, and the one in force on a date of service.

CMS replaces the NCCI tables (MUE, PTP) and the PFS Relative Value File every quarter; a coder codes claims for
last quarter's dates of service. So an import of a newer release keeps the older ones (PTP and MUE: the live
table is renamed `<table>__<2026q1>` and recorded in `edits_releases`; PFS: rows keyed by release), and a look-up
for a date of service uses the release in force on that date: the latest release whose quarter starts on or
before it. A date before the first loaded release is outside what is loaded: no answer from another release.
A date after the last loaded quarter ends is answered from the last release with a note that a newer one may
apply.

`Release`/`choose_release` are pure; `SqliteReader` is the thread-local read-only connection the release-aware
stores (fees.py, history.py) share.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

CREATE_RELEASES = """
CREATE TABLE IF NOT EXISTS edits_releases (
    table_name TEXT NOT NULL,
    quarter TEXT NOT NULL,
    archived_as TEXT NOT NULL,
    source TEXT NOT NULL,
    rows INTEGER NOT NULL,
    deleted_rows INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (table_name, quarter)
)
"""

_QUARTER = re.compile(r"^(?P<year>\d{4}) Q(?P<quarter>[1-4])$")
# Only these live tables are archived (names are fixed strings, never input).
ARCHIVED_TABLES = ("mue", "ptp", "mue_oph", "ptp_oph")


def quarter_dates(quarter: str) -> tuple[date, date]:
    """First and last day of a quarter "2026 Q2" -> (2026-04-01, 2026-06-30); ValueError for anything else."""
    match = _QUARTER.match(quarter)
    if not match:
        raise ValueError(f"{quarter!r} is not a quarter like '2026 Q2'")
    year, number = int(match["year"]), int(match["quarter"])
    start = date(year, 3 * number - 2, 1)
    end = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def quarter_of(day: date) -> str:
    """The quarter a date falls in (2026-05-10 -> "2026 Q2")."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def archive_name(table: str, quarter: str) -> str:
    """The name an older release of `table` is kept under ("ptp", "2026 Q1" -> "ptp__2026q1")."""
    quarter_dates(quarter)  # validates: the name is built from checked parts only
    return f"{table}__{quarter.replace(' Q', 'q')}"


@dataclass(frozen=True, slots=True)
class Release:
    """One loaded release of a table: its quarter, where its rows are, the file it came from."""

    kind: str  # "mue", "ptp", "mue_oph", "ptp_oph", "pfs"
    quarter: str  # "2026 Q2"
    table: str  # the SQLite table holding it ("ptp" for the latest, "ptp__2026q1" for an older one)
    source: str
    rows: int

    @property
    def starts(self) -> date:
        return quarter_dates(self.quarter)[0]

    @property
    def ends(self) -> date:
        return quarter_dates(self.quarter)[1]


@dataclass(frozen=True, slots=True)
class ReleaseChoice:
    """The release in force on a date (None: the date is before every loaded release), and what to say about it."""

    release: Release | None
    day: date | None
    note: str = ""

    @property
    def outside(self) -> bool:
        """True when the date is not inside a loaded release's quarter (the note says which way)."""
        return bool(self.note)


def choose_release(releases: Sequence[Release], day: date | None) -> ReleaseChoice:
    """The release in force on `day`: the latest whose quarter starts on or before it. No date: the latest release.

    Before the first loaded release: no release, and a note saying what is loaded. After the last loaded quarter
    ends: the last release, with a note that a newer one may apply.
    """
    ordered = sorted(releases, key=lambda release: release.starts)
    if not ordered:
        return ReleaseChoice(None, day, "no release of this table is loaded")
    if day is None:
        return ReleaseChoice(ordered[-1], None)
    in_force = [release for release in ordered if release.starts <= day]
    first, last = ordered[0], ordered[-1]
    if not in_force:
        return ReleaseChoice(
            None, day,
            f"date of service {day.isoformat()} is before the first loaded release ({first.quarter}, in force from "
            f"{first.starts.isoformat()}); import the release for {quarter_of(day)} to check it",
        )
    chosen = in_force[-1]
    if chosen is last and day > last.ends:
        return ReleaseChoice(
            chosen, day,
            f"date of service {day.isoformat()} is after the last loaded release ({last.quarter}, through "
            f"{last.ends.isoformat()}); answered from {last.quarter}: a newer release may apply",
        )
    return ReleaseChoice(chosen, day)


class SqliteReader:
    """Thread-local read-only connections to one SQLite file; reads return [] while the file or table is missing.

    Each thread gets its own connection (opened on first use; `check_same_thread=False` only so that `close()` may
    close every thread's connection at shutdown: each is still used by the one thread that opened it). In WAL mode a
    reader sees the last committed import with no reopen; `reload()` is for a file deleted or replaced."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._generation = 0
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    def connection(self) -> sqlite3.Connection | None:
        """This thread's read-only connection, or None while the database file does not exist."""
        local = self._local
        connection: sqlite3.Connection | None = getattr(local, "connection", None)
        if connection is not None and local.generation == self._generation:
            return connection
        if connection is not None:  # reload() or close() was called: drop this thread's old connection
            self._forget(connection)
            local.connection = None
        if not self.path.is_file():
            return None
        uri = self.path.resolve().as_uri() + "?mode=ro"
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10.0)
        connection.execute("PRAGMA query_only = ON")
        with self._lock:
            self._connections.append(connection)
        local.connection, local.generation, local.cache = connection, self._generation, None
        return connection

    def _forget(self, connection: sqlite3.Connection) -> None:
        with self._lock:
            if connection in self._connections:
                self._connections.remove(connection)
        connection.close()

    def query(self, sql: str, parameters: Iterable[Any] = ()) -> list[tuple]:
        """Rows of a read, or [] when the database or its tables are not there yet."""
        connection = self.connection()
        if connection is None:
            return []
        try:
            return connection.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return []
            raise

    def cached(self, key: object, compute: Callable[[], T]) -> T:
        """`compute()` once per committed version of the database for this thread: what a look-up reads on every
        call (the list of loaded releases) is read again only after an import commits (SQLite's data_version
        changes when another connection commits)."""
        connection = self.connection()
        if connection is None:
            return compute()
        version = connection.execute("PRAGMA data_version").fetchone()[0]
        cache = getattr(self._local, "cache", None)
        if cache is None or cache[0] != version:
            cache = self._local.cache = (version, {})
        if key not in cache[1]:
            cache[1][key] = compute()
        return cache[1][key]

    def reload(self) -> None:
        """Make every thread reopen its connection on its next read (after the file was replaced or deleted)."""
        with self._lock:
            self._generation += 1

    def close(self) -> None:
        """Close every thread's connection (at shutdown; later reads reopen)."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._generation += 1
        for connection in connections:
            connection.close()


def keep_previous_release(
    connection: sqlite3.Connection, table: str, loaded_quarter: str | None, new_quarter: str | None
) -> str | None:
    """Called by the importer inside its write transaction, just before the new table replaces `table`: when the
    live table is another known quarter than the file being imported, rename it to its archive name (an O(1)
    rename, no copy) and record it in `edits_releases`, instead of letting it be dropped. Returns the archive name,
    or None when nothing was kept (same quarter re-imported, a quarter unknown on either side, no live table)."""
    if table not in ARCHIVED_TABLES or loaded_quarter is None or new_quarter is None:
        return None
    connection.execute(CREATE_RELEASES)
    # A kept copy of the quarter being imported is superseded by the new live table (no stale twin).
    connection.execute(f"DROP TABLE IF EXISTS {archive_name(table, new_quarter)}")
    connection.execute("DELETE FROM edits_releases WHERE table_name = ? AND quarter = ?", (table, new_quarter))
    if loaded_quarter == new_quarter:
        return None
    meta = connection.execute(
        "SELECT source, rows, deleted_rows, imported_at FROM edits_meta WHERE table_name = ?", (table,)
    ).fetchone()
    if meta is None:
        return None
    archived = archive_name(table, loaded_quarter)
    connection.execute(CREATE_RELEASES)
    connection.execute(f"DROP TABLE IF EXISTS {archived}")
    # The column 2 index serves ptp_count() on the latest release only: dropped with the rename so that the new
    # live table can build its own under the same name.
    connection.execute(f"DROP INDEX IF EXISTS {table}_by_column2")
    connection.execute(f"ALTER TABLE {table} RENAME TO {archived}")
    connection.execute(
        "INSERT OR REPLACE INTO edits_releases (table_name, quarter, archived_as, source, rows, deleted_rows, "
        "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (table, loaded_quarter, archived, *meta),
    )
    return archived


def edits_releases(reader: SqliteReader, table: str) -> list[Release]:
    """Every loaded release of an NCCI table (the live one and the kept older ones) whose quarter is known."""
    live = reader.query("SELECT quarter, source, rows FROM edits_meta WHERE table_name = ?", (table,))
    older = reader.query(
        "SELECT quarter, archived_as, source, rows FROM edits_releases WHERE table_name = ? ORDER BY quarter",
        (table,),
    )
    releases = [Release(table, quarter, archived, source, rows) for quarter, archived, source, rows in older]
    releases += [Release(table, quarter, table, source, rows) for quarter, source, rows in live if quarter]
    return [release for release in releases if _QUARTER.match(release.quarter)]
