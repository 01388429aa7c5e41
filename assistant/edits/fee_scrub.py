"""Scrubber checks from the Medicare Physician Fee Schedule indicators (issue 19), each with its fix.

Rules are data: `MODIFIER_RULES` says, for each payment modifier, which PFS indicator column governs it and the
verdict for each indicator value; one generic loop applies them. Sources:
- 26/TC: PC/TC indicator (CMS PFS Relative Value File layout, Attachment A): 26 and TC only on indicator 1 (26
  also on 6, the laboratory physician interpretation codes).
- 50: bilateral surgery indicator (100-04 Ch. 12 s40.7); 51: multiple procedure indicator (s40.6);
  80/81/82/AS: assistant at surgery indicator (s20.4.5, s40); 62: co-surgeon and 66: team surgery indicators
  (s40.8).
- Status codes (Attachment A): B/P bundled, I not valid for Medicare, N not covered, M measurement only, C/R
  contractor priced or restricted, T paid only without another fee schedule service that day, E/X paid outside
  the fee schedule (e.g. drugs at the ASP limit).
- 100-04 Ch. 12 s30.6.7: Medicare does not pay 99211 with a drug administration service (96360-96549) the same
  day; another E/M the same day is paid only when significant and separately identifiable, with modifier 25.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from assistant.edits.fee_indicators import PROFESSIONAL_ALLOWED, TC_ALLOWED, describe
from assistant.edits.fees import FeeEntry

Severity = Literal["pass", "check", "fix", "deny"]
PFS_SOURCE = "CMS PFS Relative Value File indicators (record layout, Attachment A); 100-04 Ch. 12 s40"
EM_DRUG_SOURCE = "100-04 Ch. 12 s30.6.7 (E/M and drug administration the same day; 99211 not paid)"
DRUG_ADMINISTRATION = re.compile(r"^(?:963[6-9]\d|964\d\d|965[0-4]\d)$")


class Line(Protocol):
    """A claim line as the checks read it (scrubber.ClaimLine)."""

    @property
    def code(self) -> str: ...
    @property
    def modifiers(self) -> tuple[str, ...]: ...
    @property
    def units(self) -> int: ...


@dataclass(frozen=True, slots=True)
class FeeFinding:
    """One finding on a line: how serious, what it means, how to fix it (the scrubber makes it a `Finding`)."""

    severity: Severity
    message: str
    fix: str = ""


@dataclass
class FeeChecks:
    """Findings per line (same order as the lines) and the sources used."""

    findings: list[list[FeeFinding]]
    citations: list[str]


class FeeLookups(Protocol):
    """What the checks read of the PFS store (fees.FeeStore satisfies it)."""

    @property
    def loaded(self) -> bool: ...
    def fee(self, code: str, modifier: str = "", day: date | None = None) -> FeeEntry | None: ...


@dataclass(frozen=True, slots=True)
class ModifierRule:
    """A payment modifier, the indicator column that governs it, and the verdict and fix per indicator value."""

    modifiers: frozenset[str]
    column: str
    verdicts: dict[str, tuple[Severity, str]]  # value -> (severity, fix); a value not listed passes
    source: str


MODIFIER_RULES = (
    ModifierRule(frozenset({"50"}), "bilateral", {
        "0": ("fix", "remove 50: the code is not billed as bilateral"),
        "2": ("fix", "remove 50: the code is already bilateral; bill it once"),
        "3": ("check", "each side is paid at 100%: RT/LT lines or 2 units are the usual way"),
        "9": ("fix", "remove 50: bilateral billing does not apply to this code"),
    }, "100-04 Ch. 12 s40.7 (bilateral indicator)"),
    ModifierRule(frozenset({"51"}), "mult_proc", {
        "0": ("fix", "remove 51: no multiple procedure reduction applies to this code"),
        "9": ("fix", "remove 51: the multiple procedure concept does not apply to this code"),
    }, "100-04 Ch. 12 s40.6 (multiple procedure indicator)"),
    ModifierRule(frozenset({"80", "81", "82", "AS"}), "assistant", {
        "0": ("check", "send documentation of medical necessity with the assistant's claim"),
        "1": ("deny", "do not bill an assistant at surgery for this code: it is never paid"),
        "9": ("fix", "remove the assistant modifier: the concept does not apply to this code"),
    }, "100-04 Ch. 12 s20.4.5 (assistant at surgery indicator)"),
    ModifierRule(frozenset({"62"}), "co_surgeons", {
        "0": ("deny", "remove 62: co-surgeons are not paid for this code; one surgeon bills it"),
        "1": ("check", "send documentation of the need for two surgeons"),
        "9": ("fix", "remove 62: the co-surgeon concept does not apply to this code"),
    }, "100-04 Ch. 12 s40.8 (co-surgeon indicator)"),
    ModifierRule(frozenset({"66"}), "team", {
        "0": ("deny", "remove 66: team surgery is not paid for this code"),
        "1": ("check", "send documentation of the need for a surgical team (paid by report)"),
        "9": ("fix", "remove 66: the team surgery concept does not apply to this code"),
    }, "100-04 Ch. 12 s40.8 (team surgery indicator)"),
)

# Status -> (severity, fix). A, J and the statuses paid outside the fee schedule (E, X) pass with a note.
STATUS_VERDICTS: dict[str, tuple[Severity, str]] = {
    "B": ("deny", "remove the line: its payment is included in the service it goes with"),
    "P": ("deny", "remove the line: no separate payment under the fee schedule"),
    "I": ("deny", "use the code Medicare recognises for this service (often a HCPCS G code)"),
    "G": ("deny", "use the code Medicare recognises for this service"),
    "D": ("deny", "the code is deleted: use its replacement"),
    "F": ("deny", "the code is deleted: use its replacement"),
    "N": ("deny", "not covered by Medicare: the patient may be billed with a signed ABN (modifier GA)"),
    "M": ("check", "a measurement code: report it for quality reporting only (no payment)"),
    "C": ("check", "contractor priced: send the documentation the MAC needs to price it"),
    "R": ("check", "restricted coverage: check the special coverage conditions"),
}
PAID_ELSEWHERE = frozenset({"E", "X"})


def check_fees(lines: Sequence[Line], fees: FeeLookups | None, *, payer: str | None = None,
               day: date | None = None) -> FeeChecks:
    """The PFS indicator, status and E/M-with-drug-administration findings of each line (see the docstring).
    Without a loaded PFS release only the E/M rule (which needs no table) runs."""
    checks = FeeChecks([[] for _ in lines], [])
    _check_em_with_drug_administration(lines, checks, payer)
    if fees is None or not fees.loaded:
        return checks
    entries = [fees.fee(line.code, "", day) for line in lines]
    paid = {line.code for line, entry in zip(lines, entries, strict=True)
            if entry is not None and entry.status in ("A", "R", "C")}
    for line, entry, found in zip(lines, entries, checks.findings, strict=True):
        if entry is None:
            continue
        found.extend(_status(entry, paid - {line.code}))
        found.extend(_pctc(line, entry))
        for rule in MODIFIER_RULES:
            given = [modifier for modifier in line.modifiers if modifier in rule.modifiers]
            if not given:
                continue
            value = getattr(entry, rule.column)
            severity, fix = rule.verdicts.get(value, ("pass", ""))
            label = rule.column.replace("_", " ")
            found.append(FeeFinding(severity, f"{line.code}-{given[0]}: {label} indicator {value} "
                                    f"({describe(rule.column, value).meaning})", fix))
            checks.citations.append(rule.source)
        if entry.bilateral == "1" and "50" in line.modifiers and line.units > 1:
            found.append(FeeFinding("fix", f"{line.code}-50 with {line.units} units",
                                    "report a bilateral procedure on one line with 50 and 1 unit (paid at 150%)"))
    if any(entry is not None for entry in entries):
        checks.citations.append(PFS_SOURCE)
    return checks


def _status(entry: FeeEntry, other_paid: set[str]) -> list[FeeFinding]:
    meaning = describe("status", entry.status).meaning
    message = f"{entry.code}: PFS status {entry.status} ({meaning})"
    if entry.status in STATUS_VERDICTS:
        severity, fix = STATUS_VERDICTS[entry.status]
        return [FeeFinding(severity, message, fix)]
    if entry.status == "T" and other_paid:
        return [FeeFinding("deny", message + f"; {', '.join(sorted(other_paid))} on the claim",
                           f"remove {entry.code}: it is bundled into the other services billed that day")]
    if entry.status in PAID_ELSEWHERE:
        return [FeeFinding("pass", message)]
    return []


def _pctc(line: Line, entry: FeeEntry) -> list[FeeFinding]:
    meaning = describe("pctc", entry.pctc).meaning
    if "26" in line.modifiers and "TC" in line.modifiers:
        return [FeeFinding("fix", f"{entry.code} carries both 26 and TC",
                           "report the global service without 26/TC, or 26 and TC on separate claims")]
    found = []
    if "26" in line.modifiers and entry.pctc not in PROFESSIONAL_ALLOWED:
        found.append(FeeFinding("fix", f"{entry.code}-26: PC/TC indicator {entry.pctc} ({meaning})",
                                f"remove 26 from {entry.code}"))
    if "TC" in line.modifiers and entry.pctc not in TC_ALLOWED:
        found.append(FeeFinding("fix", f"{entry.code}-TC: PC/TC indicator {entry.pctc} ({meaning})",
                                f"remove TC from {entry.code}"))
    return found


def _is_em(code: str) -> bool:
    return code.isdigit() and 99202 <= int(code) <= 99499


def _check_em_with_drug_administration(lines: Sequence[Line], checks: FeeChecks, payer: str | None) -> None:
    if not any(DRUG_ADMINISTRATION.match(line.code) for line in lines):
        return
    medicare = payer == "medicare"
    for line, found in zip(lines, checks.findings, strict=True):
        if line.code == "99211":
            found.append(FeeFinding(
                "deny" if medicare else "check",
                "99211 with a drug administration service the same day: Medicare does not pay 99211 (even with 25)"
                + ("" if medicare else "; other payers may differ"), "remove 99211 (Medicare)"))
            checks.citations.append(EM_DRUG_SOURCE)
        elif _is_em(line.code) and "25" not in line.modifiers:
            found.append(FeeFinding(
                "fix", f"{line.code}: an E/M with drug administration the same day is paid only when significant "
                "and separately identifiable", f"append 25 to {line.code} when documented as separate; else remove "
                "it"))
            checks.citations.append(EM_DRUG_SOURCE)
