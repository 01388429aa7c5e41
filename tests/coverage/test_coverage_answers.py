"""Coverage answers from the layout files through the Assistant: covered, non-covered, group rule, not listed
(the diagnosis, and the code for the MAC), the state from the words, the request or the default, paged lists, the
not-loaded and no-state answers, and the coverage line on a units answer that carries a diagnosis."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat.assistant import Assistant
from assistant.chat.coverage import state_in
from assistant.corpus.loader import load_corpus
from assistant.coverage.importer import import_mcd
from assistant.settings import Settings
from tests.coverage.layout import CAROTID_DIAGNOSES, write_folder


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(Settings())


def build(tmp_path: Path, corpus, *, load: bool = True, default_state: str | None = None) -> Assistant:
    settings = Settings(data_dir=tmp_path / "data", default_state=default_state)
    if load:
        import_mcd(write_folder(tmp_path / "mcd"), settings)
    return Assistant(settings, corpus, retriever=None, edits=None)


@pytest.fixture(scope="module")
def coverage(tmp_path_factory: pytest.TempPathFactory, corpus) -> Assistant:
    return build(tmp_path_factory.mktemp("coverage"), corpus)


@pytest.mark.parametrize(
    ("question", "lead", "detail"),
    [
        pytest.param("is J1439 covered for D50.9 in Texas", "covered: listed in a covered group of A58001",
                     "D50.9: in covered Group 1", id="covered"),
        pytest.param("is J1439 covered for D51.0 in TX", "not covered: on the non-covered list of A58001",
                     "Not reasonable and necessary", id="non-covered"),
        pytest.param("is J1439 covered for D63.1 in texas", "it may require a second code",
                     "one code from Group 2 must be billed with one code from Group 3", id="group-rule"),
        pytest.param("is J1439 covered for N18.4 in Texas", "covered", "in covered Group 3", id="in-a-range"),
        pytest.param("is J1439 covered for E11.9 in Texas", "is not listed in the billing article(s)",
                     "not a statement that it is not covered", id="diagnosis-not-listed"),
    ],
)
def test_coverage_verdicts(coverage: Assistant, question: str, lead: str, detail: str) -> None:
    answer = coverage.ask(question)
    assert answer.route == "lookup" and answer.codes[0].code == "J1439"
    first_line = answer.answer.split("\n", 1)[0]
    assert lead in first_line and detail in answer.answer
    assert "A58001: Billing and Coding: Intravenous Iron Products" in answer.answer
    assert "version 3, effective 2025-10-01" in answer.answer and "L33333" in answer.answer
    assert any("A58001 v3" in citation for citation in answer.citations)


def test_not_listed_for_the_mac_is_never_said_as_not_covered(coverage: Assistant) -> None:
    # J1750 is only in the article's older version; California's article lists J1439 but is not Texas's MAC.
    answer = coverage.ask("is J1750 covered for D50.9 in Texas")
    assert "not listed in any billing article for this MAC" in answer.answer
    assert "not covered:" not in answer.answer and "That is not 'not covered'" in answer.answer


def test_only_the_states_mac_articles_are_read(coverage: Assistant) -> None:
    texas = coverage.ask("is J1439 covered for D50.9 in Texas")
    california = coverage.ask("is J1439 covered for D50.9 in California")
    assert "A58003" not in texas.answer and "A58003" in california.answer and "Noridian" in california.answer


def test_covered_diagnoses_are_listed_a_page_at_a_time(coverage: Assistant) -> None:
    first = coverage.ask("which diagnoses cover 93880 in Florida")
    second = coverage.ask("which diagnoses cover 93880 in Florida page 2")
    listed = [c.code for c in first.codes[1:]] + [c.code for c in second.codes[1:]]
    assert sorted(listed) == sorted(CAROTID_DIAGNOSES)
    assert "page 1 of 2" in first.answer and "Ask *page 2*" in first.answer and "page 2 of 2" in second.answer


@pytest.mark.parametrize(
    ("ask", "expected"),
    [
        pytest.param({"state": "TX"}, "Novitas", id="request-field"),
        pytest.param({}, "Which state", id="no-state-asks"),
    ],
)
def test_state_from_the_request_or_asked(coverage: Assistant, ask: dict, expected: str) -> None:
    assert expected in coverage.ask("is J1439 covered for D50.9", **ask).answer


def test_state_from_the_default_setting(tmp_path: Path, corpus) -> None:
    assistant = build(tmp_path, corpus, default_state="FL")
    assert "First Coast" in assistant.ask("which diagnoses cover 93880").answer


def test_words_win_over_the_request(coverage: Assistant) -> None:
    assert "Noridian" in coverage.ask("is J1439 covered for D50.9 in California", state="TX").answer


def test_not_loaded_names_the_import(tmp_path: Path, corpus) -> None:
    answer = build(tmp_path, corpus, load=False).ask("is J1439 covered for D50.9 in Texas")
    assert "not loaded" in answer.answer and "import mcd" in answer.answer


def test_units_answer_with_a_diagnosis_gets_a_coverage_line(coverage: Assistant) -> None:
    answer = coverage.ask("subq infusion 2 hours for D50.9 in Texas")
    assert answer.route == "units"
    assert any(w.startswith("Coverage: 96369 is not listed in any billing article for this MAC (TX)")
               for w in answer.warnings)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        pytest.param("is it covered in Texas", "TX", id="name"),
        pytest.param("covered in TX?", "TX", id="abbreviation"),
        pytest.param("covered for new york patients", "NY", id="two-words"),
        pytest.param("is it covered in me", None, id="lower-case-word-is-not-maine"),
        pytest.param("covered in ZZ", None, id="unknown"),
    ],
)
def test_state_in_words(text: str, state: str | None) -> None:
    assert state_in(text) == state


def test_health_names_the_icd10_release_and_the_mcd_tables(coverage: Assistant, tmp_path: Path, corpus) -> None:
    assert coverage.health()["diagnoses"]["mcd_loaded"] is True
    assert "FY2026" in coverage.health()["diagnoses"]["icd10"]
    assert build(tmp_path, corpus, load=False).health()["diagnoses"]["mcd_loaded"] is False


@pytest.mark.parametrize(
    ("question", "ask", "article"),
    [
        pytest.param("is J1439 covered for D50.9 for Novitas", {}, "A58001", id="mac-first-word"),
        pytest.param("is J1439 covered for D50.9 with Noridian", {}, "A58003", id="another-mac"),
        pytest.param("which diagnoses cover 93880 for First Coast", {}, "A58002", id="mac-two-words"),
        pytest.param("is J1439 covered for D50.9", {"state": "Novitas"}, "A58001", id="mac-in-the-request"),
        pytest.param("is J1439 covered for D50.9", {"state": "texas"}, "A58001", id="state-name-in-the-request"),
    ],
)
def test_mac_by_name(coverage: Assistant, question: str, ask: dict, article: str) -> None:
    answer = coverage.ask(question, **ask)
    assert f"### {article}:" in answer.answer


def test_an_unknown_mac_or_state_is_not_guessed(coverage: Assistant) -> None:
    answer = coverage.ask("is J1439 covered for D50.9", state="Atlantis")
    assert answer.route == "help" and "No Medicare contractor" in answer.answer and "A58001" not in answer.answer


@pytest.mark.parametrize("question", ["what dx codes go with 93880 in Florida", "ICD-10 codes for 93880 in FL"])
def test_diagnosis_codes_for_a_procedure_are_the_covered_list(coverage: Assistant, question: str) -> None:
    answer = coverage.ask(question)
    assert "Diagnoses that cover 93880" in answer.answer and answer.codes[1].code == "G45.0"


def test_a_diagnosis_next_to_a_procedure_is_not_a_coverage_question(coverage: Assistant) -> None:
    assert coverage.ask("96413 for C50.911").codes[0].code == "96413"
    assert "Diagnoses that cover" not in coverage.ask("96413 for C50.911").answer


@pytest.mark.parametrize("question", ["does 96365 cover the hydration", "what does 96372 support"])
def test_cover_as_a_bundling_word_is_not_a_coverage_question(coverage: Assistant, question: str) -> None:
    assert "billing article" not in coverage.ask(question).answer
