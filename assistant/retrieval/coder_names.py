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
    # Modifiers by meaning (issue 22 item 5): what coders say for what the official descriptor words differently.
    CoderName(("ABN signed", "signed ABN", "ABN on file", "advance beneficiary notice"), ("GA",),
              "CMS Medicare Claims Processing Manual 100-04 Ch. 30 s. 40.3.6: modifier GA, 'waiver of liability "
              "statement issued as required by payer policy', is reported when a required ABN was given and signed"),
    CoderName(("no ABN", "ABN not signed", "without an ABN"), ("GZ",),
              "100-04 Ch. 30 s. 40.3.6: modifier GZ, the item or service is expected to be denied as not reasonable "
              "and necessary and no ABN is on file"),
    CoderName(("PTA", "PT assistant", "physical therapist assistant", "therapy assistant"), ("CQ",),
              "CMS CY 2019 and CY 2020 Physician Fee Schedule final rules: modifier CQ marks outpatient physical "
              "therapy furnished in whole or in part by a physical therapist assistant (Bipartisan Budget Act of 2018 "
              "s. 53107)"),
    CoderName(("OTA", "COTA", "OT assistant", "occupational therapy assistant", "therapy assistant"), ("CO",),
              "CMS CY 2019 and CY 2020 Physician Fee Schedule final rules: modifier CO marks outpatient occupational "
              "therapy furnished in whole or in part by an occupational therapy assistant"),
    CoderName(("telehealth audio and video", "audio video telehealth", "video visit", "synchronous telehealth",
               "real-time telehealth"), ("95",),
              "CPT Appendix P: modifier 95, synchronous telemedicine by real-time interactive audio and video (GT, "
              "CMS's 'via interactive audio and video telecommunication systems', is found by its own descriptor; it "
              "is for critical access hospital Method II claims only, 100-04 Ch. 12 s. 190.6.1)"),
    CoderName(("separate encounter", "separate session", "different session", "later the same day"), ("XE",),
              "CMS MLN MM8863 (2015) and NCCI Policy Manual Ch. I s. E.1: XE, a service distinct because it occurred "
              "during a separate encounter, is the specific form of modifier 59"),
    CoderName(("different practitioner", "different provider", "separate practitioner"), ("XP",),
              "CMS MLN MM8863: XP, a service distinct because it was performed by a different practitioner"),
    CoderName(("separate site", "separate lesion", "different site", "separate organ"), ("XS",),
              "CMS MLN MM8863: XS, a service distinct because it was performed on a separate organ or structure"),
    CoderName(("new equipment", "new DME", "purchased new"), ("NU",),
              "CMS 100-04 Ch. 20 s. 130.2 and the HCPCS modifier list: NU, new equipment (DMEPOS purchase)"),
    CoderName(("used equipment", "used DME", "purchased used"), ("UE",),
              "CMS 100-04 Ch. 20 s. 130.2 and the HCPCS modifier list: UE, used durable medical equipment"),
    CoderName(("DME rental", "rented equipment", "monthly rental"), ("RR",),
              "CMS 100-04 Ch. 20 s. 130.2 and the HCPCS modifier list: RR, rental of DME"),
)


def extra_lay_terms() -> dict[str, tuple[str, ...]]:
    """Code -> the lay terms CODER_NAMES adds to it."""
    extra: dict[str, tuple[str, ...]] = {}
    for row in CODER_NAMES:
        for code in row.codes:
            extra[code] = extra.get(code, ()) + row.terms
    return extra
