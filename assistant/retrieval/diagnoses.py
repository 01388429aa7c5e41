"""Diagnosis search: ICD-10-CM billable codes by description, inclusion terms and coders' abbreviations.

ICD-10-CM is its own kind, kept out of the procedure index: a diagnosis question searches only this index, and the
procedure search (CPT/HCPCS, `retriever.py`) never sees a diagnosis code. The index is lexical (BM25 with the
procedure side's tokenizer, `lexical.tokenize`, so negation scopes hold: "without complications" never meets "with
complications"): embedding 74,724 descriptions on two cores costs about 10 minutes, while diagnosis words are
specific enough that lexical recall is strong (docs/diagnoses.md has the measurements). It is built on the first
diagnosis question (a few seconds) and kept for the life of the process.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

from assistant.corpus.icd10 import DiagnosisEntry, Icd10CodeSet, code_set
from assistant.retrieval.diagnosis_terms import default_categories, expand_abbreviations
from assistant.retrieval.lexical import tokenize

# Okapi BM25 parameters (the usual defaults, as rank-bm25 uses).
K1 = 1.5
B = 0.75
# Words of a question that ask for a diagnosis code rather than name one.
_QUESTION_WORDS = frozenset((
    "icd", "icd10", "icd-10", "icd10cm", "icd-10-cm", "cm", "10", "dx", "diagnosis", "diagnoses", "diag",
    "diagnostic", "for", "what", "which", "is", "the", "code", "codes", "pt", "patient", "with", "has",
))
# Share of a description's words the question leaves unmatched, as a penalty on the score: of two codes with the
# same matched words, the one that says nothing more ("Iron deficiency anemia, unspecified" D50.9 beside "Other
# iron deficiency anemias" D50.8, "Urinary tract infection, site not specified" N39.0 beside "Neonatal urinary
# tract infection" P39.3) is what the words describe.
UNMATCHED_PENALTY = 0.35
# The tabular list's default words: a code that only adds "unspecified" / "without complications" to the
# question's words is the one to report when nothing more is documented (Official Guidelines Section I.B.18, use of
# unspecified codes). Negated words are tokens prefixed "no_" (lexical.tokenize).
# "Unilateral" is what a side ("left knee") already says; "primary" is the index's default for osteoarthritis
# (Index: Osteoarthritis, knee M17.1-) and hypertension (Essential (primary)).
_DEFAULT_WORDS = frozenset(("unspecified", "nos", "site", "organism", "episode", "no_specified", "no_complication",
                            "no_mention", "unilateral", "primary"))
_NONESSENTIAL = re.compile(r"\([^)]*\)")
# A bare abbreviation's default category ("HTN" -> I10, "CHF" -> I50, diagnosis_terms.py) multiplies the score of
# its codes: coders mean the common condition unless more words qualify it.
DEFAULT_CATEGORY_BOOST = 1.25


@dataclass(frozen=True)
class DiagnosisHit:
    """One ICD-10-CM code found for a question, with its score and why."""

    code: str
    description: str
    score: float
    why: str


class DiagnosisIndex:
    """BM25 over the billable codes' descriptions plus their includes and inclusion terms."""

    def __init__(self, entries: list[DiagnosisEntry]) -> None:
        self.entries = entries
        # One document per description and one per include / inclusion term, each scored alone; a code takes its
        # best document. The tabular list's terms are synonyms ("high blood pressure" under I10): pooled into one
        # long document they would bury the code under BM25's length normalisation.
        postings: dict[str, dict[int, int]] = {}
        owners: list[int] = []
        lengths: list[int] = []
        self._description_tokens: list[frozenset[str]] = []
        for position, entry in enumerate(entries):
            description = tokenize(entry.description)
            # Words in parentheses are nonessential modifiers (Official Guidelines Section I.A.7): "Essential
            # (primary) hypertension" says nothing more than "essential hypertension" when they are missing.
            self._description_tokens.append(frozenset(tokenize(_NONESSENTIAL.sub(" ", entry.description))))
            for document in (description, *(tokenize(term) for term in entry.terms)):
                if not document:
                    continue
                doc_id = len(owners)
                owners.append(position)
                lengths.append(len(document))
                for token in document:
                    counts = postings.setdefault(token, {})
                    counts[doc_id] = counts.get(doc_id, 0) + 1
        self._owners = np.asarray(owners, dtype=np.int64)
        length = np.asarray(lengths, dtype=float)
        count = max(len(owners), 1)
        average = float(length.mean()) if len(owners) else 1.0
        self._norm = K1 * (1 - B + B * length / average)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        for token, counts in postings.items():
            ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
            idf = float(np.log((count - len(counts) + 0.5) / (len(counts) + 0.5) + 1.0))
            self._postings[token] = (ids, tf, idf)
        by_category: dict[str, list[int]] = {}
        for position, entry in enumerate(entries):
            by_category.setdefault(entry.code[:3], []).append(position)
        self._by_category = {c: np.asarray(p, dtype=np.int64) for c, p in by_category.items()}
        self._categories: dict[str, np.ndarray] = {}

    def _category_positions(self, category: str) -> np.ndarray:
        """Positions of the billable codes under `category` (cached: one scan per category)."""
        positions = self._categories.get(category)
        if positions is None:
            within = self._by_category.get(category[:3], np.zeros(0, dtype=np.int64))
            positions = np.asarray([i for i in within if self.entries[int(i)].code.startswith(category)],
                                   dtype=np.int64)
            self._categories[category] = positions
        return positions

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, question: str, k: int = 5) -> list[DiagnosisHit]:
        """The best `k` billable codes for the question, best first (empty when no word matches)."""
        expanded, expansions = expand_abbreviations(question)
        tokens = [t for t in dict.fromkeys(tokenize(expanded)) if t not in _QUESTION_WORDS]
        if not tokens or not self.entries:
            return []
        document_scores = np.zeros(len(self._owners))
        for token in tokens:
            posting = self._postings.get(token)
            if posting is None:
                continue
            ids, tf, idf = posting
            document_scores[ids] += idf * (tf * (K1 + 1) / (tf + self._norm[ids]))
        scores = np.zeros(len(self.entries))
        np.maximum.at(scores, self._owners, document_scores)
        categories = tuple(default_categories(question))
        for category in categories:
            positions = self._category_positions(category)
            scores[positions] *= DEFAULT_CATEGORY_BOOST
        candidates = np.flatnonzero(scores)
        if not len(candidates):
            return []
        depth = min(len(candidates), max(k * 20, 100))
        top = candidates[np.argsort(-scores[candidates], kind="stable")[:depth]]
        asked = frozenset(tokens)
        ranked = []
        for position in top:
            words = self._description_tokens[int(position)]
            extra = [w for w in words if w not in asked and w not in _DEFAULT_WORDS]
            score = float(scores[position]) * (1 - UNMATCHED_PENALTY * len(extra) / max(len(words), 1))
            ranked.append((score, int(position)))
        ranked.sort(key=lambda item: (-item[0], self.entries[item[1]].code))
        hits = []
        for score, position in ranked[:k]:
            entry = self.entries[position]
            matched = sorted(asked & self._description_tokens[position])
            why = f"matched {', '.join(repr(w) for w in matched)} in its description" if matched else (
                "matched its inclusion terms")
            if expansions:
                why += "; read " + ", ".join(f"{short} as '{long}'" for short, long in expansions)
            hits.append(DiagnosisHit(code=entry.code, description=entry.description, score=round(score, 3), why=why))
        return hits


_LOCK = threading.Lock()
_INDEX: DiagnosisIndex | None = None


def build_diagnosis_index(codes: Icd10CodeSet | None = None) -> DiagnosisIndex:
    """A fresh index over every billable ICD-10-CM code."""
    return DiagnosisIndex(list((codes or code_set()).billable_entries()))


def diagnosis_index() -> DiagnosisIndex:
    """The process's diagnosis index, built on first use (thread-safe)."""
    global _INDEX
    if _INDEX is None:
        with _LOCK:
            if _INDEX is None:
                _INDEX = build_diagnosis_index()
    return _INDEX


_ICD_SHAPE = re.compile(r"^[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?$")


def is_diagnosis_code(code: str) -> bool:
    """True for an ICD-10-CM-shaped code with its dot or a three-character category ("E11.9", "I10")."""
    return bool(_ICD_SHAPE.match(code))
