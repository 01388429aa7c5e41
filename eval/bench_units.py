"""Units engine throughput: calculations per second for each time family (goal > 100,000/s).

Run: .venv/bin/python -m eval.bench_units [--seconds 0.5]
Prints three rates per family and payer: building the pydantic request and calling `calculate` (what a caller
pays), `calculate` alone on prebuilt requests (rule, citations, warnings and a validated result), and
`calculate_minutes` (the fast path on the same tables and core). Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

from assistant.units import UnitsRequest, calculate, calculate_minutes

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
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}; {args.seconds:g} s per measurement")
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
