"""Load benchmark of the web app: concurrent clients posting to /api/ask.

    .venv/bin/python -m eval.load [--seconds 60] [--clients 50] [--think-ms 0] [--max-requests 200000]
    .venv/bin/python -m eval.load --workers 2            # uvicorn --factory ... --workers 2, started here
    .venv/bin/python -m eval.load --url http://127.0.0.1:7860/coding/ --token T   # a running server or a proxy

Without --url it starts the real app on a free loopback port (the real Assistant on ASSISTANT_DATA_DIR): `python
app.py`, or with --workers N the ASGI factory under `uvicorn --workers N`. It prints the cold start (process start
to listening, and to the first units answer). Then it runs the clients for the given time (and at most
--max-requests requests) and prints requests/s, p50/p95/p99 latency overall and per route, the error count and,
for an app it started, the peak RSS (VmHWM, summed over worker processes). --token sends `Authorization: Bearer`,
--user-header NAME:VALUE a trusted user header (a proxy's). Goals: zero errors, p95 < 500 ms with 2 workers on
2 cores, peak RSS < 1.5 GB a process. The clients share the machine with the app (and, here, with other work), so
the numbers are noisy and pessimistic: say so when you quote them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"Coding assistant ready at (http://\S+)")

# A mix of routes, weighted the way coders ask: mostly units, then look-ups and searches.
MIX: list[tuple[str, dict]] = [
    ("units", {"question": "how do I code 2.5 hours subq"}),
    ("units", {"question": "critical care 110 minutes medicare"}),
    ("units", {"question": "NS bolus 11pm to 2am"}),
    ("units", {"question": "ceftriaxone 1 g how many units"}),
    ("units", {"question": "what about 3 hours?", "history": [{"role": "user", "content": "subq 2.5 hours"}]}),
    ("units", {"question": "psychotherapy 45 min", "payer": "medicare", "setting": "facility"}),
    ("lookup", {"question": "what is 96369"}),
    ("lookup", {"question": "what is J1559"}),
    ("search", {"question": "code for chemo push"}),
    ("search", {"question": "second subq pump new site"}),
    ("edits", {"question": "can I bill 96369 and 96372 together"}),
    ("help", {"question": "hello"}),
]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of `values` (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_workers(workers: int, startup_timeout: float) -> tuple[subprocess.Popen, str]:
    """`uvicorn --factory assistant.web.app:create_app_from_settings --workers N` on a free loopback port; returns
    once /healthz answers. Build the index first (`python -m assistant index`): the workers only read it."""
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "assistant.web.app:create_app_from_settings", "--host",
         "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning",
         "--timeout-keep-alive", "90", "--no-server-header"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup_timeout
    with httpx.Client(trust_env=False, timeout=5) as http:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if http.get(base_url + "/healthz").status_code == 200:
                    return process, base_url
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    stop_app(process)
    raise SystemExit(f"uvicorn with {workers} workers did not become ready")


def start_app(startup_timeout: float) -> tuple[subprocess.Popen, str]:
    """Start `app.py` on a free loopback port; return the process and its base URL once it prints the ready line."""
    env = dict(os.environ, ASSISTANT_HOST="127.0.0.1", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "app.py"), "--host", "127.0.0.1", "--port", "0"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:  # keep reading so the app never blocks on a full pipe; print nothing it logs
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + startup_timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line is None:
            break
        seen.append(line)
        match = READY.search(line)
        if match:
            return process, match.group(1).rstrip("/")
    stop_app(process)
    raise SystemExit("the app did not become ready:\n" + "".join(seen[-20:]))


def stop_app(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def memory_kb(pid: int) -> dict[str, int]:
    """VmHWM (peak resident set) and VmRSS of a process and its worker processes, in kB, from /proc (summed)."""
    values: dict[str, int] = {"VmHWM": 0, "VmRSS": 0}
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid, *(int(child) for child in (children.read_text().split() if children.exists() else []))]
    for one in pids:
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            name, _, rest = line.partition(":")
            if name in values:
                values[name] += int(rest.split()[0])
    return values


async def run_clients(base_url: str, clients: int, seconds: float, think_ms: float, max_requests: int,
                      headers: dict[str, str] | None = None) -> dict:
    """`clients` loops posting the MIX in turn (each starting at its own offset) until time or count runs out."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    issued = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0, trust_env=False,
                                 headers=headers or {}) as http:

        async def client(offset: int) -> None:
            nonlocal issued
            turn = offset
            while time.monotonic() < deadline and issued < max_requests:
                issued += 1
                route, body = MIX[turn % len(MIX)]
                turn += 1
                started = time.perf_counter()
                try:
                    response = await http.post("api/ask", json=body)
                    elapsed = time.perf_counter() - started
                    if response.status_code != 200:
                        errors[f"HTTP {response.status_code}"] += 1
                    elif response.json().get("route") == "error":
                        errors["route error"] += 1
                    else:
                        latencies[route].append(elapsed)
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                if think_ms:
                    await asyncio.sleep(think_ms / 1000)

        started = time.monotonic()
        await asyncio.gather(*(client(i) for i in range(clients)))
        wall = time.monotonic() - started
    return {"latencies": latencies, "errors": errors, "wall": wall}


def auth_headers(token: str | None, user_header: str | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if user_header:
        name, _, value = user_header.partition(":")
        headers[name.strip()] = value.strip()
    return headers


def first_units_answer(base_url: str, headers: dict[str, str], began: float, timeout: float) -> float:
    """Seconds from `began` until a units question is answered (the app may still load its model meanwhile)."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=base_url, timeout=60.0, trust_env=False, headers=headers) as http:
        while time.monotonic() < deadline:
            try:
                if http.post("api/ask", json=MIX[0][1]).status_code == 200:
                    return time.monotonic() - began
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    raise SystemExit("no units answer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the clients run (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--think-ms", type=float, default=0.0, help="pause of each client between requests")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--startup-timeout", type=float, default=300.0, help="seconds to wait for the app")
    parser.add_argument("--url", help="measure a running server or proxy at this base URL (nothing is started)")
    parser.add_argument("--token", help="bearer token to send (ASSISTANT_API_TOKEN of the server)")
    parser.add_argument("--user-header", help="a trusted user header to send, as NAME:VALUE")
    parser.add_argument("--workers", type=int, help="start uvicorn --factory with this many worker processes")
    args = parser.parse_args(argv)
    headers = auth_headers(args.token, args.user_header)

    process: subprocess.Popen | None = None
    if args.url:
        base_url = args.url
        print(f"measuring the running server at {base_url}", flush=True)
    else:
        what = f"uvicorn --factory with {args.workers} workers" if args.workers else "app.py"
        print(f"starting the app ({what}, real Assistant) ...", flush=True)
        began = time.monotonic()
        process, base_url = start_workers(args.workers, args.startup_timeout) if args.workers else \
            start_app(args.startup_timeout)
        listening = time.monotonic() - began
        first = first_units_answer(base_url, headers, began, args.startup_timeout)
        print(f"cold start: listening after {listening:.1f} s, first units answer after {first:.1f} s; "
              f"RSS then {memory_kb(process.pid).get('VmRSS', 0) / 1024:.0f} MB", flush=True)
    base_url = base_url.rstrip("/") + "/"
    memory: dict[str, int] = {}
    try:
        # Warm every route once (the first search may load the embedding model; with several workers, each loads
        # its own, so the first requests of each kind go out a few times).
        with httpx.Client(base_url=base_url, timeout=120.0, trust_env=False, headers=headers) as http:
            for _ in range(args.workers or 1):
                for _, body in MIX:
                    http.post("api/ask", json=body).raise_for_status()
        print(f"{args.clients} clients, {args.seconds:g} s, think time {args.think_ms:g} ms ...", flush=True)
        result = asyncio.run(run_clients(base_url, args.clients, args.seconds, args.think_ms, args.max_requests,
                                         headers))
        if process is not None:
            memory = memory_kb(process.pid)
    finally:
        if process is not None:
            stop_app(process)

    latencies: dict[str, list[float]] = result["latencies"]
    every = [value for values in latencies.values() for value in values]
    error_count = sum(result["errors"].values())
    total = len(every) + error_count
    print(f"\nrequests: {total} in {result['wall']:.1f} s = {total / result['wall']:.1f} requests/s")
    print(f"{'route':8} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for route in [*sorted(latencies), "all"]:
        values = every if route == "all" else latencies[route]
        print(f"{route:8} {len(values):7d} {percentile(values, .50) * 1000:8.1f} "
              f"{percentile(values, .95) * 1000:8.1f} {percentile(values, .99) * 1000:8.1f}")
    detail = ", ".join(f"{name}: {count}" for name, count in sorted(result["errors"].items()))
    print(f"errors: {error_count}" + (f" ({detail})" if detail else ""))
    p95 = percentile(every, 0.95) * 1000
    goals = f"goals: zero errors {'met' if error_count == 0 else 'NOT met'}; p95 < 500 ms " \
            f"{'met' if p95 < 500 else 'NOT met'} ({p95:.0f} ms)"
    if memory:
        processes = max(1, args.workers or 1)
        peak_mb, end_mb = memory.get("VmHWM", 0) / 1024, memory.get("VmRSS", 0) / 1024
        print(f"app peak RSS (VmHWM, all processes): {peak_mb:.0f} MB; RSS at the end {end_mb:.0f} MB")
        goals += f"; peak RSS < 1.5 GB a process {'met' if peak_mb / processes < 1536 else 'NOT met'}"
    print(goals)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
