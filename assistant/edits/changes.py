"""What changed between two loaded releases of a CMS table: rows added, deleted and changed, counted and paged.

`python -m assistant changes KIND [--from 2026Q1] [--to 2026Q2] [--code 96413] [--page N]` and the chat ("what
changed in the MUE this quarter", "PTP edits added for 96413"). KIND is mue, ptp, mue-oph, ptp-oph or pfs.
Without --to, the latest loaded release; without --from, the one before it.

One generic comparison over a `TableSpec` per kind (rules are data): the key columns, the columns compared, and
how a release's rows are selected (a kept NCCI table, or the PFS rows of a quarter). A row is added when its key is
only in the newer release, deleted when only in the older, changed when a compared column differs. For the PFS the
conversion factor is reported once (it changes for every row each year), not as a change of every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.edits.releases import Release, SqliteReader, edits_releases, quarter_dates

PAGE_SIZE = 50


@dataclass(frozen=True)
class TableSpec:
    """How rows of one kind are compared."""

    label: str
    keys: tuple[str, ...]
    compared: tuple[str, ...]
    code_columns: tuple[str, ...]  # a --code filter matches any of these


SPECS: dict[str, TableSpec] = {
    "mue": TableSpec("practitioner MUE", ("code",), ("value", "mai", "rationale"), ("code",)),
    "mue_oph": TableSpec("outpatient hospital MUE", ("code",), ("value", "mai", "rationale"), ("code",)),
    "ptp": TableSpec("practitioner PTP", ("column1", "column2"), ("modifier_indicator", "rationale_id"),
                     ("column1", "column2")),
    "ptp_oph": TableSpec("outpatient hospital PTP", ("column1", "column2"), ("modifier_indicator", "rationale_id"),
                         ("column1", "column2")),
    "pfs": TableSpec("PFS Relative Value File", ("code", "modifier"), (
        "status", "pctc", "global_days", "mult_proc", "bilateral", "assistant", "co_surgeons", "team",
        "endo_base", "supervision", "work_rvu", "pe_nonfacility", "pe_facility", "mp_rvu",
    ), ("code",)),
}
KINDS = {"mue": "mue", "ptp": "ptp", "mue-oph": "mue_oph", "ptp-oph": "ptp_oph", "pfs": "pfs"}


class ChangesError(ValueError):
    """A changes request that cannot be answered (unknown kind or release, fewer than two releases loaded)."""


@dataclass(frozen=True)
class Change:
    """One row that changed: how, its key, and the compared values before and after (None when absent)."""

    change: str  # "added" | "deleted" | "changed"
    key: tuple[str, ...]
    before: dict[str, object] | None
    after: dict[str, object] | None

    @property
    def differences(self) -> dict[str, tuple[object, object]]:
        if self.before is None or self.after is None:
            return {}
        return {name: (self.before[name], self.after[name]) for name in self.before
                if self.before[name] != self.after[name]}


@dataclass
class ChangeReport:
    """The counts and one page of changed rows between two releases."""

    kind: str
    label: str
    older: str
    newer: str
    added: int
    deleted: int
    changed: int
    rows: list[Change]
    page: int
    page_size: int
    code: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.deleted + self.changed

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _releases(reader: SqliteReader, table: str) -> list[Release]:
    if table == "pfs":
        rows = reader.query("SELECT quarter, source, rows FROM pfs_releases ORDER BY quarter")
        return [Release("pfs", quarter, "pfs", source, count) for quarter, source, count in rows]
    return sorted(edits_releases(reader, table), key=lambda release: release.starts)


def _normal(quarter: str) -> str:
    """ "2026q1", "2026 Q1", "2026-Q1" -> "2026 Q1"."""
    text = quarter.strip().upper().replace("-", " ").replace("_", " ")
    if "Q" in text and " Q" not in text:
        text = text.replace("Q", " Q")
    quarter_dates(text)  # ValueError for anything else
    return text


def _source(release: Release, spec: TableSpec) -> tuple[str, tuple]:
    """A FROM clause selecting one release's rows, and its parameters (table names are ours, never input)."""
    if release.kind == "pfs":
        return "(SELECT * FROM pfs WHERE quarter = ?)", (release.quarter,)
    if not release.table.replace("_", "").replace("q", "").isalnum():
        raise ChangesError(f"unexpected table {release.table!r}")
    return release.table, ()


def compare(path: Path | str, kind: str, older: str | None = None, newer: str | None = None, *,
            code: str | None = None, page: int = 1, page_size: int = PAGE_SIZE) -> ChangeReport:
    """The changes of `kind` between releases `older` and `newer` (defaults: the last two loaded)."""
    table = KINDS.get(kind, kind)
    if table not in SPECS:
        raise ChangesError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if page < 1 or page_size < 1:
        raise ChangesError("the page and the page size start at 1")
    spec = SPECS[table]
    reader = SqliteReader(path)
    try:
        releases = {release.quarter: release for release in _releases(reader, table)}
        ordered = sorted(releases, key=lambda quarter: quarter_dates(quarter)[0])
        try:
            newer_q = _normal(newer) if newer else (ordered[-1] if ordered else None)
            older_q = _normal(older) if older else None
        except ValueError as error:
            raise ChangesError(str(error)) from None
        if older_q is None and newer_q in ordered and ordered.index(newer_q) > 0:
            older_q = ordered[ordered.index(newer_q) - 1]
        loaded = ", ".join(ordered) or "none"
        for quarter in (older_q, newer_q):
            if quarter is None or quarter not in releases:
                raise ChangesError(
                    f"the {spec.label} has {len(ordered)} release(s) loaded ({loaded}); a comparison needs two: "
                    f"{'release ' + quarter + ' is not loaded' if quarter else 'import an older or newer release'}"
                )
        a_sql, a_args = _source(releases[older_q], spec)
        b_sql, b_args = _source(releases[newer_q], spec)
        return _report(reader, spec, table, older_q, newer_q, (a_sql, a_args), (b_sql, b_args), code, page,
                       page_size)
    finally:
        reader.close()


def _report(reader: SqliteReader, spec: TableSpec, table: str, older: str, newer: str, a: tuple[str, tuple],
            b: tuple[str, tuple], code: str | None, page: int, page_size: int) -> ChangeReport:
    join = " AND ".join(f"a.{key} = b.{key}" for key in spec.keys)
    differs = " OR ".join(f"a.{name} IS NOT b.{name}" for name in spec.compared)
    where_code_a = where_code_b = ""
    code_args: tuple = ()
    if code:
        where_code_a = " AND (" + " OR ".join(f"a.{column} = ?" for column in spec.code_columns) + ")"
        where_code_b = where_code_a.replace("a.", "b.")
        code_args = (code.strip().upper(),) * len(spec.code_columns)
    keys_b = ", ".join(f"b.{key}" for key in spec.keys)
    keys_a = ", ".join(f"a.{key}" for key in spec.keys)
    values_a = ", ".join(f"a.{name}" for name in spec.compared)
    values_b = ", ".join(f"b.{name}" for name in spec.compared)
    nulls = ", ".join("NULL" for _ in spec.compared)
    differs = f"({differs})"
    first_key = spec.keys[0]
    # Two passes over the tables (each a scan of one release with a key look-up in the other), filtered in SQL:
    # only the rows that differ reach Python. Added and changed rows come from the newer release's pass.
    newer_pass = (f"SELECT CASE WHEN a.{first_key} IS NULL THEN 'added' ELSE 'changed' END, {keys_b}, {values_a}, "
                  f"{values_b} FROM {b[0]} AS b LEFT JOIN {a[0]} AS a ON {join} "
                  f"WHERE (a.{first_key} IS NULL OR {differs}){where_code_b}", (*b[1], *a[1], *code_args))
    older_pass = (f"SELECT 'deleted', {keys_a}, {values_a}, {nulls} FROM {a[0]} AS a LEFT JOIN {b[0]} AS b "
                  f"ON {join} WHERE b.{first_key} IS NULL{where_code_a}", (*a[1], *b[1], *code_args))
    found: dict[str, list[tuple]] = {"added": [], "changed": [], "deleted": []}
    for sql, args in (newer_pass, older_pass):
        for row in reader.query(sql, args):
            found[row[0]].append(row)
    counts = [len(found["added"]), len(found["deleted"]), len(found["changed"])]
    # The report's order: added, then changed, then deleted, each by key.
    width = len(spec.keys)
    ordered = [row for change in ("added", "changed", "deleted")
               for row in sorted(found[change], key=lambda found_row: found_row[1:1 + width])]
    rows = ordered[(page - 1) * page_size: page * page_size]
    rationales = dict(reader.query("SELECT id, text FROM ptp_rationale")) if table.startswith("ptp") else {}
    changes = []
    for row in rows:
        before = dict(zip(spec.compared, row[1 + width:1 + width + len(spec.compared)], strict=True))
        after = dict(zip(spec.compared, row[1 + width + len(spec.compared):], strict=True))
        for values in (before, after):
            if "rationale_id" in values:
                values["rationale"] = rationales.get(values.pop("rationale_id"))  # type: ignore[arg-type]
        changes.append(Change(row[0], tuple(row[1:1 + width]), None if row[0] == "added" else before,
                              None if row[0] == "deleted" else after))
    report = ChangeReport(table, spec.label, older, newer, *counts, changes, page, page_size, code)
    if table == "pfs":
        factors = reader.query("SELECT quarter, max(conversion_factor) FROM pfs WHERE quarter IN (?, ?) "
                               "GROUP BY quarter", (older, newer))
        by_quarter = dict(factors)
        if by_quarter.get(older) != by_quarter.get(newer):
            report.notes.append(f"Conversion factor: ${by_quarter.get(older)} in {older}, ${by_quarter.get(newer)} in "
                                f"{newer} (every payment changes with it; not counted as a row change).")
    return report


def report_markdown(report: ChangeReport) -> str:
    """The report as Markdown: the counts, then a table of this page's rows."""
    scope = f" for {report.code}" if report.code else ""
    lines = [
        f"**{report.label}{scope}: {report.older} -> {report.newer}: {report.added:,} added, {report.deleted:,} "
        f"deleted, {report.changed:,} changed.**",
        "",
    ]
    lines += [f"_{note}_" for note in report.notes]
    if report.rows:
        lines += ["", "| change | row | before | after |", "|---|---|---|---|"]
        for change in report.rows:
            key = " / ".join(part or "(none)" for part in change.key)
            if change.change == "changed":
                differences = change.differences
                before = "; ".join(f"{name} {old}" for name, (old, _) in differences.items())
                after = "; ".join(f"{name} {new}" for name, (_, new) in differences.items())
            else:
                before = _values(change.before)
                after = _values(change.after)
            lines.append(f"| {change.change} | {key} | {before} | {after} |")
        lines += ["", f"Page {report.page} of {report.pages} ({report.page_size} rows a page; --page N for more)."]
    return "\n".join(lines)


def _values(values: dict[str, object] | None) -> str:
    if not values:
        return ""
    return "; ".join(f"{name} {value}" for name, value in values.items() if value not in (None, ""))
