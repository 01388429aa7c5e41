"""Scrubber checks from the PFS indicators: both sides of each rule, on a small release in the CMS layout.

Indicator values here are test data chosen to reach each branch (not the CMS file's values)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.edits import FILENAME
from assistant.edits.fees import FeeStore, import_pfs
from assistant.edits.scrubber import parse_claim_lines, scrub
from assistant.settings import Settings

from .pfs_files import pfs_row, write_pfs


def _row(code: str, *, status: str = "A", pctc: str = "0", bilat: str = "1", asst: str = "2", mult: str = "2",
         co: str = "1", team: str = "0") -> str:
    row = pfs_row(code, status=status, pctc=pctc, bilat=bilat, asst=asst)
    cells = row.rstrip("\n").split(",")
    cells[18], cells[21], cells[22] = mult, co, team
    return ",".join(cells) + "\n"


ROWS = [
    _row("27447", asst="2", co="1", team="0"), _row("20610", asst="1", co="0", team="2", mult="2"),
    _row("93000", pctc="4", bilat="0", mult="0", asst="9", co="9", team="9"), _row("71046", pctc="1", bilat="3"),
    _row("27130", bilat="2", asst="0", co="2", team="1", mult="9"), _row("69990", status="B"),
    _row("J9271", status="E", pctc="9"), _row("G0008", status="I"), _row("0001F", status="M"),
    _row("96372", status="T"), _row("99213"), _row("99211"), _row("97799", status="C"), _row("A9270", status="N"),
    _row("80053", pctc="6"),
]


@pytest.fixture(scope="module")
def fees(tmp_path_factory: pytest.TempPathFactory) -> FeeStore:
    directory = tmp_path_factory.mktemp("fees-scrub")
    settings = Settings(data_dir=directory)
    import_pfs(write_pfs(directory / "pfs.csv", ROWS), settings)
    return FeeStore(settings.resolved_data_dir / FILENAME)


def _pfs(fees: FeeStore, claim: str, payer: str | None = None) -> dict[str, tuple[str, str]]:
    """line display -> (worst PFS severity, fixes) for the lines with a PFS finding."""
    result = scrub(parse_claim_lines(claim), None, fees=fees, payer=payer)
    found = {}
    for line in result.lines:
        pfs = [f for f in line.findings if f.kind == "pfs"]
        if pfs:
            order = ["pass", "check", "fix", "deny"]
            worst = max((f.severity for f in pfs), key=order.index)
            found[line.line.display] = (worst, "; ".join(f.fix for f in pfs if f.fix))
    return found


CASES = [
    # 26/TC by the PC/TC indicator
    ("71046-26", None, "", "26-on-split-code-ok"),
    ("71046-TC", None, "", "tc-on-split-code-ok"),
    ("93000-26", "fix", "remove 26", "26-on-global-only-code"),
    ("93000-TC", "fix", "remove TC", "tc-on-global-only-code"),
    ("27447-26", "fix", "remove 26", "26-on-surgery"),
    ("80053-26", None, "", "26-on-lab-interpretation-ok"),
    ("80053-TC", "fix", "remove TC", "tc-on-lab-interpretation"),
    ("71046-26-TC", "fix", "without 26/TC", "both-26-and-tc"),
    # 50 by the bilateral indicator
    ("20610-50", "pass", "", "50-indicator-1-ok"),
    ("20610-50 x2", "fix", "1 unit", "50-with-2-units"),
    ("93000-50", "fix", "remove 50", "50-indicator-0"),
    ("27130-50", "fix", "already bilateral", "50-indicator-2"),
    ("71046-50", "check", "RT/LT", "50-indicator-3"),
    # 51 by the multiple procedure indicator
    ("20610-51", "pass", "", "51-indicator-2-ok"),
    ("93000-51", "fix", "remove 51", "51-indicator-0"),
    ("27130-51", "fix", "remove 51", "51-indicator-9"),
    # assistants by the assistant indicator
    ("27447-80", "pass", "", "80-indicator-2-ok"),
    ("27447-AS", "pass", "", "as-indicator-2-ok"),
    ("20610-80", "deny", "never paid", "80-indicator-1"),
    ("27130-82", "check", "documentation", "82-indicator-0"),
    ("93000-81", "fix", "does not apply", "81-indicator-9"),
    # 62 and 66
    ("27130-62", "pass", "", "62-indicator-2-ok"),
    ("27447-62", "check", "two surgeons", "62-indicator-1"),
    ("20610-62", "deny", "remove 62", "62-indicator-0"),
    ("20610-66", "pass", "", "66-indicator-2-ok"),
    ("27130-66", "check", "surgical team", "66-indicator-1"),
    ("27447-66", "deny", "remove 66", "66-indicator-0"),
    # status codes
    ("27447", None, "", "status-a-no-finding"),
    ("69990", "deny", "included", "status-b"),
    ("G0008", "deny", "code Medicare recognises", "status-i"),
    ("A9270", "deny", "ABN", "status-n"),
    ("0001F", "check", "quality reporting", "status-m"),
    ("97799", "check", "documentation", "status-c"),
    ("J9271", "pass", "", "status-e-paid-elsewhere"),
]


@pytest.mark.parametrize(("claim", "severity", "fix", "case"), CASES, ids=[case[3] for case in CASES])
def test_modifier_and_status_rules(fees: FeeStore, claim: str, severity: str | None, fix: str, case: str) -> None:
    found = _pfs(fees, claim)
    line = parse_claim_lines(claim)[0].display
    if severity is None:
        assert line not in found
    else:
        assert found[line][0] == severity
        assert fix in found[line][1]


def test_status_t_is_paid_only_alone(fees: FeeStore) -> None:
    assert "96372" not in _pfs(fees, "96372")
    alone_with_drug = _pfs(fees, "96372, J9271")
    assert "96372" not in alone_with_drug
    with_visit = _pfs(fees, "96372, 99213-25")
    assert with_visit["96372"][0] == "deny"


@pytest.mark.parametrize(("claim", "payer", "line", "severity"), [
    ("99211, 96372", "medicare", "99211", "deny"),
    ("99211, 96372", None, "99211", "check"),
    ("99213, 96372", "medicare", "99213", "fix"),
], ids=["99211-medicare", "99211-other-payer", "em-without-25"])
def test_em_with_drug_administration(fees: FeeStore, claim: str, payer: str | None, line: str,
                                     severity: str) -> None:
    assert _pfs(fees, claim, payer)[line][0] == severity


@pytest.mark.parametrize("claim", ["99213-25, 96372", "99211, 99213-25", "99211, 20610"],
                         ids=["em-with-25", "no-drug-admin", "procedure-not-drug-admin"])
def test_em_rules_do_not_fire(fees: FeeStore, claim: str) -> None:
    found = _pfs(fees, claim, "medicare")
    assert "99211" not in found and "99213-25" not in found


def test_no_pfs_loaded_adds_no_pfs_finding(tmp_path: Path) -> None:
    empty = FeeStore(tmp_path / "none.sqlite3")
    result = scrub(parse_claim_lines("93000-26, 20610-80"), None, fees=empty)
    assert result.lines and not [f for line in result.lines for f in line.findings if f.kind == "pfs"]
