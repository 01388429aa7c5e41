"""Scrub claim lines as a whole against the NCCI tables: PTP pairs and their modifiers, MUE by setting, add-ons
without a primary, invalid or terminated codes. Pure over the store: no I/O of its own beyond its look-ups.

Rules (each names its source):
- PTP (NCCI Policy Manual for Medicare Services, chapter I, section E; the PTP file's modifier indicator):
  indicator 0: the column 2 code is not paid with the column 1 code, whatever the modifier; indicator 1: an
  NCCI-associated modifier bypasses the edit when documentation supports a distinct service (59 or XE/XS/XP/XU,
  anatomic modifiers, 24, 27, 58, 78, 79, 91); 59 and the X modifiers are never for an E/M: a separately
  identifiable E/M on the day of a procedure takes 25 (57 for the decision for surgery); indicator 9: deleted.
- MUE (CMS MUE page; NCCI Policy Manual, chapter I, section V): MAI 1 counts units per claim line; MAI 2 and 3
  count all lines of the code on the date of service (2: absolute, 3: clinical, payable on appeal). The table is
  the setting's: practitioner for professional claims, outpatient hospital for facility claims, never the other.
- Add-ons (CMS NCCI add-on code edits, AOC types 1-3): a type 1 add-on is paid only with a listed primary; type 2
  lists none (the contractor decides); type 3 lists some. Add-ons named by the corpus (`add_on_to`) need one of
  their primaries on the claim.
- Validity: a callback the caller passes (the corpus knows terminated and invalid codes) names the problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from assistant.edits.fee_scrub import FeeLookups, check_fees
from assistant.edits.fees import fee_store_beside
from assistant.edits.lookup import ClaimEdits, EditsTables
from assistant.edits.models import TABLE_LABELS, PtpEdit, table_for
from assistant.units.vocabulary import Setting

Verdict = Literal["pass", "check", "fix", "deny"]
_SEVERITY: dict[str, int] = {"pass": 0, "check": 1, "fix": 2, "deny": 3}

# NCCI Policy Manual, chapter I, section E: modifiers that may bypass an indicator-1 PTP edit when the clinical
# circumstances justify it. 25 and 57 bypass only on an E/M; 59 and X{EPSU} never on an E/M.
EM_BYPASS = frozenset({"25", "57"})
DISTINCT_BYPASS = frozenset({"59", "XE", "XS", "XP", "XU"})
OTHER_BYPASS = frozenset({
    "E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "LC", "LD", "LM", "LT",
    "RC", "RI", "RT", "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "24", "27", "58", "78", "79", "91",
})
PTP_SOURCE = "NCCI Policy Manual for Medicare Services, chapter I, section E (modifiers and modifier indicators)"
MUE_SOURCE = "CMS NCCI MUE: MAI 1 per claim line, MAI 2/3 per date of service (NCCI Policy Manual, chapter I, V)"
AOC_SOURCE = "CMS NCCI add-on code edits (AOC types 1, 2 and 3)"


def is_em(code: str) -> bool:
    """True for an evaluation and management code (CPT E/M section 99202-99499)."""
    return code.isdigit() and 99202 <= int(code) <= 99499


# What the scrubber reads of the store (EditsStore satisfies it): the one setting-aware look-up's protocol.
EditsLookups = EditsTables


# --- claim lines -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClaimLine:
    """One claim line: a code, its modifiers (upper-case, in order) and its units (1 when not given)."""

    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1

    @property
    def display(self) -> str:
        """The line as a coder writes it: "99214-25", "J1885 x4"."""
        text = self.code + "".join(f"-{modifier}" for modifier in self.modifiers)
        return text if self.units == 1 else f"{text} x{self.units}"


_LINE = re.compile(
    r"(?:(?<![\w.-])(?P<before>-?\d{1,3})\s*(?:units?\s+(?:of\s+)?|[x×*]\s*))?"
    r"(?<![\w.])(?P<code>\d{5}|\d{4}[FTU]|[A-V]\d{4})(?!-\d{3})"  # 00006-3026-02 is an NDC, not a code
    r"(?P<mods>(?:\s*-\s*[A-Z0-9]{2}(?![A-Z0-9]))*)"
    r"(?P<named>(?:\s*(?:with\s+)?(?:modifiers?|mod)\s*[A-Z0-9]{2}(?![A-Z0-9])(?:\s*(?:,|and|&)?\s*[A-Z0-9]{2}"
    r"(?![A-Z0-9]))*)?)"
    r"(?:\s*(?:[x×*]\s*(?P<after>-?\d{1,4})(?!\d)|\s+(?P<units>-?\d{1,4})\s*units?\b))?",
    re.IGNORECASE,
)


def parse_claim_lines(text: str, *, strict: bool = True) -> list[ClaimLine]:
    """Claim lines typed in free text: "99214-25, 96372, J1885 x4, 36415", "6 units of 96372", "96372 mod 59".

    Units must be whole numbers; zero or negative units are kept as typed (the scrub reports them) when `strict`,
    and read as 1 otherwise. A code typed twice is two lines.
    """
    lines = []
    for match in _LINE.finditer(text):
        modifiers = [m.upper() for m in re.findall(r"[A-Z0-9]{2}", match.group("mods") or "", re.IGNORECASE)]
        named = match.group("named") or ""
        if named:
            named = re.sub(r"(?i)^\s*(?:with\s+)?(?:modifiers?|mod)", "", named)
            modifiers += [m.upper() for m in re.findall(r"(?<![A-Z0-9])[A-Z0-9]{2}(?![A-Z0-9])", named, re.I)
                          if m.lower() not in ("an",)]
        number = match.group("after") or match.group("units") or match.group("before")
        units = int(number) if number is not None else 1
        if not strict and units < 1:
            units = 1
        lines.append(ClaimLine(match.group("code").upper(), tuple(dict.fromkeys(modifiers)), units))
    return lines


def claim_lines_from_json(data: Any) -> list[ClaimLine]:
    """Claim lines from JSON data: [{"code": "99214", "modifiers": ["25"], "units": 1}, ...] (or its text).

    A bad entry raises ValueError naming the line (1-based) and the field."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise ValueError(f"the claim lines are not valid JSON: {error}") from None
    if not isinstance(data, list) or not data:
        raise ValueError("the claim lines must be a non-empty JSON list of {code, modifiers, units} objects")
    lines = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"line {number}: expected an object with code, modifiers and units")
        code = str(entry.get("code") or "").strip().upper()
        if not re.fullmatch(r"\d{5}|\d{4}[FTU]|[A-Z]\d{4}", code):
            raise ValueError(f"line {number}: code {entry.get('code')!r} is not a CPT/HCPCS code")
        raw_modifiers = entry.get("modifiers") or []
        if isinstance(raw_modifiers, str):
            raw_modifiers = re.split(r"[\s,;-]+", raw_modifiers.strip())
        modifiers = tuple(str(m).strip().upper() for m in raw_modifiers if str(m).strip())
        if any(not re.fullmatch(r"[A-Z0-9]{2}", m) for m in modifiers):
            raise ValueError(f"line {number}: modifiers {list(modifiers)} must be two letters or digits each")
        units = entry.get("units", 1)
        if isinstance(units, bool) or not isinstance(units, int | float) or units != int(units):
            raise ValueError(f"line {number}: units {units!r} must be a whole number")
        lines.append(ClaimLine(code, modifiers, int(units)))
    return lines


# --- results -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One problem (or a note) on a line: which check, how serious, what it means and how to fix it."""

    kind: Literal["code", "units", "ptp", "mue", "addon", "pfs"]
    severity: Verdict
    message: str
    fix: str = ""


@dataclass
class LineResult:
    """A line with its findings; `verdict` is the most serious finding's severity ("pass" when none)."""

    line: ClaimLine
    findings: list[Finding] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        worst = max((finding.severity for finding in self.findings), key=_SEVERITY.__getitem__, default="pass")
        return worst

    @property
    def fix(self) -> str:
        fixes = [f.fix for f in sorted(self.findings, key=lambda f: -_SEVERITY[f.severity]) if f.fix]
        return "; ".join(dict.fromkeys(fixes)) or "none needed"


@dataclass
class ScrubResult:
    """Every line's result, notes for the whole claim (tables not loaded ...), and the sources used."""

    setting: Setting
    lines: list[LineResult]
    notes: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        return max((line.verdict for line in self.lines), key=_SEVERITY.__getitem__, default="pass")

    @property
    def summary(self) -> str:
        counts = {verdict: sum(1 for line in self.lines if line.verdict == verdict) for verdict in _SEVERITY}
        parts = [f"{counts['pass']} of {len(self.lines)} line{'s' if len(self.lines) != 1 else ''} pass"]
        parts += [f"{counts[v]} {label}" for v, label in (("deny", "would be denied"), ("fix", "need a fix"),
                                                           ("check", "could not be fully checked")) if counts[v]]
        return f"{', '.join(parts)} ({self.setting} claim)."

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the verdict, the summary, per line its code, modifiers, units, verdict, findings and fix."""
        return {
            "setting": self.setting,
            "verdict": self.verdict,
            "summary": self.summary,
            "lines": [
                {
                    "code": line.line.code, "modifiers": list(line.line.modifiers), "units": line.line.units,
                    "verdict": line.verdict, "fix": line.fix,
                    "findings": [{"kind": f.kind, "severity": f.severity, "message": f.message, "fix": f.fix}
                                 for f in line.findings],
                }
                for line in self.lines
            ],
            "notes": list(self.notes),
            "citations": list(self.citations),
        }


# --- the checks --------------------------------------------------------------------------------------------------
def bypass_advice(edit: PtpEdit, modifiers: Sequence[str] = ()) -> str:
    """Whether a modifier can bypass the edit, which ones, and whether the given `modifiers` do."""
    if edit.modifier_indicator == 0:
        return "No modifier bypasses this edit (indicator 0): report only one of the two codes."
    if edit.deleted:
        return "The edit is deleted (indicator 9): it no longer applies."
    em_code = next((code for code in (edit.column2, edit.column1) if is_em(code)), None)
    if em_code is not None:
        advice = (f"A modifier can bypass it: 25 on the E/M {em_code} for a significant, separately identifiable "
                  "E/M (57 for the decision for surgery); 59 and XE/XS/XP/XU are not for an E/M.")
    else:
        advice = (f"A modifier can bypass it: 59 or XE/XS/XP/XU (or another NCCI-associated modifier, such as an "
                  f"anatomic one) on {edit.column2}, only when documentation supports a distinct service (different "
                  "session, site, lesion or encounter).")
    if modifiers:
        satisfied, why = _satisfied(edit, tuple(modifiers), ())
        advice += f" Given modifier{'s' if len(modifiers) > 1 else ''} {', '.join(modifiers)}: {why}."
    return advice


def _satisfied(edit: PtpEdit, column2_mods: tuple[str, ...], column1_mods: tuple[str, ...]) -> tuple[bool, str]:
    """(bypassed?, why) for an indicator-1 edit and the modifiers on its two lines."""
    if is_em(edit.column2) or is_em(edit.column1):
        em_mods = column2_mods if is_em(edit.column2) else column1_mods
        found = [m for m in em_mods if m in EM_BYPASS]
        if found:
            return True, f"{found[0]} on the E/M bypasses the edit when the E/M is separately identifiable"
        wrong = [m for m in (*column2_mods, *column1_mods) if m in DISTINCT_BYPASS]
        if wrong:
            return False, f"{wrong[0]} is not for an E/M; append 25 to the E/M instead"
        return False, "no E/M modifier (25) given"
    found = [m for m in column2_mods if m in DISTINCT_BYPASS | OTHER_BYPASS]
    if found:
        return True, f"{found[0]} on {edit.column2} bypasses the edit when documentation supports a distinct service"
    if any(m in DISTINCT_BYPASS | OTHER_BYPASS for m in column1_mods):
        return False, f"the modifier belongs on the column 2 code {edit.column2}, not on {edit.column1}"
    if any(m in EM_BYPASS for m in column2_mods):
        return False, f"25/57 are for an E/M; {edit.column2} needs 59 or XE/XS/XP/XU"
    return False, "no modifier that bypasses the edit"


def scrub(
    lines: Sequence[ClaimLine],
    store: EditsLookups | None,
    *,
    setting: Setting = "professional",
    addons: Mapping[str, Sequence[str]] | None = None,
    validity: Callable[[str], str | None] | None = None,
    fees: FeeLookups | None = None,
    payer: str | None = None,
    day: date | None = None,
) -> ScrubResult:
    """Check the claim lines as a whole (see the module docstring). `addons`: add-on code -> its primaries (from
    the corpus); `validity(code)`: None for a valid code, else the reason ("terminated 2024-12-31; use J1010")."""
    tables = ClaimEdits(store, setting)  # ValueError for an unknown setting
    results = [LineResult(line) for line in lines]
    result = ScrubResult(setting=setting, lines=results)
    for item in results:
        if item.line.units < 1:
            item.findings.append(Finding("units", "fix", f"{item.line.units} units is not a unit count",
                                         "report 1 or more units"))
        if validity is not None:
            reason = validity(item.line.code)
            if reason:
                item.findings.append(Finding("code", "deny", f"{item.line.code}: {reason}",
                                             f"replace {item.line.code} ({reason})"))
    _check_mue(result, tables)
    _check_ptp(result, tables)
    _check_addons(result, tables, addons or {})
    # Issue 19: PFS indicators and status codes (the PFS releases live beside the NCCI tables), E/M + drug admin.
    checks = check_fees(lines, fees if fees is not None else fee_store_beside(store), payer=payer, day=day)
    for item, found in zip(results, checks.findings, strict=True):
        item.findings.extend(Finding("pfs", f.severity, f.message, f.fix) for f in found)
    result.citations.extend(checks.citations)
    result.citations = list(dict.fromkeys(result.citations))
    return result


def _missing_table(result: ScrubResult, kind: str, setting: Setting) -> None:
    label = TABLE_LABELS[table_for(kind, setting)]
    what = "MUE" if kind == "mue" else "PTP pairs"
    command = {"mue": "mue", "ptp": "ptp"}[kind] + ("-oph" if setting == "facility" else "")
    other = " (the practitioner table is for professional claims and was not used)" if setting == "facility" else ""
    result.notes.append(f"{what} not checked: the {label} is not loaded{other}; import it with "
                        f"`python -m assistant import {command} FILE`.")
    for item in result.lines:
        item.findings.append(Finding(kind, "check", f"{what} not checked ({label} not loaded)",  # type: ignore[arg-type]
                                     f"import the {label} to check it"))


def _check_mue(result: ScrubResult, tables: ClaimEdits) -> None:
    setting = tables.setting
    if not tables.loaded("mue"):
        _missing_table(result, "mue", setting)
        return
    totals: dict[str, int] = {}
    for item in result.lines:
        totals[item.line.code] = totals.get(item.line.code, 0) + max(item.line.units, 0)
    for item in result.lines:
        entry = tables.mue(item.line.code)
        if entry is None:
            continue
        result.citations.append(entry.citation)
        counted = item.line.units if entry.mai == 1 else totals[item.line.code]
        scope = "on this line" if entry.mai == 1 else "for the date of service (all its lines)"
        if counted <= entry.value:
            continue
        verb = "exceeds" if counted == 1 else "exceed"
        message = (f"{counted} unit{'s' if counted != 1 else ''} {scope} {verb} the MUE of {entry.value} "
                   f"(MAI {entry.mai}: {entry.mai_description}; {entry.table_label}, "
                   f"{entry.quarter or 'quarter unknown'})")
        severity: Verdict = "fix"
        if entry.value == 0:
            # CMS MUE value 0: the code is not expected on this type of claim at all (e.g. a facility-only service).
            severity = "deny"
            fix = f"do not report {item.line.code} on a {setting} claim (MUE 0 in the {entry.table_label})"
        elif entry.mai == 1:
            fix = (f"report at most {entry.value} on this line; more units only on separate lines with an "
                   "appropriate modifier when medically reasonable")
        elif entry.mai == 2:
            fix = f"report at most {entry.value} for the date of service (absolute limit: not paid on appeal)"
        else:
            fix = (f"report at most {entry.value}, or expect a denial and appeal with documentation of medical "
                   "necessity")
        item.findings.append(Finding("mue", severity, message, fix))
    result.citations.append(MUE_SOURCE)


def _check_ptp(result: ScrubResult, tables: ClaimEdits) -> None:
    if not tables.loaded("ptp"):
        _missing_table(result, "ptp", tables.setting)
        return
    by_code: dict[str, list[LineResult]] = {}
    for item in result.lines:
        by_code.setdefault(item.line.code, []).append(item)
    edits = tables.pairs(list(by_code), include_deleted=False)
    note = derived_table_note(tables.store, tables.table("ptp"))
    if note:
        result.notes.append(note)
    for edit in edits:
        result.citations.append(edit.citation)
        column1_mods = tuple(m for item in by_code[edit.column1] for m in item.line.modifiers)
        for item in by_code[edit.column2]:
            pair = f"{edit.column2} is column 2 of {edit.column1} ({edit.table_label})"
            if edit.modifier_indicator == 0:
                item.findings.append(Finding(
                    "ptp", "deny", f"{pair}, modifier indicator 0: never paid together, no modifier bypasses it",
                    f"do not report {edit.column2} with {edit.column1}"))
                continue
            bypassed, why = _satisfied(edit, item.line.modifiers, column1_mods)
            if bypassed:
                item.findings.append(Finding("ptp", "pass", f"{pair}, indicator 1: {why}"))
                continue
            target = edit.column2 if not (is_em(edit.column1) and not is_em(edit.column2)) else edit.column1
            fix = ("append 25 to the E/M when it is significant and separately identifiable, else drop the E/M"
                   if is_em(target) else
                   f"append 59 or XE/XS/XP/XU to {edit.column2} only if documentation supports a distinct service; "
                   f"otherwise do not report it with {edit.column1}")
            item.findings.append(Finding("ptp", "fix", f"{pair}, indicator 1: {why}", fix))
    if edits:
        result.citations.append(PTP_SOURCE)


def derived_table_note(store: object, table: str) -> str:
    """A caution when the loaded PTP table is a derived copy (its file name says "derived"), not the CMS file."""
    info = getattr(store, "info", None)
    source = str(((info() if callable(info) else {}).get(table) or {}).get("source") or "")
    if "derived" not in source.lower():
        return ""
    return (f"The {TABLE_LABELS[table]} loaded is a derived copy ({source}), not the CMS release itself: treat its "
            "answers as provisional and verify the pair in the current CMS quarter.")


def _check_addons(result: ScrubResult, tables: ClaimEdits, addons: Mapping[str, Sequence[str]]) -> None:
    codes = {item.line.code for item in result.lines}
    use_table = tables.has_addons
    for item in result.lines:
        code = item.line.code
        edit = tables.addon(code) if use_table else None
        if edit is not None:
            result.citations.append(edit.citation)
            present = [p for p in edit.primaries if p in codes]
            if edit.aoc_type == 1 and not present:
                listed = ", ".join(edit.primaries[:6]) + (" ..." if len(edit.primaries) > 6 else "")
                item.findings.append(Finding("addon", "deny", f"{code} is a type 1 add-on without one of its primary "
                                             f"codes ({listed}) on the claim",
                                             f"report {code} with its primary code, or remove it"))
            elif edit.aoc_type == 2 and not (codes - {code}):
                item.findings.append(Finding("addon", "deny", f"{code} is an add-on reported alone",
                                             f"report {code} with its primary procedure, or remove it"))
            elif edit.aoc_type == 3 and not present and edit.primaries:
                item.findings.append(Finding("addon", "check", f"{code} is a type 3 add-on and none of its listed "
                                             "primaries is on the claim; the contractor may accept another",
                                             "check the contractor's primary list"))
            continue
        primaries = addons.get(code)
        if primaries and not any(p in codes for p in primaries):
            item.findings.append(Finding("addon", "deny", f"{code} is an add-on code reported without its primary "
                                         f"({', '.join(primaries)})",
                                         f"report {code} with {' or '.join(primaries)}, or remove it"))
            result.citations.append("Add-on codes: reported only with their primary (CPT add-on convention; "
                                    f"{AOC_SOURCE})")
    if use_table:
        result.citations.append(AOC_SOURCE)
