"""The Chroma vector index of the corpus: incremental, and never half-built while serving.

Design (docs/retrieval.md has the operator's view):

- Collections are *generations* named `<prefix>_g<N>` (prefix = `Settings.collection`). A small JSON manifest
  under `data_dir/index/` names the active generation and the content hash of every record in it.
- A refresh compares the corpus's content hashes with the manifest. Nothing changed: nothing is embedded or
  written. Something changed: the next generation is built aside, copying the stored vectors of unchanged records
  from the active generation (no re-embedding) and embedding only new or changed records; then the manifest is
  replaced atomically (`os.replace`) and the old generation is deleted.
- A crash while building leaves the old manifest pointing at the old, complete generation, which keeps serving.
  A half-built generation left behind by a hard crash is deleted by the next refresh.
- The same code runs against an embedded on-disk Chroma (`data_dir/index`) or a Chroma server
  (`ASSISTANT_CHROMA_HOST`/`ASSISTANT_CHROMA_PORT`). The manifest always lives in the local `data_dir`, so one
  assistant instance (or one `python -m assistant index`) should own a collection prefix on a shared server.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import assistant.offline  # noqa: F401  (offline switches before chromadb and the model load)
from assistant.corpus.loader import load_corpus
from assistant.corpus.records import CodeRecord
from assistant.retrieval.embeddings import embedding_key, embeddings_for, record_metadata, record_text

if TYPE_CHECKING:
    import chromadb
    from langchain_core.embeddings import Embeddings

    from assistant.corpus.loader import Corpus
    from assistant.settings import Settings

INDEX_DIRNAME = "index"
# Chroma refuses adds above `client.get_max_batch_size()` (5,461 here); 1,000 keeps every call well inside it.
CHUNK_SIZE = 1000
# Records embedded (and added) per step: at 30-150 records/s on 2 cores the progress bar moves every 0.5-2 s.
EMBED_CHUNK = 64
# Progress of a refresh as (stage, done, total): "copying", "loading the model", "embedding", "switching", "done".
ProgressHook = Callable[[str, int, int], None]
COSINE = {"hnsw:space": "cosine"}


class IndexBuildError(RuntimeError):
    """The vector index cannot be built or opened; the message says what to do."""


@dataclass
class IndexReport:
    """What one refresh did: how many records were embedded, copied unchanged, deleted, and how long it took."""

    collection: str
    embedded: int
    reused: int
    deleted: int
    total: int
    seconds: float
    rebuilt: bool = False
    stale_removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the refresh switched to a new generation."""
        return bool(self.embedded or self.deleted or self.rebuilt) or self.total != self.reused

    def __str__(self) -> str:
        if not self.changed:
            return (f"Index {self.collection} is up to date: {self.total} records, nothing embedded "
                    f"({self.seconds:.2f} s).")
        how = "rebuilt" if self.rebuilt else "refreshed"
        return (
            f"Index {how} as {self.collection}: {self.total} records ({self.embedded} embedded, {self.reused} "
            f"reused, {self.deleted} deleted) in {self.seconds:.2f} s."
        )


@dataclass
class Manifest:
    """The active generation and the content hash of every record stored in it."""

    prefix: str
    active: str
    generation: int
    embedding_key: str
    hashes: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> Manifest | None:
        """The manifest at `path`, or None when there is none or it cannot be read (then the index is rebuilt)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                prefix=str(data["prefix"]), active=str(data["active"]), generation=int(data["generation"]),
                embedding_key=str(data["embedding_key"]), hashes={str(k): str(v) for k, v in data["hashes"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, path: Path) -> None:
        """Write the manifest atomically: readers see the old file or the new one, never a torn one."""
        payload = json.dumps(
            {"prefix": self.prefix, "active": self.active, "generation": self.generation,
             "embedding_key": self.embedding_key, "hashes": self.hashes},
            sort_keys=True,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def index_dir(settings: Settings) -> Path:
    """`data_dir/index`: the embedded Chroma files, the manifest and the refresh lock."""
    path = settings.resolved_data_dir / INDEX_DIRNAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def manifest_path(settings: Settings) -> Path:
    """The manifest of this collection prefix (and server, in server mode)."""
    if settings.chroma_host:
        safe_host = re.sub(r"[^A-Za-z0-9.-]", "_", settings.chroma_host)
        return index_dir(settings) / f"manifest-{settings.collection}@{safe_host}_{settings.chroma_port}.json"
    return index_dir(settings) / f"manifest-{settings.collection}.json"


def open_client(settings: Settings) -> chromadb.ClientAPI:
    """A Chroma client: a server when `chroma_host` is set, otherwise embedded on disk under `data_dir/index`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    token = getattr(settings, "chroma_token", None)
    if settings.chroma_host and token is not None:
        # Issue 24: the server is behind a token check (docs/security.md); Chroma's own client sends the token.
        chroma_settings = ChromaSettings(
            anonymized_telemetry=False,
            chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
            chroma_client_auth_credentials=token.get_secret_value(),
            chroma_auth_token_transport_header="X-Chroma-Token",
        )
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as error:  # chromadb raises plain exceptions (ValueError, httpx errors) when unreachable
            raise IndexBuildError(
                f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({error}); "
                "start it with `chroma run --path DIR --host HOST --port PORT` or unset ASSISTANT_CHROMA_HOST"
            ) from error
    return chromadb.PersistentClient(path=str(index_dir(settings)), settings=chroma_settings)


def _generations(client: chromadb.ClientAPI, prefix: str) -> dict[str, int]:
    """Every collection of this prefix that looks like a generation, with its number."""
    pattern = re.compile(rf"{re.escape(prefix)}_g(\d+)")
    found: dict[str, int] = {}
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        match = pattern.fullmatch(name)
        if match:
            found[name] = int(match.group(1))
    return found


def _chunks(items: Sequence[Any], size: int = CHUNK_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@contextlib.contextmanager
def _refresh_lock(settings: Settings) -> Iterator[None]:
    """One refresh at a time per data directory (two processes starting together would race on generations)."""
    lock_path = index_dir(settings) / f".{settings.collection}.lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


_UUID_DIR = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def sweep_orphan_segments(settings: Settings) -> list[str]:
    """Delete the vector-segment folders of deleted collections from the embedded store; returns their names.

    Chroma 1.x removes a deleted collection from its catalogue but leaves its HNSW folder
    (`data_dir/index/<segment-uuid>/`) on disk (chroma-core/chroma issue #5259), so every generation switch would
    leak one folder. Live segments are read from Chroma's catalogue (read-only); if that cannot be read, nothing
    is deleted. Server mode is left to the server.
    """
    if settings.chroma_host:
        return []
    root = index_dir(settings)
    try:
        import sqlite3

        with contextlib.closing(sqlite3.connect(f"file:{root / 'chroma.sqlite3'}?mode=ro", uri=True)) as db:
            live = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
    except Exception:  # an unknown catalogue layout: keep everything rather than guess
        return []
    removed: list[str] = []
    for child in root.iterdir():
        if child.is_dir() and _UUID_DIR.fullmatch(child.name) and child.name not in live:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed


def active_collection(settings: Settings) -> str | None:
    """The name of the generation currently serving, per the manifest (None before the first build)."""
    manifest = Manifest.load(manifest_path(settings))
    return manifest.active if manifest is not None else None


def _usable_active(client: chromadb.ClientAPI, manifest: Manifest | None, key: str, gens: dict[str, int]) -> str | None:
    """The manifest's active generation if it can be reused: same model and text layout, present and complete."""
    if manifest is None or manifest.embedding_key != key or manifest.active not in gens:
        return None
    try:
        count = client.get_collection(manifest.active, embedding_function=None).count()
    except Exception:  # deleted behind our back or unreadable: treat as absent and rebuild
        return None
    return manifest.active if count == len(manifest.hashes) else None


def refresh_index(
    settings: Settings,
    corpus: Corpus | Sequence[CodeRecord],
    progress: bool = False,
    *,
    rebuild: bool = False,
    embeddings: Embeddings | None = None,
    on_progress: ProgressHook | None = None,
) -> IndexReport:
    """Bring the index in line with `corpus`, embedding only new or changed records, and report what it did.

    Unchanged corpus: nothing is embedded or written (and the model is not loaded). Otherwise a new generation is
    built aside and switched to atomically; on any error the previous generation stays active and the exception
    propagates. `rebuild=True` re-embeds every record (still aside, then switch). `embeddings` defaults to the
    model the settings name. The progress bar (`progress`) and `on_progress(stage, done, total)` name the stage:
    copying unchanged vectors, loading the model, embedding N of M, switching.
    """
    started = time.perf_counter()
    records = list(corpus)
    wanted = {record.code: record.content_hash() for record in records}
    by_code = {record.code: record for record in records}
    key = embedding_key(settings)
    prefix = settings.collection
    path = manifest_path(settings)

    with _refresh_lock(settings):
        client = open_client(settings)
        gens = _generations(client, prefix)
        manifest = Manifest.load(path)
        active = _usable_active(client, manifest, key, gens)
        stale = [name for name in gens if name != active]
        for name in stale:  # half-built generations from a crash, or a generation the manifest no longer names
            with contextlib.suppress(Exception):
                client.delete_collection(name)

        if active is not None and not rebuild and manifest is not None and manifest.hashes == wanted:
            if stale:
                sweep_orphan_segments(settings)
            return IndexReport(active, 0, len(wanted), 0, len(wanted), time.perf_counter() - started,
                               stale_removed=stale)

        old_hashes = manifest.hashes if (active is not None and manifest is not None and not rebuild) else {}
        reuse = [code for code, digest in wanted.items() if old_hashes.get(code) == digest]
        to_embed = [code for code in wanted if old_hashes.get(code) != wanted[code]]
        deleted = sum(1 for code in old_hashes if code not in wanted)
        last_generation = max([*gens.values(), manifest.generation if manifest is not None else 0])
        generation = last_generation + 1
        name = f"{prefix}_g{generation}"

        from tqdm import tqdm

        bar = tqdm(total=len(wanted), unit="rec", desc=f"index {name}", disable=not progress)
        stage = _Stages(bar, name, len(wanted), on_progress)
        try:
            target = client.create_collection(name=name, metadata=COSINE, embedding_function=None)
            if active is not None and reuse:
                stage("copying")
                source = client.get_collection(active, embedding_function=None)
                missing = _copy_vectors(source, target, reuse, by_code, stage)
                to_embed.extend(missing)  # vectors the old generation should have had but did not: embed them
            if to_embed:
                model = embeddings if embeddings is not None else embeddings_for(settings)
                if not getattr(model, "loaded", True):
                    stage("loading the model")
                    model.load()  # type: ignore[attr-defined]
                stage("embedding")
                _embed_into(target, model, [by_code[code] for code in to_embed], stage)
            if target.count() != len(wanted):
                raise IndexBuildError(f"generation {name} holds {target.count()} vectors, expected {len(wanted)}")
            stage("switching")
        except BaseException:
            with contextlib.suppress(Exception):  # best effort; otherwise the next refresh deletes it
                client.delete_collection(name)
            bar.close()
            raise

        Manifest(prefix=prefix, active=name, generation=generation, embedding_key=key, hashes=wanted).save(path)
        if active is not None:
            with contextlib.suppress(Exception):  # left behind, it is a stale generation the next refresh deletes
                client.delete_collection(active)
        sweep_orphan_segments(settings)
        stage("done")
        bar.close()
        embedded = len(to_embed)
        return IndexReport(name, embedded, len(wanted) - embedded, deleted, len(wanted),
                           time.perf_counter() - started, rebuilt=rebuild, stale_removed=stale)


class _Stages:
    """Names the refresh's stage on the progress bar ("index codes_g2: embedding") and tells `on_progress`."""

    def __init__(self, bar: Any, name: str, total: int, hook: ProgressHook | None) -> None:
        self.bar = bar
        self.name = name
        self.total = total
        self.hook = hook
        self.stage = "starting"
        self.done = 0

    def __call__(self, stage: str) -> None:
        self.stage = stage
        self.bar.set_description(f"index {self.name}: {stage}")
        self.bar.refresh()
        if self.hook is not None:
            self.hook(stage, self.done, self.total)

    def update(self, count: int) -> None:
        self.done += count
        self.bar.update(count)
        if self.hook is not None:
            self.hook(self.stage, self.done, self.total)


def _copy_vectors(
    source: chromadb.Collection, target: chromadb.Collection, codes: list[str], by_code: dict[str, CodeRecord],
    bar: _Stages,
) -> list[str]:
    """Copy the stored vectors of unchanged records into the new generation; returns codes that had no vector."""
    missing: list[str] = []
    for chunk in _chunks(codes):
        got = source.get(ids=list(chunk), include=["embeddings"])
        vectors = dict(zip(got["ids"], got["embeddings"], strict=True))
        present = [code for code in chunk if code in vectors]
        missing.extend(code for code in chunk if code not in vectors)
        if present:
            target.add(
                ids=present,
                embeddings=[vectors[code] for code in present],
                metadatas=[record_metadata(by_code[code]) for code in present],
                documents=[record_text(by_code[code]) for code in present],
            )
        bar.update(len(present))
    return missing


def _embed_into(target: chromadb.Collection, model: Embeddings, records: list[CodeRecord], bar: _Stages) -> None:
    """Embed `records` and add them to the new generation, EMBED_CHUNK at a time, shortest texts first.

    Sorting the whole set by length (not only within one `encode` call, as sentence-transformers does) puts texts
    of like length in each batch, so little of a batch is padding: the build keeps pace with the raw encode rate.
    """
    texts_of = {record.code: record_text(record) for record in records}
    ordered = sorted(records, key=lambda record: (len(texts_of[record.code]), record.code))
    for chunk in _chunks(ordered, EMBED_CHUNK):
        texts = [texts_of[record.code] for record in chunk]
        vectors = model.embed_documents(texts)
        target.add(
            ids=[record.code for record in chunk],
            embeddings=vectors,
            metadatas=[record_metadata(record) for record in chunk],
            documents=texts,
        )
        bar.update(len(chunk))


def open_store(settings: Settings, collection: str, embeddings: Embeddings | None = None) -> Any:
    """A LangChain `Chroma` vector store over an existing generation (it is never created here)."""
    from langchain_chroma import Chroma

    return Chroma(
        client=open_client(settings),
        collection_name=collection,
        embedding_function=embeddings if embeddings is not None else embeddings_for(settings),
        collection_metadata=COSINE,
        create_collection_if_not_exists=False,
    )


def refresh_from_settings(settings: Settings, progress: bool = True, rebuild: bool = False) -> IndexReport:
    """Load the corpus the settings name (bundled records plus imported overlays) and refresh its index.

    Used by `python -m assistant index` and `make run`; shows a progress bar when `progress` is true.
    """
    return refresh_index(settings, load_corpus(settings), progress=progress, rebuild=rebuild)
