"""The CMS anesthesia base-unit file: read it, keep it as a JSON overlay, look codes up [encounters.md B6].

CMS posts the base units of the anesthesia codes (00100-01999) each year on its Anesthesiologists Center page; the
exact layout is UNCONFIRMED, so the reader is tolerant: a CSV or tab-separated text file (save a spreadsheet as
CSV) whose header names a code column ("code", "CPT code", "HCPCS") and a base-unit column ("base units",
"base unit", "base"). Rows whose code is not an anesthesia code are skipped; a bad number raises an error naming
the file and line.

    python -m assistant import anesthesia-base FILE
    lookup = load_base_units(settings.resolved_data_dir)   # None until imported
    calculate(request, base_units_lookup=lookup)
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from typing import Protocol

from assistant.importguard import ImportGuardError, drop_text, guarded_lines, release_key, too_few_rows

OVERLAY_NAME = "anesthesia_base_units.json"
_ANESTHESIA_CODE = re.compile(r"0\d{4}")  # 00100-01999 (and 01xxx), five digits starting with 0


class BaseUnitFileError(ValueError):
    """The file cannot be read as a base-unit table; the message names the file and the line."""


class DataDirSettings(Protocol):
    """What the importer needs from the application settings (duck-typed: units imports nothing of ours)."""

    @property
    def resolved_data_dir(self) -> Path: ...


def _column(header: list[str], path: Path, line: int, *names: str) -> int:
    lowered = [cell.strip().casefold() for cell in header]
    for name in names:
        for index, cell in enumerate(lowered):
            if cell == name:
                return index
    for name in names:
        for index, cell in enumerate(lowered):
            if name in cell:
                return index
    raise BaseUnitFileError(f"{path}: line {line} names no {names[0]!r} column (header: {', '.join(header)})")


def parse_base_units(path: Path) -> dict[str, float]:
    """Anesthesia code -> base units from a CSV or tab-separated base-unit file."""
    try:
        return _parse(path)
    except ImportGuardError as error:  # a control character or a last line cut short
        raise BaseUnitFileError(str(error)) from None


def _parse(path: Path) -> dict[str, float]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    sample = text[:4000]
    dialect = "excel-tab" if sample.count("\t") > sample.count(",") else "excel"
    # A control character or a last line cut short is refused (issue 24); ImportGuardError is a ValueError.
    lines = guarded_lines(path, text.splitlines(keepends=True))
    rows = csv.reader(lines, dialect=dialect)
    header: list[str] | None = None
    line = 0
    for row in rows:
        line += 1
        cells = [cell.casefold() for cell in row]
        if any("base" in c for c in cells) and any(k in c for c in cells for k in ("code", "cpt", "hcpcs")):
            header = row
            break
    if header is None:
        raise BaseUnitFileError(f"{path}: no header line naming a code column and a base-unit column")
    code_at = _column(header, path, line, "cpt code", "code", "hcpcs", "cpt")
    base_at = _column(header, path, line, "base units", "base unit", "base")
    table: dict[str, float] = {}
    for number, row in enumerate(rows, start=line + 1):
        code = row[code_at].strip().upper() if len(row) > code_at else ""
        if not _ANESTHESIA_CODE.fullmatch(code):
            continue
        if len(row) <= base_at:  # an anesthesia code without its base units: a short (cut) row
            raise BaseUnitFileError(f"{path}: line {number}: {code} has no base units ({len(row)} field(s))")
        raw = row[base_at].strip()
        try:
            value = float(raw)
        except ValueError:
            raise BaseUnitFileError(f"{path}: line {number}: base units {raw!r} of {code} is not a number") from None
        if not 0 <= value < 100:
            raise BaseUnitFileError(f"{path}: line {number}: base units {value:g} of {code} is out of range")
        table[code] = value
    if not table:
        raise BaseUnitFileError(f"{path}: no anesthesia code (00100-01999) with base units was found")
    return table


def _refuse_shrinking(path: Path, target: Path, rows: int, release: tuple[int, int] | None) -> None:
    """A file with more than 5% fewer codes than the loaded overlay, or of an older year, is refused (issue 24)."""
    try:
        loaded = json.loads(target.read_text())
    except (OSError, ValueError):
        return  # nothing loaded (or unreadable): nothing to compare with
    loaded_rows = len(loaded.get("base_units") or {})
    if too_few_rows(rows, loaded_rows):
        where = f"the loaded table from {Path(str(loaded.get('source'))).name}"
        raise BaseUnitFileError(f"{path}: refused: {drop_text(rows, loaded_rows, 'anesthesia codes', where)}, "
                                "which stays. Is the file truncated? To replace it anyway, import again with --force")
    old = tuple(loaded["release"]) if isinstance(loaded.get("release"), list) else None
    if release is not None and old is not None and release < old:
        raise BaseUnitFileError(f"{path}: refused: the file is for {release[0]}, older than the loaded {old[0]} "
                                "table, which stays. To go back on purpose, import again with --force")


def import_anesthesia_base(path: Path, settings: DataDirSettings, *, force: bool = False) -> str:
    """Read the file and write the overlay atomically under data_dir/imports; return a one-line summary.

    A file with more than 5% fewer codes than the loaded one, or of an older year (from the file name), is
    refused unless `force`; the loaded table stays."""
    path = Path(path)
    table = parse_base_units(path)
    target = settings.resolved_data_dir / "imports" / OVERLAY_NAME
    release = release_key(path.name)
    if not force:
        _refuse_shrinking(path, target, len(table), release)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    payload = {"source": str(path), "release": list(release) if release else None, "base_units": table}
    temporary.write_text(json.dumps(payload, indent=1, sort_keys=True))
    os.replace(temporary, target)
    return f"Imported base units of {len(table)} anesthesia codes from {path}"


class BaseUnitsTable:
    """A loaded overlay; call it with a code for its base units (None when absent)."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table

    def __call__(self, code: str) -> float | None:
        return self.table.get(code.strip().upper())

    def __len__(self) -> int:
        return len(self.table)


def load_base_units(data_dir: Path) -> BaseUnitsTable | None:
    """The imported base units under `data_dir/imports`, or None when none were imported."""
    overlay = data_dir / "imports" / OVERLAY_NAME
    if not overlay.is_file():
        return None
    data = json.loads(overlay.read_text())
    return BaseUnitsTable({str(code): float(value) for code, value in data["base_units"].items()})
