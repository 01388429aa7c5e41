"""Benchmark issue 19: PFS import and look-ups, four kept PTP quarters, a changes report. Prints numbers only.

    .venv/bin/python -m eval.bench_fees [--pfs FILE] [--ptp FILE] [--quarters 4] [--rows N] [--lookups 5000]

Targets (issue 19): `import pfs` < 10 s; a look-up with PFS facts p95 < 2 ms; four quarters of PTP kept (8.5M rows)
with a pair look-up p95 < 1 ms and the edits database < 600 MB; a changes report between two PTP quarters < 30 s.

The four PTP quarters are DERIVED here from the shared 2026 Q2 file (2025 Q3 .. 2026 Q2; each drops about 1% of
the rows, flips the indicator of about 0.1% and adds a few hundred pairs), written to a throw-away directory, and
imported in order, so every older quarter is kept beside the newest. --rows limits the rows read (a quick run).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import tempfile
import time
from pathlib import Path

from assistant.chat.fees_chat import pfs_card
from assistant.edits import FILENAME, EditsStore
from assistant.edits.changes import compare
from assistant.edits.fees import FeeStore, import_pfs
from assistant.edits.history import EditsHistory
from assistant.edits.importers import import_ptp
from assistant.edits.releases import quarter_dates
from eval.bench_common import SHARED_DATA, DataDir, machine_line, percentiles_line, time_calls

QUARTERS = ("2025 Q3", "2025 Q4", "2026 Q1", "2026 Q2")


def _derive(source: Path, target: Path, index: int, rows: int | None) -> list[tuple[str, str]]:
    """One derived quarter (see the module docstring); returns a sample of its pairs for look-ups."""
    sample: list[tuple[str, str]] = []
    seen_column1: set[str] = set()
    with gzip.open(source, "rt", newline="") as stream, target.open("w", newline="") as out:
        reader, writer = csv.reader(stream), csv.writer(out, lineterminator="\n")
        writer.writerow(next(reader))
        for number, row in enumerate(reader):
            if rows is not None and number >= rows:
                break
            if number % 97 == index:  # about 1% deleted in this quarter
                continue
            if number % 991 == index and row[2] in ("0", "1"):
                row = [row[0], row[1], "1" if row[2] == "0" else "0", row[3]]
            writer.writerow(row)
            if number % 500 == 0:
                sample.append((row[0], row[1]))
            if row[0] not in seen_column1 and len(seen_column1) % 50 == 0:
                writer.writerow([row[0], f"0{index}99T", "1", "Misuse of column two code with column one code"])
            seen_column1.add(row[0])
    return sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pfs", type=Path, default=SHARED_DATA / "pprrvu_2025_oct_cpt_desc_removed.csv")
    parser.add_argument("--ptp", type=Path, default=SHARED_DATA / "ptp_practitioner_2026q2_cptcol1_derived.csv.gz")
    parser.add_argument("--quarters", type=int, default=4, choices=range(1, 5))
    parser.add_argument("--rows", type=int, default=None, help="read only this many PTP rows (quick run)")
    parser.add_argument("--lookups", type=int, default=5000)
    args = parser.parse_args(argv)
    rng = random.Random(19)
    print(machine_line())
    with tempfile.TemporaryDirectory(prefix="bench-fees-") as temporary:
        directory = Path(temporary)
        settings = DataDir(directory / "data")
        db = directory / "data" / FILENAME

        started = time.perf_counter()
        print(import_pfs(args.pfs, settings))
        print(f"import pfs: {time.perf_counter() - started:.2f} s (target < 10 s)")
        fees = FeeStore(db)
        codes = [row[0] for row in fees.reader.query("SELECT code FROM pfs WHERE modifier = ''")]
        picks = [rng.choice(codes) for _ in range(args.lookups)]
        rows = time_calls([lambda c=c: fees.fee(c) for c in picks])
        print(f"PFS row look-up ({args.lookups:,}):        {percentiles_line(rows)}")
        edits = EditsStore(db)
        cards = time_calls([lambda c=c: pfs_card(edits, c) for c in picks])
        print(f"look-up with PFS facts ({args.lookups:,}): {percentiles_line(cards)} (target p95 < 2 ms)")

        samples: list[tuple[str, str]] = []
        for index, quarter in enumerate(QUARTERS[-args.quarters:]):
            target = directory / f"ptp_{quarter.replace(' Q', 'q')}_derived.csv"
            started = time.perf_counter()
            samples = _derive(args.ptp, target, index, args.rows)
            derived = time.perf_counter() - started
            started = time.perf_counter()
            summary = import_ptp(target, settings, progress=False)
            print(f"{quarter}: derived in {derived:.1f} s, imported in {time.perf_counter() - started:.1f} s: "
                  f"{summary.split(' from ')[0]}")
            target.unlink()
        history = EditsHistory(db)
        rows = sum(release.rows for release in history.releases("ptp"))
        print(f"PTP releases kept: {', '.join(r.quarter for r in history.releases('ptp'))}; {rows:,} rows in all")
        pairs = [rng.choice(samples) for _ in range(args.lookups)]
        latest = time_calls([lambda a=a, b=b: edits.ptp(a, b) for a, b in pairs])
        print(f"PTP pair look-up, latest ({args.lookups:,}): {percentiles_line(latest)} (target p95 < 1 ms)")
        days = [quarter_dates(rng.choice(QUARTERS[-args.quarters:]))[0] for _ in pairs]
        dated = time_calls([lambda a=a, b=b, d=d: history.ptp_on(a, b, d)
                            for (a, b), d in zip(pairs, days, strict=True)])
        print(f"PTP pair look-up, by date of service ({args.lookups:,}): {percentiles_line(dated)} (target p95 < 1 ms)")
        print(f"edits database: {db.stat().st_size / 1e6:.0f} MB (target < 600 MB)")
        if args.quarters >= 2:
            started = time.perf_counter()
            report = compare(db, "ptp")
            print(f"changes ptp {report.older} -> {report.newer}: {report.added:,} added, {report.deleted:,} deleted, "
                  f"{report.changed:,} changed in {time.perf_counter() - started:.1f} s (target < 30 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
