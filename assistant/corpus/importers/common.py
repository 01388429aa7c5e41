"""What the corpus importers share: row errors that name file and line, tabular readers, atomic overlay writes."""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.corpus.files import IMPORTS_DIRNAME
from assistant.importguard import ImportGuardError, check_cells, drop_text, guarded_lines, too_few_rows

if TYPE_CHECKING:
    from assistant.settings import Settings

# CSV exports from CMS are usually UTF-8, but older releases and files re-saved in Excel come as Windows-1252.
_ENCODINGS = ("utf-8-sig", "cp1252")

_MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}


class ImportFileError(ValueError):
    """A file an importer cannot use; the message names the file and, for a bad row, its line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


def non_negative_number(path: Path, line: int, column: str, cell: str, *, what: str = "a number",
                        blanks: Sequence[str] = ("",), limit: float = 1e9) -> float | None:
    """A non-negative number from one cell ("1,000", "$12.50"), None for a blank one (`blanks`, compared
    upper-case: the ASP file writes "N/A" for a code with no published limit). A word, a negative number, or one past
    `limit` (NaN and inf too, which float() reads: issue 24) is refused naming file, line and column."""
    text = cell.strip().replace("$", "").replace(",", "")
    if text.upper() in blanks:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ImportFileError(path, f"column {column}: {text!r} is not {what}", line) from None
    if value < 0:
        raise ImportFileError(path, f"column {column}: {text!r} is negative", line)
    if not value <= limit:
        raise ImportFileError(path, f"column {column}: {text[:40]!r} is outside 0-{limit:,.0f}", line)
    return value


def normalise_header(name: object) -> str:
    """'LONG DESCRIPTION', 'Long_Description ' and 'long-description' all become 'long_description'."""
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().lower()).strip("_")


def header_columns(
    path: Path, line: int, header: list[str], aliases: Mapping[str, Sequence[str]], required: Sequence[str],
    what: str,
) -> dict[str, int]:
    """Column name -> index in a header row, each column found under the first of its `aliases` the header has
    (names compared after `normalise_header`); `ImportFileError` "this does not look like `what`" naming the
    required columns it lacks."""
    names = [normalise_header(cell) for cell in header]
    columns: dict[str, int] = {}
    for column, spellings in aliases.items():
        found = next((names.index(alias) for alias in spellings if alias in names), None)
        if found is not None:
            columns[column] = found
    missing = [column for column in required if column not in columns]
    if missing:
        raise ImportFileError(path, f"this does not look like {what}: no column {', '.join(missing)} in the header",
                              line)
    return columns


class RowCells:
    """One data row, read by column name (stripped; '' for an optional column the file does not have)."""

    def __init__(self, cells: list[str], columns: Mapping[str, int]) -> None:
        self.cells = cells
        self.columns = columns

    def __call__(self, name: str) -> str:
        index = self.columns.get(name)
        return self.cells[index].strip() if index is not None else ""


def _decodable(path: Path, encoding: str) -> bool:
    try:
        with path.open(encoding=encoding, newline="") as handle:
            for _ in iter(lambda: handle.read(1 << 20), ""):
                pass
    except UnicodeDecodeError:
        return False
    return True


def text_encoding(path: Path) -> str:
    """The first encoding that reads the whole file (UTF-8, else Windows-1252)."""
    for encoding in _ENCODINGS:
        if _decodable(path, encoding):
            return encoding
    raise ImportFileError(path, "the file is neither UTF-8 nor Windows-1252 text")


def csv_rows(path: Path, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """Stream (line number, cells) for each non-empty row; the line is where the row starts in the file.

    A control character or a last line cut short is refused (assistant.importguard, issue 24)."""
    encoding = text_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(guarded_lines(path, handle), delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                if any(cell.strip() for cell in cells):
                    yield line, cells
        except csv.Error as error:
            raise ImportFileError(path, f"not readable as CSV: {error}", line=reader.line_num) from error
        except ImportGuardError as error:
            raise ImportFileError(path, error.reason, line=error.line) from None


def xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Stream (row number, cells as text) from the first sheet of an .xlsx workbook, skipping empty rows."""
    from openpyxl import load_workbook  # only needed for the spreadsheet variant

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a damaged file
        raise ImportFileError(path, f"not readable as an .xlsx workbook: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if value is None else _cell_text(value) for value in values]
            try:
                check_cells(path, number, cells)  # NUL and other control characters (issue 24)
            except ImportGuardError as error:
                raise ImportFileError(path, error.reason, line=error.line) from None
            if any(cell.strip() for cell in cells):
                yield number, cells
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    # Excel stores codes like 0010 or dates like 20240331 as numbers; give them back as the text CMS wrote.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d")
    return str(value)


def release_label(path: Path) -> str | None:
    """'October 2025' from hcpcs_2025_oct_anweb.csv or HCPC2025_OCT_ANWEB.xlsx, 'Q1 2026' from ..._2026q1_...;
    None when the name carries no release."""
    name = path.name.lower()
    quarter = re.search(r"(20\d\d)[_\- ]?q([1-4])", name)
    if quarter:
        return f"Q{quarter.group(2)} {quarter.group(1)}"
    match = re.search(r"(20\d\d)[_\- ]?(" + "|".join(_MONTHS) + r")", name) or re.search(
        r"(" + "|".join(_MONTHS) + r")[a-z]*[_\- ]?(20\d\d)", name
    )
    if match is None:
        return None
    year, month = (match.group(1), match.group(2)) if match.group(1).isdigit() else (match.group(2), match.group(1))
    return f"{_MONTHS[month[:3]]} {year}"


def write_overlay(settings: Settings, filename: str, payload: dict[str, Any]) -> Path:
    """Write `payload` as JSON to data_dir/imports/`filename` atomically: a reader sees the old or the new file."""
    imports_dir = settings.resolved_data_dir / IMPORTS_DIRNAME
    imports_dir.mkdir(parents=True, exist_ok=True)
    target = imports_dir / filename
    payload = {**payload, "imported_at": datetime.now(UTC).isoformat(timespec="seconds")}
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{filename}.", suffix=".tmp", dir=imports_dir)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


class ShrinkingImportError(ImportFileError):
    """An import refused because it would shrink the loaded table by accident (issue 12 item 8): `--force` overrides.

    The wording matches the edits importers' refusal (assistant/edits), kept separate to avoid a cross-layer import.
    """


def release_order(label: str | None) -> tuple[int, int] | None:
    """(year, month) of a release label from `release_label` ("Q2 2026" -> (2026, 4), "October 2025" -> (2025, 10))."""
    if not label:
        return None
    quarter = re.fullmatch(r"Q([1-4]) (20\d\d)", label)
    if quarter:
        return int(quarter.group(2)), 3 * int(quarter.group(1)) - 2
    month = re.fullmatch(r"([A-Za-z]+) (20\d\d)", label)
    if month:
        names = [name.lower() for name in _MONTHS.values()]
        if month.group(1).lower() in names:
            return int(month.group(2)), names.index(month.group(1).lower()) + 1
    return None


def refuse_shrinking(
    settings: Settings, path: Path, filename: str, table: str, rows: int, release: str | None, *, force: bool,
    what: str = "rows",
) -> None:
    """Refuse (ShrinkingImportError) an import that has more than 5% fewer rows than the loaded overlay's `table`
    (assistant.importguard.MAX_ROW_DROP, issue 24), or an older release than the loaded one, unless `force`.
    Nothing is written when it refuses."""
    if force:
        return
    loaded_path = settings.resolved_data_dir / IMPORTS_DIRNAME / filename
    if not loaded_path.is_file():
        return
    try:
        loaded = json.loads(loaded_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # an unreadable overlay is replaced; the loader names it meanwhile
    loaded_rows = len(loaded.get(table) or {})
    if too_few_rows(rows, loaded_rows):
        where = f"the loaded table from {loaded.get('file', 'the last import')}"
        raise ShrinkingImportError(
            path, f"refused: {drop_text(rows, loaded_rows, what, where)}; a truncated file would silently replace it. "
            "If this is intended, import again with --force",
        )
    new_order, old_order = release_order(release), release_order(loaded.get("release"))
    if new_order and old_order and new_order < old_order:
        raise ShrinkingImportError(
            path, f"refused: the file is the {release} release, older than the loaded {loaded.get('release')} "
            f"release (from {loaded.get('file', 'the last import')}). If this is intended, import again with --force",
        )
