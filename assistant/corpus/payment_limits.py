"""Medicare Part B drug payment limits from the imported CMS ASP file (the `asp.json` overlay), by quarter.

The ASP importer keeps each code's `payment_limit` (dollars per HCPCS billing unit) beside its dosage; this reads
it back for "Medicare payment limit for J9271 this quarter". The quarter is the file's release (its name).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.loader import ASP_OVERLAY, IMPORTS_DIRNAME


@dataclass(frozen=True, slots=True)
class PaymentLimit:
    """A drug code's payment limit per billing unit in one quarter's ASP file."""

    code: str
    amount: float
    dosage: str
    release: str | None
    file: str


def payment_limit(data_dir: Path, code: str) -> PaymentLimit | None:
    """The payment limit of `code` in the imported ASP file, or None (not imported, not listed, or imported by a
    version that did not keep limits: import the file again)."""
    path = Path(data_dir) / IMPORTS_DIRNAME / ASP_OVERLAY
    if not path.is_file():
        return None
    overlay = json.loads(path.read_text())
    row = (overlay.get("codes") or {}).get(code.strip().upper())
    if not row or row.get("payment_limit") is None:
        return None
    return PaymentLimit(code.strip().upper(), float(row["payment_limit"]), str(row.get("dosage", "")),
                        overlay.get("release"), str(overlay.get("file", "")))
