"""Fixtures of the corpus tests: the bundled corpus (loaded once) and settings with a private data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.loader import Corpus, load_records
from assistant.settings import REPO_ROOT, Settings

BUNDLED_CORPUS = REPO_ROOT / "corpus"


@pytest.fixture(scope="session")
def bundled() -> Corpus:
    """The bundled corpus alone, without any imported overlay."""
    return Corpus(load_records(BUNDLED_CORPUS))


@pytest.fixture
def private_settings(tmp_path: Path) -> Settings:
    """Settings whose data directory (and so whose imports/ overlays) belongs to this test alone."""
    return Settings(data_dir=tmp_path / "data", corpus_dir=BUNDLED_CORPUS)
