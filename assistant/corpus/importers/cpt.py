"""Import a licensed CPT descriptor file (code and descriptor, tab- or comma-separated, header optional).

CPT descriptors are AMA copyright: the project never ships them. An organisation that holds a licence imports its
own file; the loader then shows that wording as the official descriptor next to our plain-language description.
The overlay stays in the data directory, outside the repository.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.corpus.files import CPT_OVERLAY
from assistant.corpus.importers.common import (
    ImportFileError,
    csv_rows,
    normalise_header,
    refuse_shrinking,
    release_label,
    text_encoding,
    write_overlay,
)
from assistant.corpus.loader import load_records

if TYPE_CHECKING:
    from assistant.settings import Settings

# Category I: five digits; Category II/III and PLA: four digits + F, T or U.
_CPT_CODE = re.compile(r"\d{5}|\d{4}[FTU]")
_CODE_HEADERS = ("code", "cpt", "cpt_code", "hcpcs", "hcpcs_code", "procedure_code")
_DESCRIPTOR_HEADERS = (
    "descriptor", "long_descriptor", "long_description", "description", "long_desc", "cpt_descriptor",
    "full_descriptor", "consumer_descriptor", "clinician_descriptor",
)


def _delimiter(path: Path) -> str:
    """Tab, comma or pipe, guessed from the first lines; a tab wins when the sniffer cannot decide."""
    with path.open(encoding=text_encoding(path), newline="") as handle:
        sample = handle.read(64 * 1024)
    if not sample.strip():
        raise ImportFileError(path, "the file is empty")
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t,|").delimiter
    except csv.Error:
        first_line = sample.splitlines()[0]
        return "\t" if "\t" in first_line else ("|" if "|" in first_line else ",")


def import_cpt(path: Path, settings: Settings, *, force: bool = False) -> str:
    """Read the licensed CPT file at `path`, write the `cpt.json` overlay and return a one-line summary.

    Each row is a code and its descriptor (extra columns are ignored; with a header row, the columns named like
    code/descriptor are used). Raises `ImportFileError` naming the file and line of a bad row.
    """
    path = Path(path)
    delimiter = _delimiter(path)
    code_column, descriptor_column = 0, 1
    descriptors: dict[str, str] = {}
    first = True
    for line, cells in csv_rows(path, delimiter=delimiter):
        if first:
            first = False
            if not _CPT_CODE.fullmatch(cells[0].strip().upper()):
                # A header row: find the code and descriptor columns by name, else keep the first two.
                names = [normalise_header(cell) for cell in cells]
                code_column = next((names.index(n) for n in _CODE_HEADERS if n in names), 0)
                descriptor_column = next((names.index(n) for n in _DESCRIPTOR_HEADERS if n in names), 1)
                if code_column == descriptor_column:
                    raise ImportFileError(path, "the header names the same column for code and descriptor", line)
                continue
        if len(cells) <= max(code_column, descriptor_column):
            raise ImportFileError(
                path, f"expected a code and a descriptor separated by {_delimiter_name(delimiter)}, "
                f"found {len(cells)} column(s)", line,
            )
        code = cells[code_column].strip().upper()
        descriptor = " ".join(cells[descriptor_column].split())
        if not _CPT_CODE.fullmatch(code):
            raise ImportFileError(path, f"{code!r} is not a CPT code (five digits, or four and F/T/U)", line)
        if not descriptor:
            raise ImportFileError(path, f"code {code} has an empty descriptor", line)
        if code in descriptors and descriptors[code] != descriptor:
            raise ImportFileError(path, f"code {code} appears twice with different descriptors", line)
        descriptors[code] = descriptor

    if not descriptors:
        raise ImportFileError(path, "no CPT codes found")
    release = release_label(path)  # "cpt_2026q1.txt": an older release than the loaded one is refused (issue 24)
    refuse_shrinking(settings, path, CPT_OVERLAY, "codes", len(descriptors), release, force=force, what="CPT codes")
    bundled = {record.code for record in load_records(Path(settings.corpus_dir))}
    described = sum(1 for code in descriptors if code in bundled)
    source = f"Licensed CPT file {path.name}"
    write_overlay(settings, CPT_OVERLAY, {"kind": "cpt", "source": source, "file": path.name, "release": release,
                                          "codes": descriptors})
    return (
        f"Imported {len(descriptors):,} CPT descriptor{'' if len(descriptors) == 1 else 's'} from {path.name} "
        f"({described:,} describe codes in the "
        f"bundled corpus and are shown as the official wording)"
    )


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "a tab", ",": "a comma", "|": "a pipe"}.get(delimiter, repr(delimiter))
