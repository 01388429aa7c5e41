"""Import the CMS ASP payment-limit file: the billing unit of each drug code ("100 MG" for J1559).

The loader sets `billing_unit` of drug records from this overlay; units = dose / billing unit, rounded up
(cms.gov RAC topic 0074; Medicare Claims Processing Manual Ch 17 section 10).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.corpus.files import ASP_OVERLAY
from assistant.corpus.importers.common import (
    ImportFileError,
    csv_rows,
    non_negative_number,
    normalise_header,
    refuse_shrinking,
    release_label,
    write_overlay,
)

if TYPE_CHECKING:
    from assistant.settings import Settings

# The largest billing unit in the 2026 Q1 file is 600,000 units (J2540); past a billion is a damaged file (issue 24).
MAX_DOSAGE = 1e9
_HCPCS_CODE = re.compile(r"[A-Z0-9]\d{3}[A-Z0-9]")
# "100 MG", "0.1 ML", "100,000 UNITS", "up to 5 MG", "1 million PFU": a number, then the unit.
_DOSAGE = re.compile(r"^(?:up\s+to\s+)?(\d[\d,]*(?:\.\d+)?|\.\d+)\s*(\S.*)$", re.IGNORECASE)
# "PER VIAL", "per dose": one of whatever follows "per".
_PER = re.compile(r"^per\s+(\S.*)$", re.IGNORECASE)
# Spellings in the CMS file -> the unit words the corpus and the units engine use. 1 cc is exactly 1 mL.
_UNIT_WORDS = {
    "mg": "mg", "mcg": "mcg", "ml": "mL", "cc": "mL", "gm": "g", "g": "g", "iu": "IU", "unit": "units",
    "units": "units", "meq": "mEq", "ea": "each", "each": "each", "usp unit": "USP units", "usp units": "USP units",
}


def parse_dosage(text: str) -> tuple[float | None, str]:
    """Split a CMS dosage such as "100 MG" into (100.0, "mg"); "PER VIAL" -> (1.0, "vial").

    Units are normalised ("MG" -> "mg", "CC" -> "mL", "UNITS" -> "units"); a unit we do not recognise is kept
    as CMS wrote it ("10 MG/3MG" -> (10.0, "MG/3MG")). Text without a quantity (e.g. "Less than or equal to 7
    days of therapy") gives (None, text): the overlay keeps the wording but sets no billing unit.
    """
    cleaned = " ".join(text.replace("\xa0", " ").split())
    match = _DOSAGE.match(cleaned)
    if match:
        quantity = float(match.group(1).replace(",", ""))
        unit = match.group(2).strip()
        return quantity, _UNIT_WORDS.get(unit.lower(), unit)
    per = _PER.match(cleaned)
    if per:
        unit = per.group(1).strip()
        return 1.0, _UNIT_WORDS.get(unit.lower(), unit.lower())
    return None, cleaned


def import_asp(path: Path, settings: Settings, *, force: bool = False) -> str:
    """Read the ASP payment-limit CSV at `path`, write the `asp.json` overlay and return a one-line summary.

    Raises `ImportFileError` naming the file and line of a bad row (missing or malformed code, empty dosage,
    a code listed twice), and `ShrinkingImportError` for a file with under half the codes of the loaded overlay or
    an older quarter (unless `force`); the previous overlay then stays as it was.
    """
    path = Path(path)
    codes: dict[str, dict[str, Any]] = {}
    columns: dict[str, int] | None = None
    without_quantity = 0
    for line, cells in csv_rows(path):
        if columns is None:
            names = [normalise_header(cell) for cell in cells]
            if "hcpcs_code" not in names or "hcpcs_code_dosage" not in names:
                raise ImportFileError(
                    path, "this does not look like the CMS ASP payment-limit file: the header needs "
                    "hcpcs_code and hcpcs_code_dosage", line,
                )
            columns = {name: index for index, name in enumerate(names)}
            continue
        if len(cells) < len(columns):
            raise ImportFileError(path, f"the row has {len(cells)} columns, the header has {len(columns)}", line)
        code = cells[columns["hcpcs_code"]].strip().upper()
        dosage = cells[columns["hcpcs_code_dosage"]].strip()
        if not _HCPCS_CODE.fullmatch(code):
            raise ImportFileError(path, f"column hcpcs_code: {code!r} is not a HCPCS code", line)
        if not dosage:
            raise ImportFileError(path, f"code {code}: column hcpcs_code_dosage is empty", line)
        if code in codes:
            raise ImportFileError(path, f"code {code} is listed twice", line)
        quantity, unit = parse_dosage(dosage)
        if quantity is not None and not 0 < quantity <= MAX_DOSAGE:
            raise ImportFileError(
                path, f"code {code}: dosage {dosage[:40]!r} is not a positive amount up to {MAX_DOSAGE:,.0f}", line
            )
        if quantity is None:
            without_quantity += 1
        short = cells[columns["short_description"]].strip() if "short_description" in columns else ""
        codes[code] = {"dosage": dosage, "quantity": quantity, "unit": unit, "short_description": short}
        if "payment_limit" in columns:  # dollars per billing unit (issue 19: "payment limit for J9271")
            codes[code]["payment_limit"] = non_negative_number(
                path, line, "payment_limit", cells[columns["payment_limit"]], what="an amount in dollars",
                blanks=("", "N/A", "NA"))

    if not codes:
        raise ImportFileError(path, "no drug codes found (is this the CMS ASP payment-limit file?)")
    release = release_label(path)
    refuse_shrinking(settings, path, ASP_OVERLAY, "codes", len(codes), release, force=force, what="drug codes")
    source = f"CMS ASP payment-limit file {path.name}"
    write_overlay(
        settings, ASP_OVERLAY, {"kind": "asp", "source": source, "file": path.name, "release": release, "codes": codes}
    )
    note = f" ({release})" if release else ""
    return (
        f"Imported billing units of {len(codes):,} drug codes from {path.name}{note}; "
        f"{without_quantity:,} have a dosage without a quantity and keep no billing unit"
    )
