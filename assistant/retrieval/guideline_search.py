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


def _normal(text: str) -> str:
    return " " + " ".join(tokenize(text)) + " "


class GuidelineIndex:
    """BM25 and whole-phrase rankers over the articles, fused by reciprocal rank."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        documents = []
        self._vocab: list[frozenset[str]] = []
        self._phrases: list[list[tuple[str, str]]] = []  # (normalised, as written)
        self._code_only: list[set[str]] = []
        for article in self.articles:
            named = [article.title, *article.phrasings, *article.phrasings, article.topic, " ".join(article.codes)]
            tokens = tokenize(" ".join([*named, article.answer]))
            documents.append(tokens)
            self._vocab.append(frozenset(tokenize(" ".join(named))))
            # A phrasing that is only codes ("96369") ranks but never counts as naming the rule: "what is 96369"
            # asks for the code's card.
            self._phrases.append([(_normal(p), p) for p in [article.title, *article.phrasings] if tokenize(p)])
            self._code_only.append({p for p in article.phrasings if all(_CODE_TOKEN.match(t) for t in tokenize(p))})
        self._bm25 = BM25Okapi(documents) if documents else None

    def search(self, text: str, k: int = 3) -> list[GuidelineHit]:
        """The best `k` articles for `text`, best first; [] when no article shares a specific word with it."""
        tokens = tokenize(text)
        if not tokens or self._bm25 is None:
            return []
        scores = self._bm25.get_scores(tokens)
        normal = _normal(text)
        phrase_hits: list[tuple[int, str | None]] = []
        for phrases in self._phrases:
            found = [(len(p.split()), written) for p, written in phrases if p in normal]
            naming = [(n, written) for n, written in found if written not in self._code_only[len(phrase_hits)]]
            phrase_hits.append((sum(n for n, _ in found), max(naming)[1] if naming else None))
        by_bm25 = sorted(range(len(self.articles)), key=lambda i: -scores[i])
        by_phrase = sorted((i for i in range(len(self.articles)) if phrase_hits[i][0]),
                           key=lambda i: -phrase_hits[i][0])
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
            phrase = phrase_hits[i][1]
            if phrase is None and not shared:
                continue
            why = f"matched the phrasing '{phrase}'" if phrase else f"shares the words {', '.join(shared)}"
            hits.append(GuidelineHit(self.articles[i], round(fused[i], 4), why, phrase, shared))
        return hits
