"""The Assistant: built once from settings, answers questions through the `ask` contract.

This first version only validates input and answers with help; the router (issue 5) replaces `_answer`.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.contract import Answer, CareSetting, Message, Payer
from assistant.settings import Settings

EXAMPLE_QUESTIONS = (
    "how do I code 2.5 hours subq",
    "what is 96369",
    "code for chemo push",
    "critical care 110 minutes medicare",
)


def help_answer(reason: str = "") -> Answer:
    """An answer that explains what the assistant can do, with example questions."""
    lead = f"{reason}\n\n" if reason else ""
    examples = "\n".join(f"- {q}" for q in EXAMPLE_QUESTIONS)
    return Answer(route="help", answer=f"{lead}Ask me about codes, units and edits, for example:\n\n{examples}")


class Assistant:
    """Answers coders' questions. Build it once with `from_settings`; `ask` is cheap and deterministic."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Assistant:
        """Build everything the assistant needs (corpus, index, retriever, edits) once."""
        return cls(settings or Settings())

    def ask(
        self,
        question: str,
        history: Sequence[Message | dict] | None = None,
        payer: Payer | None = None,
        setting: CareSetting | None = None,
    ) -> Answer:
        """Answer one chat turn. Never raises for bad input: it answers with route `help` or `error`."""
        if not question or not question.strip():
            return help_answer("Your question was empty.")
        return help_answer()
