"""Small stand-ins for what a chat route reads (the parsed question, the route context, the router's tables), for
tests that call one route function directly without building an Assistant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.edits import EditsStore


@dataclass
class Parsed:
    text: str
    codes: list[str] = field(default_factory=list)


@dataclass
class Context:
    payer: str = "cpt"
    setting: str = "professional"
    warnings: list[str] = field(default_factory=list)
    date_of_service: date | None = None


@dataclass
class Router:
    edits: EditsStore
    corpus: object = None
