"""The committed evaluation baseline (`eval/baseline.json`): the scores of eval.chat, eval.encounters and
eval.retrieval that a change must not lower.

    .venv/bin/python -m eval.baseline            # measure, print beside the baseline; exit 1 when a score dropped
    .venv/bin/python -m eval.baseline --write    # measure and rewrite eval/baseline.json

`tests/test_eval_baseline.py` runs the same comparison in every `make test`. The file changes only in a commit that
says why (a new case set, a fixed miss, a deliberate trade-off): a score that drops fails the suite; a score that
rises is printed as a rise and should be recorded with `--write` in the commit that earned it.

The measurements are deterministic: the chat and encounter engines are rules, and retrieval is measured on the
bundled corpus with the bundled model, so equal code gives equal scores; a drop is compared exactly (rounded to
4 decimals).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval import chat, encounters, retrieval

BASELINE = Path(__file__).with_name("baseline.json")
DECIMALS = 4
Scores = dict[str, dict[str, float]]


def _rate(hits: int, count: int) -> float:
    return round(hits / count, DECIMALS) if count else 0.0


def chat_scores(assistant: Any, cases: list[dict[str, Any]] | None = None) -> dict[str, float]:
    """eval.chat on its case file: the number of conversations, the route rate and the exact-match rate."""
    cases = chat.load_cases(chat.DEFAULT_CASES) if cases is None else cases
    outcomes = [chat.check_case(assistant, case) for case in cases]
    return {
        "cases": len(cases),
        "route": _rate(sum(route_ok for route_ok, _ in outcomes), len(cases)),
        "exact": _rate(sum(not problems for _, problems in outcomes), len(cases)),
    }


def encounter_scores(cases: list[dict[str, Any]] | None = None) -> dict[str, float]:
    """eval.encounters on its case file: the number of encounters and the exact-match rate."""
    cases = encounters.load_cases() if cases is None else cases
    outcomes = [encounters.run_case(case) for case in cases]
    return {"cases": len(cases), "exact": _rate(sum(outcome.ok for outcome in outcomes), len(cases))}


def retrieval_scores(retriever: Any, corpus: Any, depth: int = 10) -> dict[str, float]:
    """eval.retrieval on the bundled question set: hit@1, hit@3 and MRR of each ranker (fused is the assistant's)."""
    questions = retrieval.load_questions(retrieval.QUESTIONS, corpus)
    scores: dict[str, float] = {"cases": len(questions)}
    for ranker, (score, _) in retrieval.evaluate(retriever, questions, depth).items():
        scores[f"{ranker}_hit1"] = round(score.hit1, DECIMALS)
        scores[f"{ranker}_hit3"] = round(score.hit3, DECIMALS)
        scores[f"{ranker}_mrr"] = round(score.mrr, DECIMALS)
    return scores


def load_baseline(path: Path = BASELINE) -> Scores:
    """The committed scores, by suite ("eval.chat", "eval.encounters", "eval.retrieval")."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {suite: dict(scores) for suite, scores in data.items() if not suite.startswith("_")}


def drops(baseline: Mapping[str, Mapping[str, float]], measured: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Every measured score below its baseline ("eval.retrieval fused_hit1: 0.95 < baseline 0.97"), and every
    baseline score no longer measured. `cases` is a count, not a score: more or fewer cases is not a drop."""
    found = []
    for suite, scores in measured.items():
        for name, expected in baseline.get(suite, {}).items():
            if name == "cases":
                continue
            if name not in scores:
                found.append(f"{suite} {name}: no longer measured (baseline {expected})")
            elif round(scores[name], DECIMALS) < round(expected, DECIMALS):
                found.append(f"{suite} {name}: {scores[name]} < baseline {expected}")
    return found


def rises(baseline: Mapping[str, Mapping[str, float]], measured: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Every measured score above its baseline: record them with `--write` in the commit that earned them."""
    return [f"{suite} {name}: {value} > baseline {baseline[suite][name]}"
            for suite, scores in measured.items() for name, value in scores.items()
            if name != "cases" and name in baseline.get(suite, {})
            and round(value, DECIMALS) > round(baseline[suite][name], DECIMALS)]


def write_baseline(measured: Mapping[str, Mapping[str, float]], path: Path = BASELINE) -> None:
    data: dict[str, Any] = {
        "_about": "Scores a change must not lower (eval/baseline.py; tests/test_eval_baseline.py). Change this file "
        "only in a commit that says why; measure with `python -m eval.baseline --write`.",
        **{suite: dict(scores) for suite, scores in measured.items()},
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def measure_all() -> Scores:
    """All three suites on a fresh data directory: the bundled corpus, no imports, no language model."""
    import assistant.offline  # noqa: F401  (before any model import)
    from assistant.chat.assistant import Assistant
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory(prefix="eval-baseline-") as temp:
        settings = Settings(data_dir=Path(temp), hcpcs_file=None, mue_file=None, ptp_file=None, asp_file=None,
                            cpt_file=None, llm_model=None)
        built = Assistant.from_settings(settings)
        built.retriever.warm_up()
        return {
            "eval.chat": chat_scores(built),
            "eval.encounters": encounter_scores(),
            "eval.retrieval": retrieval_scores(built.retriever, built.corpus),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.baseline", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite eval/baseline.json with the measured scores")
    args = parser.parse_args(argv)
    measured = measure_all()
    baseline = load_baseline() if BASELINE.is_file() else {}
    for suite, scores in measured.items():
        print(suite)
        for name, value in scores.items():
            before = baseline.get(suite, {}).get(name)
            print(f"  {name:<14}{value:>10}" + (f"   baseline {before}" if before is not None else ""))
    dropped, rose = drops(baseline, measured), rises(baseline, measured)
    for line in rose:
        print(f"rise: {line}")
    for line in dropped:
        print(f"DROP: {line}")
    if args.write:
        write_baseline(measured)
        print(f"wrote {BASELINE}")
        return 0
    return 1 if dropped else 0


if __name__ == "__main__":
    sys.exit(main())
