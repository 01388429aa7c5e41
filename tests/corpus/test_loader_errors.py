"""Malformed corpus files: each mistake is a CorpusError naming the file, the line, the record and the field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from assistant.corpus.loader import CorpusError, load_records

GOOD = """\
- code: "96369"
  system: CPT
  family: drug_administration
  title: Subcutaneous infusion, first hour
  description: A drug runs under the skin by pump for the first hour. Set-up is included.
  lay_terms: [subq, SCIG]
  time_rule: subq_infusion
- code: "96370"
  system: CPT
  family: drug_administration
  title: Subcutaneous infusion, each further hour
  description: Add-on for each further hour of subcutaneous infusion. It needs more than 30 minutes.
  add_on_to: ["96369"]
  time_rule: subq_infusion
"""


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_good_file_loads(tmp_path: Path) -> None:
    _write(tmp_path, "family.yaml", GOOD)
    records = load_records(tmp_path)
    assert [r.code for r in records] == ["96369", "96370"]
    assert records[1].add_on_to == ["96369"]


# (id, file text, expected line, expected record label, expected field, a phrase of the message)
CASES = [
    pytest.param(GOOD.replace("  family: drug_administration\n  title: Subcutaneous infusion, first hour\n",
                              "  title: Subcutaneous infusion, first hour\n", 1),
                 1, "96369", "family", "Field required", id="missing-field"),
    pytest.param(GOOD.replace("lay_terms: [subq, SCIG]", "lay_terms: subq"),
                 6, "96369", "lay_terms", "valid list", id="wrong-type"),
    pytest.param(GOOD.replace("time_rule: subq_infusion\n- code", "time_rule: subq_infusion\n  colour: blue\n- code"),
                 8, "96369", "colour", "unknown field", id="unknown-field"),
    pytest.param(GOOD.replace("Add-on for each further hour of subcutaneous infusion. It needs more than 30 minutes.",
                              "Too short."),
                 12, "96370", "description", "at least 20 characters", id="too-short-description"),
    pytest.param(GOOD + GOOD.split('- code: "96370"')[0],
                 15, "96369", "code", "already defined in", id="duplicate-code-same-file"),
    pytest.param(GOOD.replace('add_on_to: ["96369"]', 'add_on_to: ["96365"]'),
                 13, "96370", "add_on_to", "96365 is not in the corpus", id="dangling-add-on"),
    pytest.param(GOOD.replace("time_rule: subq_infusion\n- code", "time_rule: subq_infusions\n- code"),
                 7, "96369", "time_rule", "unknown time rule", id="unknown-time-rule"),
    pytest.param(GOOD.replace('code: "96369"', 'code: "J1559"', 1).replace('["96369"]', '["J1559"]'),
                 1, "J1559", "code", "does not look like a CPT code", id="code-not-of-its-system"),
    pytest.param(GOOD.replace('- code: "96370"\n  system: CPT\n', "- system: CPT\n"),
                 8, "#2 (no code)", "code", "Field required", id="missing-code-named-by-index"),
    pytest.param(GOOD.replace("  lay_terms: [subq, SCIG]\n", "  lay_terms: [subq, SCIG]\n  lay_terms: [pump]\n"),
                 7, None, None, "duplicate key 'lay_terms'", id="duplicate-key"),
    pytest.param(GOOD.replace("lay_terms: [subq, SCIG]", "lay_terms: [subq, SCIG"),
                 7, None, None, "not valid YAML", id="bad-yaml"),
    pytest.param(GOOD.replace('add_on_to: ["96369"]', 'add_on_to: ["96370"]'),
                 13, "96370", "add_on_to", "its own primary", id="add-on-to-itself"),
]


@pytest.mark.parametrize(("text", "line", "record", "field", "phrase"), CASES)
def test_malformed_record_names_file_line_record_and_field(
    tmp_path: Path, text: str, line: int, record: str | None, field: str | None, phrase: str
) -> None:
    path = _write(tmp_path, "drug_administration.yaml", text)
    with pytest.raises(CorpusError) as caught:
        load_records(tmp_path)
    error = caught.value
    message = str(error)
    assert error.file.endswith("drug_administration.yaml") and str(path.name) in message
    assert error.line == line and f"line {line}" in message
    assert error.record == record
    if record is not None:
        assert f"record {record}" in message
    assert error.field == field
    if field is not None:
        assert f"field '{field}'" in message
    assert phrase in message


def test_duplicate_code_across_files_names_both_files(tmp_path: Path) -> None:
    _write(tmp_path, "a_first.yaml", GOOD)
    second = GOOD.split("- code: \"96370\"")[0]
    _write(tmp_path, "b_second.yaml", second)
    with pytest.raises(CorpusError) as caught:
        load_records(tmp_path)
    message = str(caught.value)
    assert "b_second.yaml, line 1, record 96369: field 'code'" in message
    assert "already defined in" in message and "a_first.yaml, line 1" in message


def test_add_on_may_point_into_another_file(tmp_path: Path) -> None:
    first, second = GOOD.split("- code: \"96370\"")
    _write(tmp_path, "a.yaml", first)
    _write(tmp_path, "b.yaml", "- code: \"96370\"" + second)
    assert [r.code for r in load_records(tmp_path)] == ["96369", "96370"]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        pytest.param("", "the file is empty", id="empty-file"),
        pytest.param("code: '96369'\n", "should be a YAML list of records", id="mapping-not-list"),
        pytest.param("- just a string\n", "should be a mapping of fields", id="record-not-mapping"),
    ],
)
def test_file_shape_errors_name_the_file(tmp_path: Path, text: str, phrase: str) -> None:
    _write(tmp_path, "family.yaml", text)
    with pytest.raises(CorpusError, match=phrase) as caught:
        load_records(tmp_path)
    assert "family.yaml" in str(caught.value)


def test_missing_corpus_directory(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_records(tmp_path / "nowhere")


def test_error_is_a_value_error(tmp_path: Path) -> None:
    _write(tmp_path, "family.yaml", "- [")
    with pytest.raises(ValueError):
        load_records(tmp_path)
