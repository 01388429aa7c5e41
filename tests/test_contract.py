"""The `ask` contract: models, Python API and CLI behave as documented in the README."""

from __future__ import annotations

import io
import json

import pytest
from pydantic import ValidationError

from assistant.cli import run_jsonl
from assistant.contract import Answer, AskRequest


class _EchoAssistant:
    """Records what the JSONL loop passes through, so the loop is tested apart from the router."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def ask(self, question, history=None, payer=None, setting=None) -> Answer:
        self.calls.append((question, history, payer, setting))
        return Answer(route="help", answer=f"echo: {question}")


def test_answer_json_has_exactly_the_contract_fields():
    answer = Answer(route="units", answer="Report 96369 x1.", codes=[{"code": "96369", "units": 1}])
    # issue 10 item 6 added `reading` (how the question was read); nothing else in the contract changed
    assert set(json.loads(answer.model_dump_json())) == {"route", "answer", "codes", "citations", "warnings", "reading"}
    assert answer.reading == []
    assert answer.codes[0].description == ""


def test_answer_rejects_an_unknown_route():
    with pytest.raises(ValidationError):
        Answer(route="guess", answer="")


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"question": "x", "payer": "aetna"}, id="unknown-payer"),
        pytest.param({"question": "x", "setting": "home"}, id="unknown-setting"),
        pytest.param({"question": "x", "history": [{"role": "system", "content": "y"}]}, id="system-role"),
        pytest.param({"history": []}, id="no-question"),
    ],
)
def test_request_rejects_malformed_payloads(payload):
    with pytest.raises(ValidationError):
        AskRequest.model_validate(payload)


def test_jsonl_answers_every_line_in_order_and_survives_invalid_json():
    requests = "\n".join(
        [
            json.dumps({"question": "first", "payer": "medicare"}),
            "{not json",
            json.dumps({"question": "third", "history": [{"role": "user", "content": "first"}]}),
        ]
    )
    out = io.StringIO()
    echo = _EchoAssistant()
    assert run_jsonl(echo, io.StringIO(requests + "\n"), out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["route"] for line in lines] == ["help", "error", "help"]
    assert lines[0]["answer"] == "echo: first" and lines[2]["answer"] == "echo: third"
    assert "line 2" in lines[1]["answer"]
    assert echo.calls[0][2] == "medicare"
    assert echo.calls[1][1][0].content == "first"


def test_jsonl_rejects_a_request_with_an_unknown_payer_as_an_error_line():
    out = io.StringIO()
    run_jsonl(_EchoAssistant(), io.StringIO(json.dumps({"question": "q", "payer": "aetna"}) + "\n"), out)
    assert json.loads(out.getvalue())["route"] == "error"
