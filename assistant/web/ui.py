"""The chat page: a Gradio chatbot over `Assistant.ask`, with payer and setting selectors.

The answer's Markdown already holds the code table, the rule applied, its sources and warnings: the page renders
it as is and never re-derives codes or units. Nothing is stored: no flagging, no saved history, no analytics.

Stateless on purpose (issue 13 item 5): a turn is ONE request (`queue=False`) whose inputs are the question, the
conversation as the browser shows it, and the selectors; no `gr.State`, no multi-step event chain. Any app process
behind the proxy can answer any turn, so `uvicorn --workers N` needs no sticky sessions.
The user's own words are shown as text, never as HTML or Markdown (`escape_user_text`, item 4).
"""

from __future__ import annotations

import html
import re
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
    "what is the 8 minute rule",
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
#ca-counter p { font-size: 0.82rem; color: var(--body-text-color-subdued); margin: 0 4px; text-align: right; }
#ca-counter:empty, #ca-counter .prose:empty { display: none; }
/* Answer tables scroll sideways instead of squeezing: a code or a header never breaks inside itself (item 7). */
#ca-chatbot table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
#ca-chatbot th, #ca-chatbot td { word-break: normal !important; overflow-wrap: normal !important; hyphens: none; }
#ca-chatbot th, #ca-chatbot td:first-child, #ca-chatbot td:nth-child(2), #ca-chatbot code { white-space: nowrap; }
#ca-chatbot td { min-width: 3.5em; }
#ca-chatbot td:last-child { min-width: 12em; }
.ca-reading summary { cursor: pointer; color: var(--body-text-color-subdued); }
/* Phone width: the two selectors collapse into one line of four compact choices (their titles and help lines are
   hidden; the chosen one is highlighted), so they never fill the screen (item 7). */
@media (max-width: 640px) {
  #ca-header h1 { font-size: 1.2rem; }
  #ca-header p { display: none; }
  #ca-options { flex-wrap: nowrap !important; gap: 2px !important; padding: 2px !important; }
  #ca-options > * { min-width: 0 !important; flex: 0 1 auto !important; padding: 2px !important;
                    overflow: visible !important; }
  #ca-options [data-testid="block-info"], #ca-options .info-text { display: none !important; }
  #ca-options .wrap { flex-wrap: nowrap !important; gap: 3px !important; }
  #ca-options label { padding: 3px 6px !important; font-size: 0.78rem !important; white-space: nowrap; }
  #ca-options input[type="radio"] { position: absolute; opacity: 0; width: 1px; height: 1px; }
}
"""

# Page-level CSS that Gradio's `css` cannot reach (it scopes custom rules inside the app's content): at phone width
# the page's side padding shrinks from 32 px to 6 px so answers get the width.
HEAD = """<style>@media (max-width: 640px) {
  .gradio-container .main.app { padding-left: 6px !important; padding-right: 6px !important; }
}</style>"""

# The markers of what the page adds under an answer (the reading trail); cut off again when a turn comes back.
READING_MARK = '\n\n<details class="ca-reading">'
# ASCII punctuation Markdown may read as syntax; "&<>" are HTML-escaped instead, quotes mean nothing in text.
_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~:;=/$%?@^,")
_MD_UNESCAPE = re.compile(r"\\([" + re.escape("".join(sorted(_MD_SPECIAL))) + r"])")


def escape_user_text(text: str) -> str:
    """The user's words as Markdown that renders exactly those words: no HTML (`<img ...>` is shown, never
    fetched), no Markdown syntax (links, images, emphasis, lists). `unescape_user_text` undoes it exactly."""
    marked = "".join("\\" + char if char in _MD_SPECIAL else char for char in text)
    return html.escape(marked, quote=False)


def unescape_user_text(shown: str) -> str:
    """The inverse of `escape_user_text`: the words as typed, from the chat's displayed history."""
    return _MD_UNESCAPE.sub(r"\1", html.unescape(shown))


def _step_part(step: Any, name: str) -> str:
    value = step.get(name) if isinstance(step, dict) else getattr(step, name, None)
    return "" if value is None else str(value)


def render_reading(answer: Any) -> str:
    """READ's `Answer.reading` (steps of kind, text as typed, value) as a collapsed "How I read your question"
    block, every part escaped; empty when the answer carries no reading."""
    steps = getattr(answer, "reading", None) or []
    lines = []
    for step in steps:
        kind, text, value = (escape_user_text(_step_part(step, name)) for name in ("kind", "text", "value"))
        if not (kind or text or value):
            continue
        words = f" \u201c{text}\u201d" if text else ""
        lines.append(f"- **{kind}**{words}" + (f": {value}" if value else ""))
    if not lines:
        return ""
    return READING_MARK + "<summary>How I read your question</summary>\n\n" + "\n".join(lines) + "\n\n</details>"



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
    """The chat's displayed history as contract `Message`s: text turns only, in order; anything else is skipped.
    User turns are un-escaped back to the words typed; the reading trail under an answer is cut off."""
    messages: list[Message] = []
    for item in history or ():
        role = item.get("role") if isinstance(item, dict) else getattr(item, "role", None)
        content = item.get("content") if isinstance(item, dict) else getattr(item, "content", None)
        text = _text_of(content)
        if role == "user":
            text = unescape_user_text(text)
        elif role == "assistant":
            text = text.split(READING_MARK, 1)[0]
        if role in ("user", "assistant") and text.strip():
            messages.append(Message(role=role, content=text))
    return messages


def counter_js(limit: int) -> str:
    """Browser-side character counter (no request per keystroke): shown from 80% of the limit, and says what is
    cut beyond it. Only numbers are written, never the text."""
    return f"""(text) => {{
      const n = (text || "").length, limit = {limit};
      if (n > limit) return `**${{n.toLocaleString("en-US")}} / ${{limit.toLocaleString("en-US")}} characters**: ` +
        `only the first ${{limit.toLocaleString("en-US")}} will be read.`;
      if (n >= 0.8 * limit) return `${{n.toLocaleString("en-US")}} / ${{limit.toLocaleString("en-US")}} characters`;
      return "";
    }}"""


def build_chat(assistant: Any, settings: Settings) -> gr.Blocks:
    """The chat page (not yet mounted): header, selectors, chat with examples, counter, disclaimer."""
    limit = settings.max_question_chars

    def answer_of(message: str, history: list[Any], payer: Payer | None, setting: CareSetting | None) -> Any:
        return assistant.ask(message, history_messages(history), payer or None, setting or None)

    def turn(message: str | None, history: list[Any] | None, payer: Payer | None,
             setting: CareSetting | None) -> tuple[str, list[Any], str]:
        """One chat turn in one request: the question, the shown conversation and the selectors in; the cleared
        box, the conversation with the new question and answer, and the cut notice out."""
        text = message if isinstance(message, str) else ""
        shown = list(history or [])
        if not text.strip():
            return "", shown, ""
        answer = answer_of(text, shown, payer, setting)
        notice = ""
        if len(text) > limit:
            # The Assistant answers the first `limit` characters and warns in the answer; the page says it too.
            notice = (f"**Your message had {len(text):,} characters; only the first {limit:,} were read.** "
                      "Ask the rest as a new question.")
        shown.append({"role": "user", "content": escape_user_text(text)})
        shown.append({"role": "assistant", "content": answer.answer + render_reading(answer)})
        return "", shown, notice

    def example_turn(history: list[Any] | None, payer: Payer | None, setting: CareSetting | None,
                     example: gr.SelectData) -> tuple[str, list[Any], str]:
        value = example.value if isinstance(example.value, dict) else {}
        return turn(str(value.get("text") or ""), history, payer, setting)

    def chat(message: str, payer: str = "", setting: str = "") -> str:
        """Answer one question (no history) with the given rules ("cpt" or "medicare") and setting ("professional"
        or "facility"); returns the answer's Markdown."""
        return answer_of(message, [], payer or None, setting or None).answer  # type: ignore[arg-type]

    with gr.Blocks(title=TITLE, fill_height=True, analytics_enabled=False) as page:
        gr.HTML(f"<h1>{TITLE}</h1><p>{SUBTITLE}</p>", elem_id="ca-header", padding=False)
        with gr.Tab("Chat", id="chat", elem_id="ca-chat-tab"):
            with gr.Row(equal_height=True, elem_id="ca-options"):
                payer = gr.Radio(
                    PAYER_CHOICES, value=settings.default_payer, label="Rules", min_width=150,
                    elem_id="ca-payer", info="Words in the question (\"medicare\") win.",
                )
                setting = gr.Radio(
                    SETTING_CHOICES, value=settings.default_setting, label="Setting", min_width=150,
                    elem_id="ca-setting", info="Professional or facility claim.",
                )
            chatbot = gr.Chatbot(
                label="Answers",
                show_label=False,
                placeholder="Ask about units, a code, or whether two codes can be billed together.",
                examples=[{"text": question} for question in EXAMPLE_QUESTIONS],
                buttons=["copy"],
                feedback_options=None,
                latex_delimiters=[],  # "$" in a drug price is money, not math
                sanitize_html=True,
                elem_id="ca-chatbot",
                min_height=420,
                scale=1,
            )
            textbox = gr.Textbox(
                placeholder="Type a message...",
                show_label=False,
                submit_btn=True,
                # No max_length: the browser would cut a long paste silently. The counter warns instead, the turn says
                # what was cut, and the body limit bounds the request.
                autofocus=True,
                elem_id="ca-input",
            )
            counter = gr.Markdown("", elem_id="ca-counter")
            gr.Markdown(DISCLAIMER, elem_id="ca-disclaimer")

            common = {"queue": False, "concurrency_limit": None, "api_visibility": "undocumented"}
            textbox.submit(turn, [textbox, chatbot, payer, setting], [textbox, chatbot, counter], **common)
            chatbot.example_select(example_turn, [chatbot, payer, setting], [textbox, chatbot, counter], **common)
            textbox.input(None, [textbox], [counter], js=counter_js(limit), queue=False, api_visibility="private")
            # For programs (gradio_client): one question, no history. Programs should prefer POST /api/ask.
            gr.api(chat, api_name="chat", queue=False, concurrency_limit=None)
        from assistant.web.encounter import build_encounter_tab  # the Encounter tab (issue 11, ENC)

        build_encounter_tab(assistant)
    return page
