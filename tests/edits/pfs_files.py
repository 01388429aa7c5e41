"""Small PFS Relative Value Files in the CMS layout, written by the tests (test data, not CMS values)."""

from __future__ import annotations

from pathlib import Path

# The CMS layout: a title line, a header stacked over two lines, then rows. Columns as in the published CSV.
HEADER = (
    ",,{title},,,,,,,,,,,,,,,,,,,,,,,,\n"
    ",,,STATUS,,WORK,NON-FAC,NON-FAC,FACILITY,FACILITY,MP,,,PCTC,GLOB,PRE,INTRA,POST,MULT,BILAT,ASST,CO-,TEAM,ENDO,"
    "CONV,PHYSICIAN SUPERVISION OF\n"
    "HCPCS,MOD,DESCRIPTION,CODE,,RVU,PE RVU,NA INDICATOR,PE RVU,NA INDICATOR,RVU,,,IND,DAYS,OP,OP,OP,PROC,SURG,"
    "SURG,SURG,SURG,BASE,FACTOR,DIAGNOSTIC PROCEDURES\n"
)


def pfs_row(code: str, *, mod: str = "", status: str = "A", work: str = "1.00", pctc: str = "0",
            glob: str = "090", bilat: str = "1", asst: str = "2", cf: str = "32.3465", desc: str = "") -> str:
    return (f"{code},{mod},{desc},{status},,{work},2.00,,1.00,,0.50,,,{pctc},{glob},0.10,0.70,0.20,2,{bilat},"
            f"{asst},1,0,,{cf},09\n")


def write_pfs(path: Path, rows: list[str], title: str = "2025 National Physician Fee Schedule Relative Value "
              "File October Release") -> Path:
    path.write_text(HEADER.format(title=title) + "".join(rows))
    return path
