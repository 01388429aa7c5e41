"""Server mode: the same index and retriever code against a real `chroma run` on a loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.corpus.loader import Corpus
from assistant.retrieval import build_retriever, refresh_index
from assistant.retrieval.index import IndexBuildError, open_client
from assistant.settings import Settings

CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    """A Chroma server on a free loopback port, stopped (by its own pid) after the test."""
    if not CHROMA.exists():
        pytest.skip(f"no chroma CLI at {CHROMA}")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma server did not start on port {port} (exit code {process.poll()})")
            time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_index_and_search_against_a_chroma_server(chroma_server, tmp_path, small_records, counting):
    settings = Settings(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=chroma_server)
    model = counting()
    retriever = build_retriever(settings, Corpus(small_records), embeddings=model)
    assert model.embedded == len(small_records)
    assert retriever.search("hizentra", k=1)[0].code == "J1559"
    assert retriever.search("what is 96370", k=1)[0].code == "96370"
    assert [hit.code for hit in retriever.search("fluids", k=3, family="hydration")] == ["96360"]
    # The vectors live on the server, not in the embedded store under data_dir/index.
    names = [c if isinstance(c, str) else c.name for c in open_client(settings).list_collections()]
    assert retriever.index_report.collection in names

    again = counting()
    report = refresh_index(settings, small_records, embeddings=again)
    assert again.embedded == 0 and not report.changed


def test_unreachable_server_says_what_to_do(tmp_path, small_records, counting):
    settings = Settings(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=_free_port())
    with pytest.raises(IndexBuildError, match="chroma run"):
        refresh_index(settings, small_records, embeddings=counting())
