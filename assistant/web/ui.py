"""The chat page: a Gradio chatbot over `Assistant.ask`, with payer and setting selectors.

The answer's Markdown already holds the code table, the rule applied, its sources and warnings: the page renders
it as is and never re-derives codes or units. Nothing is stored: no flagging, no saved history, no analytics.

Stateless on purpose (issue 13 item 5): a turn is ONE request (`queue=False`) whose inputs are the question, the
conversation as the browser shows it, and the selectors; no `gr.State`, no multi-step event chain. Any app process
behind the proxy can answer any turn, so `uvicorn --workers N` needs no sticky sessions.
The user's own words are shown as text, never as HTML or Markdown (`escape_user_text`, item 4).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import gradio as gr

from assistant.contract import CareSetting, Message, Payer
from assistant.settings import Settings
from assistant.web.encounter import build_encounter_tab  # the Encounter tab (issue 11, ENC)
from assistant.web.page_script import PAGE_SCRIPT
from assistant.web.shape import READING_MARK, answer_text, render_reading, shape_answer
from assistant.web.text import escape_user_text, unescape_user_text

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
#ca-header { padding: 0 2px; }
#ca-header h1 { font-size: 1.45rem; font-weight: 650; margin: 0; letter-spacing: -0.01em; line-height: 1.25; }
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
/* Compact top (issue 20 item 1): the title and its line on one row, each selector's title, help and choices on one
   row, so the chat gets the window's height. */
#ca-header .prose { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 14px; padding: 0 !important;
                    margin: 0 !important; }
#ca-chat-tab { padding-top: 6px !important; }
#ca-counter:not(:has(p)) { display: none !important; }
#ca-options .form { flex-wrap: wrap !important; }
#ca-options fieldset { display: flex !important; flex-wrap: wrap; align-items: center; gap: 4px 10px;
                       padding: 6px 10px !important; }
#ca-options fieldset > [data-testid="block-info"] { margin: 0 !important; }
#ca-options fieldset > .info-text { display: none !important; }  /* said in the chat's placeholder instead */
#ca-chat-tab, #ca-chat-tab > .column, #ca-chat-tab > div { gap: 8px !important; }
.gradio-container .main.app { padding-top: 6px !important; padding-bottom: 4px !important; }
/* The answer's own controls (issue 20): first line (how the turn was read), toolbar, collapsed details. */
.ca-hidden { display: none !important; }
#ca-chatbot .ca-turn { margin: 0 0 6px 0; color: var(--body-text-color-subdued); font-size: 0.9rem; }
#ca-chatbot .ca-tools, #ca-enc-result .ca-tools { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
#ca-chatbot .ca-tools button, #ca-chatbot .ca-turn button, #ca-enc-result .ca-tools button {
  border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 2px 10px; font-size: 0.85rem;
  background: var(--button-secondary-background-fill); color: var(--button-secondary-text-color); cursor: pointer; }
#ca-chatbot .ca-tools button:hover, #ca-chatbot .ca-turn button:hover { border-color: var(--color-accent); }
.ca-details summary { cursor: pointer; color: var(--body-text-color-subdued); }
/* Encounter tab: the Chat tab's no-break rules in the result; the table's columns never shrink to one letter. */
#ca-enc-result table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
#ca-enc-result th, #ca-enc-result td { word-break: normal !important; overflow-wrap: normal !important; hyphens: none; }
#ca-enc-result th, #ca-enc-result td:first-child, #ca-enc-result code { white-space: nowrap; }
#ca-enc-result td { min-width: 3.5em; }
#ca-enc-table th, #ca-enc-table th * { white-space: nowrap !important; word-break: keep-all !important; }
#ca-enc-table th, #ca-enc-table td { min-width: 5.5em; }
#ca-enc-table .table-wrap, #ca-enc-table .table-container { overflow-x: auto !important; }
/* Phone width: the selectors' titles and help lines are hidden and their choices wrap onto a second line when
   they must, so no choice is ever cut off (issue 20 item 5). */
@media (max-width: 640px) {
  #ca-header h1 { font-size: 1.05rem; }
  #ca-header p { display: none; }
  #ca-options { gap: 2px !important; padding: 2px !important; }
  #ca-options .form { gap: 2px !important; flex-direction: row !important; flex-wrap: wrap !important; }
  #ca-header { padding-top: 0 !important; }
  #ca-options fieldset { min-width: 0 !important; flex: 0 0 auto !important; width: auto !important;
                         padding: 2px !important;
                         overflow: visible !important; }
  #ca-disclaimer p { font-size: 0.7rem; line-height: 1.25; }
  #ca-chatbot td:last-child { min-width: 8em; }
  #ca-chatbot th, #ca-chatbot td { padding: 4px 6px !important; }
  #ca-chatbot .message-content { font-size: 0.92rem; }
  #ca-options [data-testid="block-info"], #ca-options .info-text { display: none !important; }
  #ca-options .wrap { flex-wrap: wrap !important; gap: 3px !important; }
  #ca-options label { padding: 3px 6px !important; font-size: 0.78rem !important; white-space: nowrap; }
  #ca-options input[type="radio"] { position: absolute; opacity: 0; width: 1px; height: 1px; }
  #ca-enc-options { flex-wrap: wrap !important; }
  #ca-enc-options > * { min-width: 0 !important; flex: 1 1 100% !important; }
  #ca-enc-add { flex-wrap: wrap !important; }
  #ca-enc-add > * { min-width: 40% !important; flex: 1 1 40% !important; }
}
"""

# Page-level CSS that Gradio's `css` cannot reach (it scopes custom rules inside the app's content): at phone width
# the page's side padding shrinks from 32 px to 6 px so answers get the width.
HEAD = """<style>@media (max-width: 640px) {
  .gradio-container .main.app { padding-left: 6px !important; padding-right: 6px !important; }
}</style>""" + PAGE_SCRIPT

# The chat fills the window (or the portal's iframe) below the header, selectors and input box (issue 20 item 1).
CHAT_HEIGHT = "max(72vh, calc(100dvh - 270px))"

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
            text = answer_text(text)  # the first line, toolbar and reading trail the page added are cut off
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
        # A selector left at the configured default is sent as no choice, so the trail says "CPT rules (the
        # default)" rather than "as chosen"; the answer is the same either way.
        payer = None if payer == settings.default_payer else payer
        setting = None if setting == settings.default_setting else setting
        answer = answer_of(text, shown, payer, setting)
        notice = ""
        if len(text) > limit:
            # The Assistant answers the first `limit` characters and warns in the answer; the page says it too.
            notice = (f"**Your message had {len(text):,} characters; only the first {limit:,} were read.** "
                      "Ask the rest as a new question.")
        earlier = any(message.role == "user" for message in history_messages(shown))
        shown = [without_redo(item) for item in shown]  # only the newest answer can be asked the other way
        shown.append({"role": "user", "content": escape_user_text(text)})
        shown.append({"role": "assistant", "content": shape_answer(answer, earlier)})
        return "", shown, notice

    def ask_again(history: list[Any] | None, payer: Payer | None, setting: CareSetting | None,
                  as_new: bool) -> list[Any]:
        """The newest question answered the other way (issue 20 item 7): as a new question (no history), or read
        with the earlier question (the reader's own follow-up cue "and" in front of the words typed)."""
        shown = list(history or [])
        messages = history_messages(shown)
        if len(messages) < 2 or messages[-1].role != "assistant" or messages[-2].role != "user":
            return shown
        question = messages[-2].content
        earlier = messages[:-2]
        payer = None if payer == settings.default_payer else payer
        setting = None if setting == settings.default_setting else setting
        if as_new:
            answer = assistant.ask(question, [], payer or None, setting or None)
        else:
            answer = assistant.ask("and " + question, earlier, payer or None, setting or None)
        shown[-1] = {"role": "assistant", "content": shape_answer(answer, any(m.role == "user" for m in earlier))}
        return shown

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
                placeholder="Ask about units, a code, or whether two codes can be billed together. Words in the "
                            "question (\"medicare\", \"facility\") win over the Rules and Setting choices.",
                examples=[{"text": question} for question in EXAMPLE_QUESTIONS],
                # Gradio's copy button copies the raw Markdown (escapes, HTML): each answer carries its own Copy
                # codes and Copy buttons instead (shape.toolbar, page_script.PAGE_SCRIPT).
                buttons=[],
                autoscroll=False,  # the page script scrolls each new answer to its first line, not to the bottom
                feedback_options=None,
                latex_delimiters=[],  # "$" in a drug price is money, not math
                sanitize_html=True,
                elem_id="ca-chatbot",
                height=CHAT_HEIGHT,
                max_height=None,
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
            # The one-click "ask as a new question" / "read it with the earlier question" under the newest answer
            # clicks one of these (hidden by CSS, still in the page for the script to click).
            for elem_id, as_new in (("ca-ask-new", True), ("ca-ask-followup", False)):
                hidden = gr.Button(elem_id, elem_id=elem_id, elem_classes=["ca-hidden"])
                hidden.click(lambda h, p, s, new=as_new: ask_again(h, p, s, new), [chatbot, payer, setting], [chatbot],
                             api_visibility="private", **{k: v for k, v in common.items() if k != "api_visibility"})

        build_encounter_tab(assistant, settings.default_setting)
    return page


_REDO_BUTTON = re.compile(r' <button type="button" class="ca-redo[^>]*>.*?</button>')


def without_redo(item: Any) -> Any:
    """An earlier answer without its ask-again button (only the newest answer can be asked the other way)."""
    if isinstance(item, dict) and item.get("role") == "assistant":
        return {**item, "content": _REDO_BUTTON.sub("", _text_of(item.get("content")), count=1)}
    return item


# The page's text helpers, re-exported where the tests and other modules have always imported them.
__all__ = ["CSS", "HEAD", "READING_MARK", "THEME", "TITLE", "build_chat", "escape_user_text", "history_messages",
           "render_reading", "unescape_user_text", "without_redo"]
