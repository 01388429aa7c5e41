"""Files named in settings are imported once per version, before the index refresh (`make run`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.edits import EditsStore
from assistant.imports import IMPORTERS, import_configured_files, importer_for
from assistant.settings import Settings

MUE_HEADER = "hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale\n"


def _write_mue(path: Path, value_96370: int) -> Path:
    path.write_text(
        MUE_HEADER
        + "96369,1,2,Date of Service Edit: Policy,Code Descriptor / CPT Instruction\n"
        + f"96370,{value_96370},3,Date of Service Edit: Clinical,Clinical: CMS Workgroup\n"
    )
    return path


def test_every_kind_resolves_to_a_callable_importer():
    assert IMPORTERS and all(callable(importer_for(kind)) for kind in IMPORTERS)


def test_a_configured_file_is_imported_once_then_again_when_it_changes(tmp_path: Path):
    mue_file = _write_mue(tmp_path / "mue_2026q2.csv", value_96370=3)
    settings = Settings(data_dir=tmp_path / "data", mue_file=mue_file)

    first = import_configured_files(settings)
    assert len(first) == 1 and "MUE" in first[0]
    assert EditsStore(settings.resolved_data_dir / "edits.sqlite3").mue("96370").value == 3

    assert import_configured_files(settings) == []  # unchanged file: nothing to do

    _write_mue(mue_file, value_96370=4)
    os.utime(mue_file, ns=(mue_file.stat().st_atime_ns, mue_file.stat().st_mtime_ns + 1_000_000_000))
    assert len(import_configured_files(settings)) == 1
    assert EditsStore(settings.resolved_data_dir / "edits.sqlite3").mue("96370").value == 4


def test_a_configured_path_that_does_not_exist_names_the_setting(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", ptp_file=tmp_path / "missing.csv")
    with pytest.raises(FileNotFoundError, match="ASSISTANT_PTP_FILE"):
        import_configured_files(settings)


def test_nothing_configured_imports_nothing(tmp_path: Path):
    assert import_configured_files(Settings(data_dir=tmp_path / "data")) == []
