"""One dose given in parts is counted once (a wrong unit count is the worst bug): "rocephin 1 g IM split into 2
injections" is J0696 x4 (250 mg per unit), never x8; "x2" with a dose is two doses (each administration has the dose
typed with it). The injection lines follow the count either way (CPT 96372 per injection)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("question", "drug_units"), [
    pytest.param("rocephin 1 g IM split into 2 injections, 500 mg in each glute", 4, id="split-into-parts"),
    pytest.param("rocephin 1 g IM divided into 2 injections", 4, id="divided"),
    pytest.param("rocephin 1 g IM x2", 8, id="two-doses"),
])
def test_a_split_dose_is_counted_once(assistant, question: str, drug_units: int) -> None:
    lines = {line.code: line.units for line in assistant.ask(question).codes}
    assert lines.get("J0696") == drug_units
