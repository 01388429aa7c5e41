"""A question's visit is read once per answer (chat/visit_reading.py): the encounter hooks, the units route and the
answer's reading trail share one reading, so the trail shows exactly the services the engine coded.

A spy wraps the real `read_services` wherever a module of the project holds it, and counts the texts it reads during
one `Assistant.ask` (bundled corpus, no embedding model).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from assistant.chat.assistant import Assistant
from assistant.chat.parse import parse_question
from assistant.chat.reading import services as reading_services
from assistant.chat.visit_reading import VisitReading
from assistant.corpus.loader import load_corpus
from assistant.edits import FILENAME, EditsStore
from assistant.settings import REPO_ROOT, Settings


@pytest.fixture(scope="module")
def coder(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    settings = Settings(data_dir=tmp_path_factory.mktemp("read-once") / "data", corpus_dir=REPO_ROOT / "corpus")
    return Assistant(settings, load_corpus(settings), None, EditsStore(Path(settings.resolved_data_dir) / FILENAME))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts read into services, in order: every project module holding the real reader gets the spy, so a new
    caller that bypasses the answer's reading is counted too."""
    real = reading_services.read_services
    texts: list[str] = []

    def spy(text: str, *args, **kwargs):
        texts.append(text)
        return real(text, *args, **kwargs)

    holders = [module for name, module in list(sys.modules.items())
               if name.startswith("assistant.") and getattr(module, "read_services", None) is real]
    assert any(module.__name__ == "assistant.chat.visit_reading" for module in holders)
    for module in holders:
        monkeypatch.setattr(module, "read_services", spy)
    return texts


ANSWERS = [
    # (id, earlier turns, question, route, texts read): one reading per text, whatever the route.
    pytest.param([], "subq infusion 2 hours", "units", 1, id="units-route"),
    pytest.param([], "NS 0900-1000 and zofran IVP 0905, facility", "units", 1, id="encounter-with-times"),
    pytest.param([], "IVP toradol then IVP zofran", "units", 1, id="encounter-without-times"),
    pytest.param([], "hydration 26 hours", "units", 1, id="visit-over-a-day"),
    pytest.param([], "what is 96372", "lookup", 1, id="lookup-trail-only"),
    pytest.param([], "can 96365 and 96372 be billed together", "edits", 1, id="edits-trail-only"),
    pytest.param([], "asdf qwerty", "help", 1, id="help-trail-only"),
    pytest.param([], "how does the 8 minute rule work", "guideline", 1, id="guideline"),
    # The follow-up reader reads the earlier visit to change it; the changed visit is then read once.
    pytest.param(["subq infusion 2 hours"], "what about 3 hours?", "units", 2, id="follow-up-revised-visit"),
    # The rule name is re-read without its number for the count; the trail reads the words as typed: two texts.
    pytest.param([], "8 minute rule for 38 minutes of 97110", "units", 2, id="rule-name-re-read"),
]


@pytest.mark.parametrize(("earlier", "question", "route", "texts"), ANSWERS)
def test_each_text_is_read_once_per_answer(coder: Assistant, reads: list[str], earlier: list[str], question: str,
                                           route: str, texts: int) -> None:
    answer = coder.ask(question, history=[{"role": "user", "content": turn} for turn in earlier])
    assert answer.route == route
    assert len(reads) == texts
    assert Counter(reads).most_common(1)[0][1] == 1, reads
    assert answer.reading  # the trail was written, from the same reading


def test_nothing_is_kept_between_answers(coder: Assistant, reads: list[str]) -> None:
    """The reading belongs to one answer: the same question asked again is read again (no cache that grows)."""
    for _ in range(2):
        assert coder.ask("zofran IVP 0900 and toradol IVP 0910").route == "units"
    assert reads == ["zofran IVP 0900 and toradol IVP 0910"] * 2


def test_visit_reading_reads_a_text_once_and_hands_out_copies(reads: list[str]) -> None:
    reading = VisitReading()
    parsed = parse_question("NS 1000-1100, toradol IVP 1105")

    def no_drugs(text: str) -> list[tuple[str, tuple[int, int], str | None]]:
        return []

    first = reading.services(parsed, no_drugs)
    first.clear()  # a caller editing its list leaves the reading alone
    again = reading.services(parsed, no_drugs)
    assert again
    assert reading.services(parse_question("NS 1000-1100, toradol IVP 1105"), no_drugs) == again  # same words
    assert reads == ["NS 1000-1100, toradol IVP 1105"]
    reading.services(parse_question("NS 1000-1130"), no_drugs)
    assert reads == ["NS 1000-1100, toradol IVP 1105", "NS 1000-1130"]
