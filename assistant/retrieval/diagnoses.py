"""Diagnosis search: ICD-10-CM billable codes by description, inclusion terms and coders' abbreviations.

ICD-10-CM is its own kind, kept out of the procedure index: a diagnosis question searches only this index, and the
procedure search (CPT/HCPCS, `retriever.py`) never sees a diagnosis code. The index is lexical (BM25 with the
procedure side's tokenizer, `lexical.tokenize`, so negation scopes hold: "without complications" never meets "with
complications"): embedding 74,724 descriptions on two cores costs about 10 minutes, while diagnosis words are
specific enough that lexical recall is strong (docs/diagnoses.md has the measurements). It is built on the first
diagnosis question (5-15 s here), saved in the data directory (`diagnoses/`, loaded in about 0.3 s by the next
process) and kept for the life of the process.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.corpus.icd10 import RELEASE, DiagnosisEntry, Icd10CodeSet, code_set
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
# (Index: Osteoarthritis, knee M17.1-) and hypertension (Essential (primary)); "not intractable, without status
# migrainosus" is the default migraine (Index: Migraine G43.909).
_DEFAULT_WORDS = frozenset(("unspecified", "nos", "site", "organism", "episode", "no_specified", "no_complication",
                            "no_mention", "unilateral", "primary", "no_intractable", "no_status", "no_migrainosus"))
# Parentheses enclose nonessential modifiers and square brackets synonyms or explanations (Guidelines I.A.7):
# neither is a word the question must say.
_NONESSENTIAL = re.compile(r"\([^)]*\)|\[[^\]]*\]")
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
    """BM25 over the billable codes' descriptions plus their includes and inclusion terms.

    Postings are flat arrays (one slice per word), so the index saves to and loads from `numpy` files and a JSON
    word list without pickle: `save(folder)` / `load(folder)` (about 0.3 s against a 5-15 s build here).
    """

    def __init__(self, codes: list[str], descriptions: list[str], owners: np.ndarray, norm: np.ndarray,
                 words: list[str], starts: np.ndarray, idf: np.ndarray, ids: np.ndarray, tf: np.ndarray) -> None:
        self.codes = codes
        self.descriptions = descriptions
        self._owners = owners
        self._norm = norm
        self._words = {word: position for position, word in enumerate(words)}
        self._word_list = words
        self._starts = starts  # word i's postings are ids[starts[i]:starts[i + 1]]
        self._idf = idf
        self._ids = ids
        self._tf = tf
        by_category: dict[str, list[int]] = {}
        for position, code in enumerate(codes):
            by_category.setdefault(code[:3], []).append(position)
        self._by_category = {c: np.asarray(p, dtype=np.int64) for c, p in by_category.items()}
        self._categories: dict[str, np.ndarray] = {}

    @classmethod
    def build(cls, entries: list[DiagnosisEntry]) -> DiagnosisIndex:
        """Index the entries. One document per description and one per include / inclusion term, each scored
        alone; a code takes its best document. The tabular list's terms are synonyms ("high blood pressure" under
        I10): pooled into one long document they would bury the code under BM25's length normalisation."""
        postings: dict[str, dict[int, int]] = {}
        owners: list[int] = []
        lengths: list[int] = []
        for position, entry in enumerate(entries):
            # The description with and without its nonessential words (Guidelines I.A.7): "Panic disorder
            # [episodic paroxysmal anxiety]" is exactly "panic disorder" to a coder who types that.
            short = _NONESSENTIAL.sub(" ", entry.description)
            documents = [tokenize(entry.description), *(tokenize(term) for term in entry.terms)]
            if short != entry.description:
                documents.append(tokenize(short))
            for document in documents:
                if not document:
                    continue
                doc_id = len(owners)
                owners.append(position)
                lengths.append(len(document))
                for token in document:
                    counts = postings.setdefault(token, {})
                    counts[doc_id] = counts.get(doc_id, 0) + 1
        length = np.asarray(lengths, dtype=float)
        count = max(len(owners), 1)
        average = float(length.mean()) if len(owners) else 1.0
        words = sorted(postings)
        sizes = [len(postings[word]) for word in words]
        starts = np.zeros(len(words) + 1, dtype=np.int64)
        starts[1:] = np.cumsum(sizes, dtype=np.int64)
        ids = np.fromiter((d for word in words for d in postings[word]), dtype=np.int64, count=int(starts[-1]))
        tf = np.fromiter((n for word in words for n in postings[word].values()), dtype=float, count=int(starts[-1]))
        idf = np.asarray([np.log((count - n + 0.5) / (n + 0.5) + 1.0) for n in sizes], dtype=float)
        return cls([e.code for e in entries], [e.description for e in entries], np.asarray(owners, dtype=np.int64),
                   K1 * (1 - B + B * length / average), words, starts, idf, ids, tf)

    def save(self, folder: Path, version: str) -> None:
        """Write the index to `folder` (arrays, then the JSON that names the version last: a torn write is
        never read as complete)."""
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "arrays.npz", owners=self._owners, norm=self._norm, starts=self._starts, idf=self._idf,
                 ids=self._ids, tf=self._tf)
        staging = folder / "index.json.tmp"
        staging.write_text(json.dumps({"version": version, "codes": self.codes, "descriptions": self.descriptions,
                                       "words": self._word_list}), encoding="utf-8")
        os.replace(staging, folder / "index.json")

    @classmethod
    def load(cls, folder: Path, version: str) -> DiagnosisIndex | None:
        """The index saved in `folder` for this version, or None (missing, another version, unreadable)."""
        try:
            meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
            if meta.get("version") != version:
                return None
            with np.load(folder / "arrays.npz", allow_pickle=False) as arrays:
                return cls(meta["codes"], meta["descriptions"], arrays["owners"], arrays["norm"], meta["words"],
                           arrays["starts"], arrays["idf"], arrays["ids"], arrays["tf"])
        except (OSError, ValueError, KeyError):
            return None

    def _category_positions(self, category: str) -> np.ndarray:
        """Positions of the billable codes under `category` (cached: one scan per category)."""
        positions = self._categories.get(category)
        if positions is None:
            within = self._by_category.get(category[:3], np.zeros(0, dtype=np.int64))
            positions = np.asarray([i for i in within if self.codes[int(i)].startswith(category)], dtype=np.int64)
            self._categories[category] = positions
        return positions

    def __len__(self) -> int:
        return len(self.codes)

    def _description_words(self, position: int) -> frozenset[str]:
        # Words in parentheses are nonessential modifiers (Official Guidelines Section I.A.7): "Essential
        # (primary) hypertension" says nothing more than "essential hypertension" when they are missing.
        return frozenset(tokenize(_NONESSENTIAL.sub(" ", self.descriptions[position])))

    def search(self, question: str, k: int = 5) -> list[DiagnosisHit]:
        """The best `k` billable codes for the question, best first (empty when no word matches)."""
        expanded, expansions = expand_abbreviations(question)
        tokens = [t for t in dict.fromkeys(tokenize(expanded)) if t not in _QUESTION_WORDS]
        if not tokens or not self.codes:
            return []
        document_scores = np.zeros(len(self._owners))
        for token in tokens:
            word = self._words.get(token)
            if word is None:
                continue
            start, end = int(self._starts[word]), int(self._starts[word + 1])
            ids, tf = self._ids[start:end], self._tf[start:end]
            document_scores[ids] += self._idf[word] * (tf * (K1 + 1) / (tf + self._norm[ids]))
        scores = np.zeros(len(self.codes))
        np.maximum.at(scores, self._owners, document_scores)
        for category in default_categories(question):
            scores[self._category_positions(category)] *= DEFAULT_CATEGORY_BOOST
        candidates = np.flatnonzero(scores)
        if not len(candidates):
            return []
        depth = min(len(candidates), max(k * 20, 100))
        top = candidates[np.argsort(-scores[candidates], kind="stable")[:depth]]
        asked = frozenset(tokens)
        ranked = []
        for position in (int(p) for p in top):
            words = self._description_words(position)
            extra = [w for w in words if w not in asked and w not in _DEFAULT_WORDS]
            score = float(scores[position]) * (1 - UNMATCHED_PENALTY * len(extra) / max(len(words), 1))
            ranked.append((score, position, words))
        ranked.sort(key=lambda item: (-item[0], self.codes[item[1]]))
        hits = []
        for score, position, words in ranked[:k]:
            matched = sorted(asked & words)
            why = f"matched {', '.join(repr(w) for w in matched)} in its description" if matched else (
                "matched its inclusion terms")
            if expansions:
                why += "; read " + ", ".join(f"{short} as '{long}'" for short, long in expansions)
            hits.append(DiagnosisHit(code=self.codes[position], description=self.descriptions[position],
                                     score=round(score, 3), why=why))
        return hits


_LOCK = threading.Lock()
_INDEXES: dict[str, DiagnosisIndex] = {}
# Bump when the indexed text or the tokenizer changes: a saved index of another version is rebuilt.
INDEX_VERSION = f"{RELEASE}; text 1"
CACHE_FOLDER = "diagnoses"


def build_diagnosis_index(codes: Icd10CodeSet | None = None) -> DiagnosisIndex:
    """A fresh index over every billable ICD-10-CM code."""
    return DiagnosisIndex.build(list((codes or code_set()).billable_entries()))


def diagnosis_index(data_dir: Path | None = None) -> DiagnosisIndex:
    """The process's diagnosis index: loaded from `data_dir/diagnoses/` when saved there for this release, else
    built and saved there; kept for the life of the process (thread-safe)."""
    index = _cached_index(data_dir, build=True)
    assert index is not None  # built when not saved
    return index


def saved_diagnosis_index(data_dir: Path) -> DiagnosisIndex | None:
    """The diagnosis index saved in `data_dir` (loaded and kept as `diagnosis_index` would), or None: never builds."""
    return _cached_index(data_dir, build=False)


def _cached_index(data_dir: Path | None, *, build: bool) -> DiagnosisIndex | None:
    key = str(data_dir or "")
    index = _INDEXES.get(key)
    if index is None:
        with _LOCK:
            index = _INDEXES.get(key)
            if index is None:
                folder = Path(data_dir) / CACHE_FOLDER if data_dir is not None else None
                index = DiagnosisIndex.load(folder, INDEX_VERSION) if folder is not None else None
                if index is None:
                    if not build:
                        return None
                    index = build_diagnosis_index()
                    if folder is not None:
                        with contextlib.suppress(OSError):  # a read-only data dir still answers, uncached
                            index.save(folder, INDEX_VERSION)
                _INDEXES[key] = index
    return index
