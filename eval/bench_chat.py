"""Latency of Assistant.ask per route, warm: p50 and p95 in milliseconds.

    .venv/bin/python -m eval.bench_chat [--repeat N] [--data-dir DIR] [--load-runs N]

Goals: units < 5 ms, search < 50 ms (warm, on the bundled corpus); a 10-service visit answer p95 < 10 ms (issue 17,
the `visit` row: three visits of ten services each). The machine may be shared: numbers are noisy, so the CPU time
of each ask (process_time: not inflated when a loaded machine deschedules us) is printed beside the wall clock.
Also prints the reading alone (parse_conversation + the services of the question; issue 17: p50 < 1 ms, p95 < 2 ms)
per route, and, with --data-dir, the corpus and drug dictionary load of that data directory in new processes
(`eval.bench_dictionary`; issue 17: < 300 ms, < 50 MB with every CMS file imported).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eval.bench_common import percentile

QUESTIONS: dict[str, list[str]] = {
    "units": [
        "how do I code 2.5 hours subq",
        "NS bolus 11pm to 2am",
        "critical care 110 min medicare",
        "ceftriaxone 1 g how many units",
        "97112 24 min and 97110 23 min medicare",
        "psychotherapy 45 min with E/M",
        "therapeutic IV infusion one hundred ten minutes",
        "critical care 1 hour 30",
        "zofran 4 mg IVP and toradol 30 mg IVP",
        "paclitaxel 3 hrs then carboplatin 45 min",
        "NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, facility",
    ],
    "lookup": ["what is 96369", "what is 96399"],
    "search": ["code for chemo push", "second subq pump new site", "what code for IV hydration"],
    "edits": ["can I bill 96369 and 96372 together", "96360 with 96365 same day", "MUE for 96370",
              "is 6 units of 96372 over the MUE"],
    "help": ["", "asdfgh qwertyui"],
    # Ten services each: pushes, infusions with clock times, hydration, chemotherapy, an injection.
    "visit": [
        "ED facility: NS 0800-0830, zofran IVP 0835, toradol IVP 0840, rocephin IVPB 0845-0915, solu-medrol IVP "
        "0920, benadryl IVP 0925, pepcid IVPB 0930-0945, morphine IVP 1000, morphine IVP 1045, NS bolus 1050-1150",
        "office, medicare: NS 1000-1100, toradol IVP 1105, zofran IVP 1110, rocephin IVPB 1115-1145, B12 1000 mcg "
        "IM, solu-medrol IVP 1150, benadryl IVP 1155, pepcid IVPB 1200-1215, morphine IVP 1230, NS 1235-1335",
        "facility: zofran IVP 0900, decadron IVP 0905, benadryl IVP 0910, pepcid IVP 0915, rituxan 0930-1330, NS "
        "1335-1435, cytoxan 1440-1510, vincristine IVP 1515, etoposide 1520-1620, B12 1000 mcg IM 1630",
    ],
}
# A group whose answers come from another route's name.
ROUTE_OF = {"visit": "units"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_chat", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed asks per question")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--load-runs", type=int, default=5, help="new processes timing the corpus load (--data-dir)")
    args = parser.parse_args(argv)
    if args.data_dir is not None and args.load_runs > 0:
        from eval import bench_dictionary

        print("corpus + drug dictionary load (new processes):")
        bench_dictionary.report(bench_dictionary.measure(args.data_dir.resolve(), args.load_runs))

    import assistant.offline  # noqa: F401
    from assistant import Assistant
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory(prefix="chat-bench-") as temp:
        started = time.perf_counter()
        settings = Settings(data_dir=args.data_dir or Path(temp), llm_model=None)
        assistant = Assistant.from_settings(settings)
        assistant.retriever.warm_up()  # the model loads lazily: load it before any search is timed
        print(f"build (corpus + index + model + edits): {time.perf_counter() - started:.1f} s")
        print(f"{'route':<8} {'asks':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'cpu p95':>8}")
        for route, questions in QUESTIONS.items():
            for question in questions:  # warm-up: first calls fill caches
                answer = assistant.ask(question)
                if answer.route != ROUTE_OF.get(route, route):
                    print(f"warning: {question!r} routed to {answer.route}, not {ROUTE_OF.get(route, route)}")
            timings: list[float] = []
            cpu: list[float] = []
            for _ in range(args.repeat):
                for question in questions:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    assistant.ask(question)
                    timings.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
            print(f"{route:<8} {len(timings):>6} {statistics.median(timings):>8.2f} "
                  f"{percentile(timings, 0.95):>8.2f} {max(timings):>8.2f} {statistics.median(cpu):>8.2f} "
                  f"{percentile(cpu, 0.95):>8.2f}")
        print(f"\nreading only (parse_conversation + services): wall clock, and CPU time (process_time: not inflated "
              f"when a loaded machine deschedules us)\n{'route':<8} {'reads':>6} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'max ms':>8} {'cpu p50':>8} {'cpu p95':>8}")
        for route, questions in QUESTIONS.items():
            reads, cpu = reading_timings(assistant, questions, args.repeat)
            print(f"{route:<8} {len(reads):>6} {statistics.median(reads):>8.3f} {percentile(reads, 0.95):>8.3f} "
                  f"{max(reads):>8.3f} {statistics.median(cpu):>8.3f} {percentile(cpu, 0.95):>8.3f}")
    return 0


def reading_timings(assistant: object, questions: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Milliseconds (wall, CPU) to read each question (the reader's caches are cleared: each read is a first read)."""
    from assistant.chat.parse import parse_conversation
    from assistant.chat.reading import cues, spans

    timings: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        for question in questions:
            cues._matching_families.cache_clear()
            spans.read.cache_clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            parsed = parse_conversation([], question)
            assistant.router.services(parsed)  # type: ignore[attr-defined]
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return timings, cpu


if __name__ == "__main__":
    sys.exit(main())
