"""Import the CMS NCCI tables (MUE and PTP, practitioner and outpatient hospital; add-on code edits) into
edits.sqlite3: streaming, atomic, checked, and never shrinking a table by accident.

How an import runs (one generic loader; what differs between tables is the `Layout` data of layouts.py):
1. The file (plain text or gzip, told by its first bytes; comma or tab separated, told by its first lines) is read
   row by row. Copyright lines before the header and header lines continued over several lines (CMS text files)
   are skipped. Each row is checked; rows go to SQLite in batches with `executemany`, so memory stays flat. A
   progress bar on standard error follows the bytes read from disk.
2. Rows load into `<table>_staging` inside one write transaction; at the end, in the same transaction, the live
   table is dropped, the staging table renamed in its place and `edits_meta` updated, then it commits.
   Any error (a malformed row, Ctrl-C, a crash, a full disk) rolls the whole transaction back: the previous
   table keeps answering, and readers in other threads or processes never see a half-loaded table (WAL mode).
3. A malformed row raises `EditsImportError` (a ValueError) naming the file, the line and the field.
4. Guard (issue 12 item 8, issue 24): a file with more than 5% fewer rows than the loaded table
   (`assistant.importguard.MAX_ROW_DROP`), or of an older quarter than the loaded one, raises `ImportRefusedError`
   saying why, unless `force=True` (`--force` on the command line); the loaded table stays. A file cut short (its
   last line without a line break), a control character (NUL ...) or a value outside its column's range (a MUE
   value over 999,999) raises `EditsImportError` naming the file and line, whatever `force` says.
5. After the switch the file is compacted (VACUUM) when the old table left over a quarter of it free, so a
   replaced PTP table does not grow edits.sqlite3 by its own size each quarter.

Deleted PTP edits (modifier indicator 9) are kept: they answer "this edit was deleted", not "no edit". A PTP row
whose deletion date is on or before the start of the file's quarter (today, when the quarter is unknown) is
stored as deleted too (indicator 9): CMS no longer applies it. Deleted add-on code edits are skipped.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import itertools
import re
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Protocol

from tqdm import tqdm

from assistant.edits import schema
from assistant.edits.history import ptp_dates_summary, record_ptp_dates
from assistant.edits.layouts import (
    AOC_LAYOUT,
    MUE_LAYOUT,
    MUE_OPH_LAYOUT,
    PTP_LAYOUT,
    PTP_OPH_LAYOUT,
    Column,
    Layout,
)
from assistant.edits.models import MAI_MEANINGS
from assistant.edits.releases import keep_previous_release
from assistant.importguard import ImportGuardError, drop_text, guarded_lines, too_few_rows

BATCH_ROWS = 50_000
HEADER_SEARCH_ROWS = 20  # copyright and title lines CMS puts before the header
_MISSING = object()


class EditsImportError(ValueError):
    """A file that cannot be imported; the message names the file, the line (when known) and the problem."""

    def __init__(self, file: Path | str, message: str, *, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        where = f"{self.file}, line {line}" if line is not None else self.file
        super().__init__(f"{where}: {message}")


class ImportRefusedError(EditsImportError):
    """A well-formed file refused because it would shrink the loaded table or go back a quarter (no --force)."""


class _HasDataDir(Protocol):
    """What the importers need from Settings (edits imports nothing of ours, so a Protocol, not the class)."""

    @property
    def resolved_data_dir(self) -> Path: ...


# --- the effective quarter ---------------------------------------------------------------------------------
_QUARTER_PATTERNS = (
    re.compile(r"(?<!\d)(?P<year>20\d\d)[\s_\-.]*q(?P<quarter>[1-4])(?!\d)", re.IGNORECASE),  # 2026q2, 2026 Q2
    re.compile(r"(?<![a-z])q(?P<quarter>[1-4])[\s_\-.]*(?P<year>20\d\d)(?!\d)", re.IGNORECASE),  # Q2_2026
)


def parse_quarter(text: str) -> str | None:
    """The quarter named in `text` as "2026 Q2" ("..._2026q2_...", "2026-Q2", "q2 2026"), or None if none is."""
    for pattern in _QUARTER_PATTERNS:
        match = pattern.search(text)
        if match:
            return f"{match['year']} Q{match['quarter']}"
    return None


def effective_quarter(path: Path, quarter: str | None) -> str | None:
    """The explicit `quarter` (normalized; ValueError if it is not one) or else the one in the file name."""
    if quarter is not None:
        parsed = parse_quarter(quarter)
        if parsed is None:
            raise ValueError(f"quarter {quarter!r} is not a quarter like '2026 Q2' or '2026q2'")
        return parsed
    return parse_quarter(path.name)


def quarter_start(quarter: str | None) -> date | None:
    """The first day of a quarter "2026 Q2" (2026-04-01), or None for None."""
    if quarter is None:
        return None
    year, number = quarter.split(" Q")
    return date(int(year), 3 * int(number) - 2, 1)


# --- reading ---------------------------------------------------------------------------------------------------
@dataclass
class _Progress:
    """Rows read so far and the line being read, for error messages and the summary."""

    line: int = 0
    rows: int = 0
    deleted: int = 0
    skipped: int = 0
    rationale_ids: dict[str, int] = field(default_factory=dict)
    new_rationales: list[tuple[int, str]] = field(default_factory=list)
    last: tuple = ()


def _open_text(raw: IO[bytes]) -> io.TextIOWrapper:
    """Text over a plain or gzip-compressed file (told by the gzip magic bytes, not the file name). CMS text files
    carry a Windows-1252 copyright sign: an undecodable byte becomes U+FFFD instead of stopping the import (codes
    and numbers are ASCII and checked one by one)."""
    magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if magic == b"\x1f\x8b" else raw
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _positions(keys: list[str], layout: Layout) -> tuple[list[int | None], Column | None]:
    """Where each layout column sits among the header keys, and the first required column missing (or None)."""
    positions: list[int | None] = []
    missing: Column | None = None
    for column in layout.columns:
        names = (column.name, *column.aliases)
        position = next((keys.index(name) for name in names if name in keys), None)
        if position is None and column.prefix:
            position = next((i for i, key in enumerate(keys) for name in names if key.startswith(name + "_")), None)
        if position is None and column.required and missing is None:
            missing = column
        positions.append(position)
    return positions, missing


def _find_header(path: Path, reader: Iterator[list[str]], layout: Layout) -> tuple[list[int | None], int]:
    """Positions of the layout's columns in the first row that has them all (copyright lines come first in CMS
    files), and that row's line number. A file with no such row raises, naming its first line."""
    first: tuple[list[str], int] | None = None
    line = 0
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            row = next(reader)
        except StopIteration:
            break
        except (csv.Error, EOFError, gzip.BadGzipFile) as error:
            raise EditsImportError(path, f"the header cannot be read as CSV text: {error}", line=line + 1) from None
        line = getattr(reader, "line_num", line + 1)
        if not any(cell.strip() for cell in row):
            continue
        keys = [_header_key(cell) for cell in row]
        for key in keys:
            if key in layout.other_tables:
                raise EditsImportError(path, layout.other_tables[key], line=line)
        positions, missing = _positions(keys, layout)
        if missing is None:
            return positions, line
        first = first or (row, line)
    header, header_line = first if first is not None else ([], 1)
    _, missing = _positions([_header_key(cell) for cell in header], layout)
    name = missing.name if missing is not None else layout.columns[0].name
    raise EditsImportError(
        path,
        f"no column {name!r} in the header ({', '.join(cell.strip() for cell in header) or 'empty'}): is this "
        f"the CMS {layout.label.split()[0]} file?",
        line=header_line,
    )


def _delimiter(lines: list[str]) -> str:
    """Tab for CMS text files, comma for CSV: whichever the first lines hold more of."""
    text = "".join(lines)
    return "\t" if text.count("\t") > text.count(",") else ","


def _rows(path: Path, text: IO[str], layout: Layout, progress: _Progress, reference: date) -> Iterator[tuple]:
    """Checked rows ready to insert, one at a time; `progress.line` is the line of the row last yielded."""
    lines = guarded_lines(path, text)  # refuses control characters and a last line cut short (issue 24)
    head = list(itertools.islice(lines, HEADER_SEARCH_ROWS + 5))
    reader = csv.reader(itertools.chain(head, lines), delimiter=_delimiter(head), strict=True)
    positions, header_line = _find_header(path, reader, layout)
    width = max(position for position in positions if position is not None) + 1
    keys = [position for position in positions[: layout.key_columns]]
    # Codes, indicators and rationales repeat millions of times: each distinct raw value is checked once and
    # remembered (a few tens of thousands of entries), which halves the time spent per row.
    plan: list[tuple[Column, int | None, dict[str, object]]] = [
        (column, position, {}) for column, position in zip(layout.columns, positions, strict=True)
    ]
    started = False
    while True:
        starts_on = reader.line_num + 1  # a quoted field may span lines: report where the row began
        try:
            fields = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as error:
            raise EditsImportError(path, f"unreadable data: {error}", line=starts_on) from None
        progress.line = reader.line_num
        if not fields or not any(cell.strip() for cell in fields):
            continue  # blank line
        if not started and all(position is not None and position < len(fields) and not fields[position].strip()
                               for position in keys):
            continue  # the header's continuation lines (CMS text files spread it over four lines)
        started = True
        if len(fields) < width:
            raise EditsImportError(
                path, f"{len(fields)} field(s) where {width} are expected ({','.join(fields)!r})", line=reader.line_num
            )
        values: list[object] = []
        for column, position, checked in plan:
            raw = fields[position] if position is not None else ""
            value = checked.get(raw, _MISSING)
            if value is _MISSING:
                try:
                    value = checked[raw] = column.check(raw)
                except ValueError as error:
                    raise EditsImportError(path, f"column {column.name}: {error}", line=reader.line_num) from None
            values.append(value)
        row = _finish(layout, values, progress, reference)
        if row is None:
            progress.skipped += 1
            continue
        progress.rows += 1
        progress.last = row
        yield row


def _finish(layout: Layout, values: list[object], progress: _Progress, reference: date) -> tuple | None:
    """A checked row as stored (None: not stored). See the module docstring for deletion dates."""
    if layout.kind == "ptp":  # column1, column2, modifier_indicator, rationale, deletion date
        column1, column2, indicator, rationale, deleted_on = values
        if isinstance(deleted_on, date) and deleted_on <= reference:
            indicator = 9
        if indicator == 9:
            progress.deleted += 1
        rationale_id = progress.rationale_ids.get(str(rationale))
        if rationale_id is None:  # a sentence not seen before: next id, written to ptp_rationale at the end
            rationale_id = progress.rationale_ids[str(rationale)] = max(progress.rationale_ids.values(), default=0) + 1
            progress.new_rationales.append((rationale_id, str(rationale)))
        return (column1, column2, indicator, rationale_id)
    if layout.kind == "aoc":  # add-on, primary, type, then three optional deletion dates
        addon, primary, aoc_type, *deletions = values
        if any(isinstance(day, date) and day <= reference for day in deletions):
            return None
        return (addon, primary, aoc_type)
    code, value, mai, description, rationale = values  # MUE; no description: the MAI's meaning
    return (code, value, mai, description or MAI_MEANINGS[int(mai)], rationale)  # type: ignore[call-overload]


# --- the guard -------------------------------------------------------------------------------------------------
def _quarter_key(quarter: str) -> tuple[int, int]:
    year, number = quarter.split(" Q")
    return int(year), int(number)


def _refuse_older_quarter(path: Path, layout: Layout, loaded: tuple | None, quarter: str | None) -> None:
    if loaded is None or quarter is None or loaded[1] is None:
        return
    rows, loaded_quarter, source = loaded
    if _quarter_key(quarter) < _quarter_key(loaded_quarter):
        raise ImportRefusedError(
            path,
            f"refused: this file is for {quarter}, older than the loaded {layout.title} ({loaded_quarter}, "
            f"{source}, {rows:,} rows), which stays. To go back a quarter on purpose, import again with --force.",
        )


def _refuse_shrinking(path: Path, layout: Layout, loaded: tuple | None, rows: int) -> None:
    if loaded is None or not too_few_rows(rows, loaded[0]):
        return
    loaded_rows, loaded_quarter, source = loaded
    raise ImportRefusedError(
        path,
        f"refused: {drop_text(rows, loaded_rows, layout.label, 'the loaded ' + layout.title)} "
        f"({loaded_quarter or 'quarter unknown'}, {source}), which stays. Is the file truncated? "
        "To replace the table anyway, import again with --force.",
    )


# --- writing ---------------------------------------------------------------------------------------------------
def _connect_writer(db_path: Path) -> sqlite3.Connection:
    """A write connection in WAL mode (readers keep reading during the load), transactions handled by hand."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(db_path, isolation_level=None, timeout=300.0)
    connection.execute("PRAGMA journal_mode = WAL")
    # NORMAL in WAL mode never corrupts: a power cut can only lose the last commit, never half of it.
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -65536")  # 64 MB: the whole PTP B-tree stays in cache while loading
    connection.execute(schema.CREATE_META)
    connection.execute(schema.CREATE_PTP_RATIONALE)
    return connection


def _after_batch(rows: int) -> None:
    """Called after each batch is written to the staging table; a seam for tests that simulate a crash."""


def _load_rows(
    connection: sqlite3.Connection, path: Path, layout: Layout, rows: Iterable[tuple], progress: _Progress,
    raw: IO[bytes], bar: tqdm, batch_rows: int,
) -> None:
    insert = layout.insert_sql.format(name=f"{layout.table}_staging")
    iterator = iter(rows)
    while True:
        # executemany pulls one row at a time from the generator: memory stays flat, and when a row fails,
        # progress.line and progress.last are that row.
        before = progress.rows
        try:
            connection.executemany(insert, itertools.islice(iterator, batch_rows))
        except sqlite3.IntegrityError:
            key = ", ".join(str(value) for value in progress.last[: layout.key_columns])
            raise EditsImportError(path, f"{key} is listed twice in the file", line=progress.line) from None
        bar.update(raw.tell() - bar.n)
        if progress.rows == before:
            return
        _after_batch(progress.rows)


def _load(
    path: Path, settings: _HasDataDir, layout: Layout, quarter: str | None, progress_bar: bool, batch_rows: int,
    force: bool = False,
) -> str:
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise EditsImportError(path, "no such file")
    for prefix, message in layout.other_names.items():
        if path.name.lower().startswith(prefix):
            raise EditsImportError(path, message)
    effective = effective_quarter(path, quarter)
    reference = quarter_start(effective) or datetime.now(UTC).date()
    db_path = settings.resolved_data_dir / schema.FILENAME
    staging = f"{layout.table}_staging"
    progress = _Progress()
    try:
        connection = _connect_writer(db_path)
    except sqlite3.DatabaseError as error:
        raise EditsImportError(db_path, f"the edits database cannot be opened for writing: {error}") from None
    try:
        connection.execute("BEGIN IMMEDIATE")  # the write lock for the whole load: one import at a time
        try:
            loaded = connection.execute(
                "SELECT rows, quarter, source FROM edits_meta WHERE table_name = ?", (layout.table,)
            ).fetchone()
            if not force:
                _refuse_older_quarter(path, layout, loaded, effective)
            if layout.kind == "ptp":
                progress.rationale_ids.update(
                    (text, rationale_id)
                    for rationale_id, text in connection.execute("SELECT id, text FROM ptp_rationale")
                )
            connection.execute(f"DROP TABLE IF EXISTS {staging}")
            connection.execute(layout.create_sql.format(name=staging))
            with (
                path.open("rb") as raw,
                _open_text(raw) as text,
                tqdm(
                    total=path.stat().st_size, unit="B", unit_scale=True, desc=f"{layout.table.upper()} {path.name}",
                    file=sys.stderr, disable=not progress_bar, mininterval=0.5,
                ) as bar,
            ):
                rows = _rows(path, text, layout, progress, reference)
                try:
                    _load_rows(connection, path, layout, rows, progress, raw, bar, batch_rows)
                except ImportGuardError as error:
                    raise EditsImportError(path, error.reason, line=error.line) from None
            if progress.rows == 0:
                raise EditsImportError(path, f"no {layout.label} in the file (only a header?); nothing was replaced")
            if not force:
                _refuse_shrinking(path, layout, loaded, progress.rows)
            if layout.kind == "ptp":
                connection.executemany("INSERT INTO ptp_rationale (id, text) VALUES (?, ?)", progress.new_rationales)
            # Issue 19: a loaded release of another quarter is kept (renamed, not dropped) for older dates of service.
            keep_previous_release(connection, layout.table, loaded[1] if loaded else None, effective)
            # The switch: readers see the old table until COMMIT and the new one after it, never neither.
            connection.execute(f"DROP TABLE IF EXISTS {layout.table}")
            connection.execute(f"ALTER TABLE {staging} RENAME TO {layout.table}")
            if layout.kind == "ptp":
                connection.execute(schema.CREATE_PTP_COLUMN2_INDEX.format(name=layout.table))
            connection.execute(
                "INSERT OR REPLACE INTO edits_meta (table_name, source, quarter, rows, deleted_rows, imported_at, "
                "seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    layout.table, path.name, effective, progress.rows, progress.deleted,
                    datetime.now(UTC).isoformat(timespec="seconds"), round(time.perf_counter() - started, 2),
                ),
            )
            connection.execute("COMMIT")
        except BaseException:
            # Ctrl-C included: whatever stopped the load, the previous table is what stays.
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        # Fold the WAL back into the database file so it does not linger at the size of the load. Readers may
        # hold it open: wait briefly, then leave the rest to a later checkpoint (never block the web app).
        connection.execute("PRAGMA busy_timeout = 2000")
        _compact(connection)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.DatabaseError as error:  # locked for longer than the timeout, disk full, not a database
        raise EditsImportError(db_path, f"the edits database could not be written: {error}") from None
    finally:
        connection.close()
    return _summary(path, layout, effective, progress, time.perf_counter() - started)


def _compact(connection: sqlite3.Connection) -> None:
    """VACUUM when over a quarter of the file is free pages (the replaced table's): the staging table was built
    beside the old one, so without this the file keeps both sizes (issue 24: 84 -> 131 MB per PTP replacement).
    Readers keep reading meanwhile (WAL); if the database is busy the compaction waits for the next import."""
    free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    if pages and free * 4 > pages:
        with contextlib.suppress(sqlite3.OperationalError):  # busy (another import began): the next one compacts
            connection.execute("VACUUM")


def _summary(path: Path, layout: Layout, quarter: str | None, progress: _Progress, seconds: float) -> str:
    deleted = f"; {progress.deleted:,} of them are deleted edits (indicator 9), kept" if progress.deleted else ""
    skipped = f"; {progress.skipped:,} deleted rows skipped" if progress.skipped else ""
    where = "" if layout.table in ("mue", "ptp") else f" into the {layout.title}"
    return (
        f"Imported {progress.rows:,} {layout.label} ({quarter or 'quarter unknown'}) "
        f"from {path.name}{where} in {seconds:.1f} s{deleted}{skipped}"
    )


def import_mue(
    path: Path | str, settings: _HasDataDir, *, quarter: str | None = None, progress: bool = True, force: bool = False
) -> str:
    """Import the CMS practitioner MUE table (CSV); returns a one-line summary. Errors: `EditsImportError`;
    a smaller (under half) or older file: `ImportRefusedError` unless `force`."""
    return _load(Path(path), settings, MUE_LAYOUT, quarter, progress, BATCH_ROWS, force)


def import_mue_oph(
    path: Path | str, settings: _HasDataDir, *, quarter: str | None = None, progress: bool = True, force: bool = False
) -> str:
    """Import the CMS outpatient hospital (facility) MUE table, "MCR_MUE_OutpatientHospitalServices" (CSV)."""
    return _load(Path(path), settings, MUE_OPH_LAYOUT, quarter, progress, BATCH_ROWS, force)


def import_ptp(
    path: Path | str, settings: _HasDataDir, *, quarter: str | None = None, progress: bool = True, force: bool = False
) -> str:
    """Import the CMS NCCI practitioner PTP table (CSV, CMS tab text, either gzip); returns a one-line summary.

    Errors are `EditsImportError` naming file and line; on any error the previous table stays in place.
    """
    summary = _load(Path(path), settings, PTP_LAYOUT, quarter, progress, BATCH_ROWS, force)
    return summary + _row_dates(Path(path), settings, "ptp", quarter)


def _row_dates(path: Path, settings: _HasDataDir, table: str, quarter: str | None) -> str:
    """Issue 19: the effective/deletion dates of PTP rows that matter inside the quarter (edits/history.py)."""
    kept = record_ptp_dates(path, settings.resolved_data_dir / schema.FILENAME, table, effective_quarter(path, quarter))
    return ptp_dates_summary(kept)


def import_ptp_oph(
    path: Path | str, settings: _HasDataDir, *, quarter: str | None = None, progress: bool = True, force: bool = False
) -> str:
    """Import the CMS NCCI outpatient hospital PTP table ("ccioph-v...": tab text or CSV, either gzip)."""
    summary = _load(Path(path), settings, PTP_OPH_LAYOUT, quarter, progress, BATCH_ROWS, force)
    return summary + _row_dates(Path(path), settings, "ptp_oph", quarter)


def import_addon(
    path: Path | str, settings: _HasDataDir, *, quarter: str | None = None, progress: bool = True, force: bool = False
) -> str:
    """Import the CMS NCCI add-on code edit table (the Excel edition saved as CSV or tab text)."""
    return _load(Path(path), settings, AOC_LAYOUT, quarter, progress, BATCH_ROWS, force)
