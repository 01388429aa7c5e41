"""The lexical ranker: BM25 (rank-bm25) over each record's title, lay terms and code, with a coder-aware tokenizer.

Dense embeddings of a general-purpose model miss coders' shorthand ("subq", "SCIG", "NS bolus", "ther ex");
exact word matches on the lay terms catch it. The tokenizer folds the spellings coders use for the same word:
"sub-q", "sub q", "Sub-Q" and "subq" all become `subq`; plurals and case do not matter; codes stay whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from assistant.corpus.records import CodeRecord

# Words that say nothing about which code is meant. "code", "cpt" and "bill" appear in nearly every question.
STOPWORDS = frozenset(
    [
        "a", "an", "the", "of", "for", "to", "in", "on", "at", "by", "and", "or", "with", "without", "is", "are", "was",
        "be", "been", "what", "whats", "which", "how", "do", "does", "did", "i", "we", "you", "my", "our", "me", "us",
        "it", "its", "this", "that", "there", "code", "codes", "coding", "cpt", "hcpcs", "bill", "billing", "billed",
        "report", "reported", "use", "used", "should", "can", "could", "would", "please", "tell", "need", "give", "get",
        "find", "number",
    ]
)

# Words, allowing inner joiners: "sub-q", "e/m", "port-a-cath", "ringer's", "0.9".
_WORD = re.compile(r"[0-9a-z]+(?:[-/'.][0-9a-z]+)*")
_JOINERS = re.compile(r"[-/'.]")


def _stem(token: str) -> str:
    """Fold English plurals so "infusions" meets "infusion" and "minutes" meets "minute"; codes stay whole."""
    if any(ch.isdigit() for ch in token) or len(token) < 4:
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("sses", "xes", "ches", "shes")):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    """Lower-cased, plural-folded tokens of `text`, without stop words.

    A joined word yields its joined form and its parts of two or more characters ("sub-q" -> subq, sub;
    "port-a-cath" -> portacath, port, cath), and a lone letter after a word joins it ("sub q" -> subq), so the
    spellings coders type meet the ones in the lay terms.
    """
    tokens: list[str] = []
    previous: str | None = None
    for match in _WORD.finditer(text.casefold()):
        word = match.group(0)
        if re.fullmatch(r"\d+(?:\.\d+)+", word):  # a decimal number ("2.5", "0.9") stays one token
            forms = [word]
        elif "'" in word:  # a possessive or contraction: "ringer's" -> ringers (-> ringer)
            forms = [word.replace("'", "")]
        elif _JOINERS.search(word):
            parts = [part for part in _JOINERS.split(word) if part]
            joined = "".join(parts)
            forms = [joined] + [part for part in parts if len(part) >= 2]
        else:
            forms = [word]
            if len(word) == 1 and word.isalpha() and previous is not None and not previous.isdigit():
                forms = [previous + word]  # "sub q" -> "subq", "e m" -> "em"
        for form in forms:
            stemmed = _stem(form)
            if stemmed not in STOPWORDS and (len(stemmed) > 1 or stemmed.isdigit()):
                tokens.append(stemmed)
        previous = word if word not in STOPWORDS else None
    return tokens


@dataclass(frozen=True)
class LexicalMatch:
    """One record the lexical ranker found: its position in the corpus, BM25 score, and why it matched."""

    index: int
    score: float
    why: str


class LexicalIndex:
    """BM25 over title + lay terms + code of every record, with an inverted index so a query scores only the
    records that share a word with it (BM25 gives the others zero anyway); fast at 100,000 records."""

    def __init__(self, records: Sequence[CodeRecord]) -> None:
        self.records: list[CodeRecord] = list(records)
        documents: list[list[str]] = []
        self._title_tokens: list[frozenset[str]] = []
        self._lay_tokens: list[list[tuple[str, frozenset[str]]]] = []
        self._postings: dict[str, list[int]] = {}
        for position, record in enumerate(self.records):
            title = tokenize(record.title)
            lay = [(term, frozenset(tokenize(term))) for term in record.lay_terms]
            code = [record.code.casefold()]
            document = title + [token for _, terms in lay for token in sorted(terms)] + code
            documents.append(document)
            self._title_tokens.append(frozenset(title))
            self._lay_tokens.append(lay)
            for token in set(document):
                self._postings.setdefault(token, []).append(position)
        # rank-bm25 wants a non-empty corpus; an empty one simply finds nothing.
        self._bm25: BM25Okapi | None = BM25Okapi(documents) if documents else None
        if self._bm25 is not None:
            # get_batch_scores turns doc_len into an array on every call; an array already makes that a cheap copy.
            self._bm25.doc_len = np.asarray(self._bm25.doc_len, dtype=float)

    def search(
        self, query: str, k: int = 30, allowed: Callable[[CodeRecord], bool] | None = None
    ) -> list[LexicalMatch]:
        """The best `k` records for `query` by BM25 (only those sharing a word with it), best first."""
        tokens = tokenize(query)
        if self._bm25 is None or not tokens:
            return []
        candidates: set[int] = set()
        for token in set(tokens):
            candidates.update(self._postings.get(token, ()))
        if allowed is not None:
            candidates = {position for position in candidates if allowed(self.records[position])}
        if not candidates:
            return []
        ordered = sorted(candidates)
        scores = self._bm25.get_batch_scores(tokens, ordered)
        ranked = sorted(zip(ordered, scores, strict=True), key=lambda pair: (-pair[1], pair[0]))[:k]
        query_tokens = frozenset(tokens)
        return [LexicalMatch(position, float(score), self._explain(position, query_tokens))
                for position, score in ranked if score > 0]

    def _explain(self, position: int, query_tokens: frozenset[str]) -> str:
        """One plain line: the lay term (or title words, or code) the question shares with the record."""
        record = self.records[position]
        if record.code.casefold() in query_tokens:
            return f"its code {record.code} is in your question"
        best_term, best_overlap = None, 0
        for term, terms in self._lay_tokens[position]:
            overlap = len(terms & query_tokens)
            # Prefer the lay term sharing the most words; on a tie, the one with fewest extra words.
            if overlap > best_overlap or (overlap == best_overlap and overlap and len(term) < len(best_term or "")):
                best_term, best_overlap = term, overlap
        title_words = sorted(self._title_tokens[position] & query_tokens)
        if best_term is not None and best_overlap >= len(title_words):
            return f"matched '{best_term}' in its lay terms"
        if title_words:
            return "matched " + ", ".join(f"'{word}'" for word in title_words) + " in its title"
        return "shares words with your question"
