"""Small MCD download files in the documented layout (the CMS data dictionary's table and column names).

No copy of the real downloads exists here, so these are made up: three contractors, four articles (one with an
older version), covered groups with "billed with" rules, a non-covered list and a range. Article numbers and
titles are invented in the style of real billing articles; MAC names are the public contractor names.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

IRON = 58001  # Texas (Novitas): J1439 with iron-deficiency diagnoses
CAROTID = 58002  # Florida (First Coast): 93880 with 30 covered diagnoses (paged)
CALIFORNIA = 58003  # California (Noridian): J1439 too, never shown for Texas

CAROTID_DIAGNOSES = [f"I65.{a}{b}" for a in (0, 1, 2) for b in (1, 2, 3, 9)] + [
    "I63.031", "I63.032", "I63.131", "I63.132", "I63.231", "I63.232", "G45.0", "G45.1", "G45.8", "G45.9",
    "R42", "R55", "H34.10", "H34.11", "H34.12", "H34.13", "I77.1", "I72.0"]


def tables() -> dict[str, list[list[object]]]:
    """Table name -> rows, the first row the header."""
    return {
        "state_lookup": [["state_id", "state_abbrev", "description"], [1, "TX", "Texas"], [2, "FL", "Florida"],
                         [3, "CA", "California"]],
        "contractor": [["contractor_id", "contractor_type_id", "contractor_version", "contractor_bus_name",
                        "contractor_number", "dmerc_rgn"],
                       [101, 1, 1, "Novitas Solutions, Inc.", "04112", ""],
                       [102, 1, 1, "First Coast Service Options, Inc.", "09102", ""],
                       [103, 1, 1, "Noridian Healthcare Solutions, LLC", "01182", ""]],
        "contractor_jurisdiction": [["contractor_id", "contractor_type_id", "contractor_version", "state_id",
                                     "active_date", "term_date"],
                                    [101, 1, 1, 1, "2015-01-01", ""], [102, 1, 1, 2, "2015-01-01", ""],
                                    [103, 1, 1, 3, "2015-01-01", ""],
                                    [103, 1, 1, 1, "2010-01-01", "2014-12-31"]],  # ended: CA's MAC is not TX's
        "article": [["article_id", "article_version", "article_type", "title", "status", "article_eff_date",
                     "article_end_date", "last_updated"],
                    [IRON, 2, 1, "Billing and Coding: Intravenous Iron Products (old)", "R", "2024-01-01",
                     "2025-09-30", "2025-09-01"],
                    [IRON, 3, 1, "Billing and Coding: Intravenous Iron Products", "A", "10/01/2025", "",
                     "2025-09-15"],
                    [CAROTID, 1, 1, "Billing and Coding: Non-Invasive Extracranial Arterial Studies", "A",
                     "2025-10-01", "", ""],
                    [CALIFORNIA, 1, 1, "Billing and Coding: Iron Infusions (California)", "A", "2025-10-01", "", ""]],
        "article_x_hcpc_code": [["article_id", "article_version", "hcpc_code_id", "hcpc_code_version",
                                 "hcpc_code_group", "range", "long_description", "short_description"],
                                [IRON, 3, "J1439", 1, 1, "", "Injection, ferric carboxymaltose, 1 mg", "Inj ferric"],
                                [IRON, 2, "J1750", 1, 1, "", "Injection, iron dextran, 50 mg", "Inj iron dextran"],
                                [CAROTID, 1, "93880", 1, 1, "", "", ""], [CAROTID, 1, "93882", 1, 1, "", "", ""],
                                [CALIFORNIA, 1, "J1439", 1, 1, "", "", ""]],
        "article_x_hcpc_code_group": [["article_id", "article_version", "hcpc_code_group", "paragraph"],
                                      [IRON, 3, 1, "<p>Group 1 Paragraph: the iron products below.</p>"]],
        "article_x_icd10_covered": [
            ["article_id", "article_version", "icd10_code_id", "icd10_code_version", "icd10_covered_group", "range",
             "last_updated", "sort_order", "description", "asterisk"],
            [IRON, 3, "D50.0", 1, 1, "", "", 1, "Iron deficiency anemia secondary to blood loss (chronic)", ""],
            [IRON, 3, "D50.8", 1, 1, "", "", 2, "Other iron deficiency anemias", ""],
            [IRON, 3, "D50.9", 1, 1, "", "", 3, "Iron deficiency anemia, unspecified", ""],
            [IRON, 3, "D63.1", 1, 2, "", "", 4, "Anemia in chronic kidney disease", ""],
            [IRON, 3, "N18.30-N18.6", 1, 3, "Y", "", 5, "Chronic kidney disease, stage 3 to end stage", ""],
            *([CAROTID, 1, code, 1, 1, "", "", n, f"diagnosis {code}", ""] for n, code in
              enumerate(CAROTID_DIAGNOSES, 1)),
            [CALIFORNIA, 1, "D50.9", 1, 1, "", "", 1, "Iron deficiency anemia, unspecified", ""]],
        "article_x_icd10_covered_group": [
            ["article_id", "article_version", "icd10_covered_group", "paragraph", "icd10_covered_ast"],
            [IRON, 3, 1, "<p>Group 1: iron deficiency anemia.</p>", ""],
            [IRON, 3, 2, "<p>Group 2: one code from Group 2 must be billed with one code from Group 3.</p>", ""],
            [IRON, 3, 3, "<p>Group 3: chronic kidney disease, secondary to Group 2.</p>", ""],
            [CAROTID, 1, 1, "<p>Group 1: the diagnoses that support the study.</p>", ""]],
        "article_x_icd10_noncovered": [
            ["article_id", "article_version", "icd10_code_id", "icd10_code_version", "icd10_noncovered_group",
             "range", "last_updated", "sort_order", "description"],
            [IRON, 3, "D51.0", 1, 1, "", "", 1, "Vitamin B12 deficiency anemia due to intrinsic factor deficiency"]],
        "article_x_icd10_noncovered_group": [["article_id", "article_version", "icd10_noncovered_group",
                                              "paragraph"],
                                             [IRON, 3, 1, "<p>Not reasonable and necessary for IV iron.</p>"]],
        "article_related_documents": [["article_id", "article_version", "r_lcd_id", "r_lcd_version",
                                       "r_article_id", "r_article_version", "r_contractor_id"],
                                      [IRON, 3, 33333, 5, "", "", ""]],
        "lcd": [["lcd_id", "lcd_version", "title", "status"], [33333, 5, "Intravenous Iron Therapy", "A"]],
        "article_x_contractor": [["article_id", "article_version", "contractor_id", "contractor_type_id",
                                  "contractor_version"],
                                 [IRON, 2, 101, 1, 1], [IRON, 3, 101, 1, 1], [CAROTID, 1, 102, 1, 1],
                                 [CALIFORNIA, 1, 103, 1, 1]],
        "lcd_x_contractor": [["lcd_id", "lcd_version", "contractor_id", "contractor_type_id", "contractor_version"],
                             [33333, 5, 101, 1, 1]],
    }


def csv_text(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_folder(folder: Path, replace: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """The tables as an extracted folder of CSVs; `replace` swaps a table's whole text, `drop` leaves tables out."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables().items():
        if name in drop:
            continue
        text = (replace or {}).get(name, csv_text(rows))
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def write_nested_zip(path: Path) -> Path:
    """The tables as CMS ships them: a download zip holding a `*_csv.zip` of the CSVs."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        for name, rows in tables().items():
            archive.writestr(f"{name}.csv", csv_text(rows))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("current_article_csv.zip", inner.getvalue())
        archive.writestr("README.txt", "data dictionary")
    return path
