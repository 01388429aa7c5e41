"""Citation strings: the public source of each rule, as compiled in the team's rules notes (rules.md).

One constant per source so that a table row and the answer quote the same words. Where the CPT book itself was
not available the citation names the secondary source that quotes it.
"""

from __future__ import annotations

CPT_TIME_RULE = "CPT time rule (CPT introduction, as quoted by Premera 'Billing for Time')"
CPT_ADDON_HOURS = (
    "CPT 'each additional hour' add-ons: unit n at 60*n+31 total minutes (derived from the CPT time rule; "
    "matches the 96366 table on codingahead.com)"
)
SUBQ_DESCRIPTORS = "CPT 96369/96370/96371 descriptors (codingahead.com/cpt/codes/96369-96371; clearcostestimate.com)"
SUBQ_FLOOR_UNCONFIRMED = (
    "Recalled CPT note 'infusions of 15 minutes or less: use 96372' (UNCONFIRMED, no stored source)"
)
SUBQ_ONCE_UNCONFIRMED = "Recalled CPT note 'use 96369, 96371 only once per encounter' (UNCONFIRMED)"
MUE_PRACTITIONER = "CMS practitioner MUE table effective 2026-04-01"
HYDRATION = (
    "CPT hydration guideline 96360/96361 (codingahead 96360; AAPC Onc/Hem Alert 'Hydration in Focus', 2012; "
    "AAPC forum thread 110083 quoting the CPT introduction)"
)
IV_INFUSION = "CPT 96365/96366 (AAPC Pulmonology Alert 'Infusion codes necessitate constant supervision')"
IV_SEQUENTIAL = "CPT 96367/96368 descriptors (carecostestimate.com; obc.med.miami.edu)"
PUSH_DEFINITION = (
    "CPT push definition: an injection with the professional continuously present, or an infusion of 15 minutes "
    "or less (AAPC Onc/Hem Alert 'Push your understanding of these IV codes')"
)
IV_PUSH = "CPT 96374/96375/96376 (AAPC 'Skip 96376 on physician claim'; Select Health policy #09; obc.med.miami.edu)"
PUSH_96376_FACILITY = "96376 is reported by facilities only: status X on the Medicare PFS (AAPC; Select Health #09)"
ONE_INITIAL = (
    "NCCI Policy Manual Ch. XI: one initial service unless separate IV sites (AAPC 'Do 2 trips allow 2 initial "
    "codes'); Medicare Claims Processing Manual Ch. 4 §230.2 (OPPS): one initial per vascular site per encounter"
)
INITIAL_PROFESSIONAL = (
    "CPT drug administration guidelines, professional: the initial code is the key or primary reason for the "
    "encounter (rmcinc.org 'Infusions, injections and hydration')"
)
INITIAL_FACILITY = (
    "CPT drug administration guidelines, facility hierarchy: chemo > therapeutic > hydration; infusion > push > "
    "injection (rmcinc.org; libmaneducation.com)"
)
INJECTION = "CPT 96372 therapeutic SC/IM injection (AAPC Primary Care Alert; cms1500claimbilling.com)"
CHEMO_INFUSION = (
    "CPT 96413/96415 note: 96415 for intervals of more than 30 minutes beyond 1-hour increments (Janssen Remicade "
    "guide 2017; carecostestimate 96413-96415)"
)
CHEMO_SEQUENTIAL = "CPT +96417 sequential infusion of a different drug, up to 1 hour (codingahead 96415/96416)"
CHEMO_PROLONGED = "CPT 96416 prolonged chemotherapy infusion over 8 hours with a pump (codingahead 96416)"
CHEMO_PUSH = "CPT 96409/+96411 chemotherapy push, initial / each additional drug (code descriptors; push definition)"
CRITICAL_CARE_CPT = "CPT critical care time table 99291/99292 (AAPC forum thread 36312)"
CRITICAL_CARE_MEDICARE = (
    "CMS MLN MM12982 and CY2023 PFS final rule: 99292 from 104 minutes, each further unit a full 30 minutes "
    "(NGS Medicare FAQ; codingintel.com)"
)
CRITICAL_CARE_30_31 = "kohlerhealthcareconsulting.com says 99291 needs 31 minutes; the CPT table says 30"
OFFICE_EM_CPT = (
    "CPT 2024 office E/M total time thresholds, met or exceeded (americanmedicalcoding.com 2024 table; "
    "AAPC Primary Care Alert)"
)
OFFICE_EM_MEDICARE = "CMS 2021 E/M fact sheet: CMS generally adopts the CPT framework (2024 adoption UNCONFIRMED)"
PROLONGED_CPT = "CPT 99417 prolonged office service, each full 15 minutes (rvudoc.com/billing/codes/99417)"
PROLONGED_MEDICARE = (
    "CMS G2212 (CMS fact sheet Jan 11 2021: '99205 x 1 and G2212 x 1 - 89-103 minutes'; rvudoc.com/billing/codes/G2212)"
)
PSYCHOTHERAPY = (
    "Novitas JL psychotherapy codes page ('do not report psychotherapy codes for any session lasting less than "
    "16 minutes'); AAPC Psychiatry Alert"
)
THERAPY_MEDICARE = "Medicare Claims Processing Manual Ch. 5 §20.2 (8-minute rule; First Coast chart)"
THERAPY_CPT = (
    "CPT time rule per code, the 'AMA rule of 8s' many commercial payers use (prompthealth.com/blog/ama-rule; "
    "WebPT '8-minute rule showdown')"
)
SEDATION = "CPT moderate sedation 99151-99157 (AAPC EM Alert 2017 chart; AAPC forum thread 187465)"
SEDATION_MEDICARE_FACILITY = "Palmetto GBA JM: 99153 denied in a facility place of service (PC/TC indicator 3)"
ANESTHESIA_MEDICARE = (
    "Medicare Claims Processing Manual Ch. 12 §50: time units = anesthesia minutes / 15, rounded to one decimal "
    "(AAPC forum quoting the manual; anesthesiabilling.org)"
)
ANESTHESIA_COMMERCIAL = "Commercial anesthesia time-unit rounding is payer-specific (UNCONFIRMED)"
DRUG_UNITS = (
    "Medicare Claims Processing Manual Ch. 17 §10 and CMS RAC topic 0074: dose / billing unit, rounded up to the "
    "next unit; a dose below one billing unit is 1 unit"
)
JW_JZ = "CMS JW/JZ modifier policy for single-dose containers, Part B (First Coast JW/JZ page)"
