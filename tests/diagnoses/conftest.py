"""Fixtures of the diagnosis tests: the ICD-10-CM code set and the diagnosis index, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.icd10 import Icd10CodeSet, code_set
from assistant.retrieval.diagnoses import DiagnosisIndex, diagnosis_index


@pytest.fixture(scope="session")
def icd10() -> Icd10CodeSet:
    return code_set()


@pytest.fixture(scope="session")
def diagnosis_cache(session_data_dir: Path) -> Path:
    """The session's data directory: the chat tests' Assistant finds the same index there (built once)."""
    return session_data_dir


@pytest.fixture(scope="session")
def diagnoses(diagnosis_cache: Path) -> DiagnosisIndex:
    """Built once (5-15 s) and saved in a session folder; the cache tests load it back from there."""
    return diagnosis_index(diagnosis_cache)
