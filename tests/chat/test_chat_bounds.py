"""Bounds at the edge of the model (issue 24 items 2, 3 and 5): every number the reader reads has a sane range
(assistant/units/limits.py); outside it the answer is a units answer with no codes saying so, never route
`error`, and it does not poison later turns through the history. History is cut before reading, so reading work
grows at most linearly with what a client sends (counted in characters read, not by the clock)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.chat import parse as parse_module
from assistant.chat.reading.spans import read
from assistant.units.limits import MAX_NUMBER_DIGITS, RANGES

REPO = Path(__file__).resolve().parents[2]
VISIT = int(RANGES["visit_minutes"].high)


@pytest.mark.parametrize(
    ("text", "out_of_range"),
    [
        pytest.param("item " + "9" * MAX_NUMBER_DIGITS, False, id="14-digits-read"),
        pytest.param("item " + "9" * (MAX_NUMBER_DIGITS + 1), True, id="15-digits-refused"),
        pytest.param("9" * 400 + " minutes", True, id="400-nines-refused"),
        pytest.param(f"{VISIT} minutes", False, id="a-month-of-minutes-read"),
        pytest.param(f"{VISIT + 1} minutes", True, id="past-a-month-refused"),
        pytest.param("99999999999 minutes", True, id="11-nines-minutes-refused"),
        pytest.param("1000000000 mg", False, id="a-billion-mg-read"),
        pytest.param("1000000001 mg", True, id="past-a-billion-mg-refused"),
        pytest.param("x1000 pushes", False, id="1000-pushes-read"),
        pytest.param("x1001 pushes", True, id="1001-pushes-refused"),
        pytest.param(" ".join(["million"] * 60) + " minutes", False, id="number-words-never-overflow"),
    ],
)
def test_reading_flags_numbers_outside_their_range(text: str, out_of_range: bool) -> None:
    problems = [problem for problem in read(text).problems if problem.kind == "out_of_range"]
    assert bool(problems) == out_of_range, read(text).problems


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("rituxan 99999999999 minutes", id="issue-repro-rituxan"),
        pytest.param("9" * 400 + " minutes", id="issue-repro-400-nines"),
        pytest.param("subq " + "9" * 5000 + " hours", id="5000-nines"),
        pytest.param("zofran x 9999999999999999 pushes", id="huge-count"),
        pytest.param("rituxan 99999999999999999999999 mg", id="huge-dose"),
        pytest.param("99291 99999999999 min", id="code-minutes"),
    ],
)
def test_out_of_range_answers_units_with_no_codes(assistant: Any, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.route == "units" and answer.codes == [], answer.answer
    assert "outside the range" in answer.answer or "longer than a day" in answer.answer, answer.answer
    follow = assistant.ask("how do I code 2.5 hours subq", history=[{"role": "user", "content": question},
                                                                     {"role": "assistant", "content": answer.answer}])
    assert follow.route == "units" and {line.code for line in follow.codes} >= {"96369", "96370"}, follow.answer


def _reading_work(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Characters handed to the question reader, per call (the work a turn costs)."""
    seen: list[int] = []
    real = parse_module.parse_question

    def counting(text: str) -> Any:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(parse_module, "parse_question", counting)
    return seen


@pytest.mark.parametrize("turn", ["96369 " * 40_000, "subq 60 min " * 10], ids=["240kb-turn", "short-turns"])
def test_history_reading_work_is_linear_and_capped(assistant: Any, monkeypatch: pytest.MonkeyPatch, turn: str):
    """Doubling the history at most doubles the reading work; past the cap it does not grow at all."""
    seen = _reading_work(monkeypatch)
    limit, cap = assistant.settings.max_question_chars, assistant.settings.max_history_turns
    work = {}
    for turns in (1, 2, 4, 8, 16, 32, 64):
        seen.clear()
        history = [{"role": "user", "content": f"{turn} {n}"} for n in range(turns)]
        answer = assistant.ask("how about 90 minutes", history=history)
        assert answer.route != "error"
        # Each turn is read once (the cap's turns and the question), and a follow-up that changes the last visit
        # reads the revised visit once more (chat/followup_visit.py, itself cut at the question's limit).
        assert seen and all(chars <= limit for chars in seen) and len(seen) <= cap + 2
        work[turns] = sum(seen)
    for turns in (2, 4, 8, 16, 32, 64):
        assert work[turns] <= 2 * work[turns // 2]
    assert work[64] == work[32]  # capped


def test_worst_inputs_in_a_subprocess_stay_small_and_fast(tmp_path: Path) -> None:
    """The repros of issue 24 (4 GB in 26 s; a 240 KB history in 85 s) asked in a fresh process under a memory
    ceiling (2 GB of address space beyond the start) and a generous time limit: all answered, none an error."""
    script = r"""
import json, resource, sys
from assistant import Assistant
from assistant.settings import Settings
from assistant.units.encounter import Administration, Encounter, code_encounter
assistant = Assistant.from_settings(Settings())
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
questions = ["rituxan 99999999999 minutes", "9" * 400 + " minutes", "subq " + "9" * 5000 + " hours",
             "rituxan " + " ".join(["million"] * 200) + " minutes", "96369 " * 40000]
routes = [assistant.ask(q).route for q in questions]
history = [{"role": "user", "content": "96369 " * 40000}] * 40
routes.append(assistant.ask("how about 90 minutes", history=history).route)
big = Encounter(setting="facility", administrations=[Administration(substance="rituximab", route="iv_infusion",
                                                                   minutes=100000000)])
routes.append("asked" if code_encounter(big).questions else "coded")
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024
print(json.dumps({"routes": routes, "grown_mb": grown}))
"""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}

    def ceiling() -> None:  # the child's address space: what a fast, small answer needs, with a wide margin
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (6 * 1024**3, 6 * 1024**3))

    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=environment, capture_output=True, text=True,
                          timeout=300, preexec_fn=ceiling)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in report["routes"] and report["routes"][-1] == "asked", report
    assert report["grown_mb"] < 500, report
