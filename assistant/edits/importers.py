"""Import the CMS practitioner MUE table and the NCCI PTP table into edits.sqlite3: streaming, atomic, checked.

How an import runs (one generic loader; what differs between the two tables is the `Layout` data below):
1. The file (plain CSV or gzip, told by its first bytes) is read row by row and each row is checked; rows go to
   SQLite in batches with `executemany`, so memory stays flat whatever the file size. A progress bar on
   standard error follows the bytes read from disk.
2. Rows load into `<table>_staging` inside one write transaction; at the end, in the same transaction, the live
   table is dropped, the staging table renamed in its place and `edits_meta` updated, then it commits.
   Any error (a malformed row, Ctrl-C, a crash, a full disk) rolls the whole transaction back: the previous
   table keeps answering, and readers in other threads or processes never see a half-loaded table (WAL mode).
3. A malformed row raises `EditsImportError` (a ValueError) naming the file, the line and the field.

Deleted PTP edits (modifier indicator 9) are kept: they answer "this edit was deleted", not "no edit".
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Protocol

from tqdm import tqdm

from assistant.edits import schema
from assistant.edits.models import MAI_MEANINGS, MODIFIER_INDICATOR_MEANINGS

BATCH_ROWS = 50_000


class EditsImportError(ValueError):
    """A file that cannot be imported; the message names the file, the line (when known) and the problem."""

    def __init__(self, file: Path | str, message: str, *, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        where = f"{self.file}, line {line}" if line is not None else self.file
        super().__init__(f"{where}: {message}")


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


# --- field checks (each returns the stored value or raises ValueError with the coder-facing reason) ----------
_CODE = re.compile(r"^[A-Z0-9]{5}$")


def _code(text: str) -> str:
    code = text.strip().upper()
    if not _CODE.match(code):
        raise ValueError(f"{text!r} is not a 5-character CPT/HCPCS code")
    return code


def _count(text: str) -> int:
    value = text.strip()
    if not value.isdigit():
        raise ValueError(f"{text!r} is not a whole number of units (0 or more)")
    return int(value)


def _mai(text: str) -> int:
    # CMS files give "3" or "3 Date of Service Edit: Clinical"; the leading digit is the indicator.
    match = re.match(r"\s*(\d)\b", text)
    if not match or int(match.group(1)) not in MAI_MEANINGS:
        raise ValueError(f"{text!r} is not an MUE adjudication indicator (1, 2 or 3)")
    return int(match.group(1))


def _modifier_indicator(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or int(value) not in MODIFIER_INDICATOR_MEANINGS:
        raise ValueError(f"{text!r} is not a PTP modifier indicator (0, 1 or 9)")
    return int(value)


def _text(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Column:
    """One column the importer reads: its name in the file (or an alias) and how a value is checked."""

    name: str
    check: Callable[[str], object]
    aliases: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Layout:
    """What distinguishes one CMS table from the other; the loader below is shared."""

    table: str  # "mue" | "ptp": live table name and edits_meta key
    label: str  # in summaries and errors: "MUE values", "PTP edits"
    columns: tuple[Column, ...]
    create_sql: str
    insert_sql: str
    key_columns: int  # the leading columns that identify a row (a code, or a code pair)


MUE_LAYOUT = Layout(
    table="mue",
    label="MUE values",
    columns=(
        Column("hcpcs_cpt_code", _code, aliases=("hcpcs_cpt", "hcpcs_code", "code")),
        Column("practitioner_mue_value", _count, aliases=("practitioner_services_mue_values", "mue_value")),
        Column("mai", _mai, aliases=("mue_adjudication_indicator",)),
        Column("mai_description", _text, required=False),
        Column("mue_rationale", _text, aliases=("rationale",)),
    ),
    create_sql=schema.CREATE_MUE,
    insert_sql=schema.INSERT_MUE,
    key_columns=1,
)

PTP_LAYOUT = Layout(
    table="ptp",
    label="PTP edits",
    columns=(
        Column("column1", _code, aliases=("column_1", "column_1_code")),
        Column("column2", _code, aliases=("column_2", "column_2_code")),
        Column("modifier_indicator", _modifier_indicator, aliases=("modifier", "modifier_0_not_allowed")),
        Column("ptp_edit_rationale", _text, aliases=("rationale", "ptp_rationale")),
    ),
    create_sql=schema.CREATE_PTP,
    insert_sql=schema.INSERT_PTP,
    key_columns=2,
)


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _column_positions(path: Path, header: list[str], layout: Layout) -> list[int | None]:
    """Where each layout column sits in the file's header line; a missing required column is an error."""
    keys = [_header_key(name) for name in header]
    positions: list[int | None] = []
    for column in layout.columns:
        position = next((keys.index(name) for name in (column.name, *column.aliases) if name in keys), None)
        if position is None and column.required:
            raise EditsImportError(
                path,
                f"no column {column.name!r} in the header ({', '.join(header) or 'empty'}): is this the CMS "
                f"{layout.label.split()[0]} file?",
                line=1,
            )
        positions.append(position)
    return positions


# --- reading ---------------------------------------------------------------------------------------------------
@dataclass
class _Progress:
    """Rows read so far and the line being read, for error messages and the summary."""

    line: int = 0
    rows: int = 0
    deleted: int = 0
    rationale_ids: dict[str, int] = field(default_factory=dict)
    new_rationales: list[tuple[int, str]] = field(default_factory=list)
    last: tuple = ()


def _open_text(raw: IO[bytes]) -> io.TextIOWrapper:
    """Text over a plain or gzip-compressed CSV (told by the gzip magic bytes, not the file name)."""
    magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if magic == b"\x1f\x8b" else raw
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def _rows(path: Path, text: IO[str], layout: Layout, progress: _Progress) -> Iterator[tuple]:
    """Checked rows ready to insert, one at a time; `progress.line` is the line of the row last yielded."""
    reader = csv.reader(text, strict=True)  # strict: a stray quote is an error, not a field swallowing lines
    try:
        header = next(reader, [])
    except (csv.Error, UnicodeDecodeError) as error:
        raise EditsImportError(path, f"the header cannot be read as CSV text: {error}", line=1) from None
    positions = _column_positions(path, header, layout)
    width = max(position for position in positions if position is not None) + 1
    is_ptp = layout.table == "ptp"
    # Codes, indicators and rationales repeat millions of times: each distinct raw value is checked once and
    # remembered (a few tens of thousands of entries), which halves the time spent per row.
    plan: list[tuple[Column, int | None, dict[str, object]]] = [
        (column, position, {}) for column, position in zip(layout.columns, positions, strict=True)
    ]
    while True:
        starts_on = reader.line_num + 1  # a quoted field may span lines: report where the row began
        try:
            fields = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as error:
            raise EditsImportError(path, f"unreadable data: {error}", line=starts_on) from None
        progress.line = reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue  # blank line
        if len(fields) < width:
            raise EditsImportError(
                path, f"{len(fields)} field(s) where {width} are expected ({','.join(fields)!r})", line=reader.line_num
            )
        values: list[object] = []
        for column, position, checked in plan:
            raw = fields[position] if position is not None else ""
            value = checked.get(raw)
            if value is None:
                try:
                    value = checked[raw] = column.check(raw)
                except ValueError as error:
                    raise EditsImportError(path, f"column {column.name}: {error}", line=reader.line_num) from None
            values.append(value)
        if is_ptp:  # values: column1, column2, modifier_indicator, rationale
            if values[2] == 9:
                progress.deleted += 1
            rationale = str(values[3])
            rationale_id = progress.rationale_ids.get(rationale)
            if rationale_id is None:  # a sentence not seen before: next id, written to ptp_rationale at the end
                rationale_id = progress.rationale_ids[rationale] = max(progress.rationale_ids.values(), default=0) + 1
                progress.new_rationales.append((rationale_id, rationale))
            values[3] = rationale_id
        elif not values[3]:  # values: code, value, mai, mai_description, rationale; no description: the MAI's
            values[3] = MAI_MEANINGS[int(values[2])]  # type: ignore[call-overload]
        progress.rows += 1
        progress.last = tuple(values)
        yield progress.last


# --- writing ---------------------------------------------------------------------------------------------------
def _connect_writer(db_path: Path) -> sqlite3.Connection:
    """A write connection in WAL mode (readers keep reading during the load), transactions handled by hand."""
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


def _load(
    path: Path, settings: _HasDataDir, layout: Layout, quarter: str | None, progress_bar: bool, batch_rows: int
) -> str:
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise EditsImportError(path, "no such file")
    effective = effective_quarter(path, quarter)
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
            if layout.table == "ptp":
                progress.rationale_ids.update(
                    (text, rationale_id)
                    for rationale_id, text in connection.execute("SELECT id, text FROM ptp_rationale")
                )
            connection.execute(f"DROP TABLE IF EXISTS {staging}")
            connection.execute(layout.create_sql.format(name=staging))
            insert = layout.insert_sql.format(name=staging)
            size = path.stat().st_size
            with (
                path.open("rb") as raw,
                _open_text(raw) as text,
                tqdm(
                    total=size, unit="B", unit_scale=True, desc=f"{layout.table.upper()} {path.name}",
                    file=sys.stderr, disable=not progress_bar, mininterval=0.5,
                ) as bar,
            ):
                rows = _rows(path, text, layout, progress)
                while True:
                    # executemany pulls one row at a time from the generator: memory stays flat, and when a row
                    # fails, progress.line and progress.last are that row.
                    before = progress.rows
                    try:
                        connection.executemany(insert, itertools.islice(rows, batch_rows))
                    except sqlite3.IntegrityError:
                        key = ", ".join(str(value) for value in progress.last[: layout.key_columns])
                        raise EditsImportError(
                            path, f"{key} is listed twice in the file", line=progress.line
                        ) from None
                    bar.update(raw.tell() - bar.n)
                    if progress.rows == before:
                        break
                    _after_batch(progress.rows)
            if progress.rows == 0:
                raise EditsImportError(path, f"no {layout.label} in the file (only a header?); nothing was replaced")
            if layout.table == "ptp":
                connection.executemany("INSERT INTO ptp_rationale (id, text) VALUES (?, ?)", progress.new_rationales)
            # The switch: readers see the old table until COMMIT and the new one after it, never neither.
            connection.execute(f"DROP TABLE IF EXISTS {layout.table}")
            connection.execute(f"ALTER TABLE {staging} RENAME TO {layout.table}")
            seconds = time.perf_counter() - started
            connection.execute(
                "INSERT OR REPLACE INTO edits_meta (table_name, source, quarter, rows, deleted_rows, imported_at, "
                "seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    layout.table, path.name, effective, progress.rows, progress.deleted,
                    datetime.now(UTC).isoformat(timespec="seconds"), round(seconds, 2),
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
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.DatabaseError as error:  # locked for longer than the timeout, disk full, not a database
        raise EditsImportError(db_path, f"the edits database could not be written: {error}") from None
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    deleted = f"; {progress.deleted:,} of them are deleted edits (indicator 9), kept" if progress.deleted else ""
    return (
        f"Imported {progress.rows:,} {layout.label} ({effective or 'quarter unknown'}) "
        f"from {path.name} in {seconds:.1f} s{deleted}"
    )


def import_mue(path: Path | str, settings: _HasDataDir, *, quarter: str | None = None, progress: bool = True) -> str:
    """Import the CMS practitioner MUE table (CSV); returns a one-line summary. Errors: `EditsImportError`."""
    return _load(Path(path), settings, MUE_LAYOUT, quarter, progress, BATCH_ROWS)


def import_ptp(path: Path | str, settings: _HasDataDir, *, quarter: str | None = None, progress: bool = True) -> str:
    """Import the CMS NCCI practitioner PTP table (CSV or gzip CSV); returns a one-line summary.

    Errors are `EditsImportError` naming file and line; on any error the previous table stays in place.
    """
    return _load(Path(path), settings, PTP_LAYOUT, quarter, progress, BATCH_ROWS)
