"""The CLI as a user runs it: one real process per test (slow-ish: each loads the assistant once)."""

from __future__ import annotations

import json
import subprocess
import sys

from assistant.settings import REPO_ROOT


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin, capture_output=True, text=True, cwd=REPO_ROOT, timeout=300,
    )


def test_ask_jsonl_prints_one_json_line_per_request_including_invalid_json():
    stdin = "\n".join([json.dumps({"question": "what is 96369"}), "not json {", json.dumps({"question": ""})])
    result = _run("ask", "--jsonl", stdin=stdin + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[1]["route"] == "error"
    assert lines[2]["route"] == "help"
    assert all(set(line) == {"route", "answer", "codes", "citations", "warnings", "reading"} for line in lines)


def test_ask_json_prints_one_contract_object():
    result = _run("ask", "   ", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["route"] == "help"


def test_ask_without_question_or_jsonl_is_a_usage_error():
    result = _run("ask")
    assert result.returncode == 2
    assert "QUESTION" in result.stderr
