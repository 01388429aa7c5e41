"""Search over the guideline articles: their own kind, never mixed with code records (issue 23 item 3).

The same fused idea as the code retriever (`retriever.py`: ranked lists fused by reciprocal rank), over two
lexical rankers that suit short rule articles: BM25 (rank-bm25, the coder-aware `lexical.tokenize`) over each
article's title, phrasings, topic, codes and answer, and a phrase ranker that counts how many of an article's
coder phrasings ("8 minute rule", "port flush", "incident to") appear whole in the question. The articles are a
few hundred short texts, so both build in milliseconds and nothing is embedded: a first index build is not slower.

A hit says why it matched (the phrasing or the shared words), like a code hit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rank_bm25 import BM25Okapi

from assistant.corpus.guidelines import Article
from assistant.retrieval.lexical import tokenize

RRF_K = 10  # reciprocal-rank constant: small, the lists are short and the top ranks matter most
# Words that make a question about a rule rather than a code, kept out of the match gate ("rule" alone says which
# kind of question, not which rule).
_GENERIC = frozenset({"rule", "billable", "payable", "allowed", "when", "vs", "versu", "mean", "doe", "difference",
                      "same", "day", "separately", "medicare", "commercial", "payer", "together", "report"})
_CODE_TOKEN = re.compile(r"^(?:\d{5}|\d{4}[a-z]|[a-z]\d{4})$")


@dataclass(frozen=True, slots=True)
class GuidelineHit:
    """One article found for a question: its fused score, and why it matched."""

    article: Article
    score: float
    why: str
    phrase: str | None  # the coder phrasing found whole in the question, if any
    shared: tuple[str, ...]  # the question's words the article shares (codes and generic words left out)
    codes: tuple[str, ...] = ()  # the question's codes the article concerns (lower case)


MAX_NAME_ARTICLES = 3  # a one-word phrasing names an article only when that word names at most this many articles


@dataclass(frozen=True, slots=True)
class _Phrase:
    tokens: frozenset[str]
    written: str
    naming: bool  # has a specific word besides codes and generic words ("96369" alone does not name a rule)


class GuidelineIndex:
    """BM25 and whole-phrasing rankers over the articles, fused by reciprocal rank."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        documents = []
        self._vocab: list[frozenset[str]] = []
        self._codes: list[frozenset[str]] = []
        self._phrases: list[list[_Phrase]] = []
        written_by_article: list[list[tuple[frozenset[str], str]]] = []
        document_frequency: dict[str, int] = {}
        for article in self.articles:
            named = [article.title, *article.phrasings, *article.phrasings, article.topic, " ".join(article.codes)]
            documents.append(tokenize(" ".join([*named, article.answer])))
            self._vocab.append(frozenset(tokenize(" ".join(named))))
            self._codes.append(frozenset(code.casefold() for code in article.codes))
            phrases = [(frozenset(tokenize(p)), p) for p in [article.title, *article.phrasings]]
            written_by_article.append([(tokens, p) for tokens, p in phrases if tokens])
            for token in set().union(*(tokens for tokens, _ in phrases)):
                document_frequency[token] = document_frequency.get(token, 0) + 1
        for phrases in written_by_article:
            kept = []
            for tokens, written in phrases:
                specific = {t for t in tokens if t not in _GENERIC and not _CODE_TOKEN.match(t)}
                if len(tokens) == 1 and (not specific or document_frequency[next(iter(tokens))] > MAX_NAME_ARTICLES):
                    continue  # one common word ("time", "rule") names no article
                if tokens <= _GENERIC:
                    continue
                kept.append(_Phrase(tokens, written, bool(specific)))
            self._phrases.append(kept)
        self._bm25 = BM25Okapi(documents) if documents else None

    def search(self, text: str, k: int = 3) -> list[GuidelineHit]:
        """The best `k` articles for `text`, best first; [] when no article shares a specific word with it.

        A phrasing matches when all its words are in the question, in any order ("does the midpoint rule apply to
        E/M" meets "midpoint ... e/m"); longer phrasings rank first."""
        tokens = tokenize(text)
        if not tokens or self._bm25 is None:
            return []
        scores = self._bm25.get_scores(tokens)
        question = frozenset(tokens)
        phrase_rank: list[tuple[int, int]] = []
        naming: list[str | None] = []
        for phrases in self._phrases:
            found = [p for p in phrases if p.tokens <= question]
            phrase_rank.append((max((len(p.tokens) for p in found), default=0), len(found)))
            named = [p for p in found if p.naming]
            naming.append(max(named, key=lambda p: len(p.tokens)).written if named else None)
        by_bm25 = sorted(range(len(self.articles)), key=lambda i: -scores[i])
        by_phrase = sorted((i for i in range(len(self.articles)) if phrase_rank[i][0]), key=lambda i: (
            -phrase_rank[i][0], -phrase_rank[i][1], -scores[i]))
        fused: dict[int, float] = {}
        for rank, i in enumerate(by_bm25):
            if scores[i] > 0:
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(by_phrase):
            fused[i] = fused.get(i, 0.0) + 1.5 / (RRF_K + rank + 1)
        specific = {t for t in tokens if t not in _GENERIC}
        hits = []
        for i in sorted(fused, key=lambda i: -fused[i])[:k]:
            shared = tuple(sorted(t for t in specific & self._vocab[i] if not _CODE_TOKEN.match(t)))
            codes = tuple(sorted(question & self._codes[i]))
            phrase = naming[i]
            if phrase is None and not shared and not codes:
                continue
            why = (f"matched the phrasing '{phrase}'" if phrase else
                   f"shares the words {', '.join(shared + codes)}")
            hits.append(GuidelineHit(self.articles[i], round(fused[i], 4), why, phrase, shared, codes))
        return hits
