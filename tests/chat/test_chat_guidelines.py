"""The guideline route (issue 23 item 2): rule questions get our article, both sides of each routing boundary, the
table facts for named codes, and the "Why:" link on units answers. Questions go through `Assistant.ask`."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat.assistant import Assistant
from assistant.chat.guidelines_chat import guideline_library
from assistant.edits import EditsStore
from assistant.edits.importers import import_mue, import_ptp
from assistant.settings import Settings
from assistant.units.sources import AUTHORITATIVE
from eval.guidelines import first_article_title, load_questions

QUESTIONS = load_questions()
GUIDELINES, _ = guideline_library()


def _title(article_id: str) -> str:
    article = GUIDELINES.get(article_id)
    assert article is not None, article_id
    return article.title


def test_the_question_set_is_large_and_names_real_articles():
    assert len(QUESTIONS) >= 120
    assert all(GUIDELINES.get(row["article"]) is not None for row in QUESTIONS)


@pytest.mark.parametrize("row", QUESTIONS, ids=[row["q"][:60] for row in QUESTIONS])
def test_rule_question_gets_its_article_first(assistant: Assistant, row: dict):
    answer = assistant.ask(row["q"], payer=row.get("payer"), setting=row.get("setting"))
    assert answer.route in ("guideline", "units")
    assert first_article_title(answer.answer) == _title(row["article"])


# --- the answer: short answer first, then details, then sources (primary first) ----------------------------------


def test_guideline_answer_leads_with_the_short_answer_and_ends_with_its_sources(assistant: Assistant):
    answer = assistant.ask("when is hydration billable with chemo")
    article = GUIDELINES.get("hydration-with-chemo")
    assert answer.route == "guideline" and article is not None
    text = answer.answer
    assert text.startswith(f"**{article.answer.strip()}**")
    assert text.index("**The rule:**") < text.index("**Examples:**") < text.index("**Sources:**")
    assert answer.citations[: len(article.sources)] == [source.text for source in article.sources]
    assert article.sources[0].kind in AUTHORITATIVE


# --- both sides of each boundary ----------------------------------------------------------------------------------

OTHER_ROUTES = [
    pytest.param("what is 96369", "lookup", id="code-card-stays-a-lookup"),
    pytest.param("what is modifier 59", "lookup", id="modifier-card-stays-a-lookup"),
    pytest.param("what is 96369 for K92.2", "lookup", id="code-with-a-diagnosis-stays-a-lookup"),
    pytest.param("what is the professional component modifier", "search", id="which-modifier-is-a-search"),
    pytest.param("code for chemo push", "search", id="code-for-is-a-search"),
    pytest.param("can I bill 96369 and 96372 together", "edits", id="code-pair-no-article-covers-is-the-ptp-edit"),
    pytest.param("IM injection how do I bill", "units", id="how-do-i-bill-a-service-counts-it"),
    pytest.param("subq 2.5 hours", "units", id="units-question-stays-units"),
]


@pytest.mark.parametrize(("question", "route"), OTHER_ROUTES)
def test_questions_other_routes_answer_keep_their_route(assistant: Assistant, question: str, route: str):
    assert assistant.ask(question).route == route


GUIDELINE_SIDE = [
    pytest.param("what is the 8 minute rule", "medicare-8-minute-rule", id="numbered-rule-name-is-not-a-time"),
    pytest.param("can G2211 be billed with modifier 25", "g2211-complexity", id="codes-only-but-asks-a-rule"),
    pytest.param("is 96376 billable on a physician claim", "push-96376-facility-only", id="yes-no-rule-with-a-code"),
    pytest.param("how do I bill drug wastage with JW", "jw-jz-modifiers", id="how-do-i-bill-a-rule"),
    pytest.param("what is the midpoint rule for time based codes", "cpt-time-rule-midpoint",
                 id="codes-word-in-a-rule-question"),
]


@pytest.mark.parametrize(("question", "article_id"), GUIDELINE_SIDE)
def test_the_guideline_side_of_each_boundary(assistant: Assistant, question: str, article_id: str):
    answer = assistant.ask(question)
    assert answer.route == "guideline"
    assert first_article_title(answer.answer) == _title(article_id)


def test_a_rule_question_with_a_time_gets_the_article_and_the_units(assistant: Assistant):
    answer = assistant.ask("what is the 8 minute rule for 38 minutes", payer="medicare")
    article = GUIDELINES.get("medicare-8-minute-rule")
    assert answer.route == "units" and article is not None
    assert answer.answer.startswith(f"**{article.title}:**")
    assert "38 total timed minutes are 3 unit(s)" in answer.answer  # the 38 minutes, not 8 + 38
    assert article.sources[0].text in answer.citations


def test_a_rule_question_with_per_code_minutes_counts_them(assistant: Assistant):
    answer = assistant.ask("8 minute rule 97110 20 min and 97140 10 min", payer="medicare")
    assert answer.route == "units"
    assert {line.code: line.units for line in answer.codes} == {"97110": 1, "97140": 1}
    assert answer.answer.startswith(f"**{_title('medicare-8-minute-rule')}:**")


WHY_LINKS = [
    pytest.param("subq 2.5 hours", {"96369": 1, "96370": 1}, "subq-infusion", id="subq"),
    pytest.param("critical care 110 min medicare", {"99291": 1, "99292": 1}, "critical-care-time", id="critical-care"),
    pytest.param("hydration 45 min", {"96360": 1}, "hydration-timing", id="hydration"),
]


@pytest.mark.parametrize(("question", "lines", "article_id"), WHY_LINKS)
def test_a_units_answer_keeps_its_lines_and_links_its_rule(assistant: Assistant, question: str, lines: dict,
                                                           article_id: str):
    answer = assistant.ask(question)
    assert answer.route == "units"
    assert {line.code: line.units for line in answer.codes} == lines
    assert f"_Why: {_title(article_id)} (ask" in answer.answer
    assert first_article_title(answer.answer) != _title(article_id)  # the units lead; the article is a link


# --- table facts for named codes ----------------------------------------------------------------------------------

MUE_CSV = """hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale
96372,4,3,Date of Service Edit: Clinical,Clinical: Data
99211,1,3,Date of Service Edit: Clinical,Clinical: Data
96370,3,3,Date of Service Edit: Clinical,Clinical: CMS Workgroup
"""
PTP_CSV = """column1,column2,modifier_indicator,ptp_edit_rationale
96372,99214,1,Standards of medical/surgical practice
96372,96523,0,CPT Manual or CMS manual coding instruction
"""


@pytest.fixture(scope="module")
def loaded(assistant: Assistant, tmp_path_factory) -> Assistant:
    """The session assistant's corpus and retriever with tiny practitioner MUE and PTP tables (test values)."""
    data_dir: Path = tmp_path_factory.mktemp("guideline-edits")
    settings = Settings(data_dir=data_dir)
    (data_dir / "mue.csv").write_text(MUE_CSV)
    (data_dir / "ptp.csv").write_text(PTP_CSV)
    import_mue(data_dir / "mue.csv", settings, progress=False)
    import_ptp(data_dir / "ptp.csv", settings, progress=False)
    return Assistant(settings, assistant.corpus, assistant.retriever, EditsStore(data_dir / "edits.sqlite3"))


def test_a_payment_rule_with_codes_gets_the_article_and_the_table_facts(loaded: Assistant):
    # One code and a service in words: the payment rule's article (the code's PFS status would say "payable").
    answer = loaded.ask("is 99211 payable with a drug administration for medicare")
    assert answer.route == "guideline"
    assert first_article_title(answer.answer) == _title("99211-with-drug-administration")
    assert "MUE 99211: 1 (MAI 3" in answer.answer
    assert [code.code for code in answer.codes] == ["99211"]


def test_a_medicare_pair_of_99211_and_a_drug_administration_is_the_payment_rule(loaded: Assistant):
    # Both codes typed, for Medicare: the fee schedule answer (100-04 Ch. 12 s30.6.7), not "no PTP edit".
    answer = loaded.ask("is 99211 payable with 96372 for medicare")
    assert "99211 is not paid with a drug administration" in answer.answer and "30.6.7" in " ".join(answer.citations)


def test_a_pair_gets_the_ptp_edit_and_names_the_article(loaded: Assistant):
    # Two codes billed together are an NCCI question (issue 17): the edits answer, naming the article (issue 23).
    answer = loaded.ask("can I bill 96372 and 99214 together")
    assert answer.route == "edits"
    assert "modifier indicator 1" in answer.answer
    assert "_Guideline: " in answer.answer


def test_a_rule_with_an_edited_pair_shows_its_modifier_indicator(loaded: Assistant):
    answer = loaded.ask("is port flush billable with 96372")
    assert answer.route == "guideline"
    assert first_article_title(answer.answer) == _title("port-flush")
    assert "MUE 96372: 4" in answer.answer


def test_without_the_tables_the_answer_says_how_to_load_them(assistant: Assistant):
    answer = assistant.ask("is port flush billable with 96372")
    assert answer.route == "guideline"
    assert "tables are not loaded" in answer.answer and "python -m assistant import mue" in answer.answer


def test_a_table_question_keeps_the_edits_answer_and_names_the_article(loaded: Assistant):
    answer = loaded.ask("what's the mue for 96370")
    assert answer.route == "edits" and "96370: MUE 3 (MAI 3)" in answer.answer
    assert f"_Guideline: {_title('mue-basics')}" in answer.answer


# --- the CLI and the API answer rule questions too ----------------------------------------------------------------


def test_the_cli_answers_a_rule_question_from_its_article():
    import json
    import subprocess
    import sys

    from assistant.settings import REPO_ROOT

    result = subprocess.run([sys.executable, "-m", "assistant", "ask", "when do I need an ABN", "--json"],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["route"] == "guideline"
    assert first_article_title(answer["answer"]) == _title("abn-ga-modifier")


def test_the_api_answers_a_rule_question_from_its_article(assistant: Assistant):
    from fastapi.testclient import TestClient

    from assistant.web import create_app

    client = TestClient(create_app(assistant, Settings(api_token=None, cors_origins=[], root_path="")))
    response = client.post("/api/ask", json={"question": "is KVO billable"})
    assert response.status_code == 200
    body = response.json()
    assert body["route"] == "guideline" and first_article_title(body["answer"]) == _title("kvo-keep-open")


def test_a_terminated_code_named_in_a_rule_question_shows_what_to_bill_instead(assistant: Assistant):
    answer = assistant.ask("what do I bill when J3370 for vancomycin is terminated")  # ends 2025-06-30, J3373 after
    assert answer.route == "guideline"
    assert first_article_title(answer.answer) == _title("terminated-drug-codes")
    assert "J3370 is terminated: the CMS HCPCS file ends it on 2025-06-30; bill instead J3373" in answer.answer
    assert answer.answer.index("**Table facts") < answer.answer.index("**Sources:**")
