"""The CMS Physician Fee Schedule Relative Value File (PPRRVU): import, keep each release, look up by date.

`python -m assistant import pfs PPRRVU25_OCT.csv` reads the CSV as CMS publishes it: a preamble (title,
copyright, "RELEASED" lines), a header spread over several lines ("STATUS" over "CODE", "GLOB" over "DAYS"), then
one row per code and modifier (blank, 26, TC, 53). What is kept is listed in `FeeEntry`; the DESCRIPTION column is
never read (CPT descriptors are AMA text). Indicator meanings: fee_indicators.py.

Each release is kept: rows are keyed by (quarter, code, modifier), the quarter read from the preamble ("2025 ...
October Release" -> 2025 Q4) or the file name (rvu25d, pprrvu_2025_oct, 2025q4). Importing a release again
replaces that release only, in one transaction (a bad row, Ctrl-C or a crash leaves what was loaded); a file with
under half the rows of the same release already loaded is refused unless `force` (a truncated file).
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from assistant.edits.fee_indicators import PAYABLE_STATUS, describe
from assistant.edits.importers import EditsImportError, ImportRefusedError
from assistant.edits.releases import Release, ReleaseChoice, SqliteReader, choose_release, quarter_dates
from assistant.edits.schema import FILENAME

SOURCE = "CMS PFS Relative Value File (PPRRVU)"
HEADER_SEARCH_ROWS = 20

CREATE_PFS = """
CREATE TABLE IF NOT EXISTS {name} (
    quarter TEXT NOT NULL, code TEXT NOT NULL, modifier TEXT NOT NULL, status TEXT NOT NULL, pctc TEXT NOT NULL,
    global_days TEXT NOT NULL, pre_op REAL NOT NULL, intra_op REAL NOT NULL, post_op REAL NOT NULL,
    mult_proc TEXT NOT NULL, bilateral TEXT NOT NULL, assistant TEXT NOT NULL, co_surgeons TEXT NOT NULL,
    team TEXT NOT NULL, endo_base TEXT NOT NULL, supervision TEXT NOT NULL, work_rvu REAL NOT NULL,
    pe_nonfacility REAL NOT NULL, nonfacility_na INTEGER NOT NULL, pe_facility REAL NOT NULL,
    facility_na INTEGER NOT NULL, mp_rvu REAL NOT NULL, conversion_factor REAL NOT NULL,
    PRIMARY KEY (quarter, code, modifier)
) WITHOUT ROWID
"""
CREATE_PFS_RELEASES = """
CREATE TABLE IF NOT EXISTS pfs_releases (
    quarter TEXT PRIMARY KEY, source TEXT NOT NULL, rows INTEGER NOT NULL, imported_at TEXT NOT NULL,
    seconds REAL NOT NULL
)
"""
COLUMNS = (
    "quarter", "code", "modifier", "status", "pctc", "global_days", "pre_op", "intra_op", "post_op", "mult_proc",
    "bilateral", "assistant", "co_surgeons", "team", "endo_base", "supervision", "work_rvu", "pe_nonfacility",
    "nonfacility_na", "pe_facility", "facility_na", "mp_rvu", "conversion_factor",
)
_SELECT = f"SELECT {', '.join(COLUMNS)}, r.source FROM pfs AS p JOIN pfs_releases AS r USING (quarter) "

# Header key (letters and digits of the stacked header cells) -> our field. Aliases: single-line spellings.
_HEADER: dict[str, tuple[str, ...]] = {
    "code": ("HCPCS", "HCPCSCODE"),
    "modifier": ("MOD", "MODIFIER"),
    "status": ("STATUSCODE", "STATUS"),
    "work_rvu": ("WORKRVU",),
    "pe_nonfacility": ("NONFACPERVU", "NONFACILITYPERVU", "NONFACILITYPRACTICEEXPENSERVU"),
    "nonfacility_na": ("NONFACNAINDICATOR", "NONFACILITYNAINDICATOR"),
    "pe_facility": ("FACILITYPERVU", "FACILITYPRACTICEEXPENSERVU"),
    "facility_na": ("FACILITYNAINDICATOR",),
    "mp_rvu": ("MPRVU", "MALPRACTICERVU"),
    "pctc": ("PCTCIND", "PCTCINDICATOR"),
    "global_days": ("GLOBDAYS", "GLOBALDAYS", "GLOBALSURGERY"),
    "pre_op": ("PREOP",),
    "intra_op": ("INTRAOP",),
    "post_op": ("POSTOP",),
    "mult_proc": ("MULTPROC",),
    "bilateral": ("BILATSURG",),
    "assistant": ("ASSTSURG",),
    "co_surgeons": ("COSURG",),
    "team": ("TEAMSURG",),
    "endo_base": ("ENDOBASE",),
    "conversion_factor": ("CONVFACTOR", "CONVERSIONFACTOR"),
    "supervision": ("PHYSICIANSUPERVISIONOFDIAGNOSTICPROCEDURES", "PHYSICIANSUPERVISION"),
}
_OPTIONAL = frozenset({"endo_base", "supervision", "nonfacility_na", "facility_na"})
_CODE = re.compile(r"^[A-Z0-9]{5}$")
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
_GLOBAL = re.compile(r"^(000|010|090|MMM|XXX|YYY|ZZZ)$")
_MONTH_QUARTER = {"JANUARY": 1, "APRIL": 2, "JULY": 3, "OCTOBER": 4, "JAN": 1, "APR": 2, "JUL": 3, "OCT": 4}
_RELEASE_LETTER = {"A": 1, "B": 2, "C": 3, "D": 4}


class _HasDataDir(Protocol):
    @property
    def resolved_data_dir(self) -> Path: ...


@dataclass(frozen=True, slots=True)
class FeeEntry:
    """One PFS row (code + modifier) of one release. RVUs as published; `national_payment` is unadjusted."""

    quarter: str
    code: str
    modifier: str
    status: str
    pctc: str
    global_days: str
    pre_op: float
    intra_op: float
    post_op: float
    mult_proc: str
    bilateral: str
    assistant: str
    co_surgeons: str
    team: str
    endo_base: str
    supervision: str
    work_rvu: float
    pe_nonfacility: float
    nonfacility_na: bool
    pe_facility: float
    facility_na: bool
    mp_rvu: float
    conversion_factor: float
    source: str

    @property
    def payable(self) -> bool:
        """True when the status lets the fee schedule pay it (A, R, T; C is contractor priced)."""
        return self.status in PAYABLE_STATUS

    def total_rvu(self, facility: bool) -> float:
        pe = self.pe_facility if facility else self.pe_nonfacility
        return round(self.work_rvu + pe + self.mp_rvu, 2)

    def national_payment(self, facility: bool) -> float | None:
        """Total RVUs x conversion factor, rounded to cents: national, before the locality's GPCIs. None when the
        setting is NA for this code or the status has no fee schedule RVUs."""
        if (self.facility_na if facility else self.nonfacility_na) or self.status not in ("A", "R", "T"):
            return None
        return round(self.total_rvu(facility) * self.conversion_factor, 2)

    def meaning(self, column: str) -> str:
        """The meaning of this row's value in an indicator column ("global_days", "bilateral", ...)."""
        return describe(column, getattr(self, column)).meaning

    @property
    def citation(self) -> str:
        return f"{SOURCE}, {self.quarter} release ({self.source})"


# --- the release ---------------------------------------------------------------------------------------------
def release_quarter(preamble: list[str], file_name: str) -> str | None:
    """The quarter of a PFS release: "2025 ... October Release" in the preamble, else RVU25D / pprrvu_2025_oct /
    2025q4 in the file name."""
    text = " ".join(preamble).upper()
    match = re.search(r"\b(20\d\d)\b.*?\b(JANUARY|APRIL|JULY|OCTOBER)\b", text)
    if match:
        return f"{match[1]} Q{_MONTH_QUARTER[match[2]]}"
    name = file_name.upper()
    match = re.search(r"RVU(\d\d)([A-D])", name)
    if match:
        return f"20{match[1]} Q{_RELEASE_LETTER[match[2]]}"
    match = re.search(r"(?:20|PPRRVU)(\d\d)[_\- ]?(JAN|APR|JUL|OCT)", name)
    if match:
        return f"20{match[1]} Q{_MONTH_QUARTER[match[2]]}"
    match = re.search(r"(20\d\d)[_\- ]?Q([1-4])", name)
    return f"{match[1]} Q{match[2]}" if match else None


# --- reading -------------------------------------------------------------------------------------------------
def _key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _header(path: Path, rows: list[list[str]]) -> tuple[dict[str, int], int]:
    """Field -> column, and the index of the header's last line (the one starting "HCPCS"). The stacked lines
    above it (first cells empty) are joined column by column: "STATUS" + "CODE" -> STATUSCODE."""
    for index, row in enumerate(rows):
        if row and _key(row[0]) in _HEADER["code"]:
            stacked = [row]
            for above in reversed(rows[:index]):
                if above and not above[0].strip() and any(cell.strip() for cell in above[3:]):
                    stacked.insert(0, above)
                else:
                    break
            width = max(len(line) for line in stacked)
            names = [_key("".join(line[i] if i < len(line) else "" for line in stacked)) for i in range(width)]
            found: dict[str, int] = {}
            for field, aliases in _HEADER.items():
                for i, name in enumerate(names):
                    if name in aliases and field not in found:
                        found[field] = i
            missing = [field for field in _HEADER if field not in found and field not in _OPTIONAL]
            if missing:
                raise EditsImportError(
                    path, f"the header has no column for {', '.join(missing)}: is this the CMS PPRRVU file?",
                    line=index + 1,
                )
            return found, index
    raise EditsImportError(path, "no header row starting 'HCPCS, MOD' in the first lines: is this the CMS PPRRVU file?")


def _number(text: str, name: str) -> float:
    value = text.strip()
    if value in ("", "NA"):
        return 0.0
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"column {name}: {text!r} is not a number") from None


def _indicator(text: str, name: str, allowed: str = r"\d") -> str:
    value = text.strip().upper()
    if not re.fullmatch(allowed, value):
        raise ValueError(f"column {name}: {text!r} is not a valid indicator")
    return value


def _row(quarter: str, fields: list[str], at: dict[str, int]) -> tuple:
    def cell(name: str) -> str:
        position = at.get(name)
        return fields[position].strip() if position is not None and position < len(fields) else ""

    code = cell("code").upper()
    if not _CODE.match(code):
        raise ValueError(f"column HCPCS: {code!r} is not a 5-character code")
    modifier = cell("modifier").upper()
    if modifier and not _MODIFIER.match(modifier):
        raise ValueError(f"column MOD: {modifier!r} is not a modifier")
    status = _indicator(cell("status"), "STATUS CODE", r"[A-Z]")
    glob = cell("global_days").upper()
    if not _GLOBAL.match(glob):
        raise ValueError(f"column GLOB DAYS: {glob!r} is not a global period (000, 010, 090, XXX, YYY, ZZZ, MMM)")
    supervision = cell("supervision").upper()
    return (
        quarter, code, modifier, status, _indicator(cell("pctc"), "PCTC IND"), glob,
        _number(cell("pre_op"), "PRE OP"), _number(cell("intra_op"), "INTRA OP"), _number(cell("post_op"), "POST OP"),
        _indicator(cell("mult_proc"), "MULT PROC"), _indicator(cell("bilateral"), "BILAT SURG"),
        _indicator(cell("assistant"), "ASST SURG"), _indicator(cell("co_surgeons"), "CO-SURG"),
        _indicator(cell("team"), "TEAM SURG"), cell("endo_base").upper(), supervision,
        _number(cell("work_rvu"), "WORK RVU"), _number(cell("pe_nonfacility"), "NON-FAC PE RVU"),
        int(cell("nonfacility_na").upper() == "NA"), _number(cell("pe_facility"), "FACILITY PE RVU"),
        int(cell("facility_na").upper() == "NA"), _number(cell("mp_rvu"), "MP RVU"),
        _number(cell("conversion_factor"), "CONV FACTOR"),
    )


def _read(path: Path, quarter: str | None) -> tuple[str, Iterator[tuple[int, tuple]]]:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    head: list[list[str]] = []
    try:
        for _ in range(HEADER_SEARCH_ROWS):
            head.append(next(reader))
    except StopIteration:
        pass
    except csv.Error as error:
        raise EditsImportError(path, f"unreadable CSV: {error}", line=len(head) + 1) from None
    at, header_index = _header(path, head)
    release = quarter or release_quarter([" ".join(row) for row in head[:header_index]], path.name)
    if release is None:
        raise EditsImportError(
            path, "the release is not named in the file's title or name: pass it (--quarter '2025 Q4')"
        )
    quarter_dates(release)

    def rows() -> Iterator[tuple[int, tuple]]:
        for line, fields in enumerate(head[header_index + 1:], start=header_index + 2):
            if any(cell.strip() for cell in fields):
                yield line, fields  # type: ignore[misc]
        line = len(head)
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise EditsImportError(path, f"unreadable CSV: {error}", line=reader.line_num) from None
            line = reader.line_num
            if any(cell.strip() for cell in fields):
                yield line, fields  # type: ignore[misc]

    def checked() -> Iterator[tuple[int, tuple]]:
        for line, fields in rows():
            try:
                yield line, _row(release, fields, at)  # type: ignore[arg-type]
            except ValueError as error:
                raise EditsImportError(path, str(error), line=line) from None

    return release, checked()


def import_pfs(
    path: Path | str, settings: _HasDataDir, *, quarter: str | None = None, progress: bool = True,
    force: bool = False,
) -> str:
    """Import one release of the CMS PFS Relative Value File (PPRRVU CSV); returns a one-line summary. Errors are
    `EditsImportError` naming file and line; a release shrunk under half: `ImportRefusedError` unless `force`."""
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise EditsImportError(path, "no such file")
    release, rows = _read(path, quarter)
    db_path = settings.resolved_data_dir / FILENAME
    db_path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(db_path, isolation_level=None, timeout=300.0)
    count = 0
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(CREATE_PFS.format(name="pfs"))
            connection.execute(CREATE_PFS_RELEASES)
            connection.execute("DROP TABLE IF EXISTS pfs_staging")
            connection.execute(CREATE_PFS.format(name="pfs_staging"))
            insert = f"INSERT INTO pfs_staging ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
            seen: dict[tuple[str, str], int] = {}
            for line, row in rows:
                key = (row[1], row[2])
                if key in seen:
                    raise EditsImportError(
                        path, f"{row[1]} {row[2] or '(no modifier)'} is listed twice (first on line {seen[key]})",
                        line=line,
                    )
                seen[key] = line
                connection.execute(insert, row)
                count += 1
            if count == 0:
                raise EditsImportError(path, "no rows after the header; nothing was replaced")
            loaded = connection.execute(
                "SELECT rows, source FROM pfs_releases WHERE quarter = ?", (release,)
            ).fetchone()
            if loaded is not None and count * 2 < loaded[0] and not force:
                raise ImportRefusedError(
                    path,
                    f"refused: the file has {count:,} rows, under half of the {loaded[0]:,} of the loaded {release} "
                    f"release ({loaded[1]}), which stays. Is the file truncated? To replace it anyway, import "
                    "again with --force.",
                )
            connection.execute("DELETE FROM pfs WHERE quarter = ?", (release,))
            connection.execute(f"INSERT INTO pfs ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM pfs_staging")
            connection.execute("DROP TABLE pfs_staging")
            connection.execute(
                "INSERT OR REPLACE INTO pfs_releases (quarter, source, rows, imported_at, seconds) "
                "VALUES (?, ?, ?, ?, ?)",
                (release, path.name, count, datetime.now(UTC).isoformat(timespec="seconds"),
                 round(time.perf_counter() - started, 2)),
            )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as error:
        raise EditsImportError(db_path, f"the edits database could not be written: {error}") from None
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    return f"Imported {count:,} PFS rows ({release} release) from {path.name} in {seconds:.1f} s; older releases kept"


# --- look-ups ----------------------------------------------------------------------------------------------------
class FeeStore:
    """Read the imported PFS releases: a code's row in the release in force on a date of service."""

    def __init__(self, path: Path | str) -> None:
        self.reader = SqliteReader(path)

    def releases(self) -> list[Release]:
        rows = self.reader.cached("pfs_releases", lambda: self.reader.query(
            "SELECT quarter, source, rows FROM pfs_releases ORDER BY quarter"))
        return [Release("pfs", quarter, "pfs", source, count) for quarter, source, count in rows]

    @property
    def loaded(self) -> bool:
        return bool(self.releases())

    def choose(self, day: date | None = None) -> ReleaseChoice:
        """The PFS release in force on `day` (the latest without one)."""
        return choose_release(self.releases(), day)

    def fee(self, code: str, modifier: str = "", day: date | None = None) -> FeeEntry | None:
        """The row of `code` with `modifier` ("" the global service, "26", "TC", "53") in the release in force on
        `day`; None when not listed or no release is in force (see `choose(day).note`)."""
        choice = self.choose(day)
        if choice.release is None:
            return None
        return self._fee(choice.release.quarter, code, modifier)

    def _fee(self, quarter: str, code: str, modifier: str) -> FeeEntry | None:
        rows = self.reader.query(
            _SELECT + "WHERE quarter = ? AND code = ? AND modifier = ?",
            (quarter, code.strip().upper(), modifier.strip().upper()),
        )
        return _entry(rows[0]) if rows else None

    def modifiers(self, code: str, day: date | None = None) -> list[FeeEntry]:
        """Every row of `code` (global, 26, TC, 53) in the release in force on `day`."""
        choice = self.choose(day)
        if choice.release is None:
            return []
        rows = self.reader.query(
            _SELECT + "WHERE quarter = ? AND code = ? ORDER BY modifier", (choice.release.quarter, code.strip().upper())
        )
        return [_entry(row) for row in rows]


def _entry(row: tuple) -> FeeEntry:
    values = list(row)
    values[18] = bool(values[18])
    values[20] = bool(values[20])
    return FeeEntry(*values)


_BESIDE: dict[Path, FeeStore] = {}


def fee_store_beside(edits: object) -> FeeStore | None:
    """The PFS store in the same database as an `EditsStore` (its `.path`), cached per file; None without one."""
    path = getattr(edits, "path", None)
    if not isinstance(path, str | Path):
        return None
    store = _BESIDE.get(Path(path))
    if store is None:
        store = _BESIDE[Path(path)] = FeeStore(path)
    return store
