"""Place of service: look-ups, searches, the facility / non-facility rate where CMS says so, revenue codes (NUBC),
and the POS file's checks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.chat.pos import pos_answer, search_pos
from assistant.corpus.pos import PosFileError, load_pos, pos_codes

POS_CSV = "pos_codes_2026.csv"


def test_every_cms_pos_code_is_bundled_with_its_cms_name(shared_data: Path) -> None:
    with (shared_data / POS_CSV).open(encoding="utf-8") as handle:
        cms = {row["pos_code"].zfill(2): row["pos_name"] for row in csv.DictReader(handle)}
    assert cms and {code: entry.name for code, entry in pos_codes().items()} == cms


@pytest.mark.parametrize(
    ("question", "code", "rate"),
    [
        pytest.param("POS 19", "19", "facility", id="off-campus-hopd"),
        pytest.param("what is POS 22", "22", "facility", id="on-campus-hopd"),
        pytest.param("place of service 11", "11", "non-facility", id="office"),
        pytest.param("pos 2", "02", "facility", id="one-digit-telehealth"),
        pytest.param("POS 10?", "10", "non-facility", id="telehealth-home"),
        pytest.param("what is POS 50", "50", "its own payment system", id="fqhc"),
        pytest.param("POS 81", "81", "not stated here", id="lab-not-stated"),
    ],
)
def test_pos_look_up_names_the_rate(question: str, code: str, rate: str) -> None:
    answer = pos_answer(question)
    assert answer is not None and answer.codes[0].code == code
    assert rate in answer.answer


def test_unassigned_pos_number_is_said_so() -> None:
    answer = pos_answer("POS 30")
    assert answer is not None and answer.codes == [] and "not a CMS place of service code" in answer.warnings[0]


@pytest.mark.parametrize(
    ("question", "code"),
    [
        pytest.param("POS for telehealth in the patient's home", "10", id="telehealth-home"),
        pytest.param("what POS for an off-campus hospital outpatient department", "19", id="off-campus"),
        pytest.param("place of service for an ambulatory surgical center", "24", id="asc"),
        pytest.param("POS for a nursing home visit", "32", id="nursing-home"),
        pytest.param("POS for urgent care", "20", id="urgent-care"),
        pytest.param("which POS for the emergency room", "23", id="er"),
        pytest.param("POS skilled nursing facility", "31", id="snf"),
        pytest.param("POS for a house call", "12", id="home"),
    ],
)
def test_pos_search(question: str, code: str) -> None:
    assert [entry.code for entry in search_pos(question)][:1] == [code]


def test_pos_question_without_a_place_asks() -> None:
    answer = pos_answer("what POS should I use")
    assert answer is not None and answer.codes == [] and "Which place" in answer.answer


def test_not_a_pos_question_is_left_alone() -> None:
    assert pos_answer("subq infusion 2 hours") is None


def test_revenue_codes_are_named_as_nubc_licensed_and_none_is_given() -> None:
    answer = pos_answer("what revenue code for IV therapy")
    assert answer is not None and answer.codes == [] and "NUBC" in answer.answer


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('- code: "11"\n  name: Office\n  description: x\n  rate: cheap\n', r"entry #1: rate",
                     id="bad-rate"),
        pytest.param('- code: "1"\n  name: Office\n  description: x\n  rate: facility\n', r"entry #1: code",
                     id="bad-code"),
        pytest.param('- code: "11"\n  name: A\n  description: x\n  rate: facility\n'
                     '- code: "11"\n  name: B\n  description: y\n  rate: facility\n',
                     r"entry #2: POS 11 is listed twice", id="twice"),
        pytest.param("code: 11\n", "should be a YAML list", id="not-a-list"),
    ],
)
def test_bad_pos_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "pos.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PosFileError, match=message):
        load_pos(path)
