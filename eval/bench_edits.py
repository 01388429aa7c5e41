"""Benchmark the edits layer: PTP import speed and memory, and look-up latency. Prints numbers; asserts nothing.

    .venv/bin/python -m eval.bench_edits [--ptp FILE] [--mue FILE] [--lookups 10000] [--data-dir DIR]

Targets (docs/edits.md): the 2.1M-row PTP file imported in under 60 s with peak RSS under 500 MB; a pair look-up
p95 under 1 ms; a claim scrub (4-8 lines) p95 under 5 ms. The import runs into a throw-away data directory unless
--data-dir is given.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from assistant.edits import FILENAME, EditsStore
from assistant.edits.importers import import_mue, import_ptp
from assistant.edits.scrubber import ClaimLine, scrub
from eval.bench_common import SHARED_DATA, DataDir, machine_line, peak_rss_mb, percentiles_line, time_calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ptp", type=Path, default=SHARED_DATA / "ptp_practitioner_2026q2_cptcol1_derived.csv.gz")
    parser.add_argument("--mue", type=Path, default=SHARED_DATA / "mue_practitioner_2026q2.csv")
    parser.add_argument("--lookups", type=int, default=10_000, help="pair look-ups to time (half with an edit)")
    parser.add_argument("--data-dir", type=Path, default=None, help="where to import (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    print(machine_line())
    with tempfile.TemporaryDirectory(prefix="bench-edits-") as temporary:
        data_dir = args.data_dir or Path(temporary)
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = DataDir(data_dir.resolve())

        rss_before = peak_rss_mb()
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = import_ptp(args.ptp, settings, progress=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        rss_after = peak_rss_mb()
        store = EditsStore(settings.resolved_data_dir / FILENAME)
        rows = store.info()["ptp"]["rows"]
        print(f"PTP import: {summary}")
        print(f"PTP import: {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s; CPU time {cpu:.1f} s "
              "(wall time grows with other jobs on a shared machine; CPU time much less)")
        print(f"PTP import: peak RSS {rss_after:.0f} MB (process before import {rss_before:.0f} MB)")
        print(f"database file: {(settings.resolved_data_dir / FILENAME).stat().st_size / 1e6:.1f} MB")
        # The quarterly case: a new file over a loaded table (built aside, then switched in).
        started, cpu_started = time.perf_counter(), time.process_time()
        import_ptp(args.ptp, settings, progress=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        print(f"PTP re-import over the loaded table: {seconds:.1f} s (CPU {cpu:.1f} s) = {rows / seconds:,.0f} rows/s, "
              f"peak RSS {peak_rss_mb():.0f} MB, database file "
              f"{(settings.resolved_data_dir / FILENAME).stat().st_size / 1e6:.1f} MB (freed pages are reused)")
        if args.mue.is_file():
            print(f"MUE import: {import_mue(args.mue, settings, progress=False)}")

        # Half the pairs have an edit (sampled across the whole table, half of those asked in reversed order);
        # the other half are random pairs of codes from the table (some happen to have an edit, most do not).
        # The sample is drawn on the benchmark's own read-only connection to the database file (the store's
        # connections are its own business).
        database = (settings.resolved_data_dir / FILENAME).resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(database, uri=True)) as connection:
            edited = connection.execute(
                "SELECT column1, column2 FROM ptp ORDER BY random() LIMIT ?", (args.lookups // 2,)
            ).fetchall()
        rng = random.Random(args.seed)
        codes = [code for pair in edited for code in pair]
        pairs = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in edited]
        pairs += [(rng.choice(codes), rng.choice(codes)) for _ in range(args.lookups - len(pairs))]
        rng.shuffle(pairs)

        for a, b in pairs[:200]:  # warm the page cache and the statement cache
            store.ptp(a, b)
        samples = time_calls([lambda a=a, b=b: store.ptp(a, b) for a, b in pairs])
        found = sum(store.ptp(a, b) is not None for a, b in pairs)
        print(f"ptp(a, b)    x{len(samples):,} ({found:,} with an edit): {percentiles_line(samples, 'us')}")

        triples = [rng.sample(codes, 3) for _ in range(2_000)]
        samples = time_calls([lambda triple=triple: store.pairs(triple) for triple in triples])
        print(f"pairs(3)     x{len(samples):,}: {percentiles_line(samples, 'us')}")

        mue_codes = [rng.choice(codes) for _ in range(args.lookups)]
        samples = time_calls([lambda code=code: store.mue(code) for code in mue_codes])
        print(f"mue(code)    x{len(samples):,}: {percentiles_line(samples, 'us')}")

        # The claim scrubber: 4- and 8-line claims of codes from the table, some with modifiers and units.
        claims = [
            [ClaimLine(code, tuple(rng.sample(["25", "59", "XU"], rng.randint(0, 1))), rng.randint(1, 5))
             for code in rng.sample(codes, size)]
            for size in (4, 8) for _ in range(500)
        ]
        samples = time_calls([lambda claim=claim: scrub(claim, store) for claim in claims])
        print(f"scrub(4|8)   x{len(samples):,}: {percentiles_line(samples, 'us')}")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
