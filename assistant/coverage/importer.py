"""Import the CMS MCD CSV downloads (a zip, zips inside a zip, or an extracted folder) into `coverage.sqlite3`.

Same guards as the other importers: a bad row names the file and line (`McdImportError`), a truncated file (a
quoted field cut off at the end, a row with too few fields) is refused the same way, nothing is written until every
table has loaded (built aside as `coverage.sqlite3.importing`, then swapped in with `os.replace`, so the loaded
tables stay on any error), and a file with under half the covered-diagnosis rows of the loaded one is refused
(`ImportRefusedError`) unless `force` (a partial download must not silently replace a full one).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Protocol

from assistant.coverage.layouts import (
    ARTICLE_EFFECTIVE,
    ARTICLE_ENDS,
    JURISDICTION_TERM,
    TABLES,
    TABLES_BY_NAME,
    TableLayout,
)
from assistant.coverage.store import SCHEMA, STORE_NAME, CoverageStore

# The paragraph column holds whole HTML paragraphs (long): raise csv's 128 KB field limit.
csv.field_size_limit(16 * 1024 * 1024)
BATCH_ROWS = 20_000
SHRINK_LIMIT = 0.5


class McdImportError(ValueError):
    """A bad MCD file: the message names the file (the zip member) and the line."""


class ImportRefusedError(McdImportError):
    """The new download looks partial next to the loaded one (under half its covered rows); `--force` imports it."""


class _HasDataDir(Protocol):
    @property
    def resolved_data_dir(self) -> Path: ...


Opener = Callable[[], IO[bytes]]


def _zip_members(archive: zipfile.ZipFile, label: str, found: dict[str, tuple[str, Opener]]) -> None:
    for info in archive.infolist():
        name = info.filename
        base = Path(name).name.casefold()
        if base.endswith(".zip"):  # CMS nests the CSV zip inside the download zip
            inner = zipfile.ZipFile(io.BytesIO(archive.read(info)))
            _zip_members(inner, f"{label}!{name}", found)
        elif base.endswith(".csv") and base[:-4] in TABLES_BY_NAME:
            found.setdefault(base[:-4], (f"{label}!{name}", lambda info=info: archive.open(info)))


def find_tables(path: Path) -> dict[str, tuple[str, Opener]]:
    """Table name -> (where, opener) for every MCD table CSV in a zip, nested zips, or a folder (searched deep)."""
    found: dict[str, tuple[str, Opener]] = {}
    if path.is_dir():
        for file in sorted(path.rglob("*")):
            lower = file.name.casefold()
            if lower.endswith(".csv") and lower[:-4] in TABLES_BY_NAME:
                found.setdefault(lower[:-4], (str(file), lambda file=file: file.open("rb")))
            elif lower.endswith(".zip"):
                _zip_members(_open_zip(file), str(file), found)
    elif path.is_file():
        _zip_members(_open_zip(path), str(path), found)
    else:
        raise McdImportError(f"{path}: no such file or folder")
    return found


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise McdImportError(f"{path}: not a zip file (or a truncated one): {error}") from error


def _encoding(opener: Opener) -> str:
    """UTF-8 when the whole file decodes as UTF-8, else Windows Latin-1 (CMS files come in both). Checked before any
    row is read, in 1 MB steps, so a late non-UTF-8 byte never makes the rows before it count twice."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with opener() as raw:
        try:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "latin-1"
    return "utf-8-sig"


def _rows(where: str, opener: Opener, layout: TableLayout) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of one table; the header must name the layout's columns; every row its header's field count."""
    yield from _decoded_rows(where, opener, layout, _encoding(opener))


def _decoded_rows(where: str, opener: Opener, layout: TableLayout,
                  encoding: str) -> Iterator[tuple[int, dict[str, str]]]:
    with opener() as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        reader = csv.reader(text, strict=True)
        try:
            header = [h.strip().casefold() for h in next(reader, [])]
            missing = [c for c in layout.columns if c not in header]
            if missing:
                raise McdImportError(f"{where}: line 1: missing column(s) {', '.join(missing)} (header: "
                                     f"{', '.join(header) or 'empty'}); is this the MCD '{layout.name}' table?")
            for row in reader:
                if not any(field.strip() for field in row):
                    continue
                if len(row) != len(header):
                    raise McdImportError(f"{where}: line {reader.line_num}: {len(row)} fields where the header has "
                                         f"{len(header)} (a malformed or truncated row)")
                yield reader.line_num, dict(zip(header, (f.strip() for f in row), strict=True))
        except csv.Error as error:
            raise McdImportError(f"{where}: line {reader.line_num}: {error} (a malformed or truncated file)") from error


def _int(where: str, line: int, row: dict[str, str], column: str) -> int:
    value = row.get(column, "")
    try:
        return int(value)
    except ValueError:
        raise McdImportError(f"{where}: line {line}: {column} should be a whole number, got {value!r}") from None


def _code(where: str, line: int, row: dict[str, str], column: str) -> tuple[str, str]:
    """(low, high) of a code or a range ("D50.0-D50.9"), dots removed, upper case."""
    value = row.get(column, "").upper().replace(".", "").replace(" ", "")
    if not value:
        raise McdImportError(f"{where}: line {line}: {column} is empty")
    low, _, high = value.partition("-")
    if not re.fullmatch(r"[0-9A-Z]{3,8}", low) or (high and not re.fullmatch(r"[0-9A-Z]{3,8}", high)):
        raise McdImportError(f"{where}: line {line}: {column} {row.get(column)!r} is not a code or a code range")
    return low, high or low


def _iso(value: str) -> str:
    """A date as CMS writes it ("2023-10-01", "10/01/2023", "2023-10-01 00:00:00") -> ISO, else ""."""
    value = value.strip()[:10]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    return f"{match.group(3)}-{int(match.group(1)):02d}-{int(match.group(2)):02d}" if match else ""


def _first(row: dict[str, str], columns: tuple[str, ...]) -> str:
    return next((row[c] for c in columns if row.get(c)), "")


def _load_table(connection: sqlite3.Connection, name: str, where: str, opener: Opener) -> int:
    layout = TABLES_BY_NAME[name]
    today = date.today().isoformat()
    statement, convert = _CONVERTERS[name]
    batch: list[tuple[object, ...]] = []
    count = 0
    for line, row in _rows(where, opener, layout):
        converted = convert(where, line, row, today)
        if converted is None:
            continue
        batch.append(converted)
        count += 1
        if len(batch) >= BATCH_ROWS:
            connection.executemany(statement, batch)
            batch.clear()
    if batch:
        connection.executemany(statement, batch)
    return count


def _article_key(where: str, line: int, row: dict[str, str]) -> tuple[int, int]:
    return _int(where, line, row, "article_id"), _int(where, line, row, "article_version")


def _contractor_key(where: str, line: int, row: dict[str, str]) -> tuple[int, int, int]:
    return (_int(where, line, row, "contractor_id"), _int(where, line, row, "contractor_type_id"),
            _int(where, line, row, "contractor_version"))


def _diagnosis_row(group_column: str) -> Callable[[str, int, dict[str, str], str], tuple[object, ...]]:
    def convert(where: str, line: int, row: dict[str, str], today: str) -> tuple[object, ...]:
        low, high = _code(where, line, row, "icd10_code_id")
        group = _int(where, line, row, group_column) if row.get(group_column) else 0
        return (*_article_key(where, line, row), low, high, group, row.get("description", ""))
    return convert


def _group_row(kind: str, group_column: str) -> Callable[[str, int, dict[str, str], str], tuple[object, ...]]:
    def convert(where: str, line: int, row: dict[str, str], today: str) -> tuple[object, ...]:
        return (*_article_key(where, line, row), kind, _int(where, line, row, group_column), row.get("paragraph", ""))
    return convert


def _jurisdiction(where: str, line: int, row: dict[str, str], today: str) -> tuple[object, ...] | None:
    term = _iso(_first(row, JURISDICTION_TERM))
    if term and term < today:
        return None  # a jurisdiction that ended no longer sends this state's claims to the contractor
    return (*_contractor_key(where, line, row), _int(where, line, row, "state_id"))


_CONVERTERS: dict[str, tuple[str, Callable[[str, int, dict[str, str], str], tuple[object, ...] | None]]] = {
    "article": ("INSERT OR REPLACE INTO article VALUES (?, ?, ?, ?, ?, ?)", lambda w, n, r, t: (
        *_article_key(w, n, r), r["title"], r.get("status", ""), _iso(_first(r, ARTICLE_EFFECTIVE)),
        _iso(_first(r, ARTICLE_ENDS)))),
    "article_x_hcpc_code": ("INSERT INTO article_hcpc VALUES (?, ?, ?, ?, ?, ?)", lambda w, n, r, t: (
        *_article_key(w, n, r), *_code(w, n, r, "hcpc_code_id"),
        _int(w, n, r, "hcpc_code_group") if r.get("hcpc_code_group") else 0,
        r.get("long_description") or r.get("short_description", ""))),
    "article_x_icd10_covered": ("INSERT INTO article_covered VALUES (?, ?, ?, ?, ?, ?)",
                                _diagnosis_row("icd10_covered_group")),
    "article_x_icd10_noncovered": ("INSERT INTO article_noncovered VALUES (?, ?, ?, ?, ?, ?)",
                                   _diagnosis_row("icd10_noncovered_group")),
    "article_x_hcpc_code_group": ("INSERT INTO article_group VALUES (?, ?, ?, ?, ?)",
                                  _group_row("hcpc", "hcpc_code_group")),
    "article_x_icd10_covered_group": ("INSERT INTO article_group VALUES (?, ?, ?, ?, ?)",
                                      _group_row("covered", "icd10_covered_group")),
    "article_x_icd10_noncovered_group": ("INSERT INTO article_group VALUES (?, ?, ?, ?, ?)",
                                         _group_row("noncovered", "icd10_noncovered_group")),
    "article_related_documents": ("INSERT INTO article_lcd VALUES (?, ?, ?)", lambda w, n, r, t: (
        (*_article_key(w, n, r), _int(w, n, r, "r_lcd_id")) if r.get("r_lcd_id") else None)),
    "lcd": ("INSERT OR REPLACE INTO lcd VALUES (?, ?, ?)", lambda w, n, r, t: (
        _int(w, n, r, "lcd_id"), _int(w, n, r, "lcd_version"), r["title"])),
    "contractor": ("INSERT OR REPLACE INTO contractor VALUES (?, ?, ?, ?, ?)", lambda w, n, r, t: (
        *_contractor_key(w, n, r), r["contractor_bus_name"], r.get("contractor_number", ""))),
    "article_x_contractor": ("INSERT INTO article_contractor VALUES (?, ?, ?, ?, ?)", lambda w, n, r, t: (
        *_article_key(w, n, r), *_contractor_key(w, n, r))),
    "lcd_x_contractor": ("INSERT INTO lcd_contractor VALUES (?, ?, ?, ?, ?)", lambda w, n, r, t: (
        _int(w, n, r, "lcd_id"), _int(w, n, r, "lcd_version"), *_contractor_key(w, n, r))),
    "contractor_jurisdiction": ("INSERT INTO contractor_state VALUES (?, ?, ?, ?)", _jurisdiction),
    "state_lookup": ("INSERT OR REPLACE INTO state VALUES (?, ?, ?)", lambda w, n, r, t: (
        _int(w, n, r, "state_id"), r["state_abbrev"].upper(), r.get("description") or r.get("state_name", ""))),
}


def _loaded_covered_rows(path: Path) -> int:
    if not path.exists():
        return 0
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(path)) as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = 'covered_rows'").fetchone()
        return int(row[0]) if row else 0
    return 0


def import_mcd(path: Path | str, settings: _HasDataDir, *, force: bool = False, progress: bool = False) -> str:
    """Import the MCD downloads at `path` into `data_dir/coverage.sqlite3`; returns a one-line summary."""
    started = time.perf_counter()
    path = Path(path)
    tables = find_tables(path)
    missing = [t.name for t in TABLES if t.required and t.name not in tables]
    if missing:
        raise McdImportError(f"{path}: the MCD table(s) {', '.join(f'{m}.csv' for m in missing)} are missing (the "
                             "current article download has the article tables; state_lookup and contractor tables "
                             "come with it)")
    target = settings.resolved_data_dir / STORE_NAME
    staging = target.with_name(target.name + ".importing")
    staging.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    try:
        with contextlib.closing(sqlite3.connect(staging)) as connection:
            connection.executescript(SCHEMA)
            for table in TABLES:
                if table.name in tables:
                    where, opener = tables[table.name]
                    counts[table.name] = _load_table(connection, table.name, where, opener)
            covered = counts.get("article_x_icd10_covered", 0)
            old = _loaded_covered_rows(target)
            if old and covered < old * SHRINK_LIMIT and not force:
                raise ImportRefusedError(
                    f"{path}: {covered:,} covered-diagnosis rows against {old:,} loaded: this looks like a partial "
                    "download, so the loaded tables are kept. Import it anyway with --force.")
            connection.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("covered_rows", str(covered)), ("source", str(path)), ("imported_on", date.today().isoformat()),
                *((f"rows:{name}", str(n)) for name, n in counts.items()),
            ])
            connection.executescript(CoverageStore.INDEXES)
            connection.commit()
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    return (f"MCD: {counts.get('article', 0):,} articles, {counts.get('article_x_hcpc_code', 0):,} HCPCS/CPT rows, "
            f"{covered:,} covered and {counts.get('article_x_icd10_noncovered', 0):,} non-covered diagnosis rows, "
            f"{counts.get('contractor', 0):,} contractors from {path} in {seconds:.1f} s")
