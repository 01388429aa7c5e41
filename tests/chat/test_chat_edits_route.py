"""Edits answers (MUE checks, PTP pairs, claim scrubbing) with tiny tables imported into a temporary data directory.

The corpus and retriever are the session assistant's (no second model load); only the EditsStore differs. The
questions go through `Assistant.ask`; the same questions also go straight to the hook
`assistant.chat.edits_chat.answer_edits_question`, which the router calls early in `Router.answer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.chat.assistant import Assistant
from assistant.chat.edits_chat import answer_edits_question
from assistant.edits import EditsStore
from assistant.edits.importers import import_mue, import_mue_oph, import_ptp
from assistant.settings import Settings

# Test data in the CMS layouts (values for these tests, except where a comment names the 2026 Q2 CMS table).
MUE_CSV = """hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale
96369,1,2,Date of Service Edit: Policy,Code Descriptor / CPT Instruction
96370,3,3,Date of Service Edit: Clinical,Clinical: CMS Workgroup
96371,1,3,Date of Service Edit: Clinical,Code Descriptor / CPT Instruction
96372,4,3,Date of Service Edit: Clinical,Clinical: Data
96376,0,3,Date of Service Edit: Clinical,CMS Policy
J9271,400,3,Date of Service Edit: Clinical,Prescribing Information
J1885,8,3,Date of Service Edit: Clinical,Prescribing Information
36415,2,3,Date of Service Edit: Clinical,CMS Policy
99214,2,3,Date of Service Edit: Clinical,Clinical: Data
"""
PTP_CSV = """column1,column2,modifier_indicator,ptp_edit_rationale
96369,96372,1,Misuse of column two code with column one code
96413,96360,1,Standards of medical / surgical practice
96365,96374,9,Deleted edit
96372,99214,1,Standards of medical/surgical practice
96374,96376,0,Misuse of Column Two code with Column One code
"""
OPH_MUE_CSV = """hcpcs_cpt_code,outpatient_hospital_services_mue_values,mai,mai_description,mue_rationale
96376,3,3,Date of Service Edit: Clinical,Clinical: Data
96372,6,3,Date of Service Edit: Clinical,Clinical: Data
"""

@dataclass
class _Parsed:
    text: str


@dataclass
class _Context:
    setting: str = "professional"
    warnings: list[str] = field(default_factory=list)


def _tables(data_dir: Path, *, oph: bool) -> Settings:
    settings = Settings(data_dir=data_dir)
    for name, text in (("mue_practitioner_2026q2.csv", MUE_CSV), ("ptp_practitioner_2026q2.csv", PTP_CSV)):
        (data_dir / name).write_text(text)
    import_mue(data_dir / "mue_practitioner_2026q2.csv", settings, progress=False)
    import_ptp(data_dir / "ptp_practitioner_2026q2.csv", settings, progress=False)
    if oph:
        (data_dir / "mue_oph_2026q2.csv").write_text(OPH_MUE_CSV)
        import_mue_oph(data_dir / "mue_oph_2026q2.csv", settings, progress=False)
    return settings


@pytest.fixture(scope="module")
def loaded(assistant, tmp_path_factory) -> Assistant:
    """An assistant whose data directory has the tiny practitioner MUE and PTP tables (2026 Q2), no OPH tables."""
    data_dir: Path = tmp_path_factory.mktemp("edits-data")
    settings = _tables(data_dir, oph=False)
    return Assistant(settings, assistant.corpus, assistant.retriever, EditsStore(data_dir / "edits.sqlite3"))


@pytest.fixture(scope="module")
def with_oph(assistant, tmp_path_factory) -> Assistant:
    """The same tables plus an outpatient hospital MUE table."""
    data_dir: Path = tmp_path_factory.mktemp("edits-oph-data")
    settings = _tables(data_dir, oph=True)
    return Assistant(settings, assistant.corpus, assistant.retriever, EditsStore(data_dir / "edits.sqlite3"))


def _hook(assistant: Assistant, question: str, setting: str = "professional"):
    return answer_edits_question(_Parsed(question), _Context(setting), assistant.router)


# --- MUE questions in any phrasing (issue 10 item 8) -------------------------------------------------------------
MUE_QUESTIONS = [
    pytest.param("96372 x 6 units, over the MUE?", "96372: 6 units exceed the MUE of 4", True, id="code-x-units"),
    pytest.param("is 6 units of 96372 over the MUE", "96372: 6 units exceed the MUE of 4", True, id="units-of-code"),
    pytest.param("is 4 units of 96372 over the MUE", "96372: 4 units are within the MUE of 4", False, id="at-mue"),
    pytest.param("MUE J9271", "J9271: MUE 400 (MAI 3)", False, id="mue-code"),
    pytest.param("what's the mue for 96370", "96370: MUE 3 (MAI 3)", False, id="mue-for-code"),
    pytest.param("medically unlikely edit 96376", "96376: MUE 0 (MAI 3)", False, id="spelled-out"),
]


@pytest.mark.parametrize(("question", "lead", "exceeds"), MUE_QUESTIONS)
def test_mue_questions_hook(loaded: Assistant, question: str, lead: str, exceeds: bool) -> None:
    answer = _hook(loaded, question)
    assert answer is not None and answer.route == "edits"
    assert lead in answer.answer
    assert "practitioner MUE table, 2026 Q2" in answer.answer
    assert any("practitioner MUE table, 2026 Q2" in citation for citation in answer.citations)
    assert any("exceed" in warning for warning in answer.warnings) is exceeds


@pytest.mark.parametrize(("question", "lead", "exceeds"), MUE_QUESTIONS)
def test_mue_questions_ask(loaded: Assistant, question: str, lead: str, exceeds: bool) -> None:
    answer = loaded.ask(question)
    assert answer.route == "edits" and lead in answer.answer


@pytest.mark.parametrize(
    ("question", "setting"),
    [
        pytest.param("MUE 96376", "facility", id="facility-request-setting"),
        pytest.param("96376 x1 over the MUE?", "facility", id="facility-with-units"),
    ],
)
def test_facility_mue_without_the_oph_table_says_so(loaded: Assistant, question: str, setting: str) -> None:
    """Issue 12: a facility question is never checked against the practitioner table silently."""
    answer = _hook(loaded, question, setting)
    assert answer is not None and answer.route == "edits"
    assert "outpatient hospital MUE table is not loaded" in answer.answer
    assert "python -m assistant import mue-oph FILE" in answer.answer
    assert "MUE 0" not in answer.answer and "exceed" not in answer.answer
    assert not [line for line in answer.codes if line.units]


def test_facility_mue_from_the_oph_table(with_oph: Assistant) -> None:
    answer = _hook(with_oph, "96376 x 2 units, over the MUE?", "facility")
    assert "96376: 2 units are within the MUE of 3" in answer.answer
    assert "outpatient hospital MUE table, 2026 Q2" in answer.answer
    professional = _hook(with_oph, "96376 x 2 units, over the MUE?")
    assert "96376: 2 units exceed the MUE of 0" in professional.answer


# --- PTP pairs -------------------------------------------------------------------------------------------------
def test_ptp_edit_found_with_modifier_indicator_in_plain_words(loaded: Assistant) -> None:
    answer = _hook(loaded, "can I bill 96369 and 96372 together")
    assert answer.route == "edits"
    assert [line.code for line in answer.codes] == ["96369", "96372"]
    assert "96369 (column 1) and 96372 (column 2), modifier indicator 1" in answer.answer
    assert "modifier such as 59" in answer.answer  # describe_modifier_indicator(1)
    assert "A modifier can bypass it: 59 or XE/XS/XP/XU" in answer.answer
    assert "Misuse of column two code" in answer.answer
    assert "practitioner PTP table, 2026 Q2" in answer.answer
    assert answer.citations and "2026 Q2" in answer.citations[0]
    assert "96369: MUE 1" in answer.answer


@pytest.mark.parametrize(
    ("question", "words"),
    [
        pytest.param("is 96360 bundled with 96413", "96413 (column 1) and 96360 (column 2)", id="reversed-order"),
        pytest.param("96369 with 99291 same day", "No PTP edit exists between 96369, 99291 in the practitioner PTP "
                     "table, 2026 Q2", id="no-edit"),
        pytest.param("99214 with 96372 same day", "25 on the E/M 99214", id="em-takes-25"),
        pytest.param("99214 and 96372 with modifier 59", "59 is not for an E/M", id="em-given-59"),
        pytest.param("96369 and 96372 with modifier 59", "59 on 96372 bypasses the edit", id="given-59"),
        pytest.param("96374 with 96376 bundled?", "No modifier bypasses this edit (indicator 0)", id="indicator-0"),
    ],
)
def test_ptp_answers(loaded: Assistant, question: str, words: str) -> None:
    answer = _hook(loaded, question)
    assert answer is not None and answer.route == "edits"
    assert words in answer.answer


def test_deleted_edit_is_not_an_active_edit(loaded: Assistant) -> None:
    answer = _hook(loaded, "96365 with 96374 same day")
    assert "No PTP edit exists" in answer.answer and "deleted edit" in answer.answer


def test_facility_ptp_without_the_oph_table_says_so(loaded: Assistant) -> None:
    answer = _hook(loaded, "can I bill 96374 and 96376 together", "facility")
    assert "outpatient hospital PTP table is not loaded" in answer.answer
    assert "indicator 0" not in answer.answer


@pytest.mark.parametrize(
    ("question", "words"),
    [
        pytest.param("can I bill 96369 and 96372 together", "modifier indicator 1", id="pair"),
        pytest.param("99214 with 96372 same day", "25 on the E/M 99214", id="em"),
    ],
)
def test_ptp_answers_ask(loaded: Assistant, question: str, words: str) -> None:
    answer = loaded.ask(question)
    assert answer.route == "edits" and words in answer.answer


# --- claim scrubbing -------------------------------------------------------------------------------------------
def test_scrub_the_issue_example(loaded: Assistant) -> None:
    answer = _hook(loaded, "scrub 99214-25, 96372, J1885 x4, 36415")
    assert answer.route == "edits"
    assert [(line.code, line.units) for line in answer.codes] == [("99214", 1), ("96372", 1), ("J1885", 4),
                                                                  ("36415", 1)]
    assert "4 of 4 lines pass (professional claim)" in answer.answer
    assert "25 on the E/M bypasses the edit" in answer.answer
    assert not answer.warnings


def test_scrub_reports_each_problem_with_its_fix(loaded: Assistant) -> None:
    answer = _hook(loaded, "99214, 96372 x6, 96374, 96376-59")
    assert "| 1 | 99214 | fix |" in answer.answer and "append 25 to the E/M" in answer.answer
    assert "| 2 | 96372 x6 | fix |" in answer.answer and "exceed the MUE of 4" in answer.answer
    assert "| 4 | 96376-59 | deny |" in answer.answer and "do not report 96376 with 96374" in answer.answer
    assert len(answer.warnings) == 3


def test_scrub_facility_claim_without_oph_tables(loaded: Assistant) -> None:
    answer = _hook(loaded, "claim: 96374, 96376", "facility")
    assert "could not be fully checked (facility claim)" in answer.answer
    assert "MUE of 0" not in answer.answer and "indicator 0" not in answer.answer


def test_scrub_ask(loaded: Assistant) -> None:
    answer = loaded.ask("scrub 99214-25, 96372, J1885 x4, 36415")
    assert answer.route == "edits" and "4 of 4 lines pass" in answer.answer


# --- not edits questions -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        pytest.param("subq 2.5 hours", id="no-code"),
        pytest.param("what is 96372", id="one-code-lookup"),
        pytest.param("96365 with 96366 for 90 minutes", id="per-code-duration"),
        pytest.param("96372 and 96374", id="two-codes-no-together-words"),
    ],
)
def test_not_an_edits_question(loaded: Assistant, question: str) -> None:
    assert _hook(loaded, question) is None


# --- the rest of the assistant still reads the tables ---------------------------------------------------------------
def test_units_over_mue_warns(loaded: Assistant) -> None:
    # rules.md 1: 300 minutes -> 96370 x4 (271 min reaches the fourth); the MUE of 96370 is 3.
    answer = loaded.ask("5 hours subq")
    assert answer.route == "units"
    assert {line.code: line.units for line in answer.codes} == {"96369": 1, "96370": 4}
    assert any("96370" in warning and "3" in warning and "4" in warning for warning in answer.warnings)


def test_units_within_mue_do_not_warn_about_mue(loaded: Assistant) -> None:
    answer = loaded.ask("subq 2.5 hours")
    assert answer.route == "units" and answer.codes  # counted, and the MUE table (96370: 3) was there to check
    assert not any("MUE" in warning for warning in answer.warnings)


def test_health_reports_loaded_tables(loaded: Assistant) -> None:
    health = loaded.health()
    assert health["edits"]["mue"] is True and health["edits"]["ptp"] is True
    assert health["edits"]["quarters"] == {"mue": "2026 Q2", "ptp": "2026 Q2"}


# --- setting-aware look-ups for the units and encounter routes -----------------------------------------------------
def test_mue_lookup_for_each_setting(with_oph: Assistant) -> None:
    from assistant.chat.edits_chat import edits_table_note, mue_lookup_for

    professional = mue_lookup_for(with_oph.edits, "professional")
    facility = mue_lookup_for(with_oph.edits, "facility")
    assert professional("96376").value == 0 and "practitioner MUE table" in professional("96376").mai_description
    assert facility("96376").value == 3 and "outpatient hospital MUE table" in facility("96376").mai_description
    assert facility("J1885") is None  # not in the OPH table: no limit, and never the practitioner one
    assert edits_table_note(with_oph.edits, "mue", "facility") is None


def test_facility_lookups_without_oph_tables_are_none_with_a_note(loaded: Assistant) -> None:
    """Issue 12: "96376 exceeds MUE 0" on an ED facility claim came from the practitioner table."""
    from assistant.chat.edits_chat import edits_table_note, mue_lookup_for, ptp_lookup_for

    assert mue_lookup_for(loaded.edits, "facility") is None
    assert ptp_lookup_for(loaded.edits, "facility") is None
    assert [(e.column1, e.column2) for e in ptp_lookup_for(loaded.edits, "professional")(["96374", "96376"])] == [
        ("96374", "96376")]
    note = edits_table_note(loaded.edits, "mue", "facility")
    assert "outpatient hospital MUE table is not loaded" in note and "import mue-oph FILE" in note
    assert edits_table_note(loaded.edits, "ptp", "professional") is None
    assert mue_lookup_for(None, "facility") is None and edits_table_note(None, "mue", "facility") is None
