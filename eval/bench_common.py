"""What the benchmarks share: where the CMS files are, the importers' settings stub, timing a list of calls, the
percentiles they print, the machine's load and the process's memory. Benchmarks print numbers; none asserts."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


class DataDir:
    """The one thing the importers need from Settings, without reading the environment."""

    def __init__(self, path: Path) -> None:
        self.resolved_data_dir = path


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0-1) of the sorted values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def time_calls(calls: list[Callable[[], object]]) -> list[int]:
    """Nanoseconds each call took, in order."""
    samples = []
    for call in calls:
        started = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - started)
    return samples


def percentiles_line(samples_ns: list[int], unit: str = "ms") -> str:
    """'p50 ... p95 ... p99 ... max ...' of nanosecond samples in "ms" or "us" ("us" keeps one decimal)."""
    scale, digits = (1e6, 3) if unit == "ms" else (1e3, 1)
    cuts = statistics.quantiles(samples_ns, n=100, method="inclusive")
    values = {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(samples_ns)}
    return "   ".join(f"{name} {value / scale:7.{digits}f} {unit}" for name, value in values.items())


def machine_line() -> str:
    """The CPU count and load average (a shared machine makes every wall time noisy: say so beside them)."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (shared: noisy)"


def peak_rss_mb() -> float:
    """The process's peak resident memory (ru_maxrss is in kilobytes on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def resident_mb() -> float:
    """The process's resident memory now (Linux /proc), else its peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()
