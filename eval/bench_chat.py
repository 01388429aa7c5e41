"""Latency of Assistant.ask per route, warm: p50 and p95 in milliseconds.

    .venv/bin/python -m eval.bench_chat [--repeat N] [--data-dir DIR]

Goals: units < 5 ms, search < 50 ms (warm, on the bundled corpus). The machine may be shared: numbers are noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS: dict[str, list[str]] = {
    "units": [
        "how do I code 2.5 hours subq",
        "NS bolus 11pm to 2am",
        "critical care 110 min medicare",
        "ceftriaxone 1 g how many units",
        "97112 24 min and 97110 23 min medicare",
        "psychotherapy 45 min with E/M",
    ],
    "lookup": ["what is 96369", "MUE for 96370", "what is 96399"],
    "search": ["code for chemo push", "second subq pump new site", "what code for IV hydration"],
    "edits": ["can I bill 96369 and 96372 together", "96360 with 96365 same day"],
    "help": ["", "asdfgh qwertyui"],
}


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0-1) of the sorted values, nearest rank."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_chat", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed asks per question")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)

    import assistant.offline  # noqa: F401
    from assistant import Assistant
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory(prefix="chat-bench-") as temp:
        started = time.perf_counter()
        settings = Settings(data_dir=args.data_dir or Path(temp), llm_model=None)
        assistant = Assistant.from_settings(settings)
        print(f"build (corpus + index + model + edits): {time.perf_counter() - started:.1f} s")
        print(f"{'route':<8} {'asks':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for route, questions in QUESTIONS.items():
            for question in questions:  # warm-up: first calls fill caches
                answer = assistant.ask(question)
                if answer.route != route:
                    print(f"warning: {question!r} routed to {answer.route}, not {route}")
            timings: list[float] = []
            for _ in range(args.repeat):
                for question in questions:
                    start = time.perf_counter()
                    assistant.ask(question)
                    timings.append((time.perf_counter() - start) * 1000)
            print(f"{route:<8} {len(timings):>6} {statistics.median(timings):>8.2f} "
                  f"{percentile(timings, 0.95):>8.2f} {max(timings):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
