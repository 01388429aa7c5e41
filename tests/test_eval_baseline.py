"""The committed evaluation baseline (eval/baseline.json) holds: no score of eval.chat, eval.encounters or
eval.retrieval drops below it. The file changes only in a commit that says why (eval/baseline.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.baseline import BASELINE, chat_scores, drops, encounter_scores, load_baseline, retrieval_scores, rises

SUITES = ("eval.chat", "eval.encounters", "eval.retrieval")


@pytest.fixture(scope="module")
def baseline() -> dict[str, dict[str, float]]:
    return load_baseline(BASELINE)


def test_the_baseline_names_every_suite_with_scores(baseline: dict[str, dict[str, float]]) -> None:
    assert set(baseline) == set(SUITES)
    for suite in SUITES:
        scores = {name: value for name, value in baseline[suite].items() if name != "cases"}
        assert baseline[suite]["cases"] > 0 and scores, suite
        assert all(0 <= value <= 1 for value in scores.values()), suite


# --- the comparison, both sides of each boundary -------------------------------------------------------------------
BASE = {"eval.retrieval": {"cases": 100, "fused_hit1": 0.97, "fused_mrr": 0.98}}


@pytest.mark.parametrize(
    ("measured", "dropped"),
    [
        pytest.param({"cases": 100, "fused_hit1": 0.97, "fused_mrr": 0.98}, [], id="equal"),
        pytest.param({"cases": 90, "fused_hit1": 0.99, "fused_mrr": 0.99}, [], id="higher-fewer-cases"),
        pytest.param({"cases": 100, "fused_hit1": 0.9699, "fused_mrr": 0.98},
                     ["eval.retrieval fused_hit1: 0.9699 < baseline 0.97"], id="one-step-lower"),
        pytest.param({"cases": 100, "fused_hit1": 0.97}, ["eval.retrieval fused_mrr: no longer measured "
                                                           "(baseline 0.98)"], id="score-gone"),
        pytest.param({"cases": 100, "fused_hit1": 0.970004, "fused_mrr": 0.98}, [], id="rounding-noise"),
    ],
)
def test_drops_are_reported(measured: dict[str, float], dropped: list[str]) -> None:
    assert drops(BASE, {"eval.retrieval": measured}) == dropped


def test_rises_are_reported_not_failed() -> None:
    measured = {"eval.retrieval": {"cases": 100, "fused_hit1": 0.99, "fused_mrr": 0.98}}
    assert rises(BASE, measured) == ["eval.retrieval fused_hit1: 0.99 > baseline 0.97"]
    assert drops(BASE, measured) == []


def test_a_missing_baseline_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_baseline(tmp_path / "baseline.json")


# --- the measurements against the committed file ---------------------------------------------------------------------
def _holds(suite: str, measured: dict[str, float], baseline: dict[str, dict[str, float]]) -> None:
    assert measured["cases"] > 0
    dropped = drops(baseline, {suite: measured})
    assert not dropped, ("scores dropped below eval/baseline.json (fix the regression, or change the baseline in a "
                         "commit that says why):\n" + "\n".join(dropped))


def test_encounter_scores_hold_the_baseline(baseline: dict[str, dict[str, float]]) -> None:
    _holds("eval.encounters", encounter_scores(), baseline)


def test_chat_scores_hold_the_baseline(assistant, baseline: dict[str, dict[str, float]]) -> None:
    _holds("eval.chat", chat_scores(assistant), baseline)


def test_retrieval_scores_hold_the_baseline(assistant, baseline: dict[str, dict[str, float]]) -> None:
    _holds("eval.retrieval", retrieval_scores(assistant.retriever, assistant.corpus), baseline)
