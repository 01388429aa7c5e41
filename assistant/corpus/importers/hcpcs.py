"""Import the CMS HCPCS Level II annual file (CSV or the .xlsx CMS ships) as an overlay of official descriptors.

HCPCS Level II text is public domain. The loader shows each long description as the code's official descriptor
and turns codes we do not bundle into records of their own (family "drugs" for J codes, else "hcpcs").
Terminated codes are kept in a table of their own (with their dates and the file's cross-reference fields) so a
look-up can say when a code ended and what replaces it; they are not search records. Modifiers (record types 7/8)
are kept as modifier records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.corpus.files import HCPCS_OVERLAY
from assistant.corpus.importers.common import (
    ImportFileError,
    RowCells,
    csv_rows,
    header_columns,
    refuse_shrinking,
    release_label,
    write_overlay,
    xlsx_rows,
)

if TYPE_CHECKING:
    from assistant.settings import Settings

_HCPCS_CODE = re.compile(r"[A-Z]\d{4}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
# Record identification codes of the ANWEB layout: 3/4 = procedure first/continuation line, 7/8 = modifier.
_PROCEDURE_RECIDS = {"3", "4"}
_MODIFIER_RECIDS = {"7", "8"}
_FIRST_SEQNUM = 10  # "0010"; continuation lines of a long description carry 0020, 0030 ...
_COLUMN_ALIASES = {
    "hcpc": ("hcpc", "hcpcs", "hcpcs_code", "code"),
    "seqnum": ("seqnum", "seq_num", "sequence_number"),
    "recid": ("recid", "rec_id", "record_id"),
    "long_description": ("long_description", "long_desc", "longdescription"),
    "short_description": ("short_description", "short_desc", "shortdescription"),
    "term_dt": ("term_dt", "termination_date", "term_date"),
    "act_eff_dt": ("act_eff_dt", "action_effective_date"),
    "add_dt": ("add_dt", "add_date", "code_added_date"),
    **{f"xref{n}": (f"xref{n}", f"xref_{n}", f"cross_reference_{n}") for n in range(1, 6)},
}
_REQUIRED = ("hcpc", "seqnum", "recid", "long_description", "short_description", "term_dt")


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return xlsx_rows(path)
    return csv_rows(path)


def _date(path: Path, line: int, text: str, column: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y%m%d", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ImportFileError(path, f"column {column}: {text!r} is not a date (expected YYYYMMDD)", line)


def import_hcpcs(path: Path, settings: Settings, today: date | None = None, *, force: bool = False) -> str:
    """Read the HCPCS Level II file at `path`, write the `hcpcs.json` overlay and return a one-line summary.

    Codes in force on `today` (default: the current date) go to `codes`; terminated ones to `terminated` with
    their term_dt, add_dt and cross-references; modifiers to `modifiers` (terminated ones to
    `terminated_modifiers`). Continuation lines of long descriptions are joined. Raises `ImportFileError` naming
    the file and line of the first bad row, and `ShrinkingImportError` for a file with under half the codes of the
    loaded overlay or an older release (unless `force`); the previous overlay then stays as it was.
    """
    path = Path(path)
    today = today or date.today()
    tables: dict[str, dict[str, dict[str, Any]]] = {
        "codes": {}, "terminated": {}, "modifiers": {}, "terminated_modifiers": {},
    }
    columns: dict[str, int] | None = None
    width = 0
    previous: tuple[str, str] | None = None  # (table, code) of the last first-line row, for continuations

    for line, cells in _rows(path):
        if columns is None:
            columns = header_columns(path, line, cells, _COLUMN_ALIASES, _REQUIRED, "the CMS HCPCS file")
            width = max(columns[name] for name in _REQUIRED) + 1
            continue
        if len(cells) < width:
            raise ImportFileError(path, f"the row has {len(cells)} columns, the header has at least {width}", line)
        cell = RowCells(cells, columns)
        code = cell("hcpc").upper()
        recid = cell("recid")
        seqnum_text = cell("seqnum")
        long_text = cell("long_description")
        if not code:
            raise ImportFileError(path, "the row has no code in column hcpc", line)
        if not seqnum_text.isdigit() or len(seqnum_text) > 4:  # "0010", "0020" ...: four digits (issue 24)
            raise ImportFileError(path, f"column seqnum: {seqnum_text[:20]!r} is not a number of 1-4 digits", line)
        is_modifier = recid in _MODIFIER_RECIDS or (not recid and len(code) == 2)
        if recid and recid not in _PROCEDURE_RECIDS | _MODIFIER_RECIDS:
            raise ImportFileError(path, f"column recid: unknown record type {recid!r} (expected 3, 4, 7 or 8)", line)
        shape = _MODIFIER if is_modifier else _HCPCS_CODE
        if not shape.fullmatch(code):
            kind = "modifier" if is_modifier else "HCPCS Level II code"
            raise ImportFileError(path, f"{code!r} is not a {kind}", line)

        if int(seqnum_text) > _FIRST_SEQNUM or recid in ("4", "8"):
            # A continuation line carries more of the long description of the code on the line before it.
            if previous is None or previous[1] != code:
                raise ImportFileError(path, f"continuation line for {code} without its first line before it", line)
            row = tables[previous[0]][code]
            if isinstance(row, dict):
                row["long_description"] = f"{row['long_description']} {long_text}".strip()
            else:
                tables[previous[0]][code] = f"{row} {long_text}".strip()
            continue

        if not long_text:
            raise ImportFileError(path, f"code {code} has no long description", line)
        term = _date(path, line, cell("term_dt"), "term_dt")
        added = _date(path, line, cell("add_dt"), "add_dt")
        ended = term is not None and term < today  # term_dt is the last day the code may be billed
        if is_modifier:
            table = "terminated_modifiers" if ended else "modifiers"
        else:
            table = "terminated" if ended else "codes"
        if code in tables[table]:
            raise ImportFileError(path, f"code {code} appears twice as a first line", line)
        previous = (table, code)
        if table == "modifiers":
            tables[table][code] = long_text  # type: ignore[assignment]  (the overlay's historical form: code -> text)
            continue
        xrefs = [cell(f"xref{n}").upper() for n in range(1, 6)]
        tables[table][code] = {
            "long_description": long_text,
            "short_description": cell("short_description"),
            "term_dt": term.isoformat() if term else None,
            "add_dt": added.isoformat() if added else None,
            "xref": [x for x in xrefs if x and x != code],
        }

    codes, terminated = tables["codes"], tables["terminated"]
    if columns is None or not (codes or terminated):
        raise ImportFileError(path, "no HCPCS codes found (is this the CMS HCPCS Level II file?)")

    release = release_label(path)
    refuse_shrinking(
        settings, path, HCPCS_OVERLAY, "codes", len(codes), release, force=force, what="codes in force",
    )
    source = f"CMS HCPCS Level II file {path.name}" + (f" ({release} release)" if release else "")
    write_overlay(
        settings, HCPCS_OVERLAY,
        {"kind": "hcpcs", "source": source, "file": path.name, "release": release, **tables,
         "terminated_skipped": len(terminated), "judged_on": today.isoformat()},
    )
    release_note = f"{release} release; " if release else ""
    modifiers = len(tables["modifiers"]) + len(tables["terminated_modifiers"])
    return (
        f"Imported {len(codes):,} HCPCS codes from {path.name} ({release_note}{len(terminated):,} terminated codes "
        f"kept for look-ups, {modifiers:,} modifiers stored as modifier records)"
    )
