"""Merge the importer overlays (data_dir/imports/*.json) into the bundled records (issue 12).

HCPCS and CPT overlays set `official_descriptor`/`official_source` (our description is kept); HCPCS codes and
modifiers we do not bundle become records of their own; the ASP overlay sets drug billing units; drug names (the
crosswalk's brand and generic names, generic names in HCPCS descriptors) become lay terms; terminated HCPCS codes
and the crosswalk NDCs are read for look-ups (never search records).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.corpus.drugs import NdcInfo, brand_aliases, generic_names
from assistant.corpus.files import (
    ASP_OVERLAY,
    CPT_OVERLAY,
    HCPCS_OVERLAY,
    NDC_OVERLAY,
    CorpusError,
    display_path,
    read_overlay,
    read_overlay_json,
)
from assistant.corpus.importers.asp import parse_dosage
from assistant.corpus.records import BillingUnit, CodeRecord
from assistant.corpus.replacements import replacement_for


def _hcpcs_family(code: str) -> str:
    return "drugs" if code.startswith("J") else "hcpcs"


def _iso_date(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _hcpcs_record(code: str, row: dict[str, Any], source: str) -> CodeRecord:
    """A record from a HCPCS overlay row (public-domain CMS text as title and description).

    Built without re-validation (`model_construct`): the importer validated every row (code shape, non-empty
    description), and validating 7,000 records again would cost about a third of a second at every start.
    """
    long_text = str(row["long_description"])
    if not _HCPCS_CODE.fullmatch(code) or not long_text.strip():
        raise CorpusError(HCPCS_OVERLAY, f"code {code!r} or its description is not valid; re-run the import")
    description = long_text if len(long_text) >= 20 else f"{long_text} (HCPCS Level II code {code})."
    title = str(row.get("short_description") or long_text)[:120]
    return CodeRecord.model_construct(
        code=code, system="HCPCS", family=_hcpcs_family(code), title=title if len(title) >= 3 else code,
        description=description, lay_terms=[], add_on_to=[], billing_unit=None, time_rule=None, sources=[source],
        official_descriptor=long_text, official_source=source, terminated_on=None,
        added_on=_iso_date(row.get("add_dt")),
        replaced_by=[x for x in row.get("xref") or [] if _HCPCS_OR_CPT.fullmatch(str(x))],
    )


_HCPCS_CODE = re.compile(r"[A-Z]\d{4}")


_HCPCS_OR_CPT = re.compile(r"[A-Z]\d{4}|\d{5}|\d{4}[FTU]")


def _modifier_record(code: str, text: str, source: str) -> CodeRecord:
    description = text if len(text) >= 20 else f"HCPCS Level II modifier {code}: {text}."
    title = f"Modifier {code}: {text}"[:120]
    return CodeRecord(
        code=code, system="MODIFIER", family="modifiers", title=title, description=description,
        lay_terms=[f"modifier {code.lower()}", f"{code.lower()} modifier"], sources=[source],
        official_descriptor=text, official_source=source,
    )


@lru_cache(maxsize=4096)
def _aliases(name: str) -> tuple[str, ...]:

    return tuple(brand_aliases(name))


# The amount at the end of a drug descriptor: "Injection, adalimumab, 1 mg", "..., per 10 units", "up to 250 mg".
_DESCRIPTOR_UNIT = re.compile(
    r"(?:,|\bper)\s*(?:per\s+)?((?:up\s+to\s+)?\d[\d,]*(?:\.\d+)?\s*(?:mg|mcg|gm?|units?|ml|cc|i\.?u\.?))\.?\s*$",
    re.IGNORECASE,
)


def _units_from_descriptors(merged: dict[str, CodeRecord], source: str) -> None:
    """Drug codes the ASP file gives no billing unit get the amount their CMS descriptor names (the ASP file's
    `hcpcs_code_dosage` is that same amount for the codes it lists: J1050 "1 mg", J0139 "1 mg"). Units are the
    dose over it, rounded up (100-04 Ch 17 s10). A descriptor with no single amount at its end gets none."""

    note = f"{source}: the billing unit is the amount in the descriptor (no ASP quantity for this code)"
    for code, record in list(merged.items()):
        if record.system != "HCPCS" or record.billing_unit is not None or not record.official_descriptor:
            continue
        if record.family != "drugs" and not code.startswith("Q"):
            continue
        match = _DESCRIPTOR_UNIT.search(record.official_descriptor)
        if match is None:
            continue
        quantity, unit = parse_dosage(re.sub(r"i\.?u\.?$", "IU", match.group(1), flags=re.IGNORECASE))
        if quantity is None or quantity <= 0:
            continue
        update: dict[str, Any] = {"billing_unit": BillingUnit(quantity=quantity, unit=unit),
                                  "sources": [*record.sources, note]}
        if record.time_rule is None:
            update["time_rule"] = "drug_units"
        merged[code] = record.model_copy(update=update)


def _with_terms(record: CodeRecord, terms: list[str]) -> CodeRecord:
    known = {term.casefold() for term in record.lay_terms}
    new = [term for term in terms if term.casefold() not in known and not known.add(term.casefold())]  # type: ignore[func-returns-value]
    return record.model_copy(update={"lay_terms": [*record.lay_terms, *new]}) if new else record


def merge_overlays(records: list[CodeRecord], imports_dir: Path) -> list[CodeRecord]:
    """Apply the importer overlays in `imports_dir` to `records` and return the merged list.

    HCPCS and CPT overlays set `official_descriptor`/`official_source` (our description is kept); HCPCS codes we
    do not bundle become records of their own, and so do the HCPCS modifiers (system MODIFIER); the ASP overlay
    sets the billing unit of drug codes; drug names (the crosswalk's brand and generic names, the generic names in
    HCPCS descriptors) become lay terms of their drug codes, except a name our bundled corpus already gives to
    another code (the curated mapping wins: "ondansetron" stays J2405, not the oral Q0162).
    """

    merged: dict[str, CodeRecord] = {record.code: record for record in records}
    curated: dict[str, set[str]] = {}
    for record in records:
        for term in record.lay_terms:
            curated.setdefault(term.casefold(), set()).add(record.code)
    hcpcs = read_overlay(imports_dir / HCPCS_OVERLAY)
    if hcpcs is not None:
        source = str(hcpcs.get("source", "CMS HCPCS Level II file"))
        for code, row in hcpcs["codes"].items():
            existing = merged.get(code)
            if existing is not None:
                update: dict[str, Any] = {"official_descriptor": str(row["long_description"]),
                                          "official_source": source}
                if existing.added_on is None and _iso_date(row.get("add_dt")):
                    update["added_on"] = _iso_date(row.get("add_dt"))
                merged[code] = existing.model_copy(update=update)
                continue
            merged[code] = _hcpcs_record(code, row, source)
        for code, text in (hcpcs.get("modifiers") or {}).items():
            text = str(text.get("long_description") if isinstance(text, dict) else text)
            existing = merged.get(code)
            if existing is not None:
                merged[code] = existing.model_copy(update={"official_descriptor": text, "official_source": source})
            else:
                merged[code] = _modifier_record(code, text, source)
    cpt = read_overlay(imports_dir / CPT_OVERLAY)
    if cpt is not None:
        source = str(cpt.get("source", "licensed CPT file"))
        for code, descriptor in cpt["codes"].items():
            existing = merged.get(code)
            if existing is not None:  # a licensed file only adds wording to codes we describe
                merged[code] = existing.model_copy(update={"official_descriptor": str(descriptor),
                                                           "official_source": source})
    asp = read_overlay(imports_dir / ASP_OVERLAY)
    if asp is not None:
        source = str(asp.get("source", "CMS ASP payment-limit file"))
        for code, row in asp["codes"].items():
            existing = merged.get(code)
            if existing is None or row.get("quantity") is None:  # "PER VIAL"-style dosages carry no quantity
                continue
            unit = BillingUnit(quantity=row["quantity"], unit=row["unit"])
            update = {"billing_unit": unit}
            if existing.time_rule is None and existing.family == "drugs":
                update["time_rule"] = "drug_units"
            if source not in existing.sources:
                update["sources"] = [*existing.sources, source]
            merged[code] = existing.model_copy(update=update)
    if hcpcs is not None:
        _units_from_descriptors(merged, str(hcpcs.get("source", "CMS HCPCS Level II file")))

    def allowed(term: str, code: str) -> bool:
        owners = curated.get(term.casefold())
        # A brand the crosswalk itself maps to several codes keeps them all (rules.md "One brand, several codes":
        # Lupron Depot is J1950 and J9217; strength, route and indication decide, else ask): the curated mapping
        # never hides a code CMS gives the same product name. A generic name (one a descriptor carries) keeps
        # the curated code ("triamcinolone acetonide" stays J3301).
        key = term.casefold()
        return (owners is None or code in owners
                or (len(crosswalk_codes.get(key, ())) > 1 and key not in descriptor_names))

    names: dict[str, list[str]] = {}
    descriptor_names: set[str] = set()
    ndc = _overlay_table(imports_dir / NDC_OVERLAY, "ndcs")
    ndc_rows = [row for rows in ndc["ndcs"].values() for row in rows] if ndc is not None else []
    # The crosswalk's labelers ("Hikma Pharmaceuticals USA Inc.") are makers, never drug names.
    makers = {str(row.get("labeler") or "").split(" ")[0].casefold() for row in ndc_rows} - {""}
    for code, record in merged.items():
        if record.system == "HCPCS" and record.official_descriptor and (
            record.billing_unit is not None or record.family == "drugs"
        ):
            generics = generic_names(record.official_descriptor, makers)
            names.setdefault(code, []).extend(generics)
            descriptor_names.update(name.casefold() for name in generics)
    crosswalk_codes: dict[str, set[str]] = {}
    for row in ndc_rows:
        aliases = _aliases(str(row["drug_name"]))
        names.setdefault(str(row["hcpcs_code"]), []).extend(aliases)
        for alias in aliases:
            crosswalk_codes.setdefault(alias.casefold(), set()).add(str(row["hcpcs_code"]))
    for code, terms in names.items():
        record = merged.get(code)
        if record is not None:
            merged[code] = _with_terms(record, [term for term in terms if allowed(term, code)])
    return list(merged.values())


def _overlay_table(path: Path, table: str) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data = read_overlay_json(path)
    if not isinstance(data, dict) or not isinstance(data.get(table), dict):
        raise CorpusError(display_path(path), f"imported overlay has no '{table}' table; re-run the import")
    return data


class RetiredCodes(Mapping[str, CodeRecord]):
    """Terminated codes of the HCPCS overlay by code, each record built on first use (look-ups need one or two,
    building all 1,200 at start-up would cost a quarter of a second)."""

    def __init__(self, rows: dict[str, tuple[str, dict[str, Any]]], source: str) -> None:
        self._rows = rows  # code -> ("code" | "modifier", overlay row)
        self._source = source
        self._built: dict[str, CodeRecord] = {}

    def __getitem__(self, code: str) -> CodeRecord:
        if code not in self._built:
            kind, row = self._rows[code]
            self._built[code] = _retired_record(code, kind, row, self._source)
        return self._built[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _retired_record(code: str, kind: str, row: dict[str, Any], source: str) -> CodeRecord:

    ended = _iso_date(row.get("term_dt"))
    if kind == "modifier":
        return _modifier_record(code, str(row["long_description"]), source).model_copy(update={"terminated_on": ended})
    record = _hcpcs_record(code, row, source)
    replacement = replacement_for(code)
    update: dict[str, Any] = {"terminated_on": ended}
    if not record.replaced_by and replacement is not None:
        update["replaced_by"] = list(replacement.new)
        update["sources"] = [*record.sources, replacement.source]
    return record.model_copy(update=update)


def read_retired(imports_dir: Path, records: list[CodeRecord]) -> Mapping[str, CodeRecord]:
    """Terminated HCPCS codes and modifiers of the HCPCS overlay that are not records, with their replacement (the
    file's cross-reference, else the sourced table in replacements.py); built lazily."""
    hcpcs = read_overlay(imports_dir / HCPCS_OVERLAY)
    if hcpcs is None:
        return {}
    known = {record.code for record in records}
    rows: dict[str, tuple[str, dict[str, Any]]] = {}
    for kind, table in (("code", "terminated"), ("modifier", "terminated_modifiers")):
        for code, row in (hcpcs.get(table) or {}).items():
            if code not in known and code not in rows:
                rows[code] = (kind, row)
    return RetiredCodes(rows, str(hcpcs.get("source", "CMS HCPCS Level II file")))


class NdcTable(Mapping[str, "list[NdcInfo]"]):
    """The crosswalk rows by 11-digit NDC, each NDC's `NdcInfo`s built on first use."""

    def __init__(self, rows: dict[str, list[dict[str, Any]]], source: str) -> None:
        self._rows = rows
        self._source = source
        self._built: dict[str, list[NdcInfo]] = {}

    def __getitem__(self, ndc: str) -> list[NdcInfo]:
        if ndc not in self._built:

            self._built[ndc] = [
                NdcInfo(
                    ndc=ndc, hcpcs_code=str(row["hcpcs_code"]), drug_name=str(row["drug_name"]),
                    labeler=str(row.get("labeler") or ""), hcpcs_dosage=str(row.get("hcpcs_dosage") or ""),
                    package_size=row.get("pkg_size"), package_quantity=row.get("pkg_qty"),
                    bill_units=row.get("billunits"), bill_units_per_package=row.get("billunitspkg"),
                    source=self._source,
                )
                for row in self._rows[ndc]
            ]
        return self._built[ndc]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def read_ndcs(imports_dir: Path) -> Mapping[str, list[NdcInfo]]:
    """The crosswalk rows of the NDC overlay by 11-digit NDC (empty when not imported), built lazily."""
    data = _overlay_table(imports_dir / NDC_OVERLAY, "ndcs")
    if data is None:
        return {}
    return NdcTable(data["ndcs"], str(data.get("source", "CMS ASP NDC-HCPCS crosswalk")))


def with_replacements(records: list[CodeRecord]) -> list[CodeRecord]:
    """Bundled terminated records without a replacement get the one of the sourced table (J1040 -> J1010)."""

    result = []
    for record in records:
        replacement = replacement_for(record.code) if record.terminated_on and not record.replaced_by else None
        if replacement is not None:
            record = record.model_copy(update={"replaced_by": list(replacement.new)})
        result.append(record)
    return result
