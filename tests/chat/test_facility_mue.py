"""A facility question never reads a practitioner table (issue 21 item 3).

With practitioner 96372 MUE = 4 and outpatient hospital 96372 MUE = 6 loaded, "5 IM injections, facility" had
warned "96372 x5 exceeds its MUE of 4": the units route read the practitioner table for a facility claim. The
values are test data in the CMS layouts. No model is loaded: these questions never search.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.chat.assistant import Assistant
from assistant.corpus.loader import load_corpus
from assistant.edits import FILENAME, EditsStore
from assistant.edits.importers import import_mue, import_mue_oph, import_ptp
from assistant.settings import Settings

PRACTITIONER_MUE = """hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale
96372,4,3,Date of Service Edit: Clinical,Clinical: Data
"""
HOSPITAL_MUE = """hcpcs_cpt_code,outpatient_hospital_services_mue_values,mai,mai_description,mue_rationale
96372,6,3,Date of Service Edit: Clinical,Clinical: Data
"""
PRACTITIONER_PTP = """column1,column2,modifier_indicator,ptp_edit_rationale
96374,96376,0,Misuse of Column Two code with Column One code
"""
# Reads that name no setting are practitioner reads (the store's defaults and its has_mue / has_ptp flags).
_PRACTITIONER_FLAGS = {"has_mue", "has_ptp"}


class RecordingStore:
    """The real store, noting the claim setting of every read (and any practitioner-only flag read)."""

    def __init__(self, store: EditsStore) -> None:
        self.store = store
        self.settings_read: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if name in _PRACTITIONER_FLAGS:
            self.settings_read.append("professional")
        attribute = getattr(self.store, name)
        if not callable(attribute):
            return attribute

        def recorded(*args: Any, **kwargs: Any) -> Any:
            if name in ("loaded", "mue", "ptp", "pairs", "ptp_count"):
                given = kwargs.get("setting", args[-1] if name in ("loaded", "mue") and len(args) == 2 else None)
                self.settings_read.append(given or "professional")
            return attribute(*args, **kwargs)

        return recorded


@pytest.fixture(scope="module")
def both_tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Any]:
    data_dir: Path = tmp_path_factory.mktemp("facility-mue")
    settings = Settings(data_dir=data_dir)
    (data_dir / "mue_practitioner_2026q2.csv").write_text(PRACTITIONER_MUE)
    (data_dir / "MCR_MUE_OutpatientHospitalServices_2026q2.csv").write_text(HOSPITAL_MUE)
    import_mue(data_dir / "mue_practitioner_2026q2.csv", settings, progress=False)
    import_mue_oph(data_dir / "MCR_MUE_OutpatientHospitalServices_2026q2.csv", settings, progress=False)
    (data_dir / "ptp_practitioner_2026q2.csv").write_text(PRACTITIONER_PTP)  # no hospital PTP table: never borrowed
    import_ptp(data_dir / "ptp_practitioner_2026q2.csv", settings, progress=False)
    return settings, load_corpus(settings)


def _ask(both_tables: tuple[Settings, Any], question: str) -> tuple[Any, RecordingStore]:
    settings, corpus = both_tables
    recording = RecordingStore(EditsStore(settings.resolved_data_dir / FILENAME))
    answer = Assistant(settings, corpus, None, recording).ask(question)  # type: ignore[arg-type]
    return answer, recording


def _mue_warnings(answer: Any) -> list[str]:
    return [warning for warning in answer.warnings if "MUE" in warning]


def test_five_im_injections_facility_is_within_the_hospital_mue(both_tables: tuple[Settings, Any]) -> None:
    answer, recording = _ask(both_tables, "5 IM injections, facility")
    assert {line.code: line.units for line in answer.codes} == {"96372": 5}
    assert _mue_warnings(answer) == []
    assert recording.settings_read, "the MUE table was never consulted"
    assert set(recording.settings_read) == {"facility"}


@pytest.mark.parametrize(
    ("question", "units", "limit", "table", "setting"),
    [
        pytest.param("7 IM injections, facility", 7, 6, "outpatient hospital MUE table", "facility", id="facility-7"),
        pytest.param("5 IM injections", 5, 4, "practitioner MUE table", "professional", id="professional-5"),
    ],
)
def test_units_over_the_settings_mue_warn_with_its_table(
    both_tables: tuple[Settings, Any], question: str, units: int, limit: int, table: str, setting: str
) -> None:
    answer, recording = _ask(both_tables, question)
    assert {line.code: line.units for line in answer.codes} == {"96372": units}
    warnings = _mue_warnings(answer)
    assert len(warnings) == 1
    assert f"96372 x{units} exceeds its MUE of {limit}" in warnings[0] and table in warnings[0]
    assert set(recording.settings_read) == {setting}


@pytest.mark.parametrize(
    ("question", "limit", "setting"),
    [
        pytest.param("what is 96372, facility", "MUE 6", "facility", id="facility"),
        pytest.param("what is 96372", "MUE 4", "professional", id="professional"),
    ],
)
def test_a_code_card_shows_the_settings_mue(
    both_tables: tuple[Settings, Any], question: str, limit: str, setting: str
) -> None:
    answer, recording = _ask(both_tables, question)
    assert answer.route == "lookup"
    assert limit in answer.answer
    assert set(recording.settings_read) == {setting}


# Every route that reads the NCCI tables, asked for each setting: the reads name that setting only.
ROUTES = [
    pytest.param("5 IM injections", "units", id="units"),
    pytest.param("ondansetron 4 mg IV push and 2 IM injections", "units", id="encounter"),
    pytest.param("what is 96372", "lookup", id="lookup"),
    pytest.param("is 96372 x5 over the MUE", "edits", id="mue-question"),
    pytest.param("scrub 96372 x5, 96374", "edits", id="scrub"),
    pytest.param("96374 with 96376", "edits", id="ptp-pair"),
]


@pytest.mark.parametrize("setting", ["facility", "professional"])
@pytest.mark.parametrize(("question", "route"), ROUTES)
def test_every_route_reads_only_the_claim_settings_tables(
    both_tables: tuple[Settings, Any], question: str, route: str, setting: str
) -> None:
    answer, recording = _ask(both_tables, f"{question}, {setting}")
    assert answer.route == route and answer.codes
    assert recording.settings_read, "no NCCI table was consulted"
    assert set(recording.settings_read) == {setting}


def test_a_facility_pair_question_says_the_hospital_ptp_table_is_missing(both_tables: tuple[Settings, Any]) -> None:
    answer, _ = _ask(both_tables, "96374 with 96376, facility")
    assert "outpatient hospital PTP table is not loaded" in answer.answer
    assert "modifier indicator 0" not in answer.answer  # the practitioner edit is not borrowed
    professional, _ = _ask(both_tables, "96374 with 96376, professional")
    assert "modifier indicator 0" in professional.answer and "practitioner PTP table" in professional.answer
