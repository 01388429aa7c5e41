"""Units engine throughput: calculations per second for each time family (goal > 100,000/s).

Run: .venv/bin/python -m eval.bench_units [--seconds 0.5] [--encounters 2000]
Prints three rates per family and payer: building the pydantic request and calling `calculate` (what a caller
pays), `calculate` alone on prebuilt requests (rule, citations, warnings and a validated result), and
`calculate_minutes` (the fast path on the same tables and core). Timings on a shared machine are noisy.
Then the whole-encounter engine (issue 11): p50/p95 of `code_encounter` on a 10-administration visit (target
< 5 ms p95), building the pydantic Encounter included.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

from assistant.units import UnitsRequest, calculate, calculate_minutes
from assistant.units.encounter import Encounter, code_encounter

# A 10-administration infusion-center visit: hydration around chemo, premedication pushes and infusions, a
# concurrent drug, an injection, drug lines with doses (every rule family of the engine is exercised).
TEN_ADMINISTRATIONS: dict[str, object] = {
    "setting": "facility",
    "payer": "medicare",
    "administrations": [
        {"substance": "NS", "route": "iv_infusion", "start": "08:00", "stop": "15:30"},
        {"substance": "ondansetron", "category": "therapeutic", "route": "iv_push", "start": "08:10",
         "drug_code": "J2405", "dose": 8, "dose_unit": "mg", "billing_quantity": 1, "billing_unit": "mg"},
        {"substance": "dexamethasone", "category": "therapeutic", "route": "iv_push", "start": "08:15",
         "drug_code": "J1100", "dose": 12, "dose_unit": "mg", "billing_quantity": 1, "billing_unit": "mg"},
        {"substance": "fosaprepitant", "category": "therapeutic", "route": "iv_infusion", "start": "08:20",
         "stop": "08:50", "drug_code": "J1453", "dose": 150, "dose_unit": "mg", "billing_quantity": 1,
         "billing_unit": "mg"},
        {"substance": "rituximab", "category": "chemotherapy", "route": "iv_infusion", "start": "09:00",
         "stop": "13:00", "drug_code": "J9312", "dose": 700, "dose_unit": "mg", "billing_quantity": 10,
         "billing_unit": "mg"},
        {"substance": "leucovorin", "category": "therapeutic", "route": "iv_infusion", "start": "09:30",
         "stop": "11:30"},
        {"substance": "cyclophosphamide", "category": "chemotherapy", "route": "iv_infusion", "start": "13:00",
         "stop": "13:45"},
        {"substance": "vincristine", "category": "chemotherapy", "route": "iv_push", "start": "13:50"},
        {"substance": "doxorubicin", "category": "chemotherapy", "route": "iv_push", "start": "13:55",
         "drug_code": "J9000", "dose": 50, "dose_unit": "mg", "billing_quantity": 10, "billing_unit": "mg"},
        {"substance": "pegfilgrastim", "category": "therapeutic", "route": "injection", "start": "15:00"},
    ],
}


def encounter_percentiles(samples: int) -> dict[str, tuple[float, float, float]]:
    """(p50, p95, max) milliseconds of validating and coding the 10-administration encounter, as wall time and as
    this thread's CPU time (the engine's own cost: on a loaded shared machine the wall p95 mostly measures waiting
    for a core)."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(samples):
        started, started_cpu = time.perf_counter(), time.thread_time()
        code_encounter(Encounter.model_validate(TEN_ADMINISTRATIONS))
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    out: dict[str, tuple[float, float, float]] = {}
    for name, timings in (("wall", wall), ("cpu", cpu)):
        timings.sort()
        out[name] = (timings[len(timings) // 2], timings[max(int(len(timings) * 0.95) - 1, 0)], timings[-1])
    return out


# family -> (extra request fields, fast-path variant)
TIME_FAMILIES: dict[str, tuple[dict[str, object], tuple[object, ...]]] = {
    "subq_infusion": ({}, ()),
    "hydration": ({}, ()),
    "iv_infusion": ({}, ()),
    "chemo_infusion": ({}, (False,)),
    "critical_care": ({}, ()),
    "office_em": ({"patient": "established"}, ("established",)),
    "psychotherapy": ({}, (False,)),
    "sedation": ({}, ("same", False)),
    "therapy": ({}, ()),
    "anesthesia": ({"base_units": 5.0}, ()),
}
FAST_PATH = {"subq_infusion", "hydration", "chemo_infusion", "critical_care", "office_em", "psychotherapy", "sedation"}


def rate(work: Callable[[int], object], seconds: float) -> float:
    """Calls of `work(minutes)` per second over about `seconds`, minutes cycling 1..480."""
    calls, started = 0, time.perf_counter()
    deadline = started + seconds
    while True:
        for minutes in range(1, 481):
            work(minutes)
        calls += 480
        now = time.perf_counter()
        if now >= deadline:
            return calls / (now - started)


def make_request(family: str, payer: str, extra: dict[str, object], minutes: int) -> UnitsRequest:
    if family == "therapy":
        split = {"97110": minutes // 2 + 1, "97112": minutes - minutes // 2}
        return UnitsRequest(family=family, payer=payer, code_minutes=split)
    return UnitsRequest(family=family, minutes=minutes, payer=payer, **extra)


def full_path(family: str, payer: str, extra: dict[str, object]) -> Callable[[int], object]:
    """Build the pydantic request and calculate: what a caller pays per question."""
    return lambda m: calculate(make_request(family, payer, extra, m))


def calculate_only(family: str, payer: str, extra: dict[str, object]) -> Callable[[int], object]:
    """Calculate on requests built beforehand: the engine's own cost, result validation included."""
    requests = {m: make_request(family, payer, extra, m) for m in range(1, 481)}
    return lambda m: calculate(requests[m])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    parser.add_argument("--encounters", type=int, default=2000, help="samples of the 10-administration encounter")
    parser.add_argument("--encounter-only", action="store_true", help="only the encounter benchmark")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}; {args.seconds:g} s per measurement")
    if args.encounters:
        code_encounter(Encounter.model_validate(TEN_ADMINISTRATIONS))  # warm
        for name, (p50, p95, worst) in encounter_percentiles(args.encounters).items():
            print(f"encounter of 10 administrations, {name} time ({args.encounters} runs): p50 {p50:.3f} ms, "
                  f"p95 {p95:.3f} ms, max {worst:.3f} ms (target p95 < 5 ms)")
    if args.encounter_only:
        return
    print(f"{'family':<16}{'payer':<10}{'request+calc/s':>16}{'calculate/s':>14}{'fast path/s':>14}")
    for family, (extra, variant) in TIME_FAMILIES.items():
        for payer in ("cpt", "medicare"):
            full = rate(full_path(family, payer, extra), args.seconds)
            engine = rate(calculate_only(family, payer, extra), args.seconds)
            fast = ""
            if family in FAST_PATH:
                fast_rate = rate(lambda m, f=family, p=payer, v=variant: calculate_minutes(f, m, p, v), args.seconds)
                fast = f"{fast_rate:>14,.0f}"
            print(f"{family:<16}{payer:<10}{full:>16,.0f}{engine:>14,.0f}{fast:>14}")


if __name__ == "__main__":
    main()
