"""Fee schedule questions in the chat, on two small PFS releases written here in the CMS PPRRVU layout.

The values are test data in the CMS layout (indicators chosen to cover each answer), not the CMS file's. The
hook `answer_fee_question` is called directly; a few questions also go through `Assistant.ask` (the session
assistant's corpus and retriever, this module's data directory) to check the router hook and the request field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from assistant.chat.assistant import Assistant
from assistant.chat.dates import find_date_of_service
from assistant.chat.fees_chat import answer_fee_question
from assistant.corpus.codes import find_codes
from assistant.edits import EditsStore
from assistant.edits.fees import import_pfs
from assistant.settings import Settings
from tests.chat.route_stubs import Context, Parsed, Router
from tests.edits.pfs_files import HEADER  # the CMS PPRRVU layout's title and stacked header

OCTOBER = "2025 National Physician Fee Schedule Relative Value File October Release"
JANUARY = "2026 National Physician Fee Schedule Relative Value File January Release"
# code, mod, status, work, pe_nf, nf_na, pe_f, mp, pctc, glob, bilat, asst, cosurg, team
ROWS = [
    ("27447", "", "A", "19.60", "15.30", "NA", "15.30", "3.98", "0", "090", "1", "2", "1", "0"),
    ("20610", "", "A", "0.79", "1.04", "", "0.44", "0.13", "0", "000", "1", "1", "0", "0"),
    ("93000", "", "A", "0.17", "0.24", "", "0.24", "0.02", "4", "XXX", "0", "0", "0", "0"),
    ("71046", "", "A", "0.22", "0.90", "", "0.90", "0.02", "1", "XXX", "3", "9", "9", "9"),
    ("71046", "26", "A", "0.22", "0.08", "", "0.08", "0.01", "1", "XXX", "3", "9", "9", "9"),
    ("71046", "TC", "A", "0.00", "0.82", "", "0.82", "0.01", "1", "XXX", "3", "9", "9", "9"),
    ("J9271", "", "E", "0.00", "0.00", "", "0.00", "0.00", "9", "XXX", "9", "9", "9", "9"),
    ("69990", "", "B", "0.00", "0.00", "", "0.00", "0.00", "0", "ZZZ", "0", "0", "0", "0"),
]


def _csv(title: str, rows: list[tuple[str, ...]], cf: str) -> str:
    lines = [
        f"{c},{m},,{s},,{w},{nf},{nfna},{f},,{mp},,,{pctc},{glob},0.10,0.70,0.20,2,{bi},{asst},{co},{team},,{cf},09"
        for c, m, s, w, nf, nfna, f, mp, pctc, glob, bi, asst, co, team in rows
    ]
    return HEADER.format(title=title) + "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2025 Q4 (27447 global 090) and 2026 Q1 (27447 global 010, CF 33.4009) loaded."""
    directory = tmp_path_factory.mktemp("fees-data")
    settings = Settings(data_dir=directory)
    (directory / "oct.csv").write_text(_csv(OCTOBER, ROWS, "32.3465"))
    january = [row if row[0] != "27447" else (*row[:9], "010", *row[10:]) for row in ROWS]
    (directory / "jan.csv").write_text(_csv(JANUARY, january, "33.4009"))
    import_pfs(directory / "oct.csv", settings)
    import_pfs(directory / "jan.csv", settings)
    return directory


def _ask(data_dir: Path, question: str, **context: object):
    router = Router(EditsStore(data_dir / "edits.sqlite3"))
    return answer_fee_question(Parsed(question, find_codes(question)), Context(**context), router)


QUESTIONS = [
    pytest.param("global period for 27447", ["Global 010", "PFS 2026 Q1 release"], id="global"),
    pytest.param("does 93000 have a TC/26", ["PC/TC indicator 4", "Do not append 26 or TC to 93000"], id="no-split"),
    pytest.param("can I bill 71046 with 26", ["PC/TC indicator 1", "71046-26 and 71046-TC"], id="split"),
    pytest.param("bilateral 20610 how to bill", ["Bilateral (50) 1", "modifier 50 and 1 unit", "150%"],
                 id="bilateral-150"),
    pytest.param("is modifier 50 allowed on 93000", ["Bilateral (50) 0", "Do not use modifier 50"], id="no-50"),
    pytest.param("bilateral 71046", ["Bilateral (50) 3", "each side is paid at 100%"], id="bilateral-each-side"),
    pytest.param("assistant at surgery allowed for 27447", ["Assistant at surgery (80/81/82/AS) 2", "may be paid"],
                 id="assistant-allowed"),
    pytest.param("assistant surgeon on 20610?", ["Assistant at surgery (80/81/82/AS) 1", "may not be paid"],
                 id="assistant-barred"),
    pytest.param("co-surgeons for 27447", ["Co-surgeons (62) 1", "documentation"], id="co-surgeons"),
    pytest.param("is J9271 payable by Medicare", ["No: status E", "excluded"], id="status-e"),
    pytest.param("is 27447 payable by medicare", ["Yes: status A"], id="status-a"),
    pytest.param("is 69990 payable by Medicare", ["No: status B", "bundled"], id="status-b"),
    pytest.param("national payment for 20610", ["non-facility $65.47", "facility $45.43", "unadjusted"],
                 id="payment"),
    pytest.param("national payment for 27447", ["non-facility not priced in this setting (NA)", "facility $1,298.63"],
                 id="payment-facility-only"),
    pytest.param("is 99211 payable with 96372 for Medicare", ["99211 is not paid", "30.6.7"], id="99211-drug-admin"),
    pytest.param("is 80 allowed on 20610", ["Assistant at surgery (80/81/82/AS) 1"], id="80-allowed-on"),
    pytest.param("is 62 allowed on 20610", ["Co-surgeons (62) 0", "not permitted"], id="62-allowed-on"),
    pytest.param("team surgery on 27447", ["Team surgery (66) 0"], id="team"),
]


@pytest.mark.parametrize(("question", "fragments"), QUESTIONS)
def test_fee_questions(data_dir: Path, question: str, fragments: list[str]) -> None:
    answer = _ask(data_dir, question)
    assert answer is not None
    for fragment in fragments:
        assert fragment in answer.answer
    assert answer.citations


@pytest.mark.parametrize("question", [
    "96372 x 6 units, over the MUE?", "scrub 27447-80, 20610-50", "what is 27447", "27447 and 29881 PTP edit",
    "global period please",
], ids=["mue", "scrub", "plain-lookup", "ptp", "no-code"])
def test_not_a_fee_question_is_left_to_the_other_routes(data_dir: Path, question: str) -> None:
    assert _ask(data_dir, question) is None


@pytest.mark.parametrize(("question", "day", "expected"), [
    ("global period for 27447 DOS 12/31/2025", None, "Global 090"),
    ("global period for 27447 DOS 1/1/2026", None, "Global 010"),
    ("global period for 27447", date(2025, 11, 2), "Global 090"),
    ("global period for 27447 DOS 2/1/2026", date(2025, 11, 2), "Global 010"),  # typed date wins over the request
], ids=["typed-before-jan", "typed-on-jan-1", "request-field", "typed-wins"])
def test_the_release_in_force_on_the_date_of_service_answers(
    data_dir: Path, question: str, day: date | None, expected: str
) -> None:
    answer = _ask(data_dir, question, date_of_service=day)
    assert answer is not None and expected in answer.answer
    quarter = "2025 Q4" if expected == "Global 090" else "2026 Q1"
    assert f"PFS {quarter} release" in answer.answer


def test_a_date_before_the_loaded_releases_is_said_and_not_answered(data_dir: Path) -> None:
    answer = _ask(data_dir, "global period for 27447 DOS 3/15/2025")
    assert answer is not None and "No PFS release in force for date of service 2025-03-15" in answer.answer
    assert "Global" not in answer.answer and answer.warnings


def test_not_loaded_says_how_to_import(tmp_path: Path) -> None:
    answer = _ask(tmp_path, "global period for 27447")
    assert answer is not None and "python -m assistant import pfs" in answer.answer


@pytest.mark.parametrize(("text", "expected"), [
    ("DOS 3/15/2025", date(2025, 3, 15)), ("date of service 2025-12-01", date(2025, 12, 1)),
    ("for a date of service last January", date(2026, 1, 1)), ("DOS last quarter", date(2026, 1, 1)),
    ("service date Oct 2025", date(2025, 10, 1)), ("DOS 3/15/25", date(2025, 3, 15)),
    ("3/4 mg", None), ("DOS 2/30/2025", None),
], ids=["us-slashes", "iso", "last-january", "last-quarter", "month-year", "two-digit-year", "no-cue", "impossible"])
def test_date_of_service_phrasing(text: str, expected: date | None) -> None:
    found = find_date_of_service(text, today=date(2026, 5, 10))
    assert (found.day if found else None) == expected


@pytest.fixture(scope="module")
def fees_assistant(assistant, data_dir: Path) -> Assistant:
    return Assistant(Settings(data_dir=data_dir), assistant.corpus, assistant.retriever,
                     EditsStore(data_dir / "edits.sqlite3"))


def test_the_router_hook_and_the_request_date(fees_assistant: Assistant) -> None:
    assert "Global 010" in fees_assistant.ask("global period for 27447").answer
    dated = fees_assistant.ask("global period for 27447", date_of_service=date(2025, 10, 15))
    assert "Global 090" in dated.answer and "PFS 2025 Q4 release" in dated.answer


class _DatedFake:
    """Records what reaches `ask` through the API (the web plumbing only)."""

    def __init__(self) -> None:
        self.days: list[date | None] = []

    def ask(self, question: str, history=None, payer=None, setting=None, date_of_service: date | None = None):
        from assistant.contract import Answer

        self.days.append(date_of_service)
        return Answer(route="help", answer="ok")

    def health(self) -> dict:
        return {"records": 1, "model": "fake"}


@pytest.mark.parametrize(("body", "expected"), [
    ({"question": "global period for 27447", "date_of_service": "2026-02-10"}, date(2026, 2, 10)),
    ({"question": "global period for 27447"}, None),
], ids=["with-date", "without-date"])
def test_the_api_passes_the_date_of_service(tmp_path: Path, body: dict, expected: date | None) -> None:
    from fastapi.testclient import TestClient

    from assistant.web import create_app

    fake = _DatedFake()
    with TestClient(create_app(fake, Settings(data_dir=tmp_path))) as client:
        assert client.post("/api/ask", json=body).status_code == 200
    assert fake.days == [expected]


def test_the_api_refuses_a_date_that_is_not_one(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from assistant.web import create_app

    fake = _DatedFake()
    with TestClient(create_app(fake, Settings(data_dir=tmp_path))) as client:
        response = client.post("/api/ask", json={"question": "x", "date_of_service": "2026-02-30"})
    assert response.status_code == 422 and fake.days == []


@pytest.mark.parametrize(("code", "present", "absent"), [
    ("27447", ["Medicare PFS (2026 Q1 release)", "**Status A**", "**Global 010**", "**Bilateral (50) 1**"], []),
    ("J9271", ["**Status E**"], ["Global", "Bilateral"]),  # indicators that do not apply are left out
    ("99999", [], ["Status"]),
], ids=["surgery", "drug-not-applicable-left-out", "not-listed"])
def test_look_up_card_adds_pfs_facts(data_dir: Path, code: str, present: list[str], absent: list[str]) -> None:
    from assistant.chat.fees_chat import pfs_card

    text, citations = pfs_card(EditsStore(data_dir / "edits.sqlite3"), code)
    assert all(fragment in text for fragment in present) and not any(fragment in text for fragment in absent)
    assert bool(citations) is bool(present)


@dataclass
class _Record:
    code: str
    system: str = "HCPCS"
    title: str = ""
    added_on: date | None = None
    terminated_on: date | None = None


class _Corpus:
    def __init__(self, *records: _Record) -> None:
        self.records = {record.code: record for record in records}

    def get(self, code: str) -> _Record | None:
        return self.records.get(code)

    def __iter__(self):
        return iter(self.records.values())


VALIDITY = _Corpus(_Record("J9035", added_on=date(2005, 1, 1)), _Record("J1040", added_on=date(2003, 1, 1),
                                                                      terminated_on=date(2024, 6, 30)))


@pytest.mark.parametrize(("question", "lead"), [
    ("was J9035 valid in 2024", "**Yes: J9035 in 2024.**"), ("was J9035 valid in 2004", "**No: J9035 in 2004.**"),
    ("was J1040 valid in 2024", "**Partly: valid for only part of 2024: J1040 in 2024.**"),
    ("was J1040 valid in 2025", "**No: J1040 in 2025.**"),
    ("was 27447 valid in 2024", "is a CPT code"), ("was J9999 valid in 2024", "not in the loaded code sets"),
], ids=["valid", "before-added", "terminated-mid-year", "after-terminated", "cpt", "unknown"])
def test_was_a_code_valid_in_a_year(tmp_path: Path, question: str, lead: str) -> None:
    router = Router(EditsStore(tmp_path / "edits.sqlite3"), VALIDITY)
    answer = answer_fee_question(Parsed(question, find_codes(question)), Context(), router)
    assert answer is not None and lead in answer.answer


def test_drug_payment_limit_names_the_quarter(tmp_path: Path) -> None:
    from assistant.corpus.importers.asp import import_asp

    (tmp_path / "asp_2026q1.csv").write_text(
        "hcpcs_code,short_description,hcpcs_code_dosage,payment_limit\nJ9271,Inj pembrolizumab,1 MG,59.726\n"
        "J9999,Not otherwise classified,1 MG,N/A\n")
    import_asp(tmp_path / "asp_2026q1.csv", Settings(data_dir=tmp_path))
    router = Router(EditsStore(tmp_path / "edits.sqlite3"))
    answer = _ask_with(router, "Medicare payment limit for J9271 this quarter")
    assert "$59.726 per billing unit (1 MG)" in answer.answer and "2026" in answer.answer
    assert "No Medicare payment limit for J9999" in _ask_with(router, "payment limit for J9999").answer


def _ask_with(router: Router, question: str):
    return answer_fee_question(Parsed(question, find_codes(question)), Context(), router)
