"""How the chat page shows one answer (issue 20): the codes first, the details collapsed under them, a toolbar
(Copy codes, Copy), the follow-up control on the first line, and the reading trail in coders' words.

Pure functions from an `Answer` to the Markdown/HTML the chatbot renders. The answer's text is never re-derived:
codes and units come from the answer (its Markdown and `codes`), only their arrangement on the page changes. What
the page adds is marked so `ui.history_messages` can take it off again when the conversation comes back.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from assistant.chat.answers import code_table, codes_line, public_citation
from assistant.contract import CodeLine
from assistant.units import FAMILY_NAMES
from assistant.web.text import escape_user_text

# The markers of what the page adds around an answer; cut off again when a turn comes back.
READING_MARK = '\n\n<details class="ca-reading">'
TOOLS_MARK = '\n\n<div class="ca-tools">'
TURN_MARK = '<p class="ca-turn">'
_TURN_LINE = re.compile(re.escape(TURN_MARK) + r".*?</p>\n\n", re.S)
# The router's own follow-up note: the page says it on the first line instead, with the button to undo it.
FOLLOWUP_NOTE = "_Read as a follow-up to your earlier question._"

# Each reading step's kind as a coder would name it (the API keeps the ids; the page shows these).
KIND_LABELS: dict[str, str] = {
    "duration": "Time", "clock_range": "Clock times", "clock_time": "Clock time", "dose": "Dose", "count": "Count",
    "code": "Code", "route": "Route", "negation": "Not used", "weight": "Weight", "body_surface_area": "Body surface",
    "rate": "Rate", "problem": "Could not read", "service": "Service", "follow_up": "Follow-up", "payer": "Rules",
    "setting": "Setting",
}
# Route ids of the reader (chat/reading/vocabulary.py ROUTES values) in coders' words.
ROUTE_WORDS: dict[str, str] = {
    "iv_push": "IV push", "iv_infusion": "IV infusion", "im": "intramuscular (IM)", "sc": "subcutaneous (SQ)",
    "sc_infusion": "subcutaneous infusion", "injection": "injection", "intralesional": "intralesional",
    "intrathecal": "intrathecal",
}
_FROM = {"the default": "the default", "from your words": "from your words", "your words": "from your words",
         "from the request": "as chosen on the page", "the request": "as chosen on the page"}


def _step_part(step: Any, name: str) -> str:
    value = step.get(name) if isinstance(step, dict) else getattr(step, name, None)
    return "" if value is None else str(value)


def plain_value(kind: str, value: str) -> str:
    """A reading step's value in coders' words: "iv_push" -> "IV push", "CPT: the default" -> "CPT rules (the
    default)", "subq_infusion, 150 minutes" -> "subcutaneous infusion, 150 minutes". Anything else as it is."""
    if kind == "route":
        return ROUTE_WORDS.get(value, value.replace("_", " "))
    if kind in ("payer", "setting") and ": " in value:
        name, source = value.split(": ", 1)
        name = f"{name} rules" if kind == "payer" else f"{name} claim"
        return f"{name} ({_FROM.get(source, source)})"
    if kind == "service":
        head, _, rest = value.partition(", ")
        head = FAMILY_NAMES.get(head, ROUTE_WORDS.get(head, head.replace("_", " ")))
        return head + (f", {rest}" if rest else "")
    if kind == "clock_range":
        return "clock times " + value
    return value


def render_reading(answer: Any) -> str:
    """READ's `Answer.reading` (steps of kind, text as typed, value) as a collapsed "How I read your question"
    block in coders' words, every part escaped; empty when the answer carries no reading."""
    steps = getattr(answer, "reading", None) or []
    lines = []
    for step in steps:
        kind, text, value = (_step_part(step, name) for name in ("kind", "text", "value"))
        if not (kind or text or value):
            continue
        label = escape_user_text(KIND_LABELS.get(kind, kind.replace("_", " ")))
        words = f" \u201c{escape_user_text(text)}\u201d" if text else ""
        shown = escape_user_text(plain_value(kind, value))
        lines.append(f"- **{label}**{words}" + (f": {shown}" if shown else ""))
    if not lines:
        return ""
    return READING_MARK + "<summary>How I read your question</summary>\n\n" + "\n".join(lines) + "\n\n</details>"


def read_as_followup(answer: Any) -> bool:
    return any(_step_part(step, "kind") == "follow_up" for step in getattr(answer, "reading", None) or [])


def turn_line(followup: bool) -> str:
    """The first line of an answer given after an earlier question: how the turn was read, and the one click that
    reads it the other way (the page's hidden #ca-ask-new / #ca-ask-followup buttons do it)."""
    if followup:
        said, label, target = "Read as a follow-up to your earlier question.", "Ask as a new question", "ca-ask-new"
    else:
        said, label, target = "Read as a new question.", "Read it with the earlier question", "ca-ask-followup"
    # Classes, not data attributes: the chat's HTML sanitizer keeps classes and drops data-*.
    return f'{TURN_MARK}<em>{said}</em> <button type="button" class="ca-redo {target}">{label}</button></p>\n\n'


def _details_title(rest: str, warnings: int) -> str:
    parts = []
    if "**The visit as I read it:**" in rest:
        parts.append("the visit as read")
    if "**Rule applied" in rest:
        parts.append("rule applied")
    if "**Sources:**" in rest:
        parts.append("sources")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings > 1 else ''}")
    if not parts:
        return "Details"
    return "Details: " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])


COMPACT_HEADER = "| Code | Units | What it is |"


def codes_first(text: str, warnings: int = 0, codes: Sequence[CodeLine] = ()) -> str:
    """A units answer with its lead, its short italic notes and its code table in view, and everything else (the
    visit table, rule, sources, warnings) collapsed under the codes. A wide code table (the encounter's lines with
    why and source) stays in the details, and the billable lines of `codes` are shown as the compact table in its
    place, so the codes fit the window even on a phone. Unchanged when it has no code table."""
    blocks = [block for block in text.strip().split("\n\n") if block.strip()]
    table = next((i for i, block in enumerate(blocks) if i and any(
        line.startswith("| Code |") for line in block.splitlines())), None)
    if table is None:
        return text
    billed = [line for line in codes if line.units]
    wide = COMPACT_HEADER not in blocks[table].splitlines()
    visible = code_table(billed) if wide and billed else blocks[table]
    shown = [blocks[0]] + [b for b in blocks[1:table] if b.startswith("_")] + [visible]
    rest = [b for i, b in enumerate(blocks)
            if i and (i != table or visible != blocks[table]) and (i >= table or not b.startswith("_"))]
    if not rest:
        return text
    folded = "\n\n".join(rest)
    return ("\n\n".join(shown) + f'\n\n<details class="ca-details"><summary>{_details_title(folded, warnings)}'
            f"</summary>\n\n{folded}\n\n</details>\n")


def toolbar(answer: Any, copy_answer: bool = True) -> str:
    """Copy codes (one clean line: "96369 x1, 96370 x1") when the answer has billable lines, and Copy (the answer
    as plain text, copied by the page's script from what is shown; the chat's answers only)."""
    line = codes_line(getattr(answer, "codes", None) or [])
    # The line is shown next to its button (the sanitizer drops data-* attributes; seeing it helps anyway).
    codes = (f'<button type="button" class="ca-copy-codes">Copy codes</button> <code class="ca-codes">'
             f"{html.escape(line)}</code> " if line else "")
    copy = '<button type="button" class="ca-copy-answer">Copy</button>' if copy_answer else ""
    return TOOLS_MARK + codes + copy + "</div>"


def shape_answer(answer: Any, earlier: bool) -> str:
    """The answer as the chat shows it; `earlier` = the conversation already had a question."""
    text = answer.answer.replace("\n\n" + FOLLOWUP_NOTE, "").replace(FOLLOWUP_NOTE + "\n\n", "")
    text = public_citation(text)  # never an internal note id in what a coder reads (issue 20 item 3)
    if answer.route == "units" and any(line.units for line in answer.codes):
        text = codes_first(text, len(answer.warnings), answer.codes)
    first = turn_line(read_as_followup(answer)) if earlier else ""
    return first + text.rstrip() + toolbar(answer) + render_reading(answer)


def answer_text(shown: str) -> str:
    """The answer's own text from what the chat shows (the first line, toolbar and trail taken off)."""
    text = _TURN_LINE.sub("", shown, count=1) if shown.startswith(TURN_MARK) else shown
    for mark in (TOOLS_MARK, READING_MARK):
        text = text.split(mark, 1)[0]
    return text


__all__ = ["READING_MARK", "answer_text", "codes_first", "plain_value", "render_reading", "shape_answer",
           "toolbar", "turn_line"]
