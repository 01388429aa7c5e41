"""Recognise billing codes typed inside free text ("what is 96369", "CPT 96370?", "J1559", "99214-25", NDCs).

One module for every code shape (issue 12 item 1; the reader's tokenizer calls `find_code_spans`):
- CPT Category I: five digits; Category II/III and PLA: four digits + F / T / U;
- HCPCS Level II: a letter + four digits;
- modifiers: two characters, found only in a modifier context ("modifier 59", "mod 25", "59 modifier",
  "99214-25", "J9271-JZ") or, for the HCPCS Level II modifiers that are not English words (JW, JZ, XU ...), alone;
- NDCs: 10-digit labeler-product-package forms 5-4-1, 4-4-2 and 5-3-2 with hyphens, and the 11-digit 5-4-2 form
  billed on claims (CMS converts every NDC to 5-4-2 with a leading zero in the short segment: see the 837P
  LIN03 rule in the NDC billing guidance, e.g. Palmetto GBA "NDC billing" 2024). An NDC is never read as a CPT
  code or a clock time: its span is taken first and the code shapes inside it are dropped.
Word boundaries keep "2.5" or "1000mcg" from matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

CodeKind = Literal["cpt", "category_ii", "category_iii", "pla", "hcpcs", "modifier", "ndc"]

# CPT Category I: five digits. Category II/III/PLA: four digits + F/T/U. HCPCS Level II: a letter + four digits.
# "96372x6" still finds 96372 (a times sign glued to the code); any other letter or digit after it does not.
_CPT_HCPCS = re.compile(r"(?<![\w.])(\d{5}|\d{4}[FTU]|[A-V]\d{4})(?=[xX]\d|(?!\w|\.\d))", re.IGNORECASE)
_ICD10 = re.compile(r"(?<![\w.])([A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?![\w.])", re.IGNORECASE)

# NDC shapes (FDA: labeler 4-5 digits, product 3-4, package 1-2; 10 digits in all, billed as 11 in 5-4-2).
_NDC_HYPHENATED = re.compile(r"(?<![\w-])(\d{4,5})-(\d{3,4})-(\d{1,2})(?![\w-])")
_NDC_ELEVEN = re.compile(r"(?<![\w.-])(\d{11})(?![\w.-])")

# Two-character modifier codes: two letters, two digits, or a letter and a digit (HCPCS Level II and CPT).
_MOD = r"[A-Z0-9]{2}"
_MOD_LIST = rf"({_MOD}(?:\s*(?:,|/|&|\band\b|\bor\b|\+)\s*{_MOD})*)"
# "modifier 59", "modifiers 25 and 59", "mod -25", "modifier: JW"
_AFTER_WORD = re.compile(rf"\b(?:modifiers?|mods?)\b\s*[:#-]?\s*-?{_MOD_LIST}(?![\w])", re.IGNORECASE)
# "59 modifier", "JW modifier", "-25 modifier"
_BEFORE_WORD = re.compile(rf"(?<![\w-])-?({_MOD})\s+modifiers?\b", re.IGNORECASE)
# "99214-25", "J9271-JZ", "96413-59-XU", "J1745 -JZ": a code followed by hyphenated two-character suffixes.
_ON_CODE = re.compile(r"(?<![\w.])(?:\d{5}|\d{4}[FTU]|[A-V]\d{4})((?:\s?-\s?[A-Z0-9]{2})+)(?![\w])", re.IGNORECASE)
# Modifiers read alone ("what does JW mean", "is TC billable"): Level II modifiers of the bundled modifiers corpus
# that are not words or common abbreviations. Everything else (RT "right", PO "by mouth", CR, GT ...) is a modifier
# only in one of the contexts above ("RT modifier", "modifier PO", "73030-RT"), so "IV push in RT arm" has none.
DISTINCT_MODIFIERS: frozenset[str] = frozenset({"JW", "JZ", "XE", "XS", "XP", "XU", "GA", "GY", "GZ", "KX", "TC"})
_ALONE = re.compile(r"(?<![\w-])(" + "|".join(sorted(DISTINCT_MODIFIERS)) + r")(?![\w-])", re.IGNORECASE)
# Read alone only when typed in capitals: "ga" (Georgia), "tc" could be anything in lower case.
_ALONE_CASE_SENSITIVE = frozenset({"GA", "TC"})


@dataclass(frozen=True)
class CodeSpan:
    """A code found in text: its character span, the code as billed (upper-case; an NDC in 11-digit 5-4-2 form
    with hyphens), its kind and the text as typed."""

    start: int
    end: int
    code: str
    kind: CodeKind
    surface: str = ""


def normalize_ndc(text: str) -> str | None:
    """The 11-digit 5-4-2 form of an NDC ("0006-3026-02" -> "00006-3026-02"), or None when `text` is not one.

    A 10-digit NDC is padded with a leading zero in its short segment: 4-4-2 -> 0 + labeler, 5-3-2 -> 0 + product,
    5-4-1 -> 0 + package (the 11-digit claim form). Bare digits must already be 11 long (a 10-digit run is
    ambiguous: it cannot say which segment to pad).
    """
    cleaned = text.strip()
    if re.fullmatch(r"\d{11}", cleaned):
        return f"{cleaned[:5]}-{cleaned[5:9]}-{cleaned[9:]}"
    match = re.fullmatch(r"(\d{4,5})-(\d{3,4})-(\d{1,2})", cleaned)
    if match is None:
        return None
    labeler, product, package = match.groups()
    if len(labeler) + len(product) + len(package) == 11 and (len(labeler), len(product), len(package)) == (5, 4, 2):
        return cleaned
    if len(labeler) + len(product) + len(package) != 10:
        return None
    return f"{labeler.zfill(5)}-{product.zfill(4)}-{package.zfill(2)}"


def _code_kind(code: str) -> CodeKind:
    if code[0].isalpha():
        return "hcpcs"
    return {"F": "category_ii", "T": "category_iii", "U": "pla"}.get(code[-1], "cpt")  # type: ignore[return-value]


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in taken)


def find_code_spans(text: str) -> list[CodeSpan]:
    """Every code shape in `text` with its span, in order of appearance (duplicates kept: each has its span).

    NDCs are found first; a CPT/HCPCS shape inside an NDC span is not a code. Modifiers are found only in a
    modifier context, or alone for `DISTINCT_MODIFIERS`.
    """
    spans: list[CodeSpan] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_NDC_HYPHENATED, _NDC_ELEVEN):
        for match in pattern.finditer(text):
            if _overlaps(match.start(), match.end(), taken):
                continue
            ndc = normalize_ndc(match.group(0))
            if ndc is None:
                continue
            spans.append(CodeSpan(match.start(), match.end(), ndc, "ndc", match.group(0)))
            taken.append((match.start(), match.end()))
    for match in _CPT_HCPCS.finditer(text):
        start, end = match.start(1), match.end(1)
        if _overlaps(start, end, taken):
            continue
        code = match.group(1).upper()
        spans.append(CodeSpan(start, end, code, _code_kind(code), match.group(1)))
        taken.append((start, end))
    spans.extend(_modifier_spans(text, taken))
    spans.sort(key=lambda span: span.start)
    return spans


def _modifier_spans(text: str, taken: list[tuple[int, int]]) -> list[CodeSpan]:
    found: list[CodeSpan] = []
    mine: list[tuple[int, int]] = []

    def add(start: int, end: int) -> None:
        if _overlaps(start, end, taken) or _overlaps(start, end, mine):
            return
        found.append(CodeSpan(start, end, text[start:end].upper(), "modifier", text[start:end]))
        mine.append((start, end))

    for pattern in (_AFTER_WORD, _ON_CODE):
        for match in pattern.finditer(text):
            offset = match.start(1)
            for item in re.finditer(_MOD, match.group(1), re.IGNORECASE):
                word = item.group(0).lower()
                if word in ("an", "or", "to", "is", "of", "on", "in", "as", "be", "do", "if", "it", "so", "we"):
                    continue
                add(offset + item.start(), offset + item.end())
    for match in _BEFORE_WORD.finditer(text):
        if match.group(1).lower() not in ("an", "or", "to", "is", "of", "the", "no", "a", "do", "it", "my", "we"):
            add(match.start(1), match.end(1))
    for match in _ALONE.finditer(text):
        surface = match.group(1)
        if surface.upper() in _ALONE_CASE_SENSITIVE and surface != surface.upper():
            continue  # "ga", "tc": count only when typed in capitals
        add(match.start(1), match.end(1))
    return found


def find_codes(text: str) -> list[str]:
    """Return the CPT/HCPCS codes in `text`, upper-cased, in order of appearance, without duplicates.

    Modifiers and NDCs are not codes here (see `find_modifiers`, `find_ndcs`); digits inside an NDC are not a CPT.
    """
    seen: dict[str, None] = {}
    for span in find_code_spans(text):
        if span.kind not in ("modifier", "ndc"):
            seen.setdefault(span.code, None)
    return list(seen)


def find_modifiers(text: str) -> list[str]:
    """The modifiers in `text` (upper-case, in order, without duplicates): "99214-25 and modifier 59" -> 25, 59."""
    seen: dict[str, None] = {}
    for span in find_code_spans(text):
        if span.kind == "modifier":
            seen.setdefault(span.code, None)
    return list(seen)


def find_ndcs(text: str) -> list[str]:
    """The NDCs in `text`, each in its 11-digit 5-4-2 form with hyphens, in order, without duplicates."""
    seen: dict[str, None] = {}
    for span in find_code_spans(text):
        if span.kind == "ndc":
            seen.setdefault(span.code, None)
    return list(seen)


def find_icd10_codes(text: str) -> list[str]:
    """Return ICD-10-CM-shaped codes (e.g. K92.2) in `text`; only those with a dot, to avoid false hits."""
    return [m.group(1).upper() for m in _ICD10.finditer(text) if "." in m.group(1)]
