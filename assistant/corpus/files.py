"""Where the corpus files live and how an unusable one is reported: the overlay file names the importers write,
`CorpusError`, and the overlay readers.

A leaf of the corpus package (records, YAML loading, the overlay merge and the importers all import it, it imports
none of them), so the loader, the overlays and the importers share these names without importing each other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

IMPORTS_DIRNAME = "imports"
HCPCS_OVERLAY = "hcpcs.json"
ASP_OVERLAY = "asp.json"
CPT_OVERLAY = "cpt.json"
NDC_OVERLAY = "ndc.json"


class CorpusError(ValueError):
    """A corpus file or record that cannot be used; the message names file, line, record and field."""

    def __init__(
        self, file: Path | str, message: str, *, line: int | None = None, record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = str(file)
        self.line = line
        self.record = record
        self.field = field
        parts = [self.file]
        if line is not None:
            parts.append(f"line {line}")
        if record is not None:
            parts.append(f"record {record}")
        where = ", ".join(parts)
        what = f"field '{field}': {message}" if field else message
        super().__init__(f"{where}: {what}")


def display_path(path: Path) -> str:
    """The file as people know it: relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# Parsed overlays of the load in progress, by path and version: load_corpus reads each file once (the HCPCS overlay
# is several MB), then clears this with `forget_overlays()`.
_OVERLAY_CACHE: dict[Path, tuple[tuple[int, int], Any]] = {}


def read_overlay_json(path: Path) -> Any:
    """The parsed JSON of an overlay file (cached while a load is in progress); CorpusError when unreadable."""
    try:
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        cached = _OVERLAY_CACHE.get(path)
        if cached is not None and cached[0] == version:
            return cached[1]
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        problem = f"imported overlay cannot be read ({error}); re-run the import"
        raise CorpusError(display_path(path), problem) from error
    _OVERLAY_CACHE[path] = (version, data)
    return data


def read_overlay(path: Path) -> dict[str, Any] | None:
    """An overlay with its 'codes' table, or None when the file is not there; CorpusError when it is unusable."""
    if not path.is_file():
        return None
    data = read_overlay_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
        raise CorpusError(display_path(path), "imported overlay has no 'codes' table; re-run the import")
    return data


def forget_overlays() -> None:
    """Drop the parsed overlays of the load that just ended."""
    _OVERLAY_CACHE.clear()
