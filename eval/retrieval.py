"""Retrieval quality on eval/retrieval_questions.yaml: hit@1, hit@3 and MRR for dense-only, lexical-only and fused.

    .venv/bin/python -m eval.retrieval [--questions PATH] [--data-dir DIR] [--depth 10]

Counts EXACT code matches only. dense, bm25 and lexical (BM25 fused with whole-lay-term matches) are rankers
alone, without the exact-code look-up;
fused is `Retriever.search` as the assistant uses it (typed codes first, then reciprocal-rank fusion).
Every fused question whose expected code is not first is listed. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

import assistant.offline  # noqa: F401
from assistant.corpus.loader import Corpus, load_corpus
from assistant.retrieval import Retriever, build_retriever
from assistant.settings import Settings

QUESTIONS = Path(__file__).with_name("retrieval_questions.yaml")


@dataclass(frozen=True)
class Question:
    q: str
    code: str


@dataclass
class Score:
    """hit@1, hit@3 and mean reciprocal rank (0 when the code is not within the depth looked at)."""

    hit1: float
    hit3: float
    mrr: float


def load_questions(path: Path, corpus: Corpus) -> list[Question]:
    """The questions, each with an expected code that must exist in the corpus."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    questions: list[Question] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not row.get("q") or not row.get("code"):
            raise SystemExit(f"{path}: question #{number} needs 'q' and 'code'")
        code = str(row["code"]).strip().upper()
        if corpus.get(code) is None:
            raise SystemExit(f"{path}: question #{number} ({row['q']!r}) expects {code}, which is not in the corpus")
        questions.append(Question(str(row["q"]), code))
    return questions


def score(questions: list[Question], rank: Callable[[str], list[str]]) -> tuple[Score, list[list[str]]]:
    """Score one ranker; also returns each question's ranking."""
    rankings = [rank(question.q) for question in questions]
    hit1 = hit3 = reciprocal = 0.0
    for question, ranking in zip(questions, rankings, strict=True):
        if question.code in ranking:
            position = ranking.index(question.code) + 1
            hit1 += position == 1
            hit3 += position <= 3
            reciprocal += 1 / position
    n = len(questions) or 1
    return Score(hit1 / n, hit3 / n, reciprocal / n), rankings


def evaluate(retriever: Retriever, questions: list[Question], depth: int) -> dict[str, tuple[Score, list[list[str]]]]:
    """The three rankers' scores and rankings on `questions`."""
    return {
        "dense": score(questions, lambda q: retriever.dense_ranking(q, depth)),
        "bm25": score(questions, lambda q: retriever.bm25_ranking(q, depth)),
        "lexical": score(questions, lambda q: retriever.lexical_ranking(q, depth)),
        "fused": score(questions, lambda q: [hit.code for hit in retriever.search(q, k=depth)]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.retrieval", description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--data-dir", type=Path, default=None, help="data directory (default: ASSISTANT_DATA_DIR)")
    parser.add_argument("--depth", type=int, default=10, help="ranks looked at for MRR (default 10)")
    args = parser.parse_args(argv)

    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    corpus = load_corpus(settings)
    questions = load_questions(args.questions, corpus)
    retriever = build_retriever(settings, corpus, progress=sys.stderr.isatty())
    results = evaluate(retriever, questions, args.depth)

    asked = {corpus.get(question.code).family for question in questions}  # type: ignore[union-attr]
    missing = [family for family in corpus.families() if family not in asked]
    print(f"{len(questions)} questions over {len(asked)} of {len(corpus.families())} corpus families "
          f"({len(corpus)} records); exact code matches only.")
    if missing:
        print(f"families with no question: {', '.join(missing)}")
    print()
    print(f"{'ranker':<10}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}")
    for name, (result, _) in results.items():
        print(f"{name:<10}{result.hit1:>8.3f}{result.hit3:>8.3f}{result.mrr:>8.3f}")

    fused_rankings = results["fused"][1]
    misses = [(question, ranking) for question, ranking in zip(questions, fused_rankings, strict=True)
              if not ranking or ranking[0] != question.code]
    print()
    print(f"fused misses at rank 1: {len(misses)}")
    for question, ranking in misses:
        where = ranking.index(question.code) + 1 if question.code in ranking else None
        print(f"  {question.q!r}: expected {question.code} (rank {where or '>' + str(args.depth)}), "
              f"got {', '.join(ranking[:3]) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
