"""Run-time offline switches. Imported before anything that could reach a model hub."""

from __future__ import annotations

import os

_OFFLINE_ENV = {
    # Never download weights or tokenizers: the model comes from an installed package.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    # Gradio otherwise makes DNS look-ups in background threads.
    "GRADIO_ANALYTICS_ENABLED": "False",
    # Chroma's product telemetry.
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def ensure_offline() -> None:
    """Set the offline switches unless the operator set them explicitly."""
    for name, value in _OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


ensure_offline()
