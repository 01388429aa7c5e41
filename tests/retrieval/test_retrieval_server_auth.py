"""A Chroma server behind the token check of docs/security.md (issue 24 item 6): the client configured with
ASSISTANT_CHROMA_TOKEN reads and writes; without the token, or with a wrong one, nothing is written. The nginx block
is read from the doc. Skipped without the chroma CLI or nginx."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.retrieval.index import open_client
from assistant.settings import Settings

CHROMA = Path(sys.executable).with_name("chroma")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
TOKEN = "a-test-token-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, ok: set[int]) -> None:
    deadline = time.monotonic() + 60  # a readiness probe with a generous bound
    while True:
        try:
            if httpx.get(url, timeout=1).status_code in ok:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{url} did not come up (exit code {process.poll()})")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def guarded_chroma(tmp_path: Path) -> Iterator[int]:
    """`chroma run` on a loopback port with the doc's nginx token check in front; yields the proxy's port."""
    if not CHROMA.exists():
        pytest.skip(f"no chroma CLI at {CHROMA}")
    if NGINX is None:
        pytest.skip("nginx is not installed")
    chroma_port, proxy_port = _free_port(), _free_port()
    chroma = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(chroma_port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        start_new_session=True,
    )
    block = re.findall(r"```nginx chroma\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)[0]
    block = block.replace("127.0.0.1:8000", f"127.0.0.1:{proxy_port}")
    block = block.replace("127.0.0.1:8001", f"127.0.0.1:{chroma_port}")
    block = block.replace("CHANGE-ME-to-a-long-random-token", TOKEN)
    folder = tmp_path / "nginx"
    folder.mkdir()
    temp = "\n".join(f"    {name}_temp_path {folder / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                            "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(f"{user}daemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
                      f"events {{ worker_connections 64; }}\nhttp {{\n    access_log off;\n{temp}\n{block}\n}}\n")
    nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(folder)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", chroma, {200})
        _wait(f"http://127.0.0.1:{proxy_port}/api/v2/heartbeat", nginx, {401})
        yield proxy_port
    finally:
        _stop(nginx)
        _stop(chroma)


def _settings(tmp_path: Path, port: int, token: str | None) -> Settings:
    return Settings(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port, chroma_token=token)


def test_the_client_with_the_token_reads_and_writes(guarded_chroma: int, tmp_path: Path) -> None:
    client = open_client(_settings(tmp_path, guarded_chroma, TOKEN))
    collection = client.get_or_create_collection("guarded_g1")
    collection.add(ids=["96369"], embeddings=[[0.1, 0.2, 0.3]], documents=["subq infusion"])
    assert collection.count() == 1


@pytest.mark.parametrize("token", [None, "a-wrong-token"], ids=["no-token", "wrong-token"])
def test_without_the_token_nothing_is_written(guarded_chroma: int, tmp_path: Path, token: str | None) -> None:
    with pytest.raises(Exception):  # noqa: B017 (chromadb raises its own or httpx errors on a 401)
        client = open_client(_settings(tmp_path, guarded_chroma, token))
        client.get_or_create_collection("should_not_exist")
    response = httpx.get(f"http://127.0.0.1:{guarded_chroma}/api/v2/tenants/default_tenant/databases/"
                         "default_database/collections", headers={"X-Chroma-Token": TOKEN}, timeout=30)
    assert response.status_code == 200 and "should_not_exist" not in response.text
