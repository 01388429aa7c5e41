"""`eval/chat_cases.yaml` runs inside `make test` (issue 10): every conversation, 0 misses required."""

from __future__ import annotations

import pytest

from eval.chat import DEFAULT_CASES, check_case, load_cases

CASES = load_cases(DEFAULT_CASES)


@pytest.mark.parametrize("case", [pytest.param(case, id=case["id"]) for case in CASES])
def test_chat_case(assistant, case: dict) -> None:
    _, problems = check_case(assistant, case)
    assert not problems, "\n".join(problems)
