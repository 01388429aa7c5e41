"""Acceptance checks on the real CMS 2026 Q2 practitioner tables (imported once per session by `real_edits`)."""

from __future__ import annotations

import pytest

from assistant.edits import EditsStore


@pytest.mark.parametrize(
    ("code", "value", "mai"),
    [
        pytest.param("96370", 3, 3, id="subq-additional-hour-3-units-clinical"),
        pytest.param("96369", 1, 2, id="subq-initial-hour-1-unit-policy"),
        pytest.param("96372", 4, 3, id="injection-4-units-clinical"),
        pytest.param("0001U", 1, 2, id="first-line-of-the-file"),
    ],
)
def test_real_mue_values(real_edits: tuple[EditsStore, dict[str, str]], code: str, value: int, mai: int) -> None:
    store, _ = real_edits
    entry = store.mue(code)
    assert entry is not None
    assert (entry.code, entry.value, entry.mai) == (code, value, mai)
    assert entry.quarter == "2026 Q2"
    assert entry.source == "mue_practitioner_2026q2.csv"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("96369", "96372", id="column1-first"),
        pytest.param("96372", "96369", id="column2-first"),
    ],
)
def test_real_subq_with_injection_is_modifier_1_either_order(
    real_edits: tuple[EditsStore, dict[str, str]], first: str, second: str
) -> None:
    store, _ = real_edits
    edit = store.ptp(first, second)
    assert edit is not None
    # In the CMS file the subq infusion is column 1 and the injection column 2 ("96369,96372,1,...").
    assert (edit.column1, edit.column2, edit.modifier_indicator) == ("96369", "96372", 1)
    assert edit.modifier_allowed and not edit.deleted
    assert edit.rationale == "CPT Manual or CMS manual coding instruction"
    assert edit.quarter == "2026 Q2"


def test_real_deleted_edit_is_kept_and_marked(real_edits: tuple[EditsStore, dict[str, str]]) -> None:
    store, _ = real_edits
    edit = store.ptp("99251", "90460")  # "90460,99251,9,..." in the file: a deleted edit
    assert edit is not None
    assert edit.modifier_indicator == 9 and edit.deleted
    assert "deleted" in edit.meaning


def test_real_pairs_among_three_codes(real_edits: tuple[EditsStore, dict[str, str]]) -> None:
    store, _ = real_edits
    found = {(edit.column1, edit.column2) for edit in store.pairs(["96369", "96372", "96360"])}
    # 96369/96372 and 96360/96372 are edits; the subq infusion and hydration pair is not edited.
    assert found == {("96369", "96372"), ("96360", "96372")}
    assert store.ptp("96369", "96360") is None


def test_real_info_and_summary(real_edits: tuple[EditsStore, dict[str, str]]) -> None:
    store, summaries = real_edits
    info = store.info()
    assert info["ptp"]["rows"] == 2_140_693
    assert info["ptp"]["deleted_rows"] == 14_051
    assert info["ptp"]["quarter"] == "2026 Q2"
    assert info["mue"]["rows"] == 15_095
    assert summaries["ptp"].startswith("Imported 2,140,693 PTP edits (2026 Q2) from ptp_practitioner_2026q2")
    assert summaries["mue"].startswith("Imported 15,095 MUE values (2026 Q2) from mue_practitioner_2026q2.csv in ")


def test_real_unknown_codes_answer_none(real_edits: tuple[EditsStore, dict[str, str]]) -> None:
    store, _ = real_edits
    assert store.mue("00000") is None
    assert store.ptp("96369", "00000") is None


# --- the scrubber on the real 2026 Q2 practitioner tables ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "verdicts", "words"),
    [
        # 96372/99214 is an indicator-1 edit in the CMS file: 25 on the E/M bypasses it; MUEs 2, 4, 8, 2 hold.
        pytest.param("99214-25, 96372, J1885 x4, 36415", ["pass"] * 4, "25 on the E/M bypasses", id="issue-example"),
        pytest.param("99214, 96372", ["fix", "pass"], "99214 is column 2 of 96372", id="em-without-25"),
        pytest.param("99214-59, 96372", ["fix", "pass"], "59 is not for an E/M", id="em-with-59"),
        pytest.param("96369, 96372-XS", ["pass", "pass"], "XS on 96372 bypasses", id="subq-injection-xs"),
        pytest.param("96372 x5", ["fix"], "exceed the MUE of 4", id="injection-over-mue"),
        pytest.param("J1885 x9", ["fix"], "exceed the MUE of 8", id="ketorolac-over-mue"),
        pytest.param("96374, 96376", ["pass", "deny"], "exceeds the MUE of 0", id="practitioner-96376-mue-0"),
    ],
)
def test_real_scrub(real_edits: tuple[EditsStore, dict[str, str]], text: str, verdicts: list[str], words: str) -> None:
    from assistant.edits.scrubber import parse_claim_lines, scrub

    store, _ = real_edits
    result = scrub(parse_claim_lines(text), store)
    assert [line.verdict for line in result.lines] == verdicts
    assert words in " ".join(f.message for line in result.lines for f in line.findings)
    assert any("derived copy" in note for note in result.notes)  # the shared PTP file is a derived copy


def test_real_facility_claim_never_uses_the_practitioner_mue(real_edits: tuple[EditsStore, dict[str, str]]) -> None:
    """Issue 12: "96376 exceeds MUE 0" on an ED facility claim came from the practitioner table."""
    from assistant.edits.scrubber import parse_claim_lines, scrub

    store, _ = real_edits
    result = scrub(parse_claim_lines("99284-25, 96374, 96376"), store, setting="facility")
    assert "MUE of 0" not in " ".join(f.message for line in result.lines for f in line.findings)
    assert [line.verdict for line in result.lines] == ["check"] * 3


@pytest.mark.parametrize(
    ("code", "active"),
    [
        pytest.param("36415", 22, id="venipuncture-issue-12"),  # issue 12: "36415 ... 22 active PTP edits"
        pytest.param("00000", 0, id="no-such-code"),
    ],
)
def test_real_ptp_count(real_edits: tuple[EditsStore, dict[str, str]], code: str, active: int) -> None:
    store, _ = real_edits
    assert store.ptp_count(code)[0] == active
