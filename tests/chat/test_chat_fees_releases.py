"""Release questions in the chat: changes between releases and MUE/PTP answers for a date of service.

The 2026 Q1 tables are DERIVED here (rows changed, added, deleted) from small files in the CMS layouts; the
hooks are called directly with a tiny router (the edits store's path is all they read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from assistant.chat.changes_chat import answer_changes_question, answer_dated_edits_question
from assistant.corpus.codes import find_codes
from assistant.edits import EditsStore
from assistant.edits.importers import import_mue, import_ptp
from assistant.settings import Settings
from tests.chat.route_stubs import Context, Parsed, Router

MUE_HEADER = "hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale\n"
Q2_MUE = MUE_HEADER + "96372,4,3,Date of Service Edit: Clinical,Clinical: Data\n" \
    "J9271,400,3,Date of Service Edit: Clinical,Prescribing Information\n"
Q1_MUE = MUE_HEADER + "96372,6,3,Date of Service Edit: Clinical,Clinical: Data\n" \
    "0999T,1,3,Date of Service Edit: Clinical,Clinical: Data\n"
PTP_HEADER = "column1,column2,modifier_indicator,ptp_edit_rationale\n"
Q1_PTP = PTP_HEADER + "96413,96360,1,Standards of medical / surgical practice\n"
Q2_PTP = PTP_HEADER + "96413,96360,1,Standards of medical / surgical practice\n" \
    "96413,96372,0,Misuse of column two code with column one code\n"


@pytest.fixture(scope="module")
def router(tmp_path_factory: pytest.TempPathFactory) -> Router:
    directory = tmp_path_factory.mktemp("release-chat")
    settings = Settings(data_dir=directory)
    for name, text in (("mue_2026q1.csv", Q1_MUE), ("mue_2026q2.csv", Q2_MUE), ("ptp_2026q1.csv", Q1_PTP),
                       ("ptp_2026q2.csv", Q2_PTP)):
        (directory / name).write_text(text)
    import_mue(directory / "mue_2026q1.csv", settings, progress=False)
    import_mue(directory / "mue_2026q2.csv", settings, progress=False)
    import_ptp(directory / "ptp_2026q1.csv", settings, progress=False)
    import_ptp(directory / "ptp_2026q2.csv", settings, progress=False)
    return Router(EditsStore(directory / "edits.sqlite3"))


def _changes(router: Router, question: str):
    return answer_changes_question(Parsed(question, find_codes(question)), Context(), router)


@pytest.mark.parametrize(("question", "fragments"), [
    ("what changed in the MUE this quarter", ["2026 Q1 -> 2026 Q2: 1 added, 1 deleted, 1 changed", "| added | J9271"]),
    ("PTP edits added for 96413", ["1 added, 0 deleted, 0 changed", "96413 / 96372"]),
    ("MUE changes for 96372", ["0 added, 0 deleted, 1 changed", "value 6", "value 4"]),
], ids=["mue-this-quarter", "ptp-added-for-code", "mue-changes-for-code"])
def test_changes_questions(router: Router, question: str, fragments: list[str]) -> None:
    answer = _changes(router, question)
    assert answer is not None and answer.route == "edits"
    for fragment in fragments:
        assert fragment in answer.answer
    assert answer.citations


@pytest.mark.parametrize("question", ["MUE 96372", "is 96372 bundled with 96413", "what changed in my life"],
                         ids=["plain-mue", "ptp-pair", "no-table"])
def test_not_a_changes_question(router: Router, question: str) -> None:
    assert _changes(router, question) is None


@pytest.mark.parametrize(("question", "day", "fragments"), [
    ("MUE 96372 DOS 3/31/2026", None, ["MUE 6", "2026 Q1 release"]),
    ("MUE 96372 DOS 4/1/2026", None, ["MUE 4", "2026 Q2 release"]),
    ("MUE 96372", date(2026, 2, 1), ["MUE 6", "2026 Q1 release"]),
    ("is 96372 bundled with 96413 DOS 2/1/2026", None, ["no PTP edit in the 2026 Q1 release"]),
    ("is 96372 bundled with 96413 DOS 5/1/2026", None, ["modifier indicator 0", "2026 Q2 release"]),
], ids=["mue-last-day-q1", "mue-first-day-q2", "mue-request-date", "ptp-before", "ptp-after"])
def test_dated_mue_and_ptp_use_the_release_in_force(router: Router, question: str, day: date | None,
                                                    fragments: list[str]) -> None:
    answer = answer_dated_edits_question(Parsed(question, find_codes(question)), Context(date_of_service=day),
                                         router)
    assert answer is not None
    for fragment in fragments:
        assert fragment in answer.answer


def test_dated_answer_outside_the_loaded_releases_says_so(router: Router) -> None:
    answer = answer_dated_edits_question(Parsed("MUE 96372 DOS 12/1/2025", ["96372"]), Context(), router)
    assert answer is not None and "before the first loaded release (2026 Q1" in answer.answer
    assert "MUE 6" not in answer.answer and answer.warnings


def test_no_date_leaves_the_question_to_the_edits_answers(router: Router) -> None:
    assert answer_dated_edits_question(Parsed("MUE 96372", ["96372"]), Context(), router) is None


@pytest.mark.parametrize(("claim", "denied"), [
    ("scrub 96413, 96372 DOS 2/1/2026", False),  # the 96413/96372 edit starts in 2026 Q2
    ("scrub 96413, 96372 DOS 5/1/2026", True),
], ids=["before-the-edit", "after-the-edit"])
def test_a_claim_scrubbed_for_its_date_of_service(router: Router, claim: str, denied: bool) -> None:
    from assistant.chat.edits_chat import scrub_answer

    answer = scrub_answer(claim, "professional", router)
    assert ("column 2 of 96413" in answer.answer) is denied
    assert ("2026 Q2" if denied else "2026 Q1") in answer.answer


def test_pfs_changes_report_the_conversion_factor_once(tmp_path) -> None:
    from assistant.edits.fees import import_pfs

    header = ("HCPCS,MOD,STATUS CODE,WORK RVU,NON-FAC PE RVU,FACILITY PE RVU,MP RVU,PCTC IND,GLOB DAYS,PRE OP,"
              "INTRA OP,POST OP,MULT PROC,BILAT SURG,ASST SURG,CO-SURG,TEAM SURG,CONV FACTOR\n")

    def row(code: str, glob: str, cf: str) -> str:
        return f"{code},,A,1.00,2.00,1.00,0.50,0,{glob},0.10,0.70,0.20,2,1,2,1,0,{cf}\n"

    settings = Settings(data_dir=tmp_path)
    (tmp_path / "pfs_2025q4.csv").write_text(header + row("27447", "090", "32.3465") + row("69990", "ZZZ", "32.3465"))
    (tmp_path / "pfs_2026q1.csv").write_text(header + row("27447", "010", "33.4009"))
    import_pfs(tmp_path / "pfs_2025q4.csv", settings)
    import_pfs(tmp_path / "pfs_2026q1.csv", settings)  # one row of two: another release, so no shrink guard
    answer = _changes(Router(EditsStore(tmp_path / "edits.sqlite3")), "what changed in the PFS")
    assert answer is not None and "2025 Q4 -> 2026 Q1: 0 added, 1 deleted, 1 changed" in answer.answer
    assert "global_days 090" in answer.answer and "Conversion factor: $32.3465 in 2025 Q4" in answer.answer


@dataclass
class _Record:
    code: str
    title: str
    added_on: date | None
    terminated_on: date | None = None
    system: str = "HCPCS"


class _Corpus(list):
    retired: dict = {}


def test_new_hcpcs_codes_in_a_year(router: Router) -> None:
    corpus = _Corpus([_Record("J9999", "old", date(2000, 1, 1)), _Record("J0001", "new one", date(2025, 4, 1)),
                      _Record("J0002", "new two", date(2025, 1, 1)), _Record("99213", "cpt", None, system="CPT")])
    answer = answer_changes_question(Parsed("new HCPCS codes in 2025"), Context(), Router(router.edits, corpus))
    assert answer is not None and "HCPCS Level II codes added in 2025: 2" in answer.answer
    assert answer.answer.index("J0002") < answer.answer.index("J0001") and "J9999" not in answer.answer
