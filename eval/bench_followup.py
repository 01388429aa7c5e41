"""Latency of follow-ups that change the last visit (issue 17 class 7), warm, CPU time: p50 and p95 in milliseconds.

    .venv/bin/python -m eval.bench_followup [--repeat N]

For each conversation: the whole follow-up `ask` (every turn read once, the visit revised, read and coded again), the
revision alone (`revise_conversation` over the turns read), and the same visit asked in full with no history, on the
bundled corpus in a temporary data directory. Goal: a follow-up stays within the units goal (< 5 ms p95).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CONVERSATIONS: list[tuple[str, str]] = [
    ("NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, facility", "same visit but on the professional side?"),
    ("97110 25 min, 97530 20 min, medicare", "what if 97530 was 30 min"),
    ("HOPD: rocephin 1 g IVPB 1100-1130, NS 1130-1145 after", "what if the hydration ran 1200-1300 instead"),
    ("moderate sedation 40 min, same physician, age 70", "what if it was 55 min"),
    ("zofran 4 mg IVP 0900, toradol 30 mg IVP 0915, facility", "what if the toradol was IM"),
]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def _timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        samples.append(time.process_time() - start)
    return _percentiles(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    # Imported here: the benchmark's own start-up is not measured, and --help stays instant.
    from assistant.chat.assistant import Assistant
    from assistant.chat.followup_visit import revise_conversation
    from assistant.chat.parse import parse_question
    from assistant.corpus.loader import load_corpus
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir))
        assistant = Assistant(settings, load_corpus(settings), None, None)
        print(f"{'follow-up':45s} {'ask p50/p95':>14s} {'revision':>14s} {'visit in full':>14s}  (ms, CPU)")
        for visit, question in CONVERSATIONS:
            history = [{"role": "user", "content": visit}]
            assistant.ask(question, history=history)  # warm
            ask = _timed(lambda q=question, h=history: assistant.ask(q, history=h), args.repeat)
            revise = _timed(lambda q=question, v=visit: revise_conversation(
                [parse_question(v), parse_question(q)], assistant.router.find_drugs), args.repeat)
            full = _timed(lambda v=visit: assistant.ask(v), args.repeat)
            print(f"{question[:45]:45s} {ask[0]:6.2f}/{ask[1]:6.2f} {revise[0]:6.2f}/{revise[1]:6.2f} "
                  f"{full[0]:6.2f}/{full[1]:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
