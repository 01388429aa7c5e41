"""The lazy retriever (issue 13 item 9): no torch until a search needs it; warm_up() is idempotent and thread-safe;
index_status() answers from the manifest before warm-up; a stale index is refreshed at the first search."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.corpus.loader import Corpus
from assistant.retrieval.index import refresh_index
from assistant.retrieval.retriever import Retriever, build_retriever

REPO = Path(__file__).resolve().parents[2]

_COLD_SCRIPT = """
import json, sys
from assistant import Assistant
assistant = Assistant.from_settings()
routes = [assistant.ask(question).route for question in sys.argv[1:]]
health = assistant.health()
print(json.dumps({"routes": routes, "health_indexed": health["indexed"],
                  "heavy": sorted(name for name in ("torch", "sentence_transformers", "transformers", "chromadb")
                                  if name in sys.modules)}))
"""


@pytest.mark.parametrize(
    "questions",
    [
        pytest.param(["subq 2.5 hours"], id="units"),
        pytest.param(["what is J1559", "96369"], id="look-up"),
        pytest.param(["can I bill 96369 and 96372 together"], id="edits"),
        pytest.param([], id="build-and-health-only"),
    ],
)
def test_a_cold_process_answers_without_loading_the_model(tmp_path, questions):
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", _COLD_SCRIPT, *questions], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["heavy"] == []  # neither torch nor sentence-transformers (nor Chroma) was imported
    assert "search" not in result["routes"]
    assert result["health_indexed"] == 0  # nothing built yet, and health says so instead of failing


def test_nothing_is_embedded_or_loaded_until_the_first_search(tmp_settings, small_records, counting):
    model = counting()
    retriever = build_retriever(tmp_settings, Corpus(small_records), embeddings=model, lazy=True)
    assert not retriever.ready and retriever.state == "cold"
    assert retriever.lookup("j1559").code == "J1559"
    assert [record.code for record in retriever.near_codes("96371", k=2)] == ["96370", "96369"]
    assert retriever.index_status()["indexed"] == 0 and model.embedded == 0

    hits = retriever.search("subq pump", k=1)
    assert hits[0].code == "96369"
    assert retriever.ready and retriever.state == "ready" and model.embedded == 6
    assert retriever.index_status()["indexed"] == 6


def test_index_status_before_warm_up_reads_the_manifest(tmp_settings, small_records, counting):
    report = refresh_index(tmp_settings, small_records, embeddings=counting())
    fresh = Retriever(Corpus(small_records), settings=tmp_settings, embeddings=counting())
    assert fresh.index_status() == {"collection": report.collection, "indexed": 6, "state": "cold"}
    changed = [*small_records[:-1], small_records[-1].model_copy(update={"title": "Hizentra, per 100 mg (new)"})]
    stale = Retriever(Corpus(changed), settings=tmp_settings, embeddings=counting())
    assert stale.index_status()["indexed"] == 0  # the index on disk was built from another corpus


def test_a_stale_index_is_refreshed_at_the_first_search_not_before(tmp_settings, small_records, counting):
    refresh_index(tmp_settings, small_records[:5], embeddings=counting())
    model = counting()
    retriever = build_retriever(tmp_settings, Corpus(small_records), embeddings=model, lazy=True)
    assert model.embedded == 0
    retriever.search("hizentra", k=1)
    assert model.embedded == 1  # only the record the old index lacked
    assert retriever.index_report is not None and retriever.index_report.reused == 5


def test_warm_up_is_idempotent_and_thread_safe(tmp_settings, small_records, counting):
    model = counting()
    retriever = Retriever(Corpus(small_records), settings=tmp_settings, embeddings=model)
    start = threading.Barrier(4)
    reports: list[object] = []

    def warm() -> None:
        start.wait()
        reports.append(retriever.warm_up())

    threads = [threading.Thread(target=warm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert model.embedded == 6  # one refresh, not four
    assert len(reports) == 4 and all(report is reports[0] for report in reports)
    assert retriever.warm_up() is reports[0]


def test_a_failed_warm_up_says_so_and_the_next_call_retries(tmp_settings, small_records, counting):
    retriever = Retriever(Corpus(small_records), settings=tmp_settings, embeddings=counting(fail_after=0))
    with pytest.raises(RuntimeError, match="simulated crash"):
        retriever.warm_up()
    assert retriever.state.startswith("failed:") and not retriever.ready
    retriever._embeddings = counting()
    retriever.warm_up()
    assert retriever.ready and retriever.state == "ready"


def test_progress_names_each_stage(tmp_settings, small_records, counting):
    seen: list[str] = []
    retriever = Retriever(Corpus(small_records), settings=tmp_settings, embeddings=counting())
    retriever.warm_up(on_progress=lambda stage, done, total: seen.append(stage))
    assert [stage for index, stage in enumerate(seen) if index == 0 or seen[index - 1] != stage] == [
        "embedding", "switching", "done"]
