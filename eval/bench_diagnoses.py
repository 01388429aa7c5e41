"""Diagnosis and coverage benchmark (issue 18): MCD import time and peak RSS at full size, coverage answer p95,
ICD-10-CM look-up p95, diagnosis search p95, the diagnosis index build (and its load from the data directory)
against what embedding every billable description would cost at the encoder's raw rate.

    .venv/bin/python -m eval.bench_diagnoses [--covered-rows 431120] [--encode-sample 256] [--repeats 3]

The MCD tables are generated in the documented layout (no copy of the downloads exists here): 2,002 articles,
18,158 HCPCS rows, `--covered-rows` covered and 45,352 non-covered diagnosis rows (the 2026 snapshot's sizes,
mcd.md), 56 states and 30 contractors. The import runs first, so the peak RSS printed for it is the process's
before the ICD-10-CM code set is loaded. Prints numbers; asserts nothing. Goals: MCD import < 60 s and < 300 MB;
coverage answer p95 < 20 ms; ICD-10-CM look-up p95 < 2 ms warm; diagnosis search p95 < 50 ms warm; the first index
with ICD-10-CM < 5 minutes.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import assistant.offline  # noqa: F401
from eval.bench_common import machine_line, peak_rss_mb

SEARCHES = (
    "type 2 diabetes without complications", "DM2 with hyperglycemia", "HTN", "CKD stage 3a", "COPD with acute "
    "exacerbation", "MDD single episode moderate", "GAD", "bilateral primary OA knee", "UTI", "CHF", "afib", "GERD",
    "iron deficiency anemia", "chest pain", "sepsis", "pneumonia", "strep throat", "hx of breast cancer",
    "malignant neoplasm of right female breast", "left knee OA", "DVT left leg", "low back pain", "migraine",
    "encounter for chemotherapy", "long term use of insulin", "cellulitis of left lower limb", "dehydration",
    "acute kidney failure", "asthma", "syncope and collapse",
)


def p95(run: Callable[[object], object], items: Iterable[object], repeats: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds of `run(item)` over the items, `repeats` times each (warm: one pass first)."""
    items = list(items)
    for item in items:
        run(item)
    times = []
    for _ in range(repeats):
        for item in items:
            began = time.perf_counter()
            run(item)
            times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def write_mcd(folder: Path, covered_rows: int, rng: random.Random, diagnoses: list[str]) -> list[tuple[str, str]]:
    """Generated MCD tables at full size; returns (HCPCS code, state) pairs that have articles."""
    folder.mkdir(parents=True, exist_ok=True)
    states = [f"S{n:02d}" for n in range(56)]
    contractors = list(range(1, 31))

    def table(name: str, header: list[str], rows: Iterable[Iterable[object]]) -> None:
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    table("state_lookup", ["state_id", "state_abbrev", "description"], ((i, s, f"State {s}") for i, s in
                                                                        enumerate(states)))
    table("contractor", ["contractor_id", "contractor_type_id", "contractor_version", "contractor_bus_name",
                         "contractor_number"], ((c, 1, 1, f"MAC {c}", f"{c:05d}") for c in contractors))
    table("contractor_jurisdiction", ["contractor_id", "contractor_type_id", "contractor_version", "state_id",
                                      "term_date"], ((1 + i % 30, 1, 1, i, "") for i in range(56)))
    articles = list(range(50_000, 52_002))
    table("article", ["article_id", "article_version", "title", "status", "article_eff_date"],
          ((a, 1, f"Billing and Coding: generated article {a}", "A", "2025-10-01") for a in articles))
    table("article_x_contractor", ["article_id", "article_version", "contractor_id", "contractor_type_id",
                                   "contractor_version"], ((a, 1, 1 + a % 30, 1, 1) for a in articles))
    codes = [f"J{n:04d}" for n in range(1000, 10_000)] + [f"{n:05d}" for n in range(90_000, 99_000)]
    hcpc = [(rng.choice(articles), rng.choice(codes)) for _ in range(18_158)]
    table("article_x_hcpc_code", ["article_id", "article_version", "hcpc_code_id", "hcpc_code_group"],
          ((a, 1, c, 1) for a, c in hcpc))
    table("article_x_icd10_covered", ["article_id", "article_version", "icd10_code_id", "icd10_covered_group",
                                      "description"],
          ((rng.choice(articles), 1, rng.choice(diagnoses), 1 + rng.randrange(3), "generated") for _ in
           range(covered_rows)))
    table("article_x_icd10_noncovered", ["article_id", "article_version", "icd10_code_id", "icd10_noncovered_group",
                                         "description"],
          ((rng.choice(articles), 1, rng.choice(diagnoses), 1, "generated") for _ in range(45_352)))
    table("article_x_icd10_covered_group", ["article_id", "article_version", "icd10_covered_group", "paragraph"],
          ((a, 1, g, f"<p>Group {g} paragraph.</p>") for a in articles for g in (1, 2, 3)))
    by_state = {1 + i % 30: states[i] for i in range(56)}
    return [(c, by_state[1 + a % 30]) for a, c in hcpc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--covered-rows", type=int, default=431_120)
    parser.add_argument("--encode-sample", type=int, default=256, help="0 skips the encoder (no model load)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(18)
    print(f"## Diagnoses and coverage ({machine_line()})")
    with tempfile.TemporaryDirectory(prefix="bench-diagnoses-") as work:
        workdir = Path(work)
        from assistant.coverage import CoverageStore
        from assistant.coverage.importer import import_mcd
        from assistant.settings import Settings

        settings = Settings(data_dir=workdir / "data")
        # Diagnosis codes for the generated rows, without loading ICD-10-CM (the import's RSS is measured alone).
        diagnoses = [f"{letter}{n:02d}.{d}" for letter in "DEIJKMNRZ" for n in range(100) for d in range(10)]
        pairs = write_mcd(workdir / "mcd", args.covered_rows, rng, diagnoses)
        before = peak_rss_mb()
        began = time.perf_counter()
        summary = import_mcd(workdir / "mcd", settings)
        print(f"MCD import                 : {time.perf_counter() - began:8.1f} s, peak RSS {peak_rss_mb():.0f} MB "
              f"(process before it {before:.0f} MB; goals < 60 s, < 300 MB)\n  {summary}")

        from assistant.chat.coverage import coverage_answer

        store = CoverageStore.in_data_dir(settings.resolved_data_dir)
        questions = [(code, state, rng.choice(diagnoses)) for code, state in rng.sample(pairs, 200)]
        median, high = p95(lambda q: coverage_answer(store, *q), questions, args.repeats)
        print(f"coverage answer            : p50 {median:6.2f} ms, p95 {high:6.2f} ms (goal p95 < 20 ms)")

        from assistant.chat.diagnosis import diagnosis_lookup_answer
        from assistant.corpus.icd10 import code_set

        began = time.perf_counter()
        codes = code_set()
        print(f"ICD-10-CM code set load    : {time.perf_counter() - began:8.1f} s, peak RSS {peak_rss_mb():.0f} MB")
        from assistant.retrieval.diagnoses import INDEX_VERSION, DiagnosisIndex, build_diagnosis_index

        began = time.perf_counter()
        index = build_diagnosis_index(codes)
        built = time.perf_counter() - began
        index.save(workdir / "diagnoses", INDEX_VERSION)
        began = time.perf_counter()
        DiagnosisIndex.load(workdir / "diagnoses", INDEX_VERSION)
        loaded = time.perf_counter() - began
        print(f"diagnosis index build      : {built:8.1f} s for {len(index):,} billable codes; load from the data "
              f"dir {loaded:.2f} s; peak RSS {peak_rss_mb():.0f} MB")
        sample = rng.sample(index.codes, 400) + [c[:3] for c in rng.sample(index.codes, 50)] + ["E11.99", "Z99.999"]
        median, high = p95(codes.lookup, sample, args.repeats)
        print(f"ICD-10-CM look-up (verdict): p50 {median:6.3f} ms, p95 {high:6.3f} ms (goal p95 < 2 ms)")
        median, high = p95(lambda code: diagnosis_lookup_answer([code]), sample, 1)
        print(f"ICD-10-CM look-up (answer) : p50 {median:6.3f} ms, p95 {high:6.3f} ms")
        median, high = p95(index.search, SEARCHES, args.repeats)
        print(f"diagnosis search           : p50 {median:6.2f} ms, p95 {high:6.2f} ms (goal p95 < 50 ms)")
        if args.encode_sample:
            from assistant.retrieval.embeddings import embeddings_for

            model = embeddings_for(settings).load()
            texts = rng.sample(index.descriptions, args.encode_sample)
            model.encode(texts[:32], batch_size=64)
            began = time.perf_counter()
            model.encode(texts, batch_size=64, normalize_embeddings=True)
            rate = len(texts) / (time.perf_counter() - began)
            embed = len(index) / rate
            print(f"raw encode (ICD texts)     : {rate:8.1f} records/s -> embedding all {len(index):,} would take "
                  f"{embed / 60:.1f} min; the lexical build is {embed / built:.0f}x faster (goal: index < 5 min)")


if __name__ == "__main__":
    main()
