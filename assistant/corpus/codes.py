"""Recognise billing codes typed inside free text ("what is 96369", "CPT 96370?", "J1559", "K92.2")."""

from __future__ import annotations

import re

# CPT Category I: five digits. Category II/III: four digits + F/T. HCPCS Level II: a letter + four digits.
# ICD-10-CM: letter, digit, alphanumeric, optional dot and up to four more. Word boundaries keep "2.5" or
# "1000mcg" from matching.
_CPT_HCPCS = re.compile(r"(?<![\w.])(\d{5}|\d{4}[FTU]|[A-V]\d{4})(?![\w.])", re.IGNORECASE)
_ICD10 = re.compile(r"(?<![\w.])([A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?![\w.])", re.IGNORECASE)


def find_codes(text: str) -> list[str]:
    """Return the CPT/HCPCS codes in `text`, upper-cased, in order of appearance, without duplicates."""
    seen: dict[str, None] = {}
    for match in _CPT_HCPCS.finditer(text):
        seen.setdefault(match.group(1).upper(), None)
    return list(seen)


def find_icd10_codes(text: str) -> list[str]:
    """Return ICD-10-CM-shaped codes (e.g. K92.2) in `text`; only those with a dot, to avoid false hits."""
    return [m.group(1).upper() for m in _ICD10.finditer(text) if "." in m.group(1)]
