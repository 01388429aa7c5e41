"""Every case in eval/encounter_cases.yaml (>= 60, each citing its source) codes exactly as expected."""

from __future__ import annotations

from typing import Any

import pytest

from eval.encounters import CATEGORIES, load_cases, run_case

CASES = load_cases()


def test_there_are_at_least_60_cases_with_sources_and_unique_ids() -> None:
    assert len(CASES) >= 60
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert case["source"].strip(), case["id"]
        assert case["category"] in CATEGORIES, case["id"]
    settings = {case["encounter"]["setting"] for case in CASES}
    assert settings == {"facility", "professional"}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(case: dict[str, Any]) -> None:
    outcome = run_case(case)
    if outcome.expected is None:
        assert outcome.questions and not outcome.got
    else:
        assert not outcome.questions, outcome.questions
        assert outcome.got == outcome.expected
