"""The MCD CSV tables the importer reads and the columns it needs from each.

From the data dictionary CMS ships inside the Medicare Coverage Database downloads ("current article", "current
LCD", NCD zips; docs/coverage.md): one CSV per table, a header row of lower-case column names. No copy of the
downloads can be fetched here, so the tests build small files in this layout (tests/coverage/layout.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableLayout:
    """One MCD table: its CSV name (without .csv), the columns it must have, and whether the import needs it."""

    name: str
    columns: tuple[str, ...]
    required: bool = True


ARTICLE_KEY = ("article_id", "article_version")
CONTRACTOR_KEY = ("contractor_id", "contractor_type_id", "contractor_version")

TABLES: tuple[TableLayout, ...] = (
    TableLayout("article", (*ARTICLE_KEY, "title")),
    TableLayout("article_x_hcpc_code", (*ARTICLE_KEY, "hcpc_code_id", "hcpc_code_group")),
    TableLayout("article_x_icd10_covered", (*ARTICLE_KEY, "icd10_code_id", "icd10_covered_group")),
    TableLayout("article_x_icd10_noncovered", (*ARTICLE_KEY, "icd10_code_id", "icd10_noncovered_group"),
                required=False),
    TableLayout("article_x_hcpc_code_group", (*ARTICLE_KEY, "hcpc_code_group", "paragraph"), required=False),
    TableLayout("article_x_icd10_covered_group", (*ARTICLE_KEY, "icd10_covered_group", "paragraph"), required=False),
    TableLayout("article_x_icd10_noncovered_group", (*ARTICLE_KEY, "icd10_noncovered_group", "paragraph"),
                required=False),
    TableLayout("article_related_documents", (*ARTICLE_KEY, "r_lcd_id"), required=False),
    TableLayout("lcd", ("lcd_id", "lcd_version", "title"), required=False),
    TableLayout("contractor", (*CONTRACTOR_KEY, "contractor_bus_name")),
    TableLayout("article_x_contractor", (*ARTICLE_KEY, *CONTRACTOR_KEY)),
    TableLayout("lcd_x_contractor", ("lcd_id", "lcd_version", *CONTRACTOR_KEY), required=False),
    TableLayout("contractor_jurisdiction", (*CONTRACTOR_KEY, "state_id")),
    TableLayout("state_lookup", ("state_id", "state_abbrev")),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}

# Optional columns read when present (the article's dates and status; a contractor's number).
ARTICLE_EFFECTIVE = ("article_eff_date", "article_rev_eff_date", "orig_det_eff_date")
ARTICLE_ENDS = ("article_end_date", "article_rev_end_date")
# A contractor_jurisdiction row with a term date in the past no longer applies.
JURISDICTION_TERM = ("term_date", "contractor_term_date")
