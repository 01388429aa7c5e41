"""The `ask` contract: what every front end (CLI, API, chat UI, evaluation) sends and receives.

Keep it stable: other layers, the JSON API and the evaluation sets are written against these models.
This module imports nothing from the rest of the package but the shared vocabulary (`assistant.units.vocabulary`:
`Payer` and `Setting` are declared there once and re-exported here).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.units.vocabulary import Payer, Setting

Route = Literal["units", "lookup", "search", "edits", "help", "error", "guideline"]
CareSetting = Setting  # the older name of the claim setting, kept for the front ends that import it


class Message(BaseModel):
    """One earlier turn of the conversation (OpenAI-style)."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "assistant"]
    content: str


class AskRequest(BaseModel):
    """A question with its optional conversation history, payer and setting."""

    model_config = ConfigDict(extra="forbid")

    question: str
    history: list[Message] = Field(default_factory=list)
    payer: Payer | None = None
    setting: CareSetting | None = None
    # The state (two letters or its name) whose Medicare contractor's coverage articles apply (issue 18).
    state: str | None = Field(None, max_length=40)
    # The date of service: the quarterly CMS tables (PFS, MUE, PTP) in force on it answer (issue 19). Optional.
    date_of_service: date | None = None


class CodeLine(BaseModel):
    """A code in an answer. For `units` it is a billable line; for lookup/search a ranked hit (units null)."""

    code: str
    units: int | None = None
    description: str = ""
    # Added in issue 20 (additive: old clients ignore it). The line's modifiers as they go on the claim ("JZ", "JW"),
    # in order. `code` is unchanged from before: the bare code, except the JW line of a discarded amount, which has
    # always been "J9271-JW"; `billed` joins the two without repeating a modifier.
    modifiers: list[str] = Field(default_factory=list)

    @property
    def billed(self) -> str:
        """The line as it goes on the claim: "J1745-JZ", "J9271-JW", "96369"."""
        parts = self.code.split("-")
        return "-".join([*parts, *(m for m in self.modifiers if m not in parts[1:])])


class ReadingStep(BaseModel):
    """One step of how the question was read: its kind, the words as typed, and what they were read as."""

    kind: str  # "duration" | "clock_range" | "dose" | "code" | "service" | "negation" | "payer" | "setting" ...
    text: str  # the words as typed ("" for a default)
    value: str  # what they were read as ("90 minutes", "medicare: from your words", "CPT: the default")


class Answer(BaseModel):
    """What the assistant says: Markdown text plus the structured fields a program can check."""

    route: Route
    answer: str
    codes: list[CodeLine] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    reading: list[ReadingStep] = Field(default_factory=list)  # "How I read your question" (issue 10 item 6)
