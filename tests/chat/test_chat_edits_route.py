"""Routes that read the NCCI tables, with a tiny PTP and MUE table imported into a temporary data directory.

The corpus and retriever are the session assistant's (no second model load); only the EditsStore differs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat.assistant import Assistant
from assistant.edits import EditsStore
from assistant.edits.importers import import_mue, import_ptp
from assistant.settings import Settings

MUE_CSV = """hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale
96369,1,2,Date of Service Edit: Policy,Code Descriptor / CPT Instruction
96370,3,3,Date of Service Edit: Clinical,Clinical: CMS Workgroup
96371,1,3,Date of Service Edit: Clinical,Code Descriptor / CPT Instruction
96372,4,3,Date of Service Edit: Clinical,Clinical: Data
"""
PTP_CSV = """column1,column2,modifier_indicator,ptp_edit_rationale
96369,96372,1,Misuse of column two code with column one code
96413,96360,1,Standards of medical / surgical practice
96365,96374,9,Deleted edit
"""


@pytest.fixture(scope="module")
def loaded(assistant, tmp_path_factory) -> Assistant:
    """An assistant whose data directory has the tiny MUE and PTP tables (effective quarter 2026 Q2)."""
    data_dir: Path = tmp_path_factory.mktemp("edits-data")
    mue = data_dir / "mue_practitioner_2026q2.csv"
    ptp = data_dir / "ptp_practitioner_2026q2.csv"
    mue.write_text(MUE_CSV)
    ptp.write_text(PTP_CSV)
    settings = Settings(data_dir=data_dir)
    import_mue(mue, settings, progress=False)
    import_ptp(ptp, settings, progress=False)
    store = EditsStore(data_dir / "edits.sqlite3")
    return Assistant(settings, assistant.corpus, assistant.retriever, store)


def test_ptp_edit_found_with_modifier_indicator_in_plain_words(loaded) -> None:
    answer = loaded.ask("can I bill 96369 and 96372 together")
    assert answer.route == "edits"
    assert [line.code for line in answer.codes] == ["96369", "96372"]
    assert "96369 (column 1) and 96372 (column 2), modifier indicator 1" in answer.answer
    assert "modifier such as 59" in answer.answer  # describe_modifier_indicator(1)
    assert "Misuse of column two code" in answer.answer
    assert "2026 Q2" in answer.answer
    assert answer.citations and "2026 Q2" in answer.citations[0]


def test_codes_typed_in_reverse_order_still_find_the_edit(loaded) -> None:
    answer = loaded.ask("is 96360 bundled with 96413")
    assert "96413 (column 1) and 96360 (column 2)" in answer.answer


def test_no_edit_between_codes(loaded) -> None:
    answer = loaded.ask("96369 with 99291 same day")
    assert answer.route == "edits"
    assert "No PTP edit exists between 96369, 99291 in the 2026 Q2 NCCI PTP table" in answer.answer


def test_deleted_edit_is_not_an_active_edit(loaded) -> None:
    answer = loaded.ask("96365 with 96374 same day")
    assert "No PTP edit exists" in answer.answer
    assert "deleted edit" in answer.answer


def test_edits_answer_lists_mue_of_the_codes(loaded) -> None:
    answer = loaded.ask("can I bill 96369 and 96372 together")
    assert "96369: MUE 1" in answer.answer


def test_lookup_shows_mue(loaded) -> None:
    answer = loaded.ask("MUE for 96370")
    assert answer.route == "lookup"
    assert answer.codes[0].code == "96370"
    assert "MUE 3" in answer.answer
    assert "MAI 3" in answer.answer
    assert any("MUE" in citation for citation in answer.citations)


def test_units_over_mue_warns(loaded) -> None:
    # rules.md 1: 300 minutes -> 96370 x4 (271 min reaches the fourth); the MUE of 96370 is 3.
    answer = loaded.ask("5 hours subq")
    assert answer.route == "units"
    assert {line.code: line.units for line in answer.codes} == {"96369": 1, "96370": 4}
    assert any("96370" in warning and "3" in warning and "4" in warning for warning in answer.warnings)


def test_units_within_mue_do_not_warn_about_mue(loaded) -> None:
    answer = loaded.ask("subq 2.5 hours")
    assert not any("MUE" in warning for warning in answer.warnings)


def test_health_reports_loaded_tables(loaded) -> None:
    health = loaded.health()
    assert health["edits"]["mue"] is True and health["edits"]["ptp"] is True
    assert health["edits"]["quarters"] == {"mue": "2026 Q2", "ptp": "2026 Q2"}
