"""NCCI procedure-to-procedure (PTP) edits and Medically Unlikely Edits (MUE) in SQLite: import and look up.

A leaf library: it imports nothing else of ours (see docs/architecture.md and docs/edits.md).
"""

from assistant.edits.models import (
    MAI_MEANINGS,
    MODIFIER_INDICATOR_MEANINGS,
    MueEntry,
    NotLoadedError,
    PtpEdit,
    describe_mai,
    describe_modifier_indicator,
)
from assistant.edits.schema import FILENAME
from assistant.edits.store import EditsStore, normalize_code

__all__ = [
    "FILENAME",
    "MAI_MEANINGS",
    "MODIFIER_INDICATOR_MEANINGS",
    "EditsStore",
    "MueEntry",
    "NotLoadedError",
    "PtpEdit",
    "describe_mai",
    "describe_modifier_indicator",
    "normalize_code",
]
