"""Look-ups in the edits store: not loaded, either order, pairs, deleted edits, threads seeing a new import."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from assistant.edits import (
    EditsStore,
    NotLoadedError,
    describe_mai,
    describe_modifier_indicator,
)
from assistant.edits.importers import import_mue, import_ptp
from assistant.edits.releases import SqliteReader
from assistant.settings import Settings

WriteTable = Callable[..., Path]  # the write_mue / write_ptp fixtures of conftest.py
ImportTables = Callable[..., EditsStore]  # the import_tables fixture of conftest.py

PTP_ROWS = [
    "96360,96372,1,CPT Manual or CMS manual coding instruction",
    "96369,96372,1,CPT Manual or CMS manual coding instruction",
    "96369,96374,0,Misuse of Column Two code with Column One code",
    "99251,90460,9,CPT Manual or CMS manual coding instruction",
    "J1559,96372,0,Mutually exclusive procedures",
]
MUE_ROWS = [
    "96369,1,2,Date of Service Edit: Policy,Code Descriptor / CPT Instruction",
    "96370,3,3,Date of Service Edit: Clinical,Clinical: CMS Workgroup",
    "J1559,300,3,Date of Service Edit: Clinical,Clinical: Data",
]


@pytest.fixture
def loaded(import_tables: ImportTables) -> EditsStore:
    """A store with the small MUE and PTP tables above imported (quarter 2026 Q2)."""
    return import_tables(MUE_ROWS, PTP_ROWS)


def test_fresh_store_answers_not_loaded_without_raising(store: EditsStore) -> None:
    assert not store.path.exists()
    assert (store.has_mue, store.has_ptp) == (False, False)
    assert store.mue("96370") is None
    assert store.ptp("96369", "96372") is None
    assert store.pairs(["96369", "96372", "96360"]) == []
    assert store.info() == {}
    for table in ("mue", "ptp"):
        with pytest.raises(NotLoadedError, match=f"python -m assistant import {table} FILE"):
            store.require(table)


def test_store_with_only_mue_has_no_ptp(
    settings: Settings, store: EditsStore, write_mue: WriteTable
) -> None:
    assert store.mue("96370") is None  # opened while the file did not exist yet
    import_mue(write_mue("mue_2026q2.csv", MUE_ROWS), settings, progress=False)
    assert (store.has_mue, store.has_ptp) == (True, False)
    assert store.mue("96370").value == 3  # the same store picks the new file up
    assert store.ptp("96369", "96372") is None and store.pairs(["96369", "96372"]) == []
    store.require("mue")
    with pytest.raises(NotLoadedError, match="NCCI PTP table has not been imported"):
        store.require("ptp")


def test_require_unknown_table_is_a_value_error(store: EditsStore) -> None:
    with pytest.raises(ValueError, match="expected 'mue' or 'ptp'"):
        store.require("ncci")


@pytest.mark.parametrize(
    ("first", "second", "column1", "column2", "indicator"),
    [
        pytest.param("96369", "96372", "96369", "96372", 1, id="as-listed"),
        pytest.param("96372", "96369", "96369", "96372", 1, id="reversed"),
        pytest.param(" 96374", "96369 ", "96369", "96374", 0, id="spaces-reversed"),
        pytest.param("j1559", "96372", "J1559", "96372", 0, id="lower-case-hcpcs"),
        pytest.param("90460", "99251", "99251", "90460", 9, id="deleted-edit"),
    ],
)
def test_ptp_either_order(
    loaded: EditsStore, first: str, second: str, column1: str, column2: str, indicator: int
) -> None:
    edit = loaded.ptp(first, second)
    assert edit is not None
    assert (edit.column1, edit.column2, edit.modifier_indicator) == (column1, column2, indicator)
    assert edit.source == "ptp_2026q2.csv" and edit.quarter == "2026 Q2"
    assert edit.deleted == (indicator == 9)
    assert "2026 Q2" in edit.citation and "ptp_2026q2.csv" in edit.citation


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("96360", "96369", id="both-known-no-edit"),
        pytest.param("96372", "96372", id="same-code"),
        pytest.param("99999", "96372", id="unknown-code"),
    ],
)
def test_ptp_without_edit_is_none(loaded: EditsStore, first: str, second: str) -> None:
    assert loaded.ptp(first, second) is None


def test_pairs_across_three_codes(loaded: EditsStore) -> None:
    edits = loaded.pairs(["96369", "96372", "96360"])
    assert [(edit.column1, edit.column2) for edit in edits] == [("96360", "96372"), ("96369", "96372")]


def test_pairs_ignores_duplicates_and_blanks(loaded: EditsStore) -> None:
    edits = loaded.pairs(["96372", "96369", "96369", " ", "96374"])
    assert {(edit.column1, edit.column2) for edit in edits} == {("96369", "96372"), ("96369", "96374")}
    assert loaded.pairs(["96369"]) == []
    assert loaded.pairs([]) == []


def test_pairs_deleted_edits_kept_unless_excluded(loaded: EditsStore) -> None:
    codes = ["90460", "99251", "96369", "96374"]
    assert {edit.modifier_indicator for edit in loaded.pairs(codes)} == {0, 9}
    assert [edit.modifier_indicator for edit in loaded.pairs(codes, include_deleted=False)] == [0]


def test_pairs_with_many_codes(loaded: EditsStore) -> None:
    codes = [f"{number:05d}" for number in range(40_000, 41_000)] + ["96369", "96372"]
    assert [(edit.column1, edit.column2) for edit in loaded.pairs(codes)] == [("96369", "96372")]


@pytest.mark.parametrize(
    ("code", "value", "mai", "meaning"),
    [
        pytest.param("96369", 1, 2, "absolute", id="policy"),
        pytest.param("96370", 3, 3, "clinical", id="clinical"),
        pytest.param("j1559", 300, 3, "clinical", id="lower-case-hcpcs"),
    ],
)
def test_mue(loaded: EditsStore, code: str, value: int, mai: int, meaning: str) -> None:
    entry = loaded.mue(code)
    assert entry is not None
    assert (entry.code, entry.value, entry.mai) == (code.upper(), value, mai)
    assert meaning in entry.mai_meaning
    assert entry.source == "mue_2026q2.csv" and entry.quarter == "2026 Q2"


def test_info_per_table(loaded: EditsStore) -> None:
    info = loaded.info()
    assert set(info) == {"mue", "ptp"}
    assert info["ptp"]["rows"] == 5 and info["ptp"]["deleted_rows"] == 1
    assert info["mue"] | {"imported_at": None, "seconds": None} == {
        "source": "mue_2026q2.csv", "quarter": "2026 Q2", "rows": 3, "deleted_rows": 0,
        "imported_at": None, "seconds": None,
    }
    assert info["mue"]["imported_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("indicator", "words"),
    [
        pytest.param(0, "never billed together", id="0-never"),
        pytest.param(1, "XE/XS/XP/XU", id="1-modifier"),
        pytest.param(9, "edit deleted", id="9-deleted"),
    ],
)
def test_describe_modifier_indicator(indicator: int, words: str) -> None:
    assert words in describe_modifier_indicator(indicator)


@pytest.mark.parametrize("indicator", [pytest.param(2, id="two"), pytest.param("x", id="letter")])
def test_describe_modifier_indicator_refuses_unknown(indicator: object) -> None:
    with pytest.raises(ValueError, match="0, 1 or 9"):
        describe_modifier_indicator(indicator)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("mai", "words"),
    [
        pytest.param(1, "claim line", id="1-line"),
        pytest.param(2, "absolute", id="2-policy"),
        pytest.param(3, "clinical", id="3-clinical"),
    ],
)
def test_describe_mai(mai: int, words: str) -> None:
    assert words in describe_mai(mai)


def test_threads_see_a_new_import_without_restart(
    loaded: EditsStore, settings: Settings, write_mue: WriteTable
) -> None:
    """Readers in several threads keep their connections; after a re-import they answer from the new table.

    Deterministic: four explicit threads each read before and after the import, in lock-step with the main
    thread through two barriers, so every thread really opens (and then reuses) its own connection whatever
    the scheduler does; no pool whose one thread may do all the reads.
    """
    readers = 4
    before_import = threading.Barrier(readers + 1)
    after_import = threading.Barrier(readers + 1)
    seen: dict[str, list[int]] = {}
    connections: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def reader() -> None:
        name = threading.current_thread().name
        try:
            values = seen.setdefault(name, [])
            ids = connections.setdefault(name, [])
            for _ in range(5):
                values.append(loaded.mue("96370").value)
            ids.append(id(loaded.reader.connection()))
            before_import.wait(timeout=30)
            after_import.wait(timeout=30)  # the main thread imports between the two barriers
            for _ in range(5):
                values.append(loaded.mue("96370").value)
            ids.append(id(loaded.reader.connection()))
        except BaseException as error:  # re-raised in the main thread below
            errors.append(error)
            before_import.abort()
            after_import.abort()

    threads = [threading.Thread(target=reader, name=f"reader-{number}") for number in range(readers)]
    for thread in threads:
        thread.start()
    before_import.wait(timeout=30)
    import_mue(
        write_mue("mue_2026q3.csv", ["96370,5,3,Date of Service Edit: Clinical,Clinical"]),
        settings,
        progress=False,
        force=True,  # one row replacing three: allowed on purpose here
    )
    after_import.wait(timeout=30)
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert {name: values for name, values in seen.items()} == {
        f"reader-{number}": [3] * 5 + [5] * 5 for number in range(readers)
    }
    # each thread kept one connection of its own across the import (no restart, no reopen)
    assert all(len(set(ids)) == 1 for ids in connections.values())
    assert len({ids[0] for ids in connections.values()}) == readers


def test_reads_during_an_import_answer_from_the_old_table(
    loaded: EditsStore, settings: Settings, write_ptp: WriteTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While an import is loading (write transaction open), another thread still reads the old table."""
    from assistant.edits import importers

    seen: list[object] = []

    def read_in_another_thread(rows: int) -> None:
        thread = threading.Thread(target=lambda: seen.append(loaded.ptp("96369", "96372")))
        thread.start()
        thread.join(timeout=30)

    monkeypatch.setattr(importers, "BATCH_ROWS", 1)
    monkeypatch.setattr(importers, "_after_batch", read_in_another_thread)
    rows = ["96365,96372,0,Rationale", "96366,96372,0,Rationale"]
    import_ptp(write_ptp("ptp_2026q3.csv", rows), settings, force=True)  # 2 rows replacing 5: on purpose
    assert len(seen) == 2 and all(edit is not None and edit.quarter == "2026 Q2" for edit in seen)
    assert loaded.ptp("96369", "96372") is None and loaded.ptp("96365", "96372").quarter == "2026 Q3"


def test_reload_and_close_reopen(loaded: EditsStore) -> None:
    assert loaded.has_ptp
    loaded.reload()
    assert loaded.mue("96370").value == 3
    loaded.close()
    assert loaded.mue("96370").value == 3


def test_deleted_database_file_after_reload(loaded: EditsStore) -> None:
    loaded.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{loaded.path}{suffix}").unlink(missing_ok=True)
    loaded.reload()
    assert not loaded.has_ptp and loaded.mue("96370") is None


@pytest.mark.parametrize(
    ("code", "setting", "counts"),
    [
        pytest.param("96372", "professional", (3, 0), id="column2-of-three"),
        pytest.param("96369", "professional", (2, 0), id="column1-of-two"),
        pytest.param("90460", "professional", (0, 1), id="deleted-only"),
        pytest.param("j1559", "professional", (1, 0), id="lower-case"),
        pytest.param("00000", "professional", (0, 0), id="no-edit"),
        pytest.param("96372", "facility", (0, 0), id="facility-table-not-loaded"),
    ],
)
def test_ptp_count(loaded: EditsStore, code: str, setting: str, counts: tuple[int, int]) -> None:
    """(active, deleted) edits naming a code in either column: the look-up answer's "N active PTP edits"."""
    assert loaded.ptp_count(code, setting) == counts


def _database(path: Path, value: int) -> Path:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE facts (value INTEGER)")
        connection.execute("INSERT INTO facts VALUES (?)", (value,))
    return path


def test_the_shared_reader_forgets_its_cache_when_reloaded(tmp_path: Path) -> None:
    """EditsStore and the release-aware stores read through one `SqliteReader`: after the file is replaced and
    `reload()` is called, both the connection and what was cached on it are new (a new connection's data_version
    may repeat the old one's, so the cache must not outlive its connection)."""
    path = _database(tmp_path / "edits.sqlite3", 1)
    reader = SqliteReader(path)
    assert reader.cached("value", lambda: reader.query("SELECT value FROM facts")) == [(1,)]
    first = reader.connection()
    _database(tmp_path / "replacement.sqlite3", 2).replace(path)
    reader.reload()
    assert reader.cached("value", lambda: reader.query("SELECT value FROM facts")) == [(2,)]
    assert reader.connection() is not first
    reader.close()
    assert reader.query("SELECT value FROM facts") == [(2,)]  # reopened after close


def test_the_store_reads_through_the_shared_reader(loaded: EditsStore) -> None:
    assert isinstance(loaded.reader, SqliteReader) and loaded.reader.path == loaded.path
    assert loaded.mue("96370").value == 3
    assert loaded.reader.connection() is not None
