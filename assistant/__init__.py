"""Self-hostable medical-coding question assistant."""

from assistant import offline as _offline  # noqa: F401  (sets the offline switches before any model import)
from assistant.chat.assistant import Assistant
from assistant.contract import Answer, AskRequest, CodeLine, Message

__all__ = ["Answer", "AskRequest", "Assistant", "CodeLine", "Message"]
