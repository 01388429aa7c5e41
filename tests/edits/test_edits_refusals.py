"""Imports are all or nothing (issue 24 item 1): for every edits importer, a file cut mid-line, cut at a line at 90%,
with a value outside its column's range, with a NUL byte, or of an older quarter is refused naming the file, the
line and the reason, and the loaded table keeps answering."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.edits import FILENAME, EditsStore
from assistant.edits.importers import (
    EditsImportError,
    ImportRefusedError,
    import_addon,
    import_mue,
    import_mue_oph,
    import_ptp,
    import_ptp_oph,
)
from assistant.settings import Settings

ROWS = 40


@dataclass(frozen=True)
class Table:
    table: str
    importer: Callable[..., str]
    header: str
    row: Callable[[int], str]  # the n-th valid row
    out_of_range: str  # a row whose value is outside its column's range
    column: str  # the column named in the out-of-range refusal

    def text(self, rows: int = ROWS) -> str:
        return self.header + "\r\n" + "".join(self.row(n) + "\r\n" for n in range(rows))


def _code(number: int) -> str:
    return f"{90000 + number:05d}"


TABLES = [
    Table("mue", import_mue, "hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale",
          lambda n: f"{_code(n)},{n % 7 + 1},3,Date of Service Edit: Clinical,Clinical: Data",
          "J9201,1000000000000000000000000000000,3,Date of Service Edit: Clinical,Clinical: Data",
          "practitioner_mue_value"),
    Table("mue_oph", import_mue_oph, "hcpcs_cpt_code,outpatient_hospital_mue_value,mai,mai_description,mue_rationale",
          lambda n: f"{_code(n)},{n % 7 + 1},2,Date of Service Edit: Policy,Nature of Service/Procedure",
          "J9201,1000000,2,Date of Service Edit: Policy,Nature of Service/Procedure",
          "outpatient_hospital_services_mue_values"),
    Table("ptp", import_ptp, "column1,column2,modifier_indicator,ptp_edit_rationale",
          lambda n: f"{_code(n)},96372,1,Misuse of column two code with column one code",
          "96369,96372,5,Misuse of column two code with column one code", "modifier_indicator"),
    Table("ptp_oph", import_ptp_oph, "column1,column2,modifier_indicator,ptp_edit_rationale",
          lambda n: f"{_code(n)},96372,0,Mutually exclusive procedures",
          "96369,96372,2,Mutually exclusive procedures", "modifier_indicator"),
    Table("aoc", import_addon, "add_on_code,primary_code,aoc_edit_type",
          lambda n: f"{_code(n)},96365,1",
          "96375,96365,7", "aoc_edit_type"),
]
IDS = [table.table for table in TABLES]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "files" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _loaded(tmp_path: Path, table: Table) -> tuple[Settings, EditsStore]:
    settings = Settings(data_dir=tmp_path / "data")
    table.importer(_write(tmp_path, f"{table.table}_2026q2.csv", table.text().encode()), settings, progress=False)
    store = EditsStore(settings.resolved_data_dir / FILENAME)
    assert store.info()[table.table]["rows"] == ROWS
    return settings, store


def _cut_mid_line(table: Table) -> bytes:
    data = table.text().encode()
    return data[: len(data) - 6]  # inside the last row's last field: still five fields, but cut


def _cut_at_line(table: Table) -> bytes:
    lines = table.text().encode().splitlines(keepends=True)
    return b"".join(lines[: int(len(lines) * 0.9)])  # ends on a line break: looks complete


def _with_nul(table: Table) -> bytes:
    lines = table.text().encode().splitlines(keepends=True)
    lines[5] = lines[5].replace(b",", b"\x00,", 1)
    return b"".join(lines)


def _out_of_range(table: Table) -> bytes:
    lines = table.text().encode().splitlines(keepends=True)
    lines[5] = table.out_of_range.encode() + b"\r\n"
    return b"".join(lines)


# (case id, bytes of the new file, its quarter, refusal class, the line named (None: the whole file), reason)
CASES: list[tuple[str, Callable[[Table], bytes], str, type[Exception], int | None, str]] = [
    ("cut-mid-line", _cut_mid_line, "2026q3", EditsImportError, ROWS + 1, "cut short"),
    ("cut-at-a-line-at-90-percent", _cut_at_line, "2026q3", ImportRefusedError, None, "fewer than the 40"),
    ("out-of-range-value", _out_of_range, "2026q3", EditsImportError, 6, "column "),
    ("nul-byte", _with_nul, "2026q3", EditsImportError, 6, "a NUL character"),
    ("older-release", lambda table: table.text().encode(), "2026q1", ImportRefusedError, None, "older than"),
]


@pytest.mark.parametrize("table", TABLES, ids=IDS)
@pytest.mark.parametrize(("case", "make", "quarter", "error", "line", "reason"), CASES, ids=[c[0] for c in CASES])
def test_refused_file_leaves_the_loaded_table(
    tmp_path: Path, table: Table, case: str, make: Callable[[Table], bytes], quarter: str,
    error: type[Exception], line: int | None, reason: str,
) -> None:
    settings, store = _loaded(tmp_path, table)
    before = store.info()[table.table]
    path = _write(tmp_path, f"{table.table}_{quarter}.csv", make(table))
    with pytest.raises(error) as caught:
        table.importer(path, settings, progress=False)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert reason in message, message
    if line is not None:
        assert f", line {line}:" in message, message
    if case == "out-of-range-value":
        assert table.column in message, message
    after = store.info()[table.table]
    assert after == before  # the same rows, source and quarter: the loaded table stays


@pytest.mark.parametrize("table", TABLES, ids=IDS)
def test_complete_file_is_accepted(tmp_path: Path, table: Table) -> None:
    """The other side of each boundary: a complete newer file, 5% smaller, ending in CR LF, is imported."""
    settings, store = _loaded(tmp_path, table)
    path = _write(tmp_path, f"{table.table}_2026q3.csv", table.text(ROWS - 2).encode())
    table.importer(path, settings, progress=False)
    assert store.info()[table.table]["rows"] == ROWS - 2 and store.info()[table.table]["quarter"] == "2026 Q3"


def test_a_huge_mue_value_names_the_file_and_line(tmp_path: Path) -> None:
    """Issue 24 item 8: a value past SQLite's integer gave a bare OverflowError."""
    table = TABLES[0]
    path = _write(tmp_path, "mue.csv", (table.header + "\n" + "J9201," + "9" * 400 + ",3,x,y\n").encode())
    with pytest.raises(EditsImportError, match=r"mue\.csv, line 2: column practitioner_mue_value: 9{20}\.\.\. is "
                       r"outside the MUE range 0-999,999"):
        import_mue(path, Settings(data_dir=tmp_path / "data"), progress=False)


def test_the_largest_mue_value_is_accepted(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    path = _write(tmp_path, "mue.csv", (TABLES[0].header + "\nJ9201,999999,3,x,y\n").encode())
    import_mue(path, settings, progress=False)
    assert EditsStore(settings.resolved_data_dir / FILENAME).mue("J9201").value == 999_999


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"], ids=["nul", "escape", "delete"])
def test_control_characters_in_text_are_refused(tmp_path: Path, character: str) -> None:
    path = _write(tmp_path, "mue.csv", (TABLES[0].header + f"\nJ9201,3,3,x,Clinical{character}Data\n").encode())
    with pytest.raises(EditsImportError, match=r"mue\.csv, line 2: a (NUL|U\+00..) character"):
        import_mue(path, Settings(data_dir=tmp_path / "data"), progress=False)


def test_real_mue_file_cut_like_the_report_is_refused(shared_data: Path, tmp_path: Path) -> None:
    """The repro of issue 24: `head -c 503078` of the MUE file imported 8,078 values over the full table."""
    settings = Settings(data_dir=tmp_path / "data")
    full = shared_data / "mue_practitioner_2026q2.csv"
    summary = import_mue(full, settings, progress=False)
    store = EditsStore(settings.resolved_data_dir / FILENAME)
    rows = store.info()["mue"]["rows"]
    assert f"Imported {rows:,} MUE values" in summary and rows > 15_000
    data = full.read_bytes()
    cut = _write(tmp_path, "mue_practitioner_2026q2_cut.csv", data[:503078])
    with pytest.raises(EditsImportError, match="cut short"):
        import_mue(cut, settings, progress=False)
    lines = data.splitlines(keepends=True)
    at_line = _write(tmp_path, "mue_practitioner_2026q2_90.csv", b"".join(lines[: int(len(lines) * 0.9)]))
    with pytest.raises(ImportRefusedError, match="10.0% fewer"):
        import_mue(at_line, settings, progress=False)
    assert store.info()["mue"]["rows"] == rows


def test_replacing_a_table_keeps_the_file_compact(tmp_path: Path) -> None:
    """Issue 24 item 8: edits.sqlite3 grew by the table's size on each PTP replacement (84 -> 131 MB)."""
    settings = Settings(data_dir=tmp_path / "data")
    rows = "".join(f"{90000 + n // 50:05d},{10000 + n % 50 * 7:05d},1,Misuse of column two code\r\n"
                   for n in range(20_000))
    first = _write(tmp_path, "ptp_2026q2.csv", ("column1,column2,modifier_indicator,ptp_edit_rationale\r\n"
                                                + rows).encode())
    import_ptp(first, settings, progress=False)
    database = settings.resolved_data_dir / FILENAME
    size = os.path.getsize(database)
    for _ in range(3):  # the same release re-issued: it replaces itself
        import_ptp(first, settings, progress=False)
    assert _free_share(database) <= 0.25
    assert os.path.getsize(database) < size * 1.3
    # Newer releases are kept beside the older ones (issue 19, dates of service): the file holds each release once
    # and no freed pages beyond a quarter of it.
    for number, quarter in enumerate(("2026q3", "2026q4", "2027q1"), start=2):
        again = _write(tmp_path, f"ptp_{quarter}.csv", first.read_bytes())
        import_ptp(again, settings, progress=False)
        assert _free_share(database) <= 0.25
        assert os.path.getsize(database) < size * (number + 0.3)


def _free_share(database: Path) -> float:
    with sqlite3.connect(database) as connection:
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    return free / pages
