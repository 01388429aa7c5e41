"""The claim-line scrubber on small tables the tests write (values are test data, not CMS values)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.edits import EditsStore
from assistant.edits.importers import import_addon, import_mue, import_mue_oph, import_ptp, import_ptp_oph
from assistant.edits.scrubber import (
    ClaimLine,
    bypass_advice,
    claim_lines_from_json,
    is_em,
    parse_claim_lines,
    scrub,
)
from assistant.settings import Settings

WriteTable = Callable[..., Path]
ImportTables = Callable[..., EditsStore]  # the import_tables fixture of conftest.py

MUE_ROWS = [
    "96372,4,3,Date of Service Edit: Clinical,Clinical: Data",
    "96376,0,3,Date of Service Edit: Clinical,CMS Policy",
    "J1885,8,3,Date of Service Edit: Clinical,Prescribing Information",
    "36415,2,3,Date of Service Edit: Clinical,CMS Policy",
    "20610,2,1,Claim Line Edit,Anatomic Consideration",
    "27447,1,2,Date of Service Edit: Policy,CMS Policy",
]
OPH_MUE_ROWS = ["96376,3,3,Date of Service Edit: Clinical,Clinical: Data", "96372,6,3,Date of Service Edit: Clinical,D"]
PTP_ROWS = [
    "96372,99214,1,Standards of medical/surgical practice",
    "96369,96372,1,CPT Manual or CMS manual coding instruction",
    "36415,99211,1,Misuse of Column Two code with Column One code",
    "96374,96376,0,Misuse of Column Two code with Column One code",
    "96360,96361,9,Deleted edit",
]


@pytest.fixture
def loaded(import_tables: ImportTables) -> EditsStore:
    """Practitioner MUE and PTP tables only (no outpatient hospital tables, no add-on table)."""
    return import_tables(MUE_ROWS, PTP_ROWS)


def _verdicts(result) -> list[str]:
    return [line.verdict for line in result.lines]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("99214-25, 96372, J1885 x4, 36415",
                     [("99214", ("25",), 1), ("96372", (), 1), ("J1885", (), 4), ("36415", (), 1)], id="issue-example"),
        pytest.param("6 units of 96372", [("96372", (), 6)], id="units-before"),
        pytest.param("96372 x 6 units", [("96372", (), 6)], id="x-and-units"),
        pytest.param("J1885x4; 96372-59-RT", [("J1885", (), 4), ("96372", ("59", "RT"), 1)], id="glued-x-two-mods"),
        pytest.param("96372 mod 59 and 96369", [("96372", ("59",), 1), ("96369", (), 1)], id="mod-word"),
        pytest.param("99214 with modifier 25\n96372", [("99214", ("25",), 1), ("96372", (), 1)], id="modifier-word"),
        pytest.param("96372, 96372", [("96372", (), 1), ("96372", (), 1)], id="code-twice-two-lines"),
        pytest.param("96372 x0", [("96372", (), 0)], id="zero-units-kept"),
        pytest.param("no codes here", [], id="nothing"),
        pytest.param("J9271 x200 (NDC 00006-3026-02)", [("J9271", (), 200)], id="ndc-is-not-a-line"),
    ],
)
def test_parse_claim_lines(text: str, expected: list[tuple[str, tuple[str, ...], int]]) -> None:
    assert [(line.code, line.modifiers, line.units) for line in parse_claim_lines(text)] == expected


def test_display() -> None:
    assert ClaimLine("99214", ("25",)).display == "99214-25"
    assert ClaimLine("J1885", (), 4).display == "J1885 x4"


def test_claim_lines_from_json() -> None:
    lines = claim_lines_from_json('[{"code": "99214", "modifiers": ["25"]}, {"code": "j1885", "units": 4},'
                                  ' {"code": "96372", "modifiers": "59, XU"}]')
    assert lines == [ClaimLine("99214", ("25",), 1), ClaimLine("J1885", (), 4), ClaimLine("96372", ("59", "XU"), 1)]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param("[", "not valid JSON", id="bad-json"),
        pytest.param("[]", "non-empty JSON list", id="empty"),
        pytest.param('{"code": "99214"}', "non-empty JSON list", id="object-not-list"),
        pytest.param('[{"code": "9921"}]', "line 1: code '9921'", id="short-code"),
        pytest.param('[{"code": "99214"}, {"code": "96372", "units": 1.5}]', "line 2: units 1.5", id="fraction"),
        pytest.param('[{"code": "99214", "modifiers": ["252"]}]', "two letters or digits", id="long-modifier"),
        pytest.param('["99214"]', "line 1: expected an object", id="string-entry"),
    ],
)
def test_claim_lines_from_bad_json(data: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        claim_lines_from_json(data)


@pytest.mark.parametrize(("code", "em"), [("99202", True), ("99499", True), ("99201", False), ("99500", False),
                                          ("96372", False), ("G0463", False)])
def test_is_em_boundaries(code: str, em: bool) -> None:
    assert is_em(code) is em


# --- PTP ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "verdicts", "words"),
    [
        pytest.param("99214-25, 96372, J1885 x4, 36415", ["pass"] * 4, "25 on the E/M bypasses", id="em-with-25"),
        pytest.param("99214, 96372", ["fix", "pass"], "no E/M modifier (25)", id="em-without-modifier"),
        pytest.param("99214-59, 96372", ["fix", "pass"], "59 is not for an E/M", id="em-with-59"),
        pytest.param("96369, 96372-59", ["pass", "pass"], "59 on 96372 bypasses", id="column2-with-59"),
        pytest.param("96369, 96372-XU", ["pass", "pass"], "XU on 96372 bypasses", id="column2-with-xu"),
        pytest.param("96369, 96372", ["pass", "fix"], "no modifier that bypasses", id="column2-no-modifier"),
        pytest.param("96369-59, 96372", ["pass", "fix"], "belongs on the column 2 code", id="modifier-on-column1"),
        pytest.param("96369, 96372-25", ["pass", "fix"], "25/57 are for an E/M", id="25-on-a-procedure"),
        pytest.param("96374, 96376-59", ["pass", "deny"], "no modifier bypasses it", id="indicator-0"),
        pytest.param("96360, 96361", ["pass", "pass"], "no edit applies", id="deleted-edit-ignored"),
    ],
)
def test_ptp(loaded: EditsStore, text: str, verdicts: list[str], words: str) -> None:
    result = scrub(parse_claim_lines(text), loaded)
    assert _verdicts(result) == verdicts
    messages = " ".join(f.message for line in result.lines for f in line.findings) or "no edit applies"
    assert words in messages
    if "fix" in verdicts or "deny" in verdicts:
        assert any("practitioner PTP table, 2026 Q2" in c for c in result.citations)
        assert any("chapter I, section E" in c for c in result.citations)


def test_bypass_advice_names_the_modifiers(loaded: EditsStore) -> None:
    assert "59 or XE/XS/XP/XU" in bypass_advice(loaded.ptp("96369", "96372"))
    em = bypass_advice(loaded.ptp("96372", "99214"))
    assert "25 on the E/M 99214" in em and "59 and XE/XS/XP/XU are not for an E/M" in em
    assert "No modifier bypasses" in bypass_advice(loaded.ptp("96374", "96376"))
    assert "Given modifier 59: 59 is not for an E/M" in bypass_advice(loaded.ptp("96372", "99214"), ["59"])


# --- MUE ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "verdicts", "words"),
    [
        pytest.param("96372 x4", ["pass"], "", id="at-mue"),
        pytest.param("96372 x5", ["fix"], "5 units for the date of service (all its lines) exceed the MUE of 4",
                     id="one-over-mue"),
        pytest.param("96372 x3, 96372-59 x2", ["fix", "fix"], "5 units for the date of service", id="mai3-summed"),
        pytest.param("20610-RT x2, 20610-LT x2", ["pass", "pass"], "", id="mai1-per-line-at-limit"),
        pytest.param("20610 x3", ["fix"], "3 units on this line exceed the MUE of 2", id="mai1-over"),
        pytest.param("27447 x2", ["fix"], "absolute limit", id="mai2-no-appeal"),
        pytest.param("96372 x0", ["fix"], "0 units is not a unit count", id="zero-units"),
        pytest.param("99999 x40", ["pass"], "", id="no-mue-listed"),
        pytest.param("96376", ["deny"], "1 unit for the date of service (all its lines) exceeds the MUE of 0",
                     id="mue-0-not-reportable"),
    ],
)
def test_mue(loaded: EditsStore, text: str, verdicts: list[str], words: str) -> None:
    result = scrub(parse_claim_lines(text), loaded)
    assert _verdicts(result) == verdicts
    text_out = " ".join(f"{f.message} {f.fix}" for line in result.lines for f in line.findings)
    assert words in text_out


def test_facility_claim_is_not_checked_against_the_practitioner_tables(loaded: EditsStore) -> None:
    """Issue 12: "96376 exceeds MUE 0" must not appear on a facility claim from the practitioner table."""
    result = scrub(parse_claim_lines("96374, 96376"), loaded, setting="facility")
    messages = " ".join(f.message for line in result.lines for f in line.findings)
    assert "MUE of 0" not in messages and "indicator 0" not in messages
    assert _verdicts(result) == ["check", "check"]
    assert any("outpatient hospital MUE table is not loaded" in note and "was not used" in note
               for note in result.notes)
    assert any("import it with `python -m assistant import ptp-oph FILE`" in note for note in result.notes)
    assert "could not be fully checked" in result.summary and "facility claim" in result.summary


def test_facility_claim_uses_the_outpatient_hospital_tables(
    loaded: EditsStore, settings: Settings, write_mue: WriteTable, write_ptp: WriteTable
) -> None:
    import_mue_oph(write_mue("oph_mue_2026q2.csv", OPH_MUE_ROWS, header_line="hcpcs_cpt_code,"
                             "outpatient_hospital_services_mue_values,mai,mai_description,mue_rationale"),
                   settings, progress=False)
    import_ptp_oph(write_ptp("oph_ptp_2026q2.csv", ["96374,96376,1,Test rationale"]), settings, progress=False)
    facility = scrub(parse_claim_lines("96374, 96376-XU x2"), loaded, setting="facility")
    assert _verdicts(facility) == ["pass", "pass"]  # OPH MUE 3, OPH PTP indicator 1 with XU
    assert any("outpatient hospital MUE table" in c for c in facility.citations)
    assert not any("practitioner" in c for c in facility.citations)
    professional = scrub(parse_claim_lines("96374, 96376-XU x2"), loaded)
    assert _verdicts(professional) == ["pass", "deny"]  # practitioner: MUE 0 and indicator 0


def test_no_store_at_all(settings: Settings) -> None:
    result = scrub(parse_claim_lines("96372, 96369"), None)
    assert _verdicts(result) == ["check", "check"] and len(result.notes) == 2


def test_unknown_setting_is_a_value_error(loaded: EditsStore) -> None:
    with pytest.raises(ValueError, match="setting"):
        scrub([ClaimLine("96372")], loaded, setting="office")


# --- add-ons and validity ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "verdicts"),
    [
        pytest.param("96365, 96366", ["pass", "pass"], id="primary-present"),
        pytest.param("96366", ["deny"], id="primary-missing"),
        pytest.param("96413, 96366", ["pass", "pass"], id="second-listed-primary"),
    ],
)
def test_addons_from_the_corpus(loaded: EditsStore, text: str, verdicts: list[str]) -> None:
    result = scrub(parse_claim_lines(text), loaded, addons={"96366": ("96365", "96413")})
    assert _verdicts(result) == verdicts
    if "deny" in verdicts:
        assert result.lines[0].fix == "report 96366 with 96365 or 96413, or remove it"


@pytest.mark.parametrize(
    ("text", "verdicts", "words"),
    [
        pytest.param("96367", ["deny"], "type 1 add-on without one of its primary codes (96365, 96374)", id="t1"),
        pytest.param("96374, 96367", ["pass", "pass"], "", id="t1-with-primary"),
        pytest.param("99292", ["deny"], "add-on reported alone", id="t2-alone"),
        pytest.param("99291, 99292", ["pass", "pass"], "", id="t2-with-another-code"),
        pytest.param("11001, 17000", ["check", "pass"], "type 3 add-on", id="t3-unlisted-primary"),
    ],
)
def test_addons_from_the_cms_table(
    loaded: EditsStore, settings: Settings, tmp_path: Path, text: str, verdicts: list[str], words: str
) -> None:
    path = tmp_path / "aoc_2026q2.csv"
    path.write_text("Add-on Code,Primary Code,AOC Edit Type\n96367,96365,1\n96367,96374,1\n99292,CCCCC,2\n"
                    "11001,11000,3\n")
    import_addon(path, settings, progress=False)
    # The CMS table wins over the corpus map for a code it lists.
    result = scrub(parse_claim_lines(text), loaded, addons={"96367": ("99999",)})
    assert _verdicts(result) == verdicts
    assert words in " ".join(f.message for line in result.lines for f in line.findings)


def test_validity_callback(loaded: EditsStore) -> None:
    def validity(code: str) -> str | None:
        return "terminated 2024-03-31; bill J1010 instead" if code == "J1040" else None

    result = scrub(parse_claim_lines("J1040, 96372"), loaded, validity=validity)
    assert _verdicts(result) == ["deny", "pass"]
    assert "J1010" in result.lines[0].fix


# --- invariants --------------------------------------------------------------------------------------------------
_CODES = ["99214", "96372", "96369", "J1885", "36415", "96374", "96376", "20610"]
_MODS = ["", "-25", "-59", "-XU"]


def _claim(draw_codes: list[tuple[str, str, int]]) -> list[ClaimLine]:
    return parse_claim_lines(", ".join(f"{code}{mod} x{units}" for code, mod, units in draw_codes))


@given(st.lists(st.tuples(st.sampled_from(_CODES), st.sampled_from(_MODS), st.integers(1, 6)), min_size=1,
                max_size=5))
def test_scrub_is_independent_of_line_order(tmp_path_factory: pytest.TempPathFactory, claim) -> None:
    """The verdict and findings of a line do not depend on where it sits on the claim; the claim's verdict is its
    worst line's."""
    store = _shared_store(tmp_path_factory)
    lines = _claim(claim)
    first = scrub(lines, store, addons={"96376": ("96374",)})
    for permutation in itertools.islice(itertools.permutations(range(len(lines))), 6):
        again = scrub([lines[i] for i in permutation], store, addons={"96376": ("96374",)})
        assert {(lines[i], again.lines[k].verdict, tuple(sorted(f.message for f in again.lines[k].findings)))
                for k, i in enumerate(permutation)} == {
            (line.line, line.verdict, tuple(sorted(f.message for f in line.findings))) for line in first.lines}
    order = ["pass", "check", "fix", "deny"]
    assert first.verdict == max((line.verdict for line in first.lines), key=order.index)


_STORES: dict[str, EditsStore] = {}


def _shared_store(tmp_path_factory: pytest.TempPathFactory) -> EditsStore:
    if "store" not in _STORES:
        data_dir = tmp_path_factory.mktemp("scrub-property")
        settings = Settings(data_dir=data_dir)
        header_mue = "hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale\n"
        header_ptp = "column1,column2,modifier_indicator,ptp_edit_rationale\n"
        (data_dir / "mue_2026q2.csv").write_text(header_mue + "\n".join(MUE_ROWS) + "\n")
        (data_dir / "ptp_2026q2.csv").write_text(header_ptp + "\n".join(PTP_ROWS) + "\n")
        import_mue(data_dir / "mue_2026q2.csv", settings, progress=False)
        import_ptp(data_dir / "ptp_2026q2.csv", settings, progress=False)
        _STORES["store"] = EditsStore(settings.resolved_data_dir / "edits.sqlite3")
    return _STORES["store"]
