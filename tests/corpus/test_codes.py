"""Codes typed in free text: CPT/HCPCS found exactly; ICD-10-CM only in its dotted form."""

import pytest

from assistant.corpus.codes import find_codes, find_icd10_codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("what is 96369", ["96369"], id="cpt"),
        pytest.param("CPT 96370? and j1559", ["96370", "J1559"], id="cpt-and-lowercase-hcpcs"),
        pytest.param("subq 2.5 hours", [], id="decimal-is-not-a-code"),
        pytest.param("B12 1000mcg", [], id="dose-is-not-a-code"),
        pytest.param("0591T and 3008F", ["0591T", "3008F"], id="category-iii-and-ii"),
        pytest.param("96369 96369", ["96369"], id="no-duplicates"),
    ],
)
def test_find_codes(text: str, expected: list[str]):
    assert find_codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("what is K92.2", ["K92.2"], id="dotted"),
        pytest.param("e11.65 and I10", ["E11.65"], id="undotted-i10-is-not-claimed"),
        pytest.param("J1559 100 mg", [], id="hcpcs-is-not-icd10"),
    ],
)
def test_find_icd10_codes(text: str, expected: list[str]):
    assert find_icd10_codes(text) == expected
