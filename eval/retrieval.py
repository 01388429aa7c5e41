"""Retrieval quality: hit@1, hit@3 and MRR for dense-only, BM25-only, lexical and fused, on one or two question sets.

    .venv/bin/python -m eval.retrieval [--questions PATH] [--data-dir DIR] [--depth 10]
    .venv/bin/python -m eval.retrieval --with-imports [--data-dir DIR]    # CMS scale (issue 12 item 6)

Counts EXACT code matches only. dense, bm25 and lexical (BM25 fused with whole-lay-term matches) are rankers
alone, without the exact-code look-up; fused is `Retriever.search` as the assistant uses it (typed codes first,
then reciprocal-rank fusion). Each set is reported whole and by half (tuning / held-out, `eval/split.py`); the
fused misses of the tuning half are listed (the held-out half's only with `--held-out-misses`, for reports).

`--with-imports` first imports the shared CMS files (`../shared/data`: HCPCS Level II, ASP payment limits and,
when its importer exists, the NDC-HCPCS crosswalk) into the data directory (default: a fresh temp directory; give
`--data-dir` to keep the index between runs: refreshes are incremental), then reports the bundled set
(`retrieval_questions.yaml`, goal hit@1 >= 0.97) and the HCPCS set (`retrieval_questions_hcpcs.yaml`, goals hit@1
>= 0.9, hit@3 >= 0.97 on the held-out half) and the issue-22 set (`retrieval_questions_more.yaml`), the latter
two also by kind of question. A question whose code is not in the corpus is
skipped and counted. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

import assistant.offline  # noqa: F401
from assistant.corpus.loader import Corpus, load_corpus
from assistant.retrieval import Retriever, build_retriever
from assistant.settings import REPO_ROOT, Settings
from eval.split import HALVES, TUNING, half_of

QUESTIONS = Path(__file__).with_name("retrieval_questions.yaml")
HCPCS_QUESTIONS = Path(__file__).with_name("retrieval_questions_hcpcs.yaml")
# Issue 22's 470 questions by category (drugs, DME, supplies, orthotics, ambulance, G/Q/S codes, modifiers, CPT).
MORE_QUESTIONS = Path(__file__).with_name("retrieval_questions_more.yaml")
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
# (importer kind, file in ../shared/data), in import order. A kind with no importer yet is skipped with a note.
CMS_FILES = (
    ("hcpcs", "hcpcs_2025_oct_anweb.csv"),
    ("asp", "asp_payment_limits_2026q1_level2.csv"),
    ("ndc", "asp_ndc_hcpcs_crosswalk_2026q1_level2.csv"),
)


@dataclass(frozen=True)
class Question:
    q: str
    code: str
    kind: str = ""


@dataclass
class Score:
    """hit@1, hit@3 and mean reciprocal rank (0 when the code is not within the depth looked at)."""

    hit1: float
    hit3: float
    mrr: float


def load_questions(path: Path, corpus: Corpus, *, skip_missing: bool = False) -> list[Question]:
    """The questions, each with an expected code that must exist in the corpus.

    With `skip_missing`, a question whose code is not in the corpus is left out (the caller reports how many);
    otherwise it is an error, because a typo in the expected code would silently lower the score."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    questions: list[Question] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not row.get("q") or not row.get("code"):
            raise SystemExit(f"{path}: question #{number} needs 'q' and 'code'")
        code = str(row["code"]).strip().upper()
        if corpus.get(code) is None:
            if skip_missing:
                continue
            raise SystemExit(f"{path}: question #{number} ({row['q']!r}) expects {code}, which is not in the corpus")
        questions.append(Question(str(row["q"]), code, str(row.get("kind") or "")))
    return questions


def count_questions(path: Path) -> int:
    return len(yaml.safe_load(path.read_text(encoding="utf-8")) or [])


def score(questions: list[Question], rank: Callable[[str], list[str]]) -> tuple[Score, list[list[str]]]:
    """Score one ranker; also returns each question's ranking."""
    rankings = [rank(question.q) for question in questions]
    return score_rankings(questions, rankings), rankings


def score_rankings(questions: list[Question], rankings: list[list[str]]) -> Score:
    hit1 = hit3 = reciprocal = 0.0
    for question, ranking in zip(questions, rankings, strict=True):
        if question.code in ranking:
            position = ranking.index(question.code) + 1
            hit1 += position == 1
            hit3 += position <= 3
            reciprocal += 1 / position
    n = len(questions) or 1
    return Score(hit1 / n, hit3 / n, reciprocal / n)


def evaluate(
    retriever: Retriever, questions: list[Question], depth: int, fused_only: bool = False
) -> dict[str, tuple[Score, list[list[str]]]]:
    """The rankers' scores and rankings on `questions` (only `fused` with `fused_only`)."""
    if fused_only:
        return {"fused": score(questions, lambda q: [hit.code for hit in retriever.search(q, k=depth)])}
    return {
        "dense": score(questions, lambda q: retriever.dense_ranking(q, depth)),
        "bm25": score(questions, lambda q: retriever.bm25_ranking(q, depth)),
        "lexical": score(questions, lambda q: retriever.lexical_ranking(q, depth)),
        "fused": score(questions, lambda q: [hit.code for hit in retriever.search(q, k=depth)]),
    }


def import_cms_files(settings: Settings, data: Path = SHARED_DATA) -> list[str]:
    """Import the shared CMS files into `settings`' data directory; one summary line each (or why not)."""
    from assistant.imports import IMPORTERS, importer_for

    lines: list[str] = []
    for kind, name in CMS_FILES:
        path = data / name
        if kind not in IMPORTERS:
            lines.append(f"{kind}: no importer yet, skipped")
            continue
        if not path.is_file():
            raise SystemExit(f"--with-imports needs {path}")
        started = time.perf_counter()
        summary = importer_for(kind)(path, settings)
        lines.append(f"{summary} [{time.perf_counter() - started:.1f} s]")
    return lines


def report(name: str, path: Path, corpus: Corpus, retriever: Retriever, depth: int, by_kind: bool,
           fused_only: bool = False, held_out_misses: bool = False) -> None:
    """Print one question set's table, its tuning and held-out halves (eval/split.py), its per-kind fused scores
    and the fused misses of the tuning half (the held-out half's only with `held_out_misses`)."""
    questions = load_questions(path, corpus, skip_missing=by_kind)
    skipped = count_questions(path) - len(questions)
    results = evaluate(retriever, questions, depth, fused_only)
    families = {corpus.get(question.code).family for question in questions}  # type: ignore[union-attr]
    print(f"## {name}: {len(questions)} questions over {len(families)} families ({len(corpus)} records); "
          "exact code matches only.")
    if skipped:
        print(f"skipped {skipped} questions whose code is not in the corpus")
    if not by_kind:
        missing = [family for family in corpus.families() if family not in families and family != "hcpcs"]
        if missing and len(corpus.families()) < 20:
            print(f"families with no question: {', '.join(missing)}")
    print()
    halves = [half_of(question.q) for question in questions]
    print(f"{'ranker':<10}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}" + "".join(
        f"{half + ' n=' + str(halves.count(half)):>24}" for half in HALVES))
    for ranker, (result, rankings) in results.items():
        line = f"{ranker:<10}{result.hit1:>8.3f}{result.hit3:>8.3f}{result.mrr:>8.3f}"
        for half in HALVES:
            part = _part(questions, rankings, lambda q, h=half: half_of(q.q) == h)
            line += f"{part.hit1:>8.3f}{part.hit3:>8.3f}{part.mrr:>8.3f}"
        print(line)

    fused_rankings = results["fused"][1]
    if by_kind:
        print()
        print(f"{'fused by kind':<16}{'n':>4}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}{'held-out hit@1/hit@3':>24}")
        for kind in dict.fromkeys(question.kind for question in questions):
            pairs = [(q, r) for q, r in zip(questions, fused_rankings, strict=True) if q.kind == kind]
            result = score_rankings([q for q, _ in pairs], [r for _, r in pairs])
            held = _part(questions, fused_rankings, lambda q, k=kind: q.kind == k and half_of(q.q) != TUNING)
            print(f"{kind or '-':<16}{len(pairs):>4}{result.hit1:>8.3f}{result.hit3:>8.3f}{result.mrr:>8.3f}"
                  f"{held.hit1:>16.3f}/{held.hit3:.3f}")

    misses = [(question, ranking) for question, ranking in zip(questions, fused_rankings, strict=True)
              if (not ranking or ranking[0] != question.code) and (held_out_misses or half_of(question.q) == TUNING)]
    print()
    print(f"fused misses at rank 1 ({'both halves' if held_out_misses else 'tuning half only'}): {len(misses)}")
    for question, ranking in misses:
        where = ranking.index(question.code) + 1 if question.code in ranking else None
        print(f"  {question.q!r}: expected {question.code} (rank {where or '>' + str(depth)}), "
              f"got {', '.join(ranking[:3]) or 'nothing'}")
    print()


def _part(questions: list[Question], rankings: list[list[str]], keep: Callable[[Question], bool]) -> Score:
    pairs = [(q, r) for q, r in zip(questions, rankings, strict=True) if keep(q)]
    return score_rankings([q for q, _ in pairs], [r for _, r in pairs])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.retrieval", description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=None, help="one question set (default: the bundled set)")
    parser.add_argument("--data-dir", type=Path, default=None, help="data directory (default: ASSISTANT_DATA_DIR, "
                        "or a temp directory with --with-imports)")
    parser.add_argument("--depth", type=int, default=10, help="ranks looked at for MRR (default 10)")
    parser.add_argument("--with-imports", action="store_true",
                        help="import the shared CMS files first and report the bundled, HCPCS and issue-22 sets")
    parser.add_argument("--fused-only", action="store_true", help="score the fused ranking only (faster)")
    parser.add_argument("--held-out-misses", action="store_true",
                        help="also list the held-out half's misses (for the final report, not for tuning)")
    args = parser.parse_args(argv)

    temp: Path | None = None
    if args.with_imports and args.data_dir is None:
        temp = Path(tempfile.mkdtemp(prefix="assistant-eval-retrieval-"))
    data_dir = args.data_dir or temp
    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    try:
        if args.with_imports:
            for line in import_cms_files(settings):
                print(line)
        corpus = load_corpus(settings)
        started = time.perf_counter()
        retriever = build_retriever(settings, corpus, progress=sys.stderr.isatty())
        index = retriever.index_report
        print(f"index: {index} (build_retriever {time.perf_counter() - started:.1f} s)" if index else "")
        print()
        options = {"fused_only": args.fused_only, "held_out_misses": args.held_out_misses}
        if args.questions is not None:
            report(args.questions.name, args.questions, corpus, retriever, args.depth, by_kind=False, **options)
        else:
            report("bundled set", QUESTIONS, corpus, retriever, args.depth, by_kind=False, **options)
            if args.with_imports:
                report("HCPCS set", HCPCS_QUESTIONS, corpus, retriever, args.depth, by_kind=True, **options)
                report("issue-22 set", MORE_QUESTIONS, corpus, retriever, args.depth, by_kind=True, **options)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
