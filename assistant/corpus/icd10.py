"""ICD-10-CM, the whole code set, offline: look-up verdicts and the notes that change how a code is coded.

Source: the `simple-icd-10-cm` package (MIT licence, pinned in pyproject.toml), which ships the CDC/NCHS
ICD-10-CM tabular list of the FY2026 April 1, 2026 update (`icd10c-tabular-April-1-2026.xml`) and its code list
(98,500 entries, 74,724 billable codes). ICD-10-CM itself is public domain (NCHS, a US Government work).

Loading the package parses the 9.7 MB XML (about 3.5 s and 120 MB here), so it is imported on the first diagnosis
question only (`code_set()`), never at start-up: units, look-up and edits answers do not pay for it.

A code is *billable* ("valid for HIPAA-covered transactions", ICD-10-CM Official Guidelines Section I.B.1 and the
tabular list's code list) when it has no children in the tabular list; a category or subcategory with children is
not, and one whose chapter requires a seventh character (Section I.A.5, I.B.1) is billable only with it, with the
placeholder X filling the empty positions (Section I.A.4).
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

RELEASE = "ICD-10-CM FY2026, April 1, 2026 update (CDC/NCHS tabular list, via simple-icd-10-cm 1.5.0)"
SOURCE = ("ICD-10-CM Tabular List of Diseases and Injuries, FY2026 April 1, 2026 update (CDC/NCHS); ICD-10-CM "
          "Official Guidelines for Coding and Reporting FY2026, Section I.A and I.B")
# How many billable children a not-billable code's answer names before saying how many more there are.
CHILDREN_SHOWN = 12

Status = Literal["billable", "not_billable", "invalid"]

# A diagnosis code as coders type it: a letter, two more characters, then an optional dot and up to four characters
# ("E11.9", "S72.001A", "T36.0X1A", "I10", "Z3A", "U07.1"), dot optional ("E119").
_SHAPE = re.compile(r"^[A-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")


@dataclass(frozen=True)
class DiagnosisNotes:
    """The tabular list's instructional notes that change how a code is coded (own and inherited)."""

    excludes1: tuple[str, ...] = ()
    excludes2: tuple[str, ...] = ()
    code_first: str = ""
    use_additional: str = ""
    code_also: str = ""
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiagnosisVerdict:
    """What an ICD-10-CM code typed by a coder is: billable, not billable (with what to add) or invalid."""

    code: str  # normalised, with the dot ("E11.9")
    status: Status
    description: str = ""
    level: str = ""  # "category", "subcategory", "code"
    parent: str = ""
    billable_children: tuple[tuple[str, str], ...] = ()  # (code, description), the first CHILDREN_SHOWN
    billable_count: int = 0  # how many billable codes lie under a not-billable code
    seventh_characters: tuple[tuple[str, str], ...] = ()  # when a seventh character is required
    notes: DiagnosisNotes = field(default_factory=DiagnosisNotes)
    nearest: str = ""  # for an invalid code: the nearest valid code above it ("E11.9" for "E11.99")


@dataclass(frozen=True)
class DiagnosisEntry:
    """A billable code and the words to search it by (description, includes and inclusion terms)."""

    code: str
    description: str
    terms: tuple[str, ...]


def normalize_icd10(text: str) -> str | None:
    """"e119", "E11.9", " e11.9 " -> "E11.9"; None when the shape cannot be an ICD-10-CM code."""
    raw = text.strip().upper()
    if not _SHAPE.match(raw):
        return None
    bare = raw.replace(".", "")
    return bare if len(bare) == 3 else f"{bare[:3]}.{bare[3:]}"


class Icd10CodeSet:
    """The loaded ICD-10-CM code set (wraps the `simple_icd_10_cm` module)."""

    release = RELEASE
    source = SOURCE

    def __init__(self, module: Any) -> None:
        self._cm = module

    def is_billable(self, code: str) -> bool:
        cm = self._cm
        return bool(cm.is_valid_item(code) and cm.is_category_or_subcategory(code) and cm.is_leaf(code))

    def description(self, code: str) -> str:
        return str(self._cm.get_description(code)) if self._cm.is_valid_item(code) else ""

    def _notes(self, code: str) -> DiagnosisNotes:
        cm = self._cm
        excludes1: list[str] = []
        excludes2: list[str] = []
        includes: list[str] = list(cm.get_includes(code))
        # Excludes notes apply to every code under the category or subcategory that carries them (Section I.A.12).
        for node in [code, *(a for a in cm.get_ancestors(code) if cm.is_category_or_subcategory(a))]:
            excludes1.extend(f"{text} [{node}]" for text in cm.get_excludes1(node))
            excludes2.extend(f"{text} [{node}]" for text in cm.get_excludes2(node))
        return DiagnosisNotes(
            excludes1=tuple(excludes1),
            excludes2=tuple(excludes2),
            code_first=str(cm.get_code_first(code, search_in_ancestors=True) or ""),
            use_additional=str(cm.get_use_additional_code(code, search_in_ancestors=True) or ""),
            code_also=str(cm.get_code_also(code, search_in_ancestors=True) or ""),
            includes=tuple(includes),
        )

    def _billable_under(self, code: str) -> list[str]:
        return [c for c in self._cm.get_descendants(code) if self._cm.is_leaf(c)]

    def lookup(self, typed: str) -> DiagnosisVerdict:
        """The verdict for a typed code (any case, dot optional)."""
        cm = self._cm
        code = normalize_icd10(typed)
        if code is None:
            return DiagnosisVerdict(code=typed.strip().upper(), status="invalid")
        # "B20" names both a block and its one category: a code is valid when it is a category or subcategory.
        if not cm.is_valid_item(code) or not cm.is_category_or_subcategory(code):
            return DiagnosisVerdict(code=code, status="invalid", nearest=self._nearest(code))
        level = "category" if cm.is_category(code) else "subcategory"
        parent = str(cm.get_parent(code) or "")
        notes = self._notes(code)
        description = str(cm.get_description(code))
        if cm.is_leaf(code):
            return DiagnosisVerdict(code=code, status="billable", description=description, level="code",
                                    parent=parent, notes=notes)
        billable = self._billable_under(code)
        seventh = cm.get_seven_chr_def(code, search_in_ancestors=True)
        return DiagnosisVerdict(
            code=code,
            status="not_billable",
            description=description,
            level=level,
            parent=parent,
            billable_children=tuple((c, str(cm.get_description(c))) for c in billable[:CHILDREN_SHOWN]),
            billable_count=len(billable),
            seventh_characters=tuple(sorted(seventh.items())),
            notes=notes,
        )

    def _nearest(self, code: str) -> str:
        """The longest valid code that `code` starts with ("E11.9" for "E11.99"), or ""."""
        bare = code.replace(".", "")
        for end in range(len(bare) - 1, 2, -1):
            candidate = f"{bare[:3]}.{bare[3:end]}" if end > 3 else bare[:3]
            if self._cm.is_valid_item(candidate):
                return candidate
        return bare[:3] if self._cm.is_valid_item(bare[:3]) else ""

    def billable_entries(self) -> Iterator[DiagnosisEntry]:
        """Every billable code with its description and the includes / inclusion terms of it and its parent
        (the tabular list writes the lay terms "high blood pressure" under I10, "pneumonia NOS" under J18.9)."""
        cm = self._cm
        for code in cm.get_all_codes():
            if not cm.is_category_or_subcategory(code) or not cm.is_leaf(code):
                continue
            terms = [*cm.get_inclusion_term(code), *cm.get_includes(code)]
            yield DiagnosisEntry(code=code, description=str(cm.get_description(code)), terms=tuple(terms))


_LOCK = threading.Lock()
_CODE_SET: Icd10CodeSet | None = None


def code_set() -> Icd10CodeSet:
    """The ICD-10-CM code set, loaded once on first use (thread-safe)."""
    global _CODE_SET
    if _CODE_SET is None:
        with _LOCK:
            if _CODE_SET is None:
                # The package reads its data with importlib.resources' legacy calls (DeprecationWarning on 3.11+):
                # not ours to fix, and not worth a warning in every answer's log.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    import simple_icd_10_cm  # noqa: PLC0415 (3.5 s of XML parsing: only when a diagnosis is asked)

                _CODE_SET = Icd10CodeSet(simple_icd_10_cm)
    return _CODE_SET
