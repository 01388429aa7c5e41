"""Self-hostable medical-coding question assistant.

`Assistant` is imported lazily so that `import assistant.units` (a pure library) loads nothing else of ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant import offline as _offline  # noqa: F401  (sets the offline switches before any model import)
from assistant.contract import Answer, AskRequest, CodeLine, Message

if TYPE_CHECKING:
    from assistant.chat.assistant import Assistant

__all__ = ["Answer", "AskRequest", "Assistant", "CodeLine", "Message"]


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from assistant.chat.assistant import Assistant

        return Assistant
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
