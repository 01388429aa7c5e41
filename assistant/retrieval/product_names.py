"""Drug product names from the imported CMS ASP NDC-HCPCS crosswalk, as lexical names of their HCPCS codes
(issue 22: "firmagon 240 mg" found the administration code 96402, whose bundled lay terms list Firmagon, and never
J9155, the degarelix code the crosswalk bills Firmagon under).

The crosswalk (`drug_name` column, one row per NDC) names each package's product, brand or generic, beside the
HCPCS code it is billed with (CMS, "ASP NDC-HCPCS Crosswalk", quarterly). Each distinct name, and the form coders
type ("Kenalog-40" -> "kenalog", `corpus.drugs.brand_aliases`), becomes a lay term of that code on the lexical side
only (BM25 and whole-name matching), like `coder_names.py`; the corpus and the embedded text are unchanged. A name
already among the record's lay terms is not added twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from assistant.corpus.drugs import brand_aliases
from assistant.corpus.records import CodeRecord


class _Package(Protocol):
    hcpcs_code: str
    drug_name: str


class _CorpusWithNdcs(Protocol):
    ndcs: Mapping[str, list[_Package]]

    def get(self, code: str) -> CodeRecord | None: ...


def crosswalk_names(corpus: _CorpusWithNdcs | Iterable[CodeRecord]) -> dict[str, tuple[str, ...]]:
    """HCPCS code -> the crosswalk product names (and their typed forms) its record does not already carry."""
    ndcs: Mapping[str, list[_Package]] = getattr(corpus, "ndcs", None) or {}
    names: dict[str, dict[str, None]] = {}
    for packages in ndcs.values():
        for package in packages:
            if package.drug_name.strip():
                bucket = names.setdefault(package.hcpcs_code.upper(), {})
                for alias in brand_aliases(package.drug_name):
                    bucket[alias] = None
    get = getattr(corpus, "get", None)
    extra: dict[str, tuple[str, ...]] = {}
    for code, aliases in names.items():
        record = get(code) if get is not None else None
        known = {term.casefold() for term in record.lay_terms} if record is not None else set()
        kept = tuple(alias for alias in aliases if alias not in known)
        if kept:
            extra[code] = kept
    return extra


class _Dictionary(Protocol):
    names: Mapping[str, list[CodeRecord]]
    sources: Mapping[str, str]


def brand_table_names(corpus: object) -> dict[str, tuple[str, ...]]:
    """HCPCS code -> the sourced brand names and abbreviations (`corpus.drug_names.DRUG_NAMES`) the drug dictionary
    gives it, that its record does not already carry: the reader's closed vocabulary is the search's too (issue 21,
    one vocabulary), so "narcan" finds the naloxone code the reader counts it as."""
    drugs: _Dictionary | None = getattr(corpus, "drugs", None)
    if drugs is None:
        return {}
    extra: dict[str, dict[str, None]] = {}
    for name in drugs.sources:
        for record in drugs.names.get(name, ()):
            if name not in {term.casefold() for term in record.lay_terms}:
                extra.setdefault(record.code, {})[name] = None
    return {code: tuple(names) for code, names in extra.items()}


def lexical_names(corpus: _CorpusWithNdcs | Iterable[CodeRecord]) -> dict[str, tuple[str, ...]]:
    """Every lexical-only name of each code: the crosswalk's product names, then the brand table's."""
    merged = dict(crosswalk_names(corpus))
    for code, names in brand_table_names(corpus).items():
        merged[code] = tuple(dict.fromkeys((*merged.get(code, ()), *names)))
    return merged

