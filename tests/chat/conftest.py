"""Fixtures shared by the chat tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.chat.assistant import Assistant
from assistant.corpus.importers.asp import import_asp
from assistant.corpus.importers.hcpcs import import_hcpcs
from assistant.corpus.importers.ndc import import_ndc
from assistant.corpus.loader import load_corpus
from assistant.edits import FILENAME, EditsStore
from assistant.edits.importers import import_mue
from assistant.settings import REPO_ROOT, Settings


@pytest.fixture(scope="session")
def drugs_imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An Assistant over the real HCPCS, ASP, NDC crosswalk and practitioner MUE files, imported once into a private
    data directory (the drugs and their billing units come from them); no retriever."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("drugs-imported") / "data", corpus_dir=REPO_ROOT / "corpus")
    import_hcpcs(shared_data / "hcpcs_2025_oct_anweb.csv", settings, today=date(2026, 1, 15))
    import_asp(shared_data / "asp_payment_limits_2026q1_level2.csv", settings)
    import_ndc(shared_data / "asp_ndc_hcpcs_crosswalk_2026q1_level2.csv", settings)
    import_mue(shared_data / "mue_practitioner_2026q2.csv", settings, progress=False)
    return Assistant(settings, load_corpus(settings), None, EditsStore(settings.resolved_data_dir / FILENAME))
