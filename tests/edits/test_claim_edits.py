"""The one setting-aware look-up (`assistant.edits.ClaimEdits`): each claim setting reads its own tables only.

Values are test data in the CMS layouts: 96372 has a practitioner MUE of 4 and an outpatient hospital MUE of 6, so
an answer that used the wrong table shows it (issue 21 item 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from assistant.edits import FILENAME, ClaimEdits, EditsStore, other_setting
from assistant.edits.importers import import_mue, import_mue_oph, import_ptp, import_ptp_oph
from assistant.settings import Settings

PRACTITIONER_MUE = """hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale
96372,4,3,Date of Service Edit: Clinical,Clinical: Data
96376,0,3,Date of Service Edit: Clinical,CMS Policy
"""
HOSPITAL_MUE = """hcpcs_cpt_code,outpatient_hospital_services_mue_values,mai,mai_description,mue_rationale
96372,6,3,Date of Service Edit: Clinical,Clinical: Data
"""
PRACTITIONER_PTP = """column1,column2,modifier_indicator,ptp_edit_rationale
96374,96376,0,Misuse of Column Two code with Column One code
"""
HOSPITAL_PTP = """column1,column2,modifier_indicator,ptp_edit_rationale
96374,96375,1,Standards of medical / surgical practice
"""


def _import(data_dir: Path, tables: Iterable[str]) -> EditsStore:
    settings = Settings(data_dir=data_dir)
    importers = {
        "mue": (import_mue, "mue_practitioner_2026q2.csv", PRACTITIONER_MUE),
        "mue_oph": (import_mue_oph, "MCR_MUE_OutpatientHospitalServices_2026q2.csv", HOSPITAL_MUE),
        "ptp": (import_ptp, "ccipra_practitioner_2026q2.csv", PRACTITIONER_PTP),
        "ptp_oph": (import_ptp_oph, "ccioph_hospital_2026q2.csv", HOSPITAL_PTP),
    }
    for table in tables:
        importer, name, text = importers[table]
        (data_dir / name).write_text(text)
        importer(data_dir / name, settings, progress=False)
    return EditsStore(settings.resolved_data_dir / FILENAME)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> EditsStore:
    """Practitioner and outpatient hospital MUE and PTP tables, 2026 Q2."""
    return _import(tmp_path_factory.mktemp("both-settings"), ("mue", "mue_oph", "ptp", "ptp_oph"))


@pytest.fixture(scope="module")
def practitioner_only(tmp_path_factory: pytest.TempPathFactory) -> EditsStore:
    return _import(tmp_path_factory.mktemp("practitioner-only"), ("mue", "ptp"))


class RecordingStore:
    """An `EditsStore` that notes the claim setting of every table it is asked to read."""

    def __init__(self, store: EditsStore) -> None:
        self.store = store
        self.settings_read: list[str] = []

    def loaded(self, kind: str, setting: str = "professional") -> bool:
        self.settings_read.append(setting)
        return self.store.loaded(kind, setting)

    def mue(self, code: str, setting: str = "professional") -> Any:
        self.settings_read.append(setting)
        return self.store.mue(code, setting)

    def pairs(self, codes: Iterable[str], *, include_deleted: bool = True, setting: str = "professional") -> Any:
        self.settings_read.append(setting)
        return self.store.pairs(codes, include_deleted=include_deleted, setting=setting)

    def ptp_count(self, code: str, setting: str = "professional") -> tuple[int, int]:
        self.settings_read.append(setting)
        return self.store.ptp_count(code, setting)

    def addon(self, code: str) -> Any:
        return self.store.addon(code)

    def info(self) -> dict[str, dict[str, Any]]:
        return self.store.info()

    @property
    def has_addons(self) -> bool:
        return self.store.has_addons


@pytest.mark.parametrize(
    ("setting", "mue_value", "pair", "table_label"),
    [
        pytest.param("professional", 4, ("96374", "96376"), "practitioner MUE table", id="professional"),
        pytest.param("facility", 6, ("96374", "96375"), "outpatient hospital MUE table", id="facility"),
    ],
)
def test_each_setting_answers_from_its_own_tables(
    both: EditsStore, setting: str, mue_value: int, pair: tuple[str, str], table_label: str
) -> None:
    tables = ClaimEdits(both, setting)  # type: ignore[arg-type]
    entry = tables.mue("96372")
    assert entry is not None and (entry.value, entry.table_label) == (mue_value, table_label)
    assert [(edit.column1, edit.column2) for edit in tables.pairs(["96374", "96375", "96376"])] == [pair]
    assert tables.release("mue") == "2026 Q2" and tables.release("ptp") == "2026 Q2"
    lookup = tables.mue_lookup()
    assert lookup is not None and lookup("96372") == entry
    assert tables.ptp_count(pair[1]) == (1, 0)
    ptp_lookup = tables.ptp_lookup()
    assert ptp_lookup is not None and [(e.column1, e.column2) for e in ptp_lookup(list(pair))] == [pair]


@pytest.mark.parametrize("setting", ["professional", "facility"])
def test_a_claim_never_reads_the_other_settings_tables(both: EditsStore, setting: str) -> None:
    recording = RecordingStore(both)
    tables = ClaimEdits(recording, setting)  # type: ignore[arg-type]
    tables.mue("96372")
    tables.pairs(["96374", "96375", "96376"])
    tables.loaded("mue")
    tables.not_loaded_note("ptp")
    tables.ptp_count("96376")
    assert tables.mue_lookup() is not None and tables.ptp_lookup() is not None
    assert recording.settings_read, "nothing was read"
    assert set(recording.settings_read) == {setting}


def test_a_code_missing_from_the_hospital_table_has_no_limit_rather_than_the_practitioner_one(
    both: EditsStore,
) -> None:
    assert ClaimEdits(both, "professional").mue("96376") is not None
    assert ClaimEdits(both, "facility").mue("96376") is None


def test_facility_without_hospital_tables_is_not_loaded_and_says_how_to_import(
    practitioner_only: EditsStore,
) -> None:
    facility = ClaimEdits(practitioner_only, "facility")
    assert not facility.loaded("mue") and not facility.loaded("ptp")
    assert facility.mue_lookup() is None and facility.ptp_lookup() is None
    assert facility.mue("96372") is None and facility.pairs(["96374", "96376"]) == []
    assert facility.ptp_count("96376") is None
    note = facility.not_loaded_note("mue")
    assert note is not None and "outpatient hospital MUE table is not loaded" in note and "import mue-oph" in note
    professional = ClaimEdits(practitioner_only, "professional")
    assert professional.loaded("mue") and professional.not_loaded_note("mue") is None


def test_no_store_means_nothing_loaded_and_no_note() -> None:
    tables = ClaimEdits(None, "facility")
    assert not tables.loaded("mue") and tables.mue("96372") is None and tables.pairs(["96374", "96376"]) == []
    assert tables.release("mue") is None and tables.not_loaded_note("mue") is None and not tables.has_addons


@pytest.mark.parametrize("setting", ["hospital", "", "Facility"])
def test_an_unknown_setting_is_refused(setting: str) -> None:
    with pytest.raises(ValueError, match="professional' or 'facility"):
        ClaimEdits(None, setting)  # type: ignore[arg-type]


@pytest.mark.parametrize(("setting", "other"), [("professional", "facility"), ("facility", "professional")])
def test_other_setting(setting: str, other: str) -> None:
    assert other_setting(setting) == other  # type: ignore[arg-type]
