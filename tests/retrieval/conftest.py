"""Fixtures of the retrieval tests: the real embedding model (loaded once), small hand-made records, and a
retriever over the bundled corpus built once per session in its own data directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from assistant.corpus.loader import Corpus, load_corpus
from assistant.corpus.records import CodeRecord
from assistant.settings import Settings


class CountingEmbeddings(Embeddings):
    """Wraps the real model, counts the texts it embeds, and can fail after a number of texts (a crash)."""

    def __init__(self, inner: Embeddings, fail_after: int | None = None) -> None:
        self.inner = inner
        self.fail_after = fail_after
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.fail_after is not None and self.embedded + len(texts) > self.fail_after:
            raise RuntimeError("simulated crash while embedding")
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@pytest.fixture(scope="session")
def real_embeddings() -> Embeddings:
    """The bundled all-MiniLM-L6-v2 model, loaded once for the whole session."""
    from assistant.retrieval.embeddings import embeddings_for

    return embeddings_for(Settings())


@pytest.fixture
def counting(real_embeddings: Embeddings) -> Callable[..., CountingEmbeddings]:
    """A factory of fresh counting wrappers around the real model."""
    return lambda fail_after=None: CountingEmbeddings(real_embeddings, fail_after)


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings with a private, empty data directory (embedded Chroma)."""
    return Settings(data_dir=tmp_path / "data")


def _make_record(code: str, title: str, lay_terms: list[str], family: str = "drug_administration",
                system: str = "CPT", time_rule: str | None = None) -> CodeRecord:
    """A record written for a test (our own words)."""
    return CodeRecord(
        code=code, system=system, family=family, title=title, lay_terms=lay_terms, time_rule=time_rule,
        description=f"{title}. A record made up for the retrieval tests, described in plain words.",
    )


@pytest.fixture
def make_record() -> Callable[..., CodeRecord]:
    """Builds a record for a test: make_record(code, title, lay_terms, family=..., system=..., time_rule=...)."""
    return _make_record


@pytest.fixture
def small_records() -> list[CodeRecord]:
    """Six records across three families, enough to tell apart by meaning and by lay terms."""
    return [
        _make_record("96369", "Subcutaneous infusion, first hour", ["subq", "SCIG", "subq pump"],
                    time_rule="subq_infusion"),
        _make_record("96370", "Subcutaneous infusion, each further hour", ["subq additional hour"],
                    time_rule="subq_infusion"),
        _make_record("96360", "IV hydration, first hour", ["NS bolus", "IV fluids"], time_rule="hydration"),
        _make_record("99291", "Critical care, first 30 to 74 minutes", ["crit care"], family="critical_care",
                    time_rule="critical_care"),
        _make_record("97110", "Therapeutic exercise, each 15 minutes", ["ther ex", "strengthening"], family="therapy",
                    time_rule="therapy"),
        _make_record("J1559", "Hizentra immune globulin, per 100 mg", ["hizentra"], family="drugs", system="HCPCS"),
    ]


@pytest.fixture(scope="session")
def bundled_corpus() -> Corpus:
    return load_corpus(Settings())


@pytest.fixture(scope="session")
def bundled_retriever(bundled_corpus: Corpus, real_embeddings: Embeddings):
    """One retriever over the bundled corpus for the whole session, in the session's data directory (the index
    the top-level `assistant` fixture builds is the same one, so whichever comes second embeds nothing)."""
    from assistant.retrieval import build_retriever

    return build_retriever(Settings(), bundled_corpus, embeddings=real_embeddings)
