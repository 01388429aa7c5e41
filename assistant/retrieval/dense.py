"""The dense side ranked exactly: the question's vector against every stored vector, equal scores by code.

Chroma's HNSW graph is approximate. On the HCPCS-size index (7,773 records) its top 30 differed from the exact
top 30 for a third of the evaluation questions, and two processes over the same index disagreed on 41 of 768
rankings, so a question could change rank between runs (issue 22: "semi-electric hospital bed with mattress"
flipped). Up to EXACT_SCAN records the retriever therefore ranks from the stored vectors itself (fetched once per
index generation); the same index and question then give the same ranking every time. Scores are rounded before
ranking and equal scores go to the lower code, so float noise never decides between records with the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

# Records ranked exactly: 50,000 x 384 float32 = 77 MB cached; one product is about 1 ms at 7,773 records.
EXACT_SCAN = 50_000
# Decimals kept of a cosine before ranking (float32 noise is about 1e-7).
SCORE_DECIMALS = 6


class VectorStore(Protocol):
    """What is fetched from the store: langchain_chroma.Chroma.get."""

    def get(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...


def fetch_all_vectors(store: VectorStore) -> tuple[list[str], np.ndarray]:
    """Every stored vector, one row per code, rows in code order."""
    got = store.get(include=["embeddings"])
    order = sorted(range(len(got["ids"])), key=lambda position: got["ids"][position])
    codes = [got["ids"][position] for position in order]
    vectors = [got["embeddings"][position] for position in order]
    return codes, np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(len(codes), -1))


def allowed_rows(codes: Sequence[str], allowed: set[str]) -> np.ndarray:
    """The rows (in code order) of the codes a filter keeps."""
    return np.asarray([row for row, code in enumerate(codes) if code in allowed], dtype=np.int64)


def exact_top(codes: Sequence[str], matrix: np.ndarray, vector: Sequence[float], depth: int,
              rows: np.ndarray | None = None) -> list[str]:
    """The `depth` codes nearest `vector` (vectors are normalised: dot = cosine), only `rows` when given; equal
    rounded scores keep code order."""
    scores = np.round(matrix @ np.asarray(vector, dtype=np.float32), SCORE_DECIMALS)
    if rows is None:
        return [codes[position] for position in np.argsort(-scores, kind="stable")[:depth]]
    order = np.argsort(-scores[rows], kind="stable")[:depth]
    return [codes[rows[position]] for position in order]


class ExactRanker:
    """The stored vectors of one index generation in code order (fetched on first use) and the rows each filter
    keeps; `switched` tells when another process replaced the generation (this path never queries Chroma, so a
    deleted collection would not raise here)."""

    def __init__(self) -> None:
        self._vectors: tuple[list[str], np.ndarray] | None = None
        self._rows: dict[tuple[str | None, str | None], np.ndarray] = {}
        self._stamp: int | None = None

    def clear(self) -> None:
        self._vectors = None
        self._rows.clear()

    def switched(self, manifest: Path) -> bool:
        """True when the manifest file changed since the last call (its first call only records it)."""
        try:
            stamp = manifest.stat().st_mtime_ns
        except OSError:
            return False
        changed = self._stamp is not None and stamp != self._stamp
        self._stamp = stamp
        return changed

    def rank(self, store: VectorStore, vector: Sequence[float], depth: int, key: tuple[str | None, str | None],
             allowed: Callable[[], Iterable[str]] | None) -> list[str]:
        """The `depth` nearest codes; only those `allowed()` names when given (cached per `key`)."""
        if self._vectors is None:
            self._vectors = fetch_all_vectors(store)
        codes, matrix = self._vectors
        rows = None
        if allowed is not None:
            if key not in self._rows:
                self._rows[key] = allowed_rows(codes, set(allowed()))
            rows = self._rows[key]
        return exact_top(codes, matrix, vector, depth, rows)
