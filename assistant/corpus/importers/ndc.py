"""Import the CMS ASP NDC-HCPCS crosswalk: which HCPCS code each NDC is billed with, its drug (brand or generic)
name, labeler, package size and the billing units in one package.

`python -m assistant import ndc FILE` writes `data_dir/imports/ndc.json`. The loader adds each drug name to the
lay terms of its HCPCS record (so the drug dictionary and search know brand names), and the drug dictionary
answers NDC look-ups with the NDC billing quantity (`billunitspkg`: HCPCS billing units per package, as CMS
computes it in the crosswalk).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.corpus.codes import normalize_ndc
from assistant.corpus.importers.common import (
    ImportFileError,
    RowCells,
    csv_rows,
    header_columns,
    non_negative_number,
    refuse_shrinking,
    release_label,
    write_overlay,
)

if TYPE_CHECKING:
    from assistant.settings import Settings

NDC_OVERLAY = "ndc.json"
# Package sizes and billing units per package: the largest in the 2026 Q1 crosswalk is 50,000; past a billion is a
# damaged file (issue 24).
MAX_COUNT = 1e9
_HCPCS_CODE = re.compile(r"[A-Z]\d{4}")
_COLUMN_ALIASES = {
    "hcpcs_code": ("hcpcs_code", "hcpcs", "_2026_code", "code"),
    "ndc": ("ndc2", "ndc", "ndc_11", "ndc11", "ndc_code"),
    "drug_name": ("drug_name", "drugname", "drug"),
    "labeler": ("labeler_name", "labeler", "labelername"),
    "hcpcs_dosage": ("hcpcs_dosage", "hcpcs_code_dosage", "dosage"),
    "pkg_size": ("pkg_size", "package_size"),
    "pkg_qty": ("pkg_qty", "package_quantity"),
    "billunits": ("billunits", "bill_units", "billing_units"),
    "billunitspkg": ("billunitspkg", "bill_units_pkg", "billunits_pkg", "billing_units_per_package"),
    "short_description": ("short_description", "short_desc", "short_descriptor"),
}
_REQUIRED = ("hcpcs_code", "ndc", "drug_name", "billunitspkg")


def import_ndc(path: Path, settings: Settings, *, force: bool = False) -> str:
    """Read the NDC-HCPCS crosswalk CSV at `path`, write the `ndc.json` overlay and return a one-line summary.

    Raises `ImportFileError` naming the file and line of a bad row (no HCPCS code, an NDC that is not an NDC, a
    negative or non-numeric package count), and `ShrinkingImportError` for a file with under half the NDCs of the
    loaded overlay or an older quarter (unless `force`); the previous overlay then stays as it was.
    """
    path = Path(path)
    columns: dict[str, int] | None = None
    ndcs: dict[str, list[dict[str, Any]]] = {}
    other_ids: set[str] = set()
    for line, cells in csv_rows(path):
        if columns is None:
            columns = header_columns(path, line, cells, _COLUMN_ALIASES, _REQUIRED, "the CMS NDC-HCPCS crosswalk")
            continue
        if len(cells) <= max(columns.values()):
            raise ImportFileError(path, f"the row has {len(cells)} columns, the header has {max(columns.values()) + 1}",
                                  line)

        cell = RowCells(cells, columns)
        code = cell("hcpcs_code").upper()
        if not _HCPCS_CODE.fullmatch(code):
            raise ImportFileError(path, f"column hcpcs_code: {code!r} is not a HCPCS Level II code", line)
        ndc = normalize_ndc(cell("ndc"))
        if ndc is None and re.fullmatch(r"\d{10,14}", cell("ndc").replace("-", "")):
            # CMS lists a few products under another identifier (J7331 SynoJoynt: a 12-digit UPC-like number):
            # kept as typed, so a look-up of that number still answers; counted in the summary.
            ndc = cell("ndc")
            other_ids.add(ndc)
        if ndc is None:
            raise ImportFileError(path, f"column ndc2: {cell('ndc')!r} is not an NDC (5-4-2, 4-4-2, 5-3-2 or 11 "
                                  "digits)", line)
        name = " ".join(cell("drug_name").split())
        if not name:
            raise ImportFileError(path, f"NDC {ndc}: column drug_name is empty", line)
        per_package = non_negative_number(path, line, "billunitspkg", cell("billunitspkg"), limit=MAX_COUNT)
        rows = ndcs.setdefault(ndc, [])
        if any(row["hcpcs_code"] == code for row in rows):
            raise ImportFileError(path, f"NDC {ndc} is listed twice for {code}", line)
        # One NDC can map to several codes (darbepoetin: J0881 non-ESRD, J0882 ESRD): each is kept, the look-up
        # shows them all.
        rows.append({
            "hcpcs_code": code,
            "drug_name": name,
            "labeler": cell("labeler"),
            "hcpcs_dosage": cell("hcpcs_dosage"),
            "short_description": cell("short_description"),
            "pkg_size": non_negative_number(path, line, "pkg_size", cell("pkg_size"), limit=MAX_COUNT),
            "pkg_qty": non_negative_number(path, line, "pkg_qty", cell("pkg_qty"), limit=MAX_COUNT),
            "billunits": non_negative_number(path, line, "billunits", cell("billunits"), limit=MAX_COUNT),
            "billunitspkg": per_package,
        })
    if not ndcs:
        raise ImportFileError(path, "no NDC rows found (is this the CMS NDC-HCPCS crosswalk?)")
    release = release_label(path)
    refuse_shrinking(settings, path, NDC_OVERLAY, "ndcs", len(ndcs), release, force=force, what="NDCs")
    source = f"CMS ASP NDC-HCPCS crosswalk {path.name}"
    write_overlay(
        settings, NDC_OVERLAY,
        {"kind": "ndc", "source": source, "file": path.name, "release": release, "ndcs": ndcs},
    )
    codes = {row["hcpcs_code"] for rows in ndcs.values() for row in rows}
    names = {row["drug_name"].casefold() for rows in ndcs.values() for row in rows}
    note = f" ({release})" if release else ""
    return (
        f"Imported {len(ndcs):,} NDCs for {len(codes):,} HCPCS codes from {path.name}{note}, "
        f"with {len(names):,} drug names"
        + (f"; {len(other_ids)} product id(s) not in NDC form kept as typed" if other_ids else "")
    )
