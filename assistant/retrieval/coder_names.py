"""Names coders use that no CMS record carries: a small sourced table feeding the lexical side (issue 12 item 6).

The CMS HCPCS file names things by their generic description ("Patient lift, hydraulic or mechanical"; "Annual
wellness visit ... initial visit"); coders type the trade name or CMS's own abbreviation ("hoyer lift", "AWV").
Each row adds lay terms to the records of its codes in the lexical index only (BM25 and whole-name matching; the
embedded text and the corpus are unchanged). Every row names its source. Drug brand names belong in the corpus
(the NDC-HCPCS crosswalk importer and corpus/drugs.yaml), not here; this table is for names those sources lack.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CoderName:
    """Lay terms `terms` for each code in `codes`, with the source saying the name means that code."""

    terms: tuple[str, ...]
    codes: tuple[str, ...]
    source: str


CODER_NAMES: tuple[CoderName, ...] = (
    CoderName(("AWV", "annual wellness visit", "initial AWV"), ("G0438",),
              "CMS MLN6775421 'Medicare Wellness Visits': the Annual Wellness Visit (AWV), initial (G0438)"),
    CoderName(("AWV", "annual wellness visit", "subsequent AWV"), ("G0439",),
              "CMS MLN6775421 'Medicare Wellness Visits': the Annual Wellness Visit (AWV), subsequent (G0439)"),
    CoderName(("IPPE", "welcome to medicare visit", "initial preventive physical exam"), ("G0402",),
              "CMS MLN6775421 'Medicare Wellness Visits': Initial Preventive Physical Examination (IPPE), G0402"),
    CoderName(("hoyer lift", "hoyer"), ("E0630",),
              "Hoyer is a manufacturer's name (Joerns Healthcare Hoyer lifters) used for any hydraulic or mechanical "
              "sling patient lift: HCPCS E0630 'Patient lift, hydraulic or mechanical'"),
    CoderName(("nexplanon", "implanon"), ("J7307",),
              "FDA labels: NEXPLANON and IMPLANON are etonogestrel implants; HCPCS J7307 'Etonogestrel (contraceptive) "
              "implant system, including implant and supplies'"),
    CoderName(("FIT", "FIT test", "fecal immunochemical test"), ("G0328",),
              "USPSTF colorectal cancer screening recommendation (2021): the fecal immunochemical test (FIT); CMS NCD "
              "210.3 calls it the immunoassay-based fecal occult blood test, HCPCS G0328"),
)


def extra_lay_terms() -> dict[str, tuple[str, ...]]:
    """Code -> the lay terms CODER_NAMES adds to it."""
    extra: dict[str, tuple[str, ...]] = {}
    for row in CODER_NAMES:
        for code in row.codes:
            extra[code] = extra.get(code, ()) + row.terms
    return extra
