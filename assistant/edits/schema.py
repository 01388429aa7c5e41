"""The SQLite layout of edits.sqlite3, shared by the store (reads) and the importers (writes).

- `mue` and `ptp` are WITHOUT ROWID tables keyed on their code columns: the table is its own index, so a lookup
  is one B-tree descent and the file stays small (the 2.1M-row PTP table is about 46 MB).
- PTP rationales are 12 distinct sentences repeated 2 million times: stored once in `ptp_rationale` and
  referenced by id. That table only grows (ids stay valid across re-imports).
- `edits_meta` has one row per loaded table: source file, effective quarter, rows, import time.
- Each table exists for two settings: `mue`/`ptp` are the practitioner tables, `mue_oph`/`ptp_oph` the outpatient
  hospital (facility) tables, same layout. `aoc` is the CMS add-on code edit table (add-on, primary, type).
- The database is in WAL mode so readers keep answering from the old table while an import loads the new one
  beside it (`<table>_staging`) and switches it in with one committed transaction.
"""

from __future__ import annotations

FILENAME = "edits.sqlite3"

TABLES = ("mue", "ptp", "mue_oph", "ptp_oph", "aoc")

CREATE_META = """
CREATE TABLE IF NOT EXISTS edits_meta (
    table_name TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    quarter TEXT,
    rows INTEGER NOT NULL,
    deleted_rows INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    seconds REAL NOT NULL
)
"""

CREATE_PTP_RATIONALE = """
CREATE TABLE IF NOT EXISTS ptp_rationale (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
)
"""

# {name} is the live table or its staging twin.
CREATE_MUE = """
CREATE TABLE {name} (
    code TEXT NOT NULL PRIMARY KEY,
    value INTEGER NOT NULL,
    mai INTEGER NOT NULL,
    mai_description TEXT NOT NULL,
    rationale TEXT NOT NULL
) WITHOUT ROWID
"""

CREATE_PTP = """
CREATE TABLE {name} (
    column1 TEXT NOT NULL,
    column2 TEXT NOT NULL,
    modifier_indicator INTEGER NOT NULL,
    rationale_id INTEGER NOT NULL,
    PRIMARY KEY (column1, column2)
) WITHOUT ROWID
"""

# One row per (add-on, primary) pair; primary "CCCCC" marks a Type 2 add-on (the contractor defines primaries).
CREATE_AOC = """
CREATE TABLE {name} (
    addon TEXT NOT NULL,
    primary_code TEXT NOT NULL,
    aoc_type INTEGER NOT NULL,
    PRIMARY KEY (addon, primary_code)
) WITHOUT ROWID
"""

INSERT_MUE = "INSERT INTO {name} (code, value, mai, mai_description, rationale) VALUES (?, ?, ?, ?, ?)"
INSERT_PTP = "INSERT INTO {name} (column1, column2, modifier_indicator, rationale_id) VALUES (?, ?, ?, ?)"
INSERT_AOC = "INSERT INTO {name} (addon, primary_code, aoc_type) VALUES (?, ?, ?)"
# Built after the switch (the live table's name): answers "how many edits name this code" as column 2 without a
# scan of the whole table (column 1 look-ups use the primary key).
CREATE_PTP_COLUMN2_INDEX = "CREATE INDEX IF NOT EXISTS {name}_by_column2 ON {name} (column2, modifier_indicator)"
