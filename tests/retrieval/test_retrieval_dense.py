"""The dense side ranks exactly and the same every time (assistant/retrieval/dense.py, issue 22)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval.dense import SCORE_DECIMALS, allowed_rows, exact_top

CODES = ["A0001", "A0002", "A0003", "A0004"]
# Unit vectors: A0002 and A0003 are the same text (equal vectors), A0004 is orthogonal to the question.
MATRIX = np.asarray([[0.6, 0.8], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
QUESTION = [1.0, 0.0]


@pytest.mark.parametrize(
    ("rows", "depth", "expected"),
    [
        pytest.param(None, 4, ["A0002", "A0003", "A0001", "A0004"], id="equal-scores-keep-code-order"),
        pytest.param(None, 1, ["A0002"], id="depth-one"),
        pytest.param(np.asarray([0, 2, 3]), 2, ["A0003", "A0001"], id="filtered-rows"),
        pytest.param(np.asarray([], dtype=np.int64), 3, [], id="filter-keeps-nothing"),
    ],
)
def test_exact_top_ranks_by_cosine_ties_by_code(rows, depth, expected):
    assert exact_top(CODES, MATRIX, QUESTION, depth, rows) == expected


def test_float_noise_below_the_rounding_never_decides():
    noisy = MATRIX.copy()
    noisy[2, 0] += 10 ** -(SCORE_DECIMALS + 2)  # A0003 a hair closer: still the same score, code order decides
    assert exact_top(CODES, noisy, QUESTION, 2) == ["A0002", "A0003"]
    clearly = MATRIX.copy()
    clearly[2] = [1.0, 0.0]
    clearly[1] = [0.99, 0.141]  # A0002 clearly farther now
    assert exact_top(CODES, clearly, QUESTION, 2) == ["A0003", "A0002"]


def test_allowed_rows_follow_code_order():
    assert allowed_rows(CODES, {"A0004", "A0001"}).tolist() == [0, 3]
    assert allowed_rows(CODES, set()).tolist() == []


@pytest.mark.parametrize(
    ("question", "family", "system"),
    [
        pytest.param("pump started for a long infusion", None, None, id="whole-corpus"),
        pytest.param("each additional hour of chemo", "chemotherapy", None, id="family"),
        pytest.param("wheelchair cushion", None, "HCPCS", id="system"),
    ],
)
def test_dense_ranking_is_the_exact_brute_force_ranking_every_time(bundled_retriever, question, family, system):
    got = bundled_retriever.store.get(include=["embeddings"])
    matrix = np.asarray(got["embeddings"], dtype=np.float32)
    vector = np.asarray(bundled_retriever.store.embeddings.embed_query(question), dtype=np.float32)
    keep = bundled_retriever._allowed_codes(family, system)
    scores = {code: float(score) for code, score in zip(got["ids"], matrix @ vector, strict=True) if code in keep}
    brute = sorted(scores, key=lambda code: (-round(scores[code], SCORE_DECIMALS), code))[:10]
    first = bundled_retriever.dense_ranking(question, 10, family, system)
    assert first and first == brute
    assert bundled_retriever.dense_ranking(question, 10, family, system) == first


TEXTS = ["Hospital bed, semi-electric, with any type side rails, with mattress.",
         "Injection, triamcinolone acetonide, not otherwise specified, 10 mg.",
         "a",
         "Subcutaneous infusion for therapy or prophylaxis, each additional hour. " * 6]


def test_a_record_vector_depends_on_its_text_only(real_embeddings):
    together = real_embeddings.embed_documents(TEXTS)
    reversed_batch = real_embeddings.embed_documents(TEXTS[::-1])[::-1]
    alone = [real_embeddings.embed_documents([text])[0] for text in TEXTS]
    questions = [real_embeddings.embed_query(text) for text in TEXTS]
    assert len(together) == len(TEXTS)
    assert together == reversed_batch == alone == questions  # bit for bit, whatever the batch
