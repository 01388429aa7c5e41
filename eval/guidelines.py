"""Score the guideline route on the rule questions: top-1 article through the chat, per topic, and warm latency.

    .venv/bin/python -m eval.guidelines [--questions FILE] [--repeat N]

Each question in `eval/guidelines_questions.yaml` names the article expected first. A question scores when the
chat answers it on the guideline route (or a units answer that leads with the article, for a rule question with a
quantity) and the first article in the answer is the expected one. The latency line times `Assistant.ask` on the
guideline questions, warm (goal: p95 < 30 ms). No model is loaded: the guideline route never embeds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

DEFAULT_QUESTIONS = Path(__file__).with_name("guidelines_questions.yaml")


def load_questions(path: Path = DEFAULT_QUESTIONS) -> list[dict[str, Any]]:
    """The question rows; a row without `q` or `article` is an error naming the file and the row."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not row.get("q") or not row.get("article"):
            raise ValueError(f"{path}: row {index + 1} needs 'q' and 'article'")
    return rows


def first_article_title(answer_text: str) -> str | None:
    """The title of the first article in an answer (its first '### ' heading, or the bold lead 'Title:')."""
    for line in answer_text.splitlines():
        if line.startswith("### "):
            return line[4:].strip()
        if line.startswith("**") and ":**" in line:
            return line[2:line.index(":**")].strip()
    return None


def answered_article(assistant: Any, row: dict[str, Any]) -> tuple[str, str | None]:
    """(route, title of the first article in the answer) for one question row."""
    answer = assistant.ask(row["q"], payer=row.get("payer"), setting=row.get("setting"))
    return answer.route, first_article_title(answer.answer)


def score(assistant: Any, rows: list[dict[str, Any]]) -> tuple[int, list[str], Counter[str], Counter[str]]:
    """(hits, miss lines, questions per topic, hits per topic)."""
    from assistant.chat.guidelines_chat import guideline_library

    guidelines, _ = guideline_library()
    hits = 0
    misses: list[str] = []
    per_topic: Counter[str] = Counter()
    hit_topic: Counter[str] = Counter()
    for row in rows:
        expected = guidelines.get(row["article"])
        if expected is None:
            misses.append(f"{row['q']!r}: expected article {row['article']!r} does not exist")
            continue
        per_topic[expected.topic] += 1
        route, title = answered_article(assistant, row)
        if route in ("guideline", "units") and title == expected.title:
            hits += 1
            hit_topic[expected.topic] += 1
        else:
            misses.append(f"{row['q']!r}: route {route}, first article {title!r}, expected {expected.title!r}")
    return hits, misses, per_topic, hit_topic


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.guidelines", description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--repeat", type=int, default=5, help="timed asks per question for the latency line")
    args = parser.parse_args(argv)

    import assistant.offline  # noqa: F401
    from assistant import Assistant
    from assistant.settings import Settings

    rows = load_questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="guidelines-eval-") as temp:
        assistant = Assistant.from_settings(Settings(data_dir=Path(temp), llm_model=None))
        started = time.perf_counter()
        hits, misses, per_topic, hit_topic = score(assistant, rows)
        print(f"first pass (loads the articles): {time.perf_counter() - started:.2f} s")
        print(f"top-1 article: {hits}/{len(rows)} = {hits / len(rows):.3f}")
        for topic, count in per_topic.most_common():
            print(f"  {topic:<20} {hit_topic[topic]:>3}/{count}")
        for miss in misses:
            print(f"  miss: {miss}")
        timings: list[float] = []
        for _ in range(args.repeat):
            for row in rows:
                start = time.perf_counter()
                assistant.ask(row["q"], payer=row.get("payer"), setting=row.get("setting"))
                timings.append((time.perf_counter() - start) * 1000)
        print(f"guideline answer latency, warm ({len(timings)} asks): p50 {statistics.median(timings):.2f} ms, "
              f"p95 {percentile(timings, 0.95):.2f} ms, max {max(timings):.2f} ms (goal p95 < 30 ms)")
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
