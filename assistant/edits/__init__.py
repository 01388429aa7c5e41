"""NCCI procedure-to-procedure (PTP) edits and Medically Unlikely Edits (MUE) in SQLite: import and look up.

A leaf library: it imports nothing else of ours but the shared vocabulary (`assistant.units.vocabulary`; see
docs/architecture.md and docs/edits.md).
"""

from assistant.edits.lookup import ClaimEdits, EditsTables, other_setting
from assistant.edits.models import (
    AOC_TYPE_MEANINGS,
    MAI_MEANINGS,
    MODIFIER_INDICATOR_MEANINGS,
    TABLE_LABELS,
    AddOnEdit,
    MueEntry,
    NotLoadedError,
    PtpEdit,
    describe_mai,
    describe_modifier_indicator,
    table_for,
)
from assistant.edits.schema import FILENAME
from assistant.edits.store import EditsStore, normalize_code
from assistant.units.vocabulary import SETTINGS, Setting  # the claim setting, declared once

__all__ = [
    "AOC_TYPE_MEANINGS",
    "FILENAME",
    "SETTINGS",
    "TABLE_LABELS",
    "AddOnEdit",
    "ClaimEdits",
    "EditsTables",
    "other_setting",
    "Setting",
    "table_for",
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
