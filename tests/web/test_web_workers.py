"""Issue 13 item 5: several app processes against one Chroma server, no sticky sessions.

The test starts its own `chroma run` on a free loopback port (skipped, with the reason, only when the `chroma` CLI
is missing), builds the index once (`python -m assistant index`, as `make run` does), then serves the ASGI factory
twice: `uvicorn --factory assistant.web.app:create_app_from_settings --workers 2` and a second, single process.
A conversation alternates between them turn by turn (deterministically two different processes), and each follow-up
is read with the earlier turns that only the browser holds. Every wait is bounded by a readiness probe, never a sleep
that a busy machine could outrun.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FACTORY = "assistant.web.app:create_app_from_settings"
STARTUP_S = 600  # a bound for a very busy machine, not an expected time: readiness is polled


def chroma_cli() -> str | None:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.exists() else shutil.which("chroma")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    with httpx.Client(trust_env=False, timeout=10) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if http.get(url).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {STARTUP_S} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    cli = chroma_cli()
    if cli is None:
        pytest.skip("the `chroma` CLI (chromadb's server) is not installed: cannot start a Chroma server")
    root = tmp_path_factory.mktemp("workers")
    chroma_port = free_port()
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(root / "data"), ASSISTANT_CHROMA_HOST="127.0.0.1",
               ASSISTANT_CHROMA_PORT=str(chroma_port), PYTHONUNBUFFERED="1")
    for name in ("ASSISTANT_API_TOKEN", "ASSISTANT_TRUSTED_USER_HEADER", "ASSISTANT_ROOT_PATH"):
        env.pop(name, None)
    processes: list[subprocess.Popen] = []

    def spawn(name: str, args: list[str]) -> tuple[subprocess.Popen, Path]:
        log = root / f"{name}.log"
        process = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        processes.append(process)
        return process, log

    try:
        chroma, chroma_log = spawn("chroma", [cli, "run", "--path", str(root / "chroma"), "--host", "127.0.0.1",
                                              "--port", str(chroma_port)])
        wait_until_ready(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", chroma, chroma_log)
        subprocess.run([sys.executable, "-m", "assistant", "index"], cwd=REPO_ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=STARTUP_S)
        urls = {}
        for name, workers in (("two-workers", "2"), ("one-process", "1")):
            port = free_port()
            server, log = spawn(name, [sys.executable, "-m", "uvicorn", "--factory", FACTORY, "--host", "127.0.0.1",
                                       "--port", str(port), "--workers", workers, "--log-level", "warning"])
            wait_until_ready(f"http://127.0.0.1:{port}/healthz", server, log)
            urls[name] = (f"http://127.0.0.1:{port}/", server)
        yield {"urls": urls, "root": root}
    finally:
        for process in reversed(processes):
            stop(process)


def worker_pids(parent: subprocess.Popen) -> list[int]:
    """The uvicorn workers of `parent`: its children started by multiprocessing's spawn (not its resource tracker)."""
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
    pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    return [pid for pid in pids if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def chat_turn(url: str, question: str, history: list[Any]) -> list[Any]:
    """One chat turn exactly as the page sends it: a new connection, the history as the browser holds it."""
    with httpx.Client(trust_env=False, timeout=120) as http:
        config = http.get(url + "config").json()
        (index,) = [dep["id"] for dep in config["dependencies"] if dep.get("api_name") == "turn"]
        body = {"data": [question, history, "cpt", "professional"], "fn_index": index, "session_hash": "new-each-time"}
        response = http.post(url + "gradio_api/run/predict", json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"][1]


def units_in(markdown: str) -> dict[str, int]:
    found = {}
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[1].isdigit() and cells[0][:1].isalnum():
            found[cells[0]] = int(cells[1])
    return found


def test_the_factory_runs_two_worker_processes(cluster: dict[str, Any]) -> None:
    _, parent = cluster["urls"]["two-workers"]
    assert len(worker_pids(parent)) == 2


def test_a_conversation_moves_between_processes_without_sticky_sessions(cluster: dict[str, Any]) -> None:
    workers, _ = cluster["urls"]["two-workers"]
    single, _ = cluster["urls"]["one-process"]
    history = chat_turn(workers, "how do I code 2.5 hours subq", [])
    assert units_in(history[-1]["content"][0]["text"]) == {"96369": 1, "96370": 1}
    # The follow-up goes to another process: it reads "3 hours" as the same subq infusion only from the history
    # the client sent (180 minutes: the first hour and two additional hours).
    history = chat_turn(single, "what about 3 hours?", history)
    assert units_in(history[-1]["content"][0]["text"]) == {"96369": 1, "96370": 2}
    history = chat_turn(workers, "and 4 hours?", history)
    assert units_in(history[-1]["content"][0]["text"]) == {"96369": 1, "96370": 3}
    assert len(history) == 6


@pytest.mark.parametrize("question", ["what is 96369", "code for chemo push", "how do I code 2.5 hours subq"])
def test_every_process_answers_from_the_one_chroma_server(cluster: dict[str, Any], question: str) -> None:
    answers = []
    for url, _ in cluster["urls"].values():
        for _ in range(4):  # new connections: the two workers share the listening socket
            with httpx.Client(trust_env=False, timeout=120) as http:
                response = http.post(url + "api/ask", json={"question": question})
            assert response.status_code == 200
            answers.append([(line["code"], line["units"]) for line in response.json()["codes"]])
    assert all(answer == answers[0] for answer in answers), "every process gives the same answer"
    with httpx.Client(trust_env=False, timeout=30) as http:
        health = [http.get(url + "healthz").json() for url, _ in cluster["urls"].values()]
    assert health and all(item["status"] == "ok" for item in health)
