"""How long the corpus and its drug dictionary take to load with every CMS file imported, and the memory they add.
Prints numbers; asserts nothing.

    .venv/bin/python -m eval.bench_dictionary [--data-dir DIR] [--runs 7]

Target (issue 17 Speed): the dictionary with every CMS file imported loads in < 300 ms and adds < 50 MB. Each run
is a new Python process (a start of the app or a web worker): the modules are imported first, then `load_corpus`
and the dictionary are timed, and the resident memory is read before and after. "fresh" is a load with no
snapshot (the first start after an import: the snapshot is built and saved), "snapshot" every start after it
(assistant/corpus/snapshot.py). Without --data-dir the HCPCS, ASP and NDC files of ../shared/data are imported
into a throw-away data directory first. The machine may be shared: wall times are noisy; the CPU times less so.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from eval.bench_common import SHARED_DATA, machine_line, percentile, resident_mb


def child(data_dir: Path) -> dict[str, float]:
    """One load in this (new) process: milliseconds wall and CPU, MB added, and the dictionary's size."""
    import assistant.offline  # noqa: F401 (no network, as in the app)
    from assistant.corpus.loader import load_corpus
    from assistant.settings import Settings

    settings = Settings(data_dir=data_dir, llm_model=None)
    before = resident_mb()
    started, started_cpu = time.perf_counter(), time.process_time()
    corpus = load_corpus(settings)
    names = len(corpus.drugs)
    wall, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000
    return {"ms": wall, "cpu_ms": cpu, "added_mb": resident_mb() - before, "names": names,
            "records": len(corpus), "ndcs": len(corpus.ndcs)}


def run_child(data_dir: Path) -> dict[str, float]:
    """`child` in a new interpreter (so nothing is warm but the operating system's file cache)."""
    output = subprocess.run(
        [sys.executable, "-m", "eval.bench_dictionary", "--child", str(data_dir)],
        check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def import_shared(data_dir: Path) -> None:
    """Import the HCPCS, ASP and NDC files of ../shared/data into `data_dir`."""
    from assistant.corpus.importers.asp import import_asp
    from assistant.corpus.importers.hcpcs import import_hcpcs
    from assistant.corpus.importers.ndc import import_ndc
    from assistant.settings import Settings

    settings = Settings(data_dir=data_dir, llm_model=None)
    # The October 2025 HCPCS file's terminations all lie before this day.
    print(import_hcpcs(SHARED_DATA / "hcpcs_2025_oct_anweb.csv", settings, today=date(2026, 1, 15)))
    print(import_asp(SHARED_DATA / "asp_payment_limits_2026q1_level2.csv", settings))
    print(import_ndc(SHARED_DATA / "asp_ndc_hcpcs_crosswalk_2026q1_level2.csv", settings))


def measure(data_dir: Path, runs: int) -> dict[str, dict[str, float]]:
    """Fresh (snapshot removed first) and snapshot loads of `data_dir`, each `runs` times: p50/p95/max ms, CPU ms
    p50, MB added p50. The snapshot is left in place afterwards."""
    from assistant.corpus import snapshot

    cache = data_dir / snapshot.SNAPSHOT_DIRNAME / snapshot.CORPUS_SNAPSHOT
    results: dict[str, list[dict[str, float]]] = {"fresh": [], "snapshot": []}
    for _ in range(runs):
        cache.unlink(missing_ok=True)
        results["fresh"].append(run_child(data_dir))
    for _ in range(runs):
        results["snapshot"].append(run_child(data_dir))
    summary: dict[str, dict[str, float]] = {}
    for kind, rows in results.items():
        walls = sorted(row["ms"] for row in rows)
        summary[kind] = {
            "p50_ms": statistics.median(walls), "p95_ms": percentile(walls, 0.95),
            "max_ms": walls[-1], "cpu_p50_ms": statistics.median(row["cpu_ms"] for row in rows),
            "added_mb": statistics.median(row["added_mb"] for row in rows), "names": rows[-1]["names"],
            "records": rows[-1]["records"], "ndcs": rows[-1]["ndcs"],
        }
    return summary


def report(summary: dict[str, dict[str, float]]) -> None:
    """Print `measure`'s summary, one line per kind of load."""
    last = summary["snapshot"]
    print(f"dictionary: {last['names']:,.0f} names, {last['records']:,.0f} records, {last['ndcs']:,.0f} NDCs")
    print(f"{'load':<9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'MB added':>9}")
    for kind, row in summary.items():
        print(f"{kind:<9} {row['p50_ms']:>8.0f} {row['p95_ms']:>8.0f} {row['max_ms']:>8.0f} "
              f"{row['cpu_p50_ms']:>8.0f} {row['added_mb']:>9.1f}")
    print("target: snapshot load < 300 ms and < 50 MB added (issue 17)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_dictionary", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="a data directory with the imports done")
    parser.add_argument("--runs", type=int, default=7, help="processes per kind of load")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return 0
    print(machine_line())
    if args.data_dir is not None:
        report(measure(args.data_dir.resolve(), args.runs))
        return 0
    temporary = Path(tempfile.mkdtemp(prefix="bench-dictionary-"))
    try:
        import_shared(temporary)
        report(measure(temporary, args.runs))
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
