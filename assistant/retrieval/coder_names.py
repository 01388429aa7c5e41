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
    CoderName(("control solution", "glucose control solution", "meter control solution"), ("A4256",),
              "DME MAC LCD L33822 (Glucose Monitors) lists the normal, low and high calibrator solutions and chips "
              "(A4256) among a home glucose monitor's supplies: the control solutions that check the meter"),
    CoderName(("talking glucometer", "talking glucose meter", "voice glucose meter"), ("E2100",),
              "LCD L33822: the blood glucose monitor with integrated voice synthesizer (E2100) is for a beneficiary "
              "with a severe visual impairment"),
    CoderName(("HFCWO", "HFCWO vest", "airway clearance vest", "chest vest", "vest airway clearance"), ("E0483",),
              "DME MAC LCD L33785 (High Frequency Chest Wall Oscillation Devices): HFCWO is delivered by an "
              "inflatable vest, HCPCS E0483 (the replacement vest for a patient-owned system is A7025)"),
    CoderName(("bariatric bed", "bariatric hospital bed"), ("E0301", "E0303"),
              "DME MAC LCD L33820 'Hospital Beds and Accessories': a heavy duty extra wide (bariatric) bed, E0301 and "
              "E0303, is for a patient weighing more than 350 pounds and not more than 600 pounds"),
    CoderName(("duoneb",), ("J7620",),
              "FDA label (DailyMed): DUONEB (ipratropium bromide and albuterol sulfate) inhalation solution, 0.5 mg/"
              "2.5 mg per 3 ml; HCPCS J7620 'albuterol, up to 2.5 mg and ipratropium bromide, up to 0.5 mg, "
              "FDA-approved final product, non-compounded, administered through DME'"),
    CoderName(("knee walker", "knee scooter", "knee roller"), ("E0118",),
              "HCPCS E0118 'crutch substitute, lower leg platform, with or without wheels' is the knee walker or knee "
              "scooter (Noridian DME MAC Jurisdiction D article 'E0118 - Crutch Substitute', 2010, reposted 2017: "
              "Medicare coverage denied)"),
    CoderName(("CAM boot", "CAM walker", "controlled ankle motion walker", "fracture boot"), ("L4387", "L4386"),
              "CAM (controlled ankle motion) walker is the product name manufacturers and orthotists use for the "
              "non-pneumatic walking boot, HCPCS L4386/L4387 'walking boot, non-pneumatic ... prefabricated' (the "
              "pneumatic one is L4360/L4361)"),
    CoderName(("post op shoe", "post-op shoe", "postoperative shoe", "surgical shoe"), ("L3260",),
              "HCPCS L3260 'surgical boot/shoe, each', the shoe worn after foot surgery (DME MAC Jurisdiction "
              "Supplier Manuals, orthopedic footwear: surgical boots and shoes are coded L3260)"),
    CoderName(("extra depth shoe", "extra-depth shoe", "extra depth shoes", "diabetic shoe", "diabetic shoes",
               "depth shoe"), ("A5500",),
              "CMS Medicare Benefit Policy Manual 100-02 Ch. 15 s. 140 and DME MAC LCD L33369 (therapeutic shoes for "
              "persons with diabetes): the extra-depth shoe is A5500, 'off-the-shelf depth-inlay shoe'"),
    CoderName(("custom molded shoe", "custom-molded shoe", "custom molded diabetic shoe"), ("A5501",),
              "100-02 Ch. 15 s. 140 and LCD L33369: the custom-molded therapeutic shoe is A5501"),
    CoderName(("diabetic insert", "diabetic inserts", "diabetic shoe insert"), ("A5512", "A5513", "A5514"),
              "100-02 Ch. 15 s. 140 and LCD L33369: inserts for diabetic shoes are A5512-A5514 by how they are made"),
    # Medicare preventive and care-management services by the abbreviations CMS itself uses for them (the HCPCS
    # descriptors spell them out): coders type "DSMT", "IBT", "HCV screening", "PIN".
    CoderName(("SBIRT", "SBIRT services", "screening and brief intervention"), ("G2011", "G0396", "G0397"),
              "CMS MLN booklet 'Screening, Brief Intervention, and Referral to Treatment (SBIRT) Services': Medicare "
              "pays SBIRT with G2011 (5-14 minutes), G0396 (15-30 minutes) and G0397 (more than 30 minutes)"),
    CoderName(("CPO", "care plan oversight", "home health care plan oversight"), ("G0181",),
              "CMS 100-04 Ch. 12 s. 180 (care plan oversight services): G0181 for a patient of a home health agency"),
    CoderName(("CPO", "care plan oversight", "hospice care plan oversight"), ("G0182",),
              "CMS 100-04 Ch. 12 s. 180 (care plan oversight services): G0182 for a hospice patient"),
    CoderName(("DSMT", "diabetes self-management training", "diabetes education"), ("G0108", "G0109"),
              "CMS Medicare Benefit Policy Manual 100-02 Ch. 15 s. 300 and MLN 'Medicare Preventive Services': "
              "Diabetes Self-Management Training (DSMT), G0108 individual and G0109 group"),
    CoderName(("MNT", "MNT reassessment", "nutrition counseling"), ("G0270", "G0271"),
              "CMS 100-04 Ch. 4 s. 300 and MLN 'Medicare Preventive Services': Medical Nutrition Therapy (MNT); "
              "G0270/G0271 are the reassessment after a second referral in the same year"),
    CoderName(("CHI", "CHI services", "community health worker services"), ("G0019", "G0022"),
              "CY 2024 Physician Fee Schedule final rule (88 FR 78818, 16 November 2023): community health "
              "integration (CHI) services, G0019 and G0022"),
    CoderName(("PIN", "PIN services", "navigation services"), ("G0023", "G0024"),
              "CY 2024 PFS final rule (88 FR 78818): principal illness navigation (PIN) services, G0023 and G0024"),
    CoderName(("PIN-PS", "PIN peer support", "peer support navigation"), ("G0140", "G0146"),
              "CY 2025 PFS final rule (89 FR 97710, 9 December 2024): principal illness navigation - peer support "
              "(PIN-PS), G0140 and G0146"),
    CoderName(("IBT", "IBT for CVD", "CVD IBT", "cardiovascular IBT", "heart disease counseling"), ("G0446",),
              "CMS NCD 210.11 and MLN 'Medicare Preventive Services': Intensive Behavioral Therapy (IBT) for "
              "Cardiovascular Disease (CVD), G0446"),
    CoderName(("IBT", "IBT for obesity", "obesity IBT", "obesity counseling"), ("G0447", "G0473"),
              "CMS NCD 210.12 and MLN 'Medicare Preventive Services': Intensive Behavioral Therapy (IBT) for "
              "Obesity, G0447 individual and G0473 group"),
    CoderName(("HCV screening", "hep C screening", "hepatitis C screening"), ("G0472",),
              "CMS NCD 210.13 and MLN 'Medicare Preventive Services': Hepatitis C Virus (HCV) screening, G0472"),
    CoderName(("HBV screening", "hep B screening", "hepatitis B screening"), ("G0499",),
              "CMS NCD 210.6 and MLN 'Medicare Preventive Services': screening for Hepatitis B Virus (HBV) "
              "infection, G0499"),
    CoderName(("HIBC", "STI counseling", "STI HIBC"), ("G0445",),
              "CMS NCD 210.10 and MLN 'Medicare Preventive Services': Sexually Transmitted Infections (STIs) "
              "screening and High-Intensity Behavioral Counseling (HIBC), G0445"),
    CoderName(("DRE", "screening DRE", "prostate exam screening"), ("G0102",),
              "CMS NCD 210.1 and MLN 'Medicare Preventive Services': prostate cancer screening, digital rectal "
              "exam (DRE), G0102"),
    CoderName(("pap smear", "pap test", "pap collection", "pap smear collection"), ("Q0091",),
              "CMS NCD 210.2 and MLN 'Medicare Preventive Services': screening Pap test, obtaining, preparing and "
              "conveying the specimen, Q0091"),
    CoderName(("LCS counseling", "lung cancer screening counseling", "LDCT shared decision making"), ("G0296",),
              "CMS NCD 210.14: lung cancer screening with low dose CT (LDCT) requires a counseling and shared "
              "decision-making visit, G0296"),
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
    CoderName(("locum tenens", "locum", "locums", "fee-for-time substitute"), ("Q6",),
              "CMS 100-04 Ch. 1 s. 30.2.11, 'fee-for-time compensation arrangements (formerly referred to as locum "
              "tenens arrangements)': the substitute's services are billed with modifier Q6"),
    CoderName(("teaching physician", "resident with teaching physician", "resident supervised"), ("GC",),
              "CMS 100-04 Ch. 12 s. 100.1.1: modifier GC, a service performed in part by a resident under the "
              "direction of a teaching physician"),
    CoderName(("primary care exception",), ("GE",),
              "CMS 100-04 Ch. 12 s. 100.1.1 C: the primary care exception, services by a resident without the "
              "presence of a teaching physician, are billed with modifier GE"),
    CoderName(("voluntary ABN", "voluntary notice"), ("GX",),
              "CMS 100-04 Ch. 30 s. 40.3.6: modifier GX, a notice of liability issued voluntarily (an ABN given for "
              "a statutorily excluded service)"),
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
