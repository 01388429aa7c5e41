"""Optional rephrasing by a language model (off by default: `settings.llm_model`).

The model sees only our finished answer, never the user's question, so instructions typed into a question cannot
reach it. It may change wording only: the rephrased text must still contain every code of the answer's `codes`,
every "CODE xN" unit count unchanged, and no code the original text did not name; otherwise the original is kept.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from assistant.contract import Answer
from assistant.corpus.codes import find_codes

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "You rewrite answers for medical coders so they read naturally. Keep the Markdown. Keep every code, every "
    "'CODE xN' unit count, every number, every source and every warning exactly as written. Do not add codes, "
    "units, rules or advice. Reply with the rewritten answer only."
)

_UNIT_COUNT = re.compile(r"\b([A-Z]?\d{4}[0-9A-Z]?) x(\d+)\b")


def load_chat_model(model_id: str) -> Any | None:
    """A LangChain chat model for `model_id` via `init_chat_model`, or None (logged) when it cannot be built.

    `init_chat_model` lives in the `langchain` package, which is not a core dependency: without it the
    assistant answers with its own wording.
    """
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:
        log.warning("ASSISTANT_LLM_MODEL=%s is set but the 'langchain' package is not installed; "
                    "answers are not rephrased", model_id)
        return None
    try:
        return init_chat_model(model_id)
    except Exception:  # noqa: BLE001 (a bad model id must not stop the assistant)
        log.exception("could not load the rephrasing model %s; answers are not rephrased", model_id)
        return None


def keeps_facts(original: Answer, text: str) -> bool:
    """True when `text` keeps every code of `original.codes` with its "CODE xN" count, changes no count,
    and names no code the original text did not name."""
    if not text.strip():
        return False
    required = {line.code for line in original.codes}
    allowed = set(find_codes(original.answer)) | required
    codes_after = set(find_codes(text))
    if not required <= codes_after or not codes_after <= allowed:
        return False
    for line in original.codes:
        if line.units is not None and f"{line.code} x{line.units}" not in text:
            return False
    # No unit count may change or appear: the set of "CODE xN" pairs is identical.
    return set(_UNIT_COUNT.findall(original.answer)) == set(_UNIT_COUNT.findall(text))


def rephrase(model: Any, answer: Answer) -> Answer:
    """`answer` with its text rephrased by `model` when the facts survive; otherwise `answer` unchanged."""
    from langchain_core.messages import HumanMessage, SystemMessage

    try:
        reply = model.invoke([SystemMessage(content=INSTRUCTIONS), HumanMessage(content=answer.answer)])
    except Exception:  # noqa: BLE001 (the model is optional: any failure keeps our wording)
        log.exception("rephrasing failed; keeping the original answer")
        return answer
    text = reply.content if isinstance(reply.content, str) else str(reply.content)
    if not keeps_facts(answer, text):
        log.info("rephrased text dropped or changed a code or unit count; keeping the original answer")
        return answer
    return answer.model_copy(update={"answer": text if text.endswith("\n") else text + "\n"})
