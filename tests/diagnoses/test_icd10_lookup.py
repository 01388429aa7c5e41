"""ICD-10-CM look-ups: a verdict for every shape (billable, not billable with its billable codes and 7th
character, invalid with the nearest valid code), and the notes that change coding."""

from __future__ import annotations

import pytest

from assistant.corpus.icd10 import Icd10CodeSet, normalize_icd10


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("E11.9", "E11.9", id="dotted"),
        pytest.param("e119", "E11.9", id="no-dot-lower-case"),
        pytest.param(" I10 ", "I10", id="category-spaces"),
        pytest.param("S72.001A", "S72.001A", id="seventh-character"),
        pytest.param("T36.0X1A", "T36.0X1A", id="placeholder-x"),
        pytest.param("96413", None, id="cpt-is-not-icd"),
        pytest.param("U07.1", "U07.1", id="u-code-covid"),
        pytest.param("E11.99999", None, id="too-long"),
    ],
)
def test_normalize(typed: str, expected: str | None) -> None:
    assert normalize_icd10(typed) == expected


@pytest.mark.parametrize(
    ("typed", "status", "level"),
    [
        pytest.param("E11.9", "billable", "code", id="billable-subcategory-leaf"),
        pytest.param("I10", "billable", "code", id="billable-three-character"),
        pytest.param("B20", "billable", "code", id="category-that-is-also-a-block"),
        pytest.param("U07.1", "billable", "code", id="special-purpose-u-code"),
        pytest.param("S72.001A", "billable", "code", id="billable-with-7th"),
        pytest.param("T36.0X1A", "billable", "code", id="billable-with-placeholder"),
        pytest.param("E11", "not_billable", "category", id="category"),
        pytest.param("E11.6", "not_billable", "subcategory", id="subcategory"),
        pytest.param("S72.001", "not_billable", "subcategory", id="needs-7th"),
        pytest.param("E11.99", "invalid", "", id="invalid-extension"),
        pytest.param("Z99.999", "invalid", "", id="invalid"),
    ],
)
def test_verdict_for_every_shape(icd10: Icd10CodeSet, typed: str, status: str, level: str) -> None:
    verdict = icd10.lookup(typed)
    assert (verdict.status, verdict.level) == (status, level)


def test_not_billable_category_names_its_billable_codes(icd10: Icd10CodeSet) -> None:
    verdict = icd10.lookup("E11")
    children = [code for code, _ in verdict.billable_children]
    assert children and all(code.startswith("E11.") and icd10.is_billable(code) for code in children)
    assert verdict.billable_count > len(children)  # E11 has more billable codes than are shown


def test_seventh_character_is_named_when_required(icd10: Icd10CodeSet) -> None:
    verdict = icd10.lookup("S72.001")
    sevenths = dict(verdict.seventh_characters)
    assert sevenths["A"].startswith("initial encounter for closed fracture")
    assert "S72.001A" in dict(verdict.billable_children)
    assert icd10.lookup("E11").seventh_characters == ()


def test_invalid_code_names_the_nearest_valid_one(icd10: Icd10CodeSet) -> None:
    assert icd10.lookup("E11.99").nearest == "E11.9"
    assert icd10.lookup("E11.99").description == ""


@pytest.mark.parametrize(
    ("code", "note", "contains"),
    [
        pytest.param("E11.9", "excludes1", "type 1 diabetes mellitus (E10.-)", id="e11-excludes1-inherited"),
        pytest.param("E11.9", "use_additional", "Z79.4", id="e11-use-additional-insulin"),
        pytest.param("E08.9", "code_first", "underlying condition", id="e08-code-first"),
        pytest.param("I10", "excludes1", "O10-O11", id="i10-excludes1"),
    ],
)
def test_notes_that_change_coding(icd10: Icd10CodeSet, code: str, note: str, contains: str) -> None:
    value = getattr(icd10.lookup(code).notes, note)
    text = " ".join(value) if isinstance(value, tuple) else value
    assert contains in text


def test_billable_entries_cover_the_whole_code_set(icd10: Icd10CodeSet) -> None:
    entries = list(icd10.billable_entries())
    assert len(entries) > 74_000
    assert all(icd10.is_billable(e.code) for e in entries[:: 997])
    high_blood_pressure = next(e for e in entries if e.code == "I10")
    assert "high blood pressure" in high_blood_pressure.terms
