"""The retriever: exact code look-up first, then dense (Chroma) and lexical (BM25) rankings fused by RRF.

Order of a search's hits:
1. codes typed in the question that exist in the corpus ("what is 96369", "CPT 96370?", "j1559"), in the order
   typed, never found by embedding;
2. the rest, by reciprocal-rank fusion (Cormack et al. 2009) of three rankings: whole lay terms (records with a
   lay term, or a drug name, that the question contains entirely, longest first), BM25 (over title, lay terms,
   official descriptor and code) and dense (cosine over the embedded record text, in Chroma). Equal fused scores
   go to the lexical side (an exact word match beats a vague likeness: "rocephin" must never find a wheelchair
   caster), then each fused score is scaled by the record's code-range prior (`priors.RANK_PRIORS`: quality-data codes
   and terminated codes yield to the billable, current code the words name).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.corpus.codes import find_codes
from assistant.corpus.records import CodeRecord
from assistant.retrieval import asked_kinds
from assistant.retrieval.combinations import combination_factor
from assistant.retrieval.dense import EXACT_SCAN, SCORE_DECIMALS, ExactRanker
from assistant.retrieval.embeddings import embedding_key, embeddings_for
from assistant.retrieval.index import (
    IndexReport,
    Manifest,
    ProgressHook,
    active_collection,
    manifest_path,
    open_store,
    refresh_index,
)
from assistant.retrieval.intent import implied_injection, intent_factor, intent_note, read_intent
from assistant.retrieval.lexical import LexicalIndex, LexicalMatch
from assistant.retrieval.priors import ASKS_FOR_OLD_CODE, prior_of
from assistant.retrieval.product_names import lexical_names
from assistant.retrieval.routes import inhaled_factor, injected_molecules
from assistant.retrieval.siblings import asked_words, stated_opposite_factor, unstated_exclusion_factor
from assistant.retrieval.sizes import question_sizes, size_factor

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.corpus.loader import Corpus
    from assistant.settings import Settings

# RRF constant. 60 is the paper's default for long result lists; our lists are short and the top of each ranker
# matters most, so a smaller constant lets a first place count for more. Tuned on eval/retrieval_questions.yaml.
RRF_K = 20
# How deep each ranker looks before fusion. 50 rather than 30 (issue 22, fourth pass): a record the priors lift
# (a qualifier the question states, a size it names) can come from ranks 31-50 of one ranker.
CANDIDATE_DEPTH = 50
# Weights of the three rankings in the fusion (dense meaning, BM25 words, whole lay terms).
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
PHRASE_WEIGHT = 1.0
# An exact code typed in the question ranks above every fused score (the fused maximum is 3 / (RRF_K + 1)).
EXACT_SCORE = 1.0


# Above EXACT_SCAN, a filter keeping at most this many records ranks them from their cached vectors (6 MB).
SMALL_FILTER = 4096
# A larger filter takes the allowed codes out of an unfiltered query 8x deeper when that leaves at least this many.
FILTER_ENOUGH = 5
# Embedding a question longer than this adds nothing (the model reads 256 word pieces) and costs time.
MAX_QUERY_CHARS = 2000

_CODE_SHAPE = re.compile(r"([A-Z]?)(\d{4,5})([A-Z]?)")


@dataclass(frozen=True)
class Hit:
    """One search result: the code, its fused score (higher is better), its record and one line saying why."""

    code: str
    score: float
    record: CodeRecord
    why: str


class Retriever:
    """Searches the corpus by code, meaning and words. Build it with `build_retriever`; searching is cheap.

    Lazy (issue 13 item 9): without a store, nothing heavy is loaded until the first search needs the dense side
    (or `warm_up()` is called): look-ups, near codes and `index_status()` never import torch or the model. The
    first search then refreshes the index (a stale index is brought up to date there, not at start-up), loads
    the model and opens the store; BM25 is built on first use too.
    """

    def __init__(
        self,
        corpus: Corpus,
        store: Any = None,
        lexical: LexicalIndex | None = None,
        index_report: IndexReport | None = None,
        settings: Settings | None = None,
        embeddings: Embeddings | None = None,
    ) -> None:
        self.corpus = corpus
        self._store = store  # langchain_chroma.Chroma over the active generation; None until warmed up
        self.index_report = index_report  # what the refresh that preceded this retriever did
        # With settings, a retriever whose generation was replaced by another process's refresh (a running app
        # while `python -m assistant index` runs) follows the manifest to the new one instead of failing.
        self.settings = settings
        self._embeddings = embeddings
        self._lexical = lexical
        self._lexical_lock = threading.Lock()
        self._warm_lock = threading.RLock()
        # "cold", "refreshing the index", "loading the model", "embedding N of M", "ready" or "failed: ...".
        self.state = "ready" if store is not None else "cold"
        self._disk_status: dict[str, Any] | None = None
        self._allowed_cache: dict[tuple[str | None, str | None], list[str]] = {}
        self._vector_cache: dict[tuple[str | None, str | None], tuple[list[str], np.ndarray]] = {}
        self._exact = ExactRanker()  # the dense side up to EXACT_SCAN records (dense.py)

    # --- lazy parts -------------------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        """True once the model is loaded and the store open (after `warm_up`, or the first search)."""
        return self._store is not None

    @property
    def store(self) -> Any:
        """The vector store over the active generation; warms up (refresh, model load) on first use."""
        if self._store is None:
            self.warm_up()
        return self._store

    @store.setter
    def store(self, value: Any) -> None:
        self._store = value

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 and lay-term index, built on first use (about 0.5 s at 7,000 records)."""
        if self._lexical is None:
            with self._lexical_lock:
                if self._lexical is None:
                    self._lexical = LexicalIndex(list(self.corpus), lexical_names(self.corpus))
        return self._lexical

    def warm_up(self, progress: bool = False, on_progress: ProgressHook | None = None) -> IndexReport | None:
        """Refresh the index, load the model, open the store and build BM25; idempotent and thread-safe.

        The web app calls it in a background thread at start-up so the first search does not wait; a search that
        comes first waits for it. A failure is re-raised (and `state` says it); the next call tries again.
        """
        if self._store is not None:
            return self.index_report
        with self._warm_lock:
            if self._store is not None:
                return self.index_report
            if self.settings is None:
                raise RuntimeError("this retriever has neither a store nor settings to build one from")
            try:
                self.state = "refreshing the index"

                def hook(stage: str, done: int, total: int) -> None:
                    self.state = f"embedding {done} of {total}" if stage == "embedding" else stage
                    if on_progress is not None:
                        on_progress(stage, done, total)

                encoder = self._embeddings if self._embeddings is not None else embeddings_for(self.settings)
                self._embeddings = encoder  # kept: a reloaded corpus's retriever shares it (issue 24, no 2nd model)
                report = refresh_index(self.settings, self.corpus, progress=progress, embeddings=encoder,
                                       on_progress=hook)
                if not getattr(encoder, "loaded", True):
                    self.state = "loading the model"
                    encoder.load()  # type: ignore[attr-defined]
                self.state = "switching"
                _ = self.lexical
                store = open_store(self.settings, report.collection, encoder)
                self.index_report = report
                self._store = store
                self._vector_cache.clear()
                self._exact.clear()
                self.search("subcutaneous infusion first hour", k=1)  # first-query costs paid here, not by a user
            except BaseException as error:
                self._store = None
                self.state = f"failed: {error}"
                raise
            self.state = "ready"
            return report

    @property
    def embeddings(self) -> Embeddings | None:
        """The encoder this retriever uses (None before warm-up when none was given): a retriever built for a
        reloaded corpus shares it instead of loading the model again (assistant/web/live.py)."""
        return self._embeddings

    def index_status(self) -> dict[str, Any]:
        """The active index generation, how many vectors it holds and the warm-up state (what /healthz reports).

        Before warm-up it answers from the manifest on disk without loading Chroma or the model: `indexed` is
        the generation's record count when it was built from exactly this corpus and model, else 0 (stale)."""
        if self._store is None:
            return {**self._status_on_disk(), "state": self.state}
        collection = self._store._collection  # langchain_chroma keeps the chromadb collection here
        return {"collection": collection.name, "indexed": collection.count(), "state": self.state}

    def _status_on_disk(self) -> dict[str, Any]:
        if self._disk_status is None:
            settings = self.settings
            manifest = Manifest.load(manifest_path(settings)) if settings is not None else None
            if settings is None or manifest is None:
                return {"collection": settings.collection if settings else "", "indexed": 0}
            current = (manifest.embedding_key == embedding_key(settings)
                       and manifest.hashes == {record.code: record.content_hash() for record in self.corpus})
            self._disk_status = {"collection": manifest.active, "indexed": len(manifest.hashes) if current else 0}
        return self._disk_status

    # --- exact ------------------------------------------------------------------------------------------------
    def lookup(self, code: str) -> CodeRecord | None:
        """The record of exactly `code` (any case, spaces ignored) from the corpus, never by embedding; or None."""
        return self.corpus.get(code)

    def near_codes(self, code: str, k: int = 5) -> list[CodeRecord]:
        """Up to `k` corpus codes closest to `code` (not itself): same shape (letter prefix, CPT suffix), then the
        longest shared leading characters, then the smallest numeric distance. For "96399 is not in the corpus"."""
        target = code.strip().upper()
        shape = _CODE_SHAPE.fullmatch(target)
        if shape is None or k <= 0:
            return []
        prefix, digits, suffix = shape.groups()
        number = int(digits)
        ranked: list[tuple[int, int, str, CodeRecord]] = []
        for record in self.corpus:
            other = _CODE_SHAPE.fullmatch(record.code)
            if record.code == target or other is None:
                continue
            if (other.group(1), other.group(3), len(other.group(2))) != (prefix, suffix, len(digits)):
                continue
            shared = len(_common_prefix(record.code, target))
            ranked.append((-shared, abs(int(other.group(2)) - number), record.code, record))
        ranked.sort(key=lambda row: row[:3])
        return [row[3] for row in ranked[:k]]

    # --- search -----------------------------------------------------------------------------------------------
    def search(self, query: str, k: int = 5, family: str | None = None, system: str | None = None) -> list[Hit]:
        """The best `k` records for a question: typed codes first, then the dense, BM25 and whole-lay-term
        rankings fused by reciprocal rank. Each hit says in one line why it was found.

        `family` keeps records whose family (e.g. "drug_administration") or units time rule (e.g. "subq_infusion")
        is that value; `system` keeps "CPT" or "HCPCS" records. An empty question finds nothing.
        """
        text = (query or "").strip()[:MAX_QUERY_CHARS]
        if not text or k <= 0:
            return []
        system = system.upper() if system else None
        allowed = _filter(family, system)

        hits: list[Hit] = []
        seen: set[str] = set()
        for code in find_codes(text):
            record = self.corpus.get(code)
            if record is not None and record.code not in seen and (allowed is None or allowed(record)):
                hits.append(Hit(record.code, EXACT_SCORE, record, f"its code {record.code} is in your question"))
                seen.add(record.code)
        if len(hits) >= k:
            return hits[:k]

        dense = self.dense_ranking(text, CANDIDATE_DEPTH, family, system)
        lexical = self.lexical.rank(f"{text} injection" if implied_injection(text) else text, CANDIDATE_DEPTH, allowed)
        reasons: dict[str, str] = {}
        for match in [*lexical.phrase[::-1], *lexical.bm25[::-1]]:  # best reason wins: whole lay term, then BM25
            reasons[self.lexical.records[match.index].code] = match.why
        rankings = [  # lexical first: equal scores keep first-seen order
            (self._codes(lexical.phrase), _phrase_weights(lexical.phrase)),
            (self._codes(lexical.bm25), LEXICAL_WEIGHT),
            (dense, DENSE_WEIGHT),
        ]
        fused = self._with_priors(text, _fuse(rankings))
        intent = read_intent(text)
        dense_top = set(dense[:3])
        for code, score in fused:
            if code in seen:
                continue
            record = self.corpus.get(code)
            if record is None:  # the index is older than the corpus object; never show a code we cannot describe
                continue
            why = reasons.get(code)
            if why is None:
                why = "close in meaning to your question"
            elif code in dense_top:
                why += ", and close in meaning"
            if not hits:  # the first hit says why its kind leads, and what it has that the question asked for
                notes = (intent_note(record, intent), asked_kinds.asked_note(record, asked_kinds.read_asked(text)))
                why += "".join(f"; {note}" for note in notes if note)
            hits.append(Hit(code, score, record, why))
            seen.add(code)
            if len(hits) >= k:
                break
        return hits

    def _with_priors(self, text: str, fused: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """The fused scores scaled by each record's prior (RANK_PRIORS, TERMINATED_FACTOR), best first again."""
        today = date.today()
        old_wanted = bool(ASKS_FOR_OLD_CODE.search(text))
        wanted_sizes = question_sizes(text)  # "1000 ml", "1 cc": the sibling whose descriptor names it (sizes.py)
        intent = read_intent(text)  # a dose wants the drug, administration words the service (intent.py)
        asked = asked_words(text)
        kinds = asked_kinds.read_asked(text)  # "J code for", "OTS", "per hour" (asked_kinds.py)
        records = {code: self.corpus.get(code) for code, _ in fused}
        injected = injected_molecules(r for r in records.values() if r is not None)  # inhaled yields (routes.py)
        scaled: list[tuple[str, float]] = []
        for code, value in fused:
            record = records[code]
            if record is not None:
                value *= prior_of(record, today, terminated_wanted=old_wanted, question=text)
                value *= size_factor(record, wanted_sizes)
                value *= intent_factor(record, intent)
                value *= unstated_exclusion_factor(record, asked) * stated_opposite_factor(record, text)  # siblings
                value *= combination_factor(record, text) * inhaled_factor(record, text, injected)
                value *= asked_kinds.asked_factor(record, kinds)
            scaled.append((code, value))
        return sorted(scaled, key=lambda item: -item[1])

    def _codes(self, matches: list[LexicalMatch]) -> list[str]:
        return [self.lexical.records[match.index].code for match in matches]

    def dense_ranking(self, text: str, depth: int, family: str | None = None, system: str | None = None) -> list[str]:
        """Codes by cosine distance of their embedded text to the question, nearest first (Chroma)."""
        depth = min(depth, len(self.corpus))
        if depth <= 0:
            return []
        try:
            return self._dense(text, depth, family, system)
        except Exception:  # chromadb raises NotFoundError/ValueError/InternalError kinds for a deleted collection
            if not self._follow_manifest():
                raise
            return self._dense(text, depth, family, system)

    def _dense(self, text: str, depth: int, family: str | None, system: str | None) -> list[str]:
        vector = self.store.embeddings.embed_query(text)
        if len(self.corpus) <= EXACT_SCAN:  # exact, the same every run (dense.py)
            if self.settings is not None and self._exact.switched(manifest_path(self.settings)):
                self._follow_manifest()  # another process's refresh replaced the generation
            unfiltered = family is None and system is None
            return self._exact.rank(self.store, vector, depth, (family, system),
                                    None if unfiltered else lambda: self._allowed_codes(family, system))
        if family is None and system is None:
            return self._nearest(vector, depth)
        # Chroma's metadata filter costs ~80-250 ms at 100,000 records on 2 cores (it scans the metadata), so
        # filters are applied here: a small allowed set is ranked exactly from its cached vectors; a large one is
        # cut out of a deeper unfiltered query; Chroma's own filter is only the fallback.
        allowed_codes = self._allowed_codes(family, system)
        if not allowed_codes:
            return []
        if len(allowed_codes) <= SMALL_FILTER:
            codes, matrix = self._filter_vectors(family, system, allowed_codes)
            scores = matrix @ np.asarray(vector, dtype=np.float32)  # vectors are normalised: dot = cosine
            top = np.argsort(-scores, kind="stable")[:depth]
            return [codes[position] for position in top]
        allowed = set(allowed_codes)
        kept = [code for code in self._nearest(vector, min(len(self.corpus), depth * 8)) if code in allowed]
        if len(kept) >= min(depth, FILTER_ENOUGH):
            return kept[:depth]
        return self._nearest(vector, depth, _where(family, system))

    def _nearest(self, vector: list[float], depth: int, where: dict[str, Any] | None = None) -> list[str]:
        results = self.store.similarity_search_by_vector_with_relevance_scores(vector, k=depth, filter=where)
        # Equal distances (records with the same text) go to the lower code, not to the graph's visiting order.
        ranked = sorted(results, key=lambda pair: (round(pair[1], SCORE_DECIMALS), pair[0].metadata["code"]))
        return [document.metadata["code"] for document, _distance in ranked]

    def _allowed_codes(self, family: str | None, system: str | None) -> list[str]:
        key = (family, system)
        if key not in self._allowed_cache:
            allowed = _filter(family, system)
            self._allowed_cache[key] = [record.code for record in self.corpus if allowed is None or allowed(record)]
        return self._allowed_cache[key]

    def _filter_vectors(
        self, family: str | None, system: str | None, codes: list[str]
    ) -> tuple[list[str], np.ndarray]:
        """The stored vectors of a small filtered set, fetched from Chroma once per filter and generation."""
        key = (family, system)
        cached = self._vector_cache.get(key)
        if cached is None:
            found: dict[str, Any] = {}
            for start in range(0, len(codes), 1000):
                got = self.store.get(ids=codes[start:start + 1000], include=["embeddings"])
                found.update(zip(got["ids"], got["embeddings"], strict=True))
            present = [code for code in codes if code in found]
            matrix = np.asarray([found[code] for code in present], dtype=np.float32).reshape(len(present), -1)
            cached = self._vector_cache[key] = (present, matrix)
        return cached

    def _follow_manifest(self) -> bool:
        """Reopen the store on the generation the manifest now names; False when there is no other one."""
        if self.settings is None:
            return False
        active = active_collection(self.settings)
        current = self.index_report.collection if self.index_report is not None else None
        if active is None or active == current:
            return False
        self.store = open_store(self.settings, active, self.store.embeddings)
        self._vector_cache.clear()
        self._exact.clear()
        if self.index_report is not None:
            self.index_report = dataclasses.replace(self.index_report, collection=active)
        return True

    def lexical_ranking(self, text: str, depth: int, family: str | None = None, system: str | None = None) -> list[str]:
        """Codes by the lexical side alone (BM25 and whole lay terms, fused), best first; for evaluation."""
        lexical = self.lexical.rank(text, depth, _filter(family, system.upper() if system else None))
        fused = _fuse([(self._codes(lexical.phrase), _phrase_weights(lexical.phrase)),
                       (self._codes(lexical.bm25), LEXICAL_WEIGHT)])
        return [code for code, _ in fused][:depth]

    def bm25_ranking(self, text: str, depth: int) -> list[str]:
        """Codes by BM25 alone, best first; for evaluation."""
        return self._codes(self.lexical.rank(text, depth).bm25)


def _fuse(rankings: list[tuple[list[str], float | list[float]]]) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion: each ranking gives weight / (RRF_K + rank) (a weight per position when a
    list is given); ties keep first-seen order."""
    fused: dict[str, float] = {}
    for codes, weight in rankings:
        for rank, code in enumerate(codes, start=1):
            share = weight[rank - 1] if isinstance(weight, list) else weight
            fused[code] = fused.get(code, 0.0) + share / (RRF_K + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def _phrase_weights(matches: list[LexicalMatch]) -> list[float]:
    """PHRASE_WEIGHT scaled by each match's phrase length over the longest one matched: a question containing the
    two-word lay term "intrathecal methotrexate" means that record more than the records named "methotrexate"."""
    longest = max((match.score for match in matches), default=1.0) or 1.0
    return [PHRASE_WEIGHT * match.score / longest for match in matches]


def _common_prefix(left: str, right: str) -> str:
    length = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        length += 1
    return left[:length]


def _filter(family: str | None, system: str | None) -> Callable[[CodeRecord], bool] | None:
    if family is None and system is None:
        return None

    def allowed(record: CodeRecord) -> bool:
        if system is not None and record.system != system:
            return False
        return family is None or family in (record.family, record.time_rule)

    return allowed


def _where(family: str | None, system: str | None) -> dict[str, Any] | None:
    """The Chroma metadata filter matching `_filter`."""
    clauses: list[dict[str, Any]] = []
    if family is not None:
        clauses.append({"$or": [{"family": family}, {"time_rule": family}]})
    if system is not None:
        clauses.append({"system": system})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def build_retriever(
    settings: Settings, corpus: Corpus, progress: bool = False, *, embeddings: Embeddings | None = None,
    lazy: bool = False,
) -> Retriever:
    """A retriever over `corpus`. By default warmed up now: the index refreshed incrementally, the model loaded,
    BM25 built and one throw-away search run so the first real question does not pay for initialisation.

    `lazy=True` (what `Assistant.from_settings` uses) does none of that here: the first search (or
    `retriever.warm_up()`, which the web app runs in a background thread) does it, so a units, look-up or edits
    answer from a cold process never imports torch or loads the model."""
    retriever = Retriever(corpus, settings=settings, embeddings=embeddings)
    if not lazy:
        retriever.warm_up(progress=progress)
    return retriever
