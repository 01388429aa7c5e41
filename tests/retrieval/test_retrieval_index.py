"""The vector index: incremental refreshes embed only what changed, and a crash never leaves a broken index."""

from __future__ import annotations

import json

import pytest

from assistant.corpus.loader import Corpus
from assistant.retrieval import index as index_module
from assistant.retrieval.index import Manifest, active_collection, manifest_path, open_client, open_store, refresh_index
from assistant.retrieval.retriever import Retriever, build_retriever


def _stored_codes(settings, collection: str) -> set[str]:
    return set(open_client(settings).get_collection(collection, embedding_function=None).get(include=[])["ids"])


def _generations(settings) -> list[str]:
    names = [c if isinstance(c, str) else c.name for c in open_client(settings).list_collections()]
    return sorted(name for name in names if name.startswith(settings.collection + "_g"))


def test_first_build_embeds_every_record(tmp_settings, small_records, counting):
    model = counting()
    report = refresh_index(tmp_settings, small_records, embeddings=model)
    assert (report.embedded, report.reused, report.deleted, report.total) == (6, 0, 0, 6)
    assert model.embedded == 6
    assert _stored_codes(tmp_settings, report.collection) == {r.code for r in small_records}
    assert active_collection(tmp_settings) == report.collection
    assert "6 embedded" in str(report)


def test_unchanged_corpus_embeds_nothing_and_keeps_the_generation(tmp_settings, small_records, counting):
    first = refresh_index(tmp_settings, small_records, embeddings=counting())
    model = counting()
    again = refresh_index(tmp_settings, small_records, embeddings=model)
    assert model.embedded == 0
    assert (again.embedded, again.reused, again.deleted, again.total) == (0, 6, 0, 6)
    assert again.collection == first.collection
    assert not again.changed
    assert "up to date" in str(again)


def test_one_changed_record_is_the_only_one_embedded(tmp_settings, small_records, counting, real_embeddings):
    first = refresh_index(tmp_settings, small_records, embeddings=counting())
    changed = list(small_records)
    changed[2] = changed[2].model_copy(update={"lay_terms": [*changed[2].lay_terms, "banana bag"]})
    model = counting()
    report = refresh_index(tmp_settings, changed, embeddings=model)
    assert model.embedded == 1
    assert (report.embedded, report.reused, report.deleted, report.total) == (1, 5, 0, 6)
    assert report.collection != first.collection
    assert _generations(tmp_settings) == [report.collection]  # the old generation is gone
    stored = open_client(tmp_settings).get_collection(report.collection, embedding_function=None).get(
        ids=["96360"], include=["documents", "metadatas"])
    assert "banana bag" in stored["documents"][0]
    assert stored["metadatas"][0]["content_hash"] == changed[2].content_hash()


def test_removed_record_is_deleted_and_new_one_embedded(tmp_settings, small_records, make_record, counting):
    refresh_index(tmp_settings, small_records, embeddings=counting())
    newcomer = make_record("96372", "Injection under the skin or into a muscle", ["IM shot"], time_rule="injection")
    model = counting()
    report = refresh_index(tmp_settings, [*small_records[1:], newcomer], embeddings=model)
    assert model.embedded == 1
    assert (report.embedded, report.reused, report.deleted, report.total) == (1, 5, 1, 6)
    stored = _stored_codes(tmp_settings, report.collection)
    assert "96369" not in stored and "96372" in stored


def test_copy_and_embed_work_across_chunks(tmp_settings, small_records, counting, monkeypatch):
    monkeypatch.setattr(index_module, "CHUNK_SIZE", 2)
    refresh_index(tmp_settings, small_records[:5], embeddings=counting())
    model = counting()
    report = refresh_index(tmp_settings, small_records, embeddings=model)
    assert (report.embedded, report.reused) == (1, 5)
    assert _stored_codes(tmp_settings, report.collection) == {r.code for r in small_records}


def test_rebuild_reembeds_everything_aside_then_switches(tmp_settings, small_records, counting):
    first = refresh_index(tmp_settings, small_records, embeddings=counting())
    model = counting()
    report = refresh_index(tmp_settings, small_records, rebuild=True, embeddings=model)
    assert model.embedded == 6 and report.rebuilt
    assert report.collection != first.collection
    assert _generations(tmp_settings) == [report.collection]


def test_crash_mid_build_keeps_the_old_index_serving_and_the_next_refresh_recovers(
    tmp_settings, small_records, make_record, counting, monkeypatch
):
    monkeypatch.setattr(index_module, "CHUNK_SIZE", 1)  # one record per embedding call: fail after the first
    first = refresh_index(tmp_settings, small_records, embeddings=counting())
    manifest_before = manifest_path(tmp_settings).read_text()
    changed = [r.model_copy(update={"title": r.title + " (revised)"}) if r.code in {"96360", "97110"} else r
               for r in small_records]

    with pytest.raises(RuntimeError, match="simulated crash"):
        refresh_index(tmp_settings, changed, embeddings=counting(fail_after=1))

    # The manifest is untouched, the old generation is complete, and nothing half-built is left.
    assert manifest_path(tmp_settings).read_text() == manifest_before
    assert _generations(tmp_settings) == [first.collection]
    assert _stored_codes(tmp_settings, first.collection) == {r.code for r in small_records}
    old = Retriever(Corpus(small_records), open_store(tmp_settings, first.collection, counting()))
    assert old.search("hizentra", k=1)[0].code == "J1559"

    model = counting()
    recovered = refresh_index(tmp_settings, changed, embeddings=model)
    assert model.embedded == 2
    assert (recovered.embedded, recovered.reused) == (2, 4)
    assert _generations(tmp_settings) == [recovered.collection]


def test_half_built_generation_from_a_hard_crash_is_cleaned_up(tmp_settings, small_records, counting):
    first = refresh_index(tmp_settings, small_records, embeddings=counting())
    # A process killed mid-build leaves a generation the manifest never named.
    leftover = open_client(tmp_settings).create_collection(
        f"{tmp_settings.collection}_g7", metadata={"hnsw:space": "cosine"}, embedding_function=None)
    leftover.add(ids=["96369"], embeddings=[[0.1] * 384], documents=["partial"])
    model = counting()
    report = refresh_index(tmp_settings, small_records, embeddings=model)
    assert model.embedded == 0
    assert report.collection == first.collection
    assert report.stale_removed == [f"{tmp_settings.collection}_g7"]
    assert _generations(tmp_settings) == [first.collection]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_text("{not json"), id="torn-manifest"),
        pytest.param(lambda path: path.unlink(), id="manifest-deleted"),
        pytest.param(
            lambda path: path.write_text(json.dumps({**json.loads(path.read_text()), "active": "codes_g42"})),
            id="manifest-names-missing-collection",
        ),
        pytest.param(
            lambda path: path.write_text(json.dumps({**json.loads(path.read_text()), "embedding_key": "other|v0"})),
            id="other-embedding-model",
        ),
    ],
)
def test_unusable_manifest_means_a_full_rebuild(tmp_settings, small_records, counting, damage):
    refresh_index(tmp_settings, small_records, embeddings=counting())
    damage(manifest_path(tmp_settings))
    model = counting()
    report = refresh_index(tmp_settings, small_records, embeddings=model)
    assert model.embedded == 6
    assert _generations(tmp_settings) == [report.collection]
    assert Manifest.load(manifest_path(tmp_settings)).active == report.collection


def test_empty_corpus_builds_an_empty_index_that_finds_nothing(tmp_settings, counting):
    retriever = build_retriever(tmp_settings, Corpus([]), embeddings=counting())
    assert retriever.search("subq", k=3) == []
    assert retriever.index_report.total == 0


def test_building_and_searching_attempt_no_network_connection(tmp_settings, small_records, real_embeddings,
                                                              monkeypatch):
    """Stronger than the suite's guard (whose refusals a background thread could swallow): record every attempt."""
    import socket

    attempts: list[object] = []
    guarded_connect = socket.socket.connect

    def recording_connect(self, address):
        attempts.append(address)
        return guarded_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    retriever = build_retriever(tmp_settings, Corpus(small_records), embeddings=real_embeddings)
    retriever.search("subq pump", k=3)
    retriever.search("what is 96360", k=3, family="hydration")
    remote = [address for address in attempts if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1")]
    assert remote == []


def test_a_running_retriever_follows_a_refresh_made_elsewhere(tmp_settings, small_records, counting):
    """`python -m assistant index` while the app runs deletes the app's generation; its searches keep working."""
    running = build_retriever(tmp_settings, Corpus(small_records), embeddings=counting())
    old = running.index_report.collection
    changed = [r.model_copy(update={"lay_terms": [*r.lay_terms, "fluid bolus"]}) if r.code == "96360" else r
               for r in small_records]
    report = refresh_index(tmp_settings, changed, embeddings=counting())
    assert report.collection != old and _generations(tmp_settings) == [report.collection]
    assert running.search("hizentra", k=1)[0].code == "J1559"
    assert running.index_report.collection == report.collection


def test_switching_generations_leaves_no_orphan_vector_folders(tmp_settings, small_records, counting):
    """Chroma leaves a deleted collection's HNSW folder behind (chroma-core/chroma#5259); the refresh sweeps it."""
    import re

    def segment_folders() -> set[str]:
        root = tmp_settings.resolved_data_dir / "index"
        return {p.name for p in root.iterdir() if p.is_dir() and re.fullmatch(r"[0-9a-f-]{36}", p.name)}

    refresh_index(tmp_settings, small_records, embeddings=counting())
    after_first = segment_folders()
    for round_number in range(3):
        changed = [r.model_copy(update={"title": f"{r.title} v{round_number}"}) if r.code == "96360" else r
                   for r in small_records]
        refresh_index(tmp_settings, changed, embeddings=counting())
    assert len(segment_folders()) <= max(1, len(after_first))
