"""Diagnosis search: questions described the way coders describe them, with the ICD-10-CM code expected; the
index never returns a procedure code; the saved index loads back the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.corpus.icd10 import Icd10CodeSet
from assistant.retrieval.diagnoses import INDEX_VERSION, DiagnosisIndex, diagnosis_index, saved_diagnosis_index
from assistant.retrieval.diagnosis_terms import DIAGNOSIS_ABBREVIATIONS, expand_abbreviations

ICD10_SHAPE = re.compile(r"^[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?$")
PROCEDURE_SHAPE = re.compile(r"^(?:\d{5}|\d{4}[FTU]|[A-Z]\d{4})$")

# (question, expected code, the rank it must reach: 1 unless a comment says why)
QUESTIONS = [
        pytest.param("type 2 diabetes without complications", "E11.9", 1, id="E11.9"),
        pytest.param("DM2", "E11.9", 1, id="E11.9"),
        pytest.param("DM2 with hyperglycemia", "E11.65", 1, id="E11.65"),
        pytest.param("type 1 diabetes without complications", "E10.9", 1, id="E10.9"),
        pytest.param("T1DM with ketoacidosis without coma", "E10.10", 1, id="E10.10"),
        pytest.param("DM2 with diabetic CKD", "E11.22", 1, id="E11.22"),
        pytest.param("DM2 with diabetic polyneuropathy", "E11.42", 1, id="E11.42"),
        pytest.param("HTN", "I10", 1, id="I10"),
        pytest.param("essential hypertension", "I10", 1, id="I10"),
        pytest.param("hypertensive heart disease with heart failure", "I11.0", 1, id="I11.0"),
        pytest.param("CKD stage 3a", "N18.31", 1, id="N18.31"),
        pytest.param("CKD stage 4", "N18.4", 1, id="N18.4"),
        pytest.param("ESRD", "N18.6", 1, id="N18.6"),
        pytest.param("COPD with acute exacerbation", "J44.1", 1, id="J44.1"),
        pytest.param("COPD", "J44.9", 1, id="J44.9"),
        pytest.param("MDD single episode moderate", "F32.1", 1, id="F32.1"),
        pytest.param("MDD recurrent mild", "F33.0", 1, id="F33.0"),
        pytest.param("major depressive disorder single episode unspecified", "F32.9", 1, id="F32.9"),
        pytest.param("GAD", "F41.1", 1, id="F41.1"),
        pytest.param("panic disorder", "F41.0", 1, id="F41.0"),
        pytest.param("bilateral primary OA knee", "M17.0", 1, id="M17.0"),
        pytest.param("left knee OA", "M17.12", 1, id="M17.12"),
        pytest.param("primary osteoarthritis right hip", "M16.11", 1, id="M16.11"),
        pytest.param("UTI", "N39.0", 1, id="N39.0"),
        pytest.param("CHF", "I50.9", 1, id="I50.9"),
        pytest.param("acute on chronic diastolic heart failure", "I50.33", 1, id="I50.33"),
        pytest.param("afib", "I48.91", 1, id="I48.91"),
        pytest.param("paroxysmal atrial fibrillation", "I48.0", 1, id="I48.0"),
        pytest.param("CAD", "I25.10", 1, id="I25.10"),
        pytest.param("GERD", "K21.9", 1, id="K21.9"),
        pytest.param("GERD with esophagitis without bleeding", "K21.00", 1, id="K21.00"),
        pytest.param("OSA", "G47.33", 1, id="G47.33"),
        pytest.param("hyperlipidemia", "E78.5", 1, id="E78.5"),
        pytest.param("pure hypercholesterolemia", "E78.00", 1, id="E78.00"),
        pytest.param("iron deficiency anemia", "D50.9", 1, id="D50.9"),
        pytest.param("anemia in CKD", "D63.1", 1, id="D63.1"),
        pytest.param("vitamin B12 deficiency anemia", "D51.9", 1, id="D51.9"),
        pytest.param("chest pain", "R07.9", 1, id="R07.9"),
        pytest.param("shortness of breath", "R06.02", 1, id="R06.02"),
        pytest.param("sepsis", "A41.9", 1, id="A41.9"),
        pytest.param("pneumonia", "J18.9", 1, id="J18.9"),
        pytest.param("strep throat", "J02.0", 1, id="J02.0"),
        pytest.param("acute pharyngitis", "J02.9", 1, id="J02.9"),
        pytest.param("acute maxillary sinusitis", "J01.00", 1, id="J01.00"),
        pytest.param("URI", "J06.9", 1, id="J06.9"),
        pytest.param("COVID", "U07.1", 1, id="U07.1"),
        pytest.param("influenza with pneumonia", "J11.00", 1, id="J11.00"),
        pytest.param("hx of breast cancer", "Z85.3", 1, id="Z85.3"),
        pytest.param("malignant neoplasm of right female breast", "C50.911", 1, id="C50.911"),
        pytest.param("malignant neoplasm of upper lobe right lung", "C34.11", 1, id="C34.11"),
        pytest.param("BPH", "N40.0", 1, id="N40.0"),
        pytest.param("ADHD combined type", "F90.2", 1, id="F90.2"),
        pytest.param("PTSD chronic", "F43.12", 1, id="F43.12"),
        pytest.param("migraine", "G43.909", 1, id="G43.909"),
        pytest.param("low back pain", "M54.50", 1, id="M54.50"),
        pytest.param("hypothyroidism", "E03.9", 1, id="E03.9"),
        pytest.param("obesity", "E66.9", 1, id="E66.9"),
        pytest.param("morbid obesity due to excess calories", "E66.01", 1, id="E66.01"),
        pytest.param("dehydration", "E86.0", 1, id="E86.0"),
        pytest.param("syncope and collapse", "R55", 1, id="R55"),
        pytest.param("dizziness", "R42", 1, id="R42"),
        pytest.param("nausea with vomiting", "R11.2", 1, id="R11.2"),
        pytest.param("TIA", "G45.9", 1, id="G45.9"),
        pytest.param("DVT left leg", "I82.402", 1, id="I82.402"),
        pytest.param("cellulitis of left lower limb", "L03.116", 1, id="L03.116"),
        pytest.param("encounter for chemotherapy", "Z51.11", 1, id="Z51.11"),
        pytest.param("encounter for screening mammogram", "Z12.31", 1, id="Z12.31"),
        pytest.param("long term use of insulin", "Z79.4", 1, id="Z79.4"),
        pytest.param("asthma", "J45.909", 1, id="J45.909"),
        pytest.param("mild intermittent asthma uncomplicated", "J45.20", 1, id="J45.20"),
        pytest.param("rheumatoid arthritis", "M06.9", 1, id="M06.9"),
        pytest.param("alzheimer's disease", "G30.9", 1, id="G30.9"),
        pytest.param("constipation", "K59.00", 1, id="K59.00"),
        # "Q fever" (A78) is a one-word description after the lone letter is dropped: R50.9 is second.
        pytest.param("fever", "R50.9", 3, id="R50.9"),
        pytest.param("acute kidney failure", "N17.9", 1, id="N17.9"),
]


@pytest.mark.parametrize(("question", "expected", "rank"), QUESTIONS)
def test_diagnosis_question_finds_its_code(diagnoses: DiagnosisIndex, question: str, expected: str,
                                           rank: int) -> None:
    codes = [hit.code for hit in diagnoses.search(question, k=5)]
    assert expected in codes[:rank], codes


def test_there_are_at_least_sixty_questions() -> None:
    assert len(QUESTIONS) >= 60
    assert len({param.values[0] for param in QUESTIONS}) == len(QUESTIONS)  # no question twice


def test_words_no_code_has_find_nothing(diagnoses: DiagnosisIndex) -> None:
    assert diagnoses.search("zzqx blorft") == []
    assert diagnoses.search("what is the icd-10 code") == []


def test_why_names_the_abbreviations_read(diagnoses: DiagnosisIndex) -> None:
    hit = diagnoses.search("DM2 with CKD")[0]
    assert "DM2 as 'type 2 diabetes mellitus'" in hit.why and "CKD as 'chronic kidney disease'" in hit.why


@pytest.mark.parametrize(
    ("typed", "expanded"),
    [
        pytest.param("DM2 w/ CKD", "type 2 diabetes mellitus with chronic kidney disease", id="dm2-ckd"),
        pytest.param("admit for htn", "admit for hypertension", id="dm-not-inside-admit"),
        pytest.param("pt w/o complications", "pt without complications", id="without-before-with"),
    ],
)
def test_abbreviations_expand_as_whole_words(typed: str, expanded: str) -> None:
    assert expand_abbreviations(typed)[0] == expanded


@pytest.mark.parametrize(("abbreviation", "words", "category"),
                         [row for row in DIAGNOSIS_ABBREVIATIONS if row[2]], ids=lambda value: str(value))
def test_every_default_category_is_in_the_code_set_and_its_words_are_the_tabular_lists(
        icd10: Icd10CodeSet, abbreviation: str, words: str, category: str) -> None:
    verdict = icd10.lookup(category)
    assert verdict.status != "invalid"
    under = [verdict.description, *(d for _, d in verdict.billable_children)]
    if verdict.status == "billable":
        under = [verdict.description]
    text = " ".join(under).casefold()
    significant = [w for w in re.findall(r"[a-z0-9-]+", words.casefold()) if len(w) > 2 and w not in ("and", "the")]
    assert significant and all(w in text for w in significant), (category, words, text[:200])


WORDS = st.sampled_from([
    "infusion", "chemo", "96413", "J1439", "subq", "hydration", "push", "injection", "diabetes", "HTN", "left",
    "knee", "pain", "fracture", "initial", "encounter", "CPT", "HCPCS", "code", "for", "with", "2", "units",
])


@given(st.lists(WORDS, min_size=1, max_size=6))
def test_a_diagnosis_search_never_returns_a_procedure_code(diagnoses: DiagnosisIndex, words: list[str]) -> None:
    hits = diagnoses.search(" ".join(words))
    assert all(ICD10_SHAPE.match(hit.code) and not PROCEDURE_SHAPE.match(hit.code) for hit in hits)


def test_saved_index_loads_back_the_same(diagnoses: DiagnosisIndex, diagnosis_cache: Path) -> None:
    loaded = DiagnosisIndex.load(diagnosis_cache / "diagnoses", INDEX_VERSION)
    assert loaded is not None and len(loaded) == len(diagnoses)
    assert loaded.search("DM2 with hyperglycemia") == diagnoses.search("DM2 with hyperglycemia")
    assert DiagnosisIndex.load(diagnosis_cache / "diagnoses", "another release") is None
    assert DiagnosisIndex.load(diagnosis_cache / "missing", INDEX_VERSION) is None
    assert diagnosis_index(diagnosis_cache) is diagnoses  # one per data directory and process


def test_warm_up_loads_a_saved_index_and_never_builds_one(tmp_path: Path, diagnoses: DiagnosisIndex) -> None:
    assert saved_diagnosis_index(tmp_path) is None  # nothing saved: no 5-15 s build in a web worker
    assert not (tmp_path / "diagnoses").exists()
    diagnoses.save(tmp_path / "diagnoses", INDEX_VERSION)
    loaded = saved_diagnosis_index(tmp_path)
    assert loaded is not None and loaded is diagnosis_index(tmp_path)
