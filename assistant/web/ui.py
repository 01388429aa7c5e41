"""The chat page: a Gradio ChatInterface over `Assistant.ask`, with payer and setting selectors.

The answer's Markdown already holds the code table, the rule applied, its sources and warnings: the page renders
it as is and never re-derives codes or units. Nothing is stored: no flagging, no saved history, no analytics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gradio as gr

from assistant.contract import CareSetting, Message, Payer
from assistant.settings import Settings

TITLE = "Coding Assistant"
SUBTITLE = "Units, code look-ups and NCCI edits, with the rule and source for every answer."
DISCLAIMER = (
    "Decision support only. Answers come from coding rules and CMS tables as cited; "
    "final code selection is the coder's responsibility."
)

EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "how do I code 2.5 hours subq",
    "what is 96369",
    "critical care 110 minutes medicare",
    "can I bill 96369 and 96372 together",
    "code for chemo push",
    "ceftriaxone 1 g how many units",
)

PAYER_CHOICES: list[tuple[str, Payer]] = [("CPT", "cpt"), ("Medicare", "medicare")]
SETTING_CHOICES: list[tuple[str, CareSetting]] = [("Professional", "professional"), ("Facility", "facility")]

# System fonts only: a Google font would make every coder's browser call fonts.googleapis.com (offline, privacy).
THEME = gr.themes.Soft(
    primary_hue="blue",
    secondary_hue="slate",
    neutral_hue="slate",
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)

CSS = """
.gradio-container { max-width: 1080px !important; width: 100% !important; margin: 0 auto !important; }
#ca-header { padding: 6px 2px 0 2px; }
#ca-header h1 { font-size: 1.45rem; font-weight: 650; margin: 0; letter-spacing: -0.01em; }
#ca-header p { margin: 2px 0 0 0; color: var(--body-text-color-subdued); font-size: 0.95rem; }
#ca-disclaimer { text-align: center; }
#ca-disclaimer p { color: var(--body-text-color-subdued); font-size: 0.82rem; margin: 0; }
footer { display: none !important; }
"""


def _text_of(content: Any) -> str:
    """The text of one chat message's content (a string, or Gradio's list of typed parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, Sequence):
        return " ".join(_text_of(part) for part in content if part is not None).strip()
    return ""


def history_messages(history: Sequence[Any] | None) -> list[Message]:
    """Gradio's messages history as contract `Message`s: text turns only, in order; anything else is skipped."""
    messages: list[Message] = []
    for item in history or ():
        role = item.get("role") if isinstance(item, dict) else getattr(item, "role", None)
        content = item.get("content") if isinstance(item, dict) else getattr(item, "content", None)
        text = _text_of(content)
        if role in ("user", "assistant") and text.strip():
            messages.append(Message(role=role, content=text))
    return messages


def build_chat(assistant: Any, settings: Settings) -> gr.Blocks:
    """The chat page (not yet mounted): header, chat with examples and selectors, disclaimer."""

    def respond(message: str, history: list[Any], payer: Payer | None, setting: CareSetting | None) -> str:
        """One chat turn: the assistant's Markdown answer, unchanged."""
        return assistant.ask(message, history_messages(history), payer or None, setting or None).answer

    with gr.Blocks(title=TITLE, fill_height=True, analytics_enabled=False) as page:
        gr.HTML(f"<h1>{TITLE}</h1><p>{SUBTITLE}</p>", elem_id="ca-header", padding=False)
        with gr.Row(equal_height=True, elem_id="ca-options"):
            payer = gr.Radio(
                PAYER_CHOICES, value=settings.default_payer, label="Rules", min_width=220,
                elem_id="ca-payer", info="Words in the question (\"medicare\") win.",
            )
            setting = gr.Radio(
                SETTING_CHOICES, value=settings.default_setting, label="Setting", min_width=220,
                elem_id="ca-setting", info="Professional or facility claim.",
            )
        gr.ChatInterface(
            respond,
            chatbot=gr.Chatbot(
                label="Answers",
                show_label=False,
                placeholder="Ask about units, a code, or whether two codes can be billed together.",
                buttons=["copy"],
                feedback_options=None,
                latex_delimiters=[],  # "$" in a drug price is money, not math
                sanitize_html=True,
                elem_id="ca-chatbot",
                min_height=420,
                scale=1,
            ),
            textbox=gr.Textbox(
                placeholder="Type a message...",
                show_label=False,
                submit_btn=True,
                max_length=settings.max_question_chars,
                autofocus=True,
            ),
            additional_inputs=[payer, setting],  # already rendered above the chat, so not in an accordion
            # `None` for the selectors keeps the examples inside the empty chat and leaves the chosen rules alone.
            examples=[[question, None, None] for question in EXAMPLE_QUESTIONS],
            cache_examples=False,
            flagging_mode="never",
            save_history=False,
            analytics_enabled=False,
            api_name="chat",
            concurrency_limit=None,  # Assistant.ask is thread-safe; Gradio's thread pool bounds the work
            fill_height=True,
            autofocus=True,
        )
        gr.Markdown(DISCLAIMER, elem_id="ca-disclaimer")
    return page
