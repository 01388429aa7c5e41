"""Citation strings, each with its source type: the public source of every rule the engine applies.

One constant per source so that a table row and the answer quote the same words. Each citation names the
primary source first where one exists (CMS Claims Processing Manual 100-04 chapter and section, NCCI Policy Manual,
MLN article, Federal Register rule with its page, CMS data files, HCPCS descriptors); the secondary pages that
quote or explain it follow as "see also". Where CPT itself is the rule, the CPT section and year are named, quoted
through a public source. Rules with no stored primary source keep an UNCONFIRMED citation.

`KINDS` gives each citation's type; `is_authoritative` says whether a list of citations names at least one primary
(or CPT, or contractor) source. A test fails if any rule's citations are all secondary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Literal

SourceKind = Literal["primary", "cpt", "contractor", "secondary", "derived", "unconfirmed"]
"""primary: CMS manual / NCCI manual / MLN / Federal Register / CMS data file or HCPCS descriptor.
cpt: the CPT code set (descriptor or guideline) named by section and year, quoted through a public source.
contractor: a Medicare Administrative Contractor's published article, FAQ or table (CMS's agent).
secondary: coding blogs, forum threads, vendors, commercial payer pages (only ever "see also").
derived: arithmetic that follows from a cited rule. unconfirmed: recalled, no stored source."""

AUTHORITATIVE: frozenset[SourceKind] = frozenset({"primary", "cpt", "contractor"})

_KINDS: dict[str, SourceKind] = {}


def _source(kind: SourceKind, text: str) -> str:
    _KINDS[text] = kind
    return text


# --- general time rules -------------------------------------------------------------------------------------------
CPT_TIME_RULE = _source(
    "cpt",
    "CPT Introduction, time rule: a unit of time is attained when the midpoint is passed (see also Premera "
    "'Billing for Time', which quotes it)",
)
CPT_ADDON_HOURS = _source(
    "derived",
    "CPT 'each additional hour' add-ons: unit n at 60*n+31 total minutes (derived from the CPT time rule; see also "
    "the 96366 table on codingahead.com)",
)
CPM12_DRUG_ADMIN = _source(
    "primary",
    "Medicare Claims Processing Manual 100-04 Ch. 12 §30.5 (drug administration: an additional hour needs more "
    "than 30 minutes beyond the last hour; the initial code is the primary reason for the encounter)",
)
ADD_ON_CODE_LIST = _source(
    "primary", "CMS NCCI add-on code list: each add-on with its listed primary codes ('report with')"
)
MUE_PRACTITIONER = _source("primary", "CMS NCCI practitioner MUE table effective 2026-04-01")
PTP_PRACTITIONER = _source("primary", "CMS NCCI practitioner PTP edits, 2026 Q2")

# --- subcutaneous infusion ----------------------------------------------------------------------------------------
SUBQ_DESCRIPTORS = _source(
    "cpt", "CPT 96369/96370/96371 descriptors (see also codingahead.com/cpt/codes/96369-96371; clearcostestimate.com)"
)
SUBQ_FLOOR_UNCONFIRMED = _source(
    "unconfirmed", "Recalled CPT note 'infusions of 15 minutes or less: use 96372' (UNCONFIRMED, no stored source)"
)
SUBQ_ONCE_UNCONFIRMED = _source(
    "unconfirmed", "Recalled CPT note 'use 96369, 96371 only once per encounter' (UNCONFIRMED)"
)

# --- hydration, therapeutic infusions, pushes, injections ---------------------------------------------------------
HYDRATION = _source(
    "cpt",
    "CPT Medicine section, hydration guidelines 96360/96361: not reported for 30 minutes or less (see also "
    "CMS MCD Billing and Coding article A52732 'Hydration Services'; AAPC Onc/Hem Alert 'Hydration in Focus', 2012; "
    "AAPC forum thread 110083 quoting the CPT introduction)",
)
IV_INFUSION = _source(
    "cpt", "CPT 96365/96366 descriptors (see also AAPC Pulmonology Alert 'Infusion codes necessitate constant "
    "supervision')"
)
IV_SEQUENTIAL = _source(
    "cpt",
    "CPT 96367/96368 descriptors; 96368 once per encounter (CMS practitioner MUE 1, 'CPT instruction') (see also "
    "carecostestimate.com; obc.med.miami.edu)",
)
PUSH_DEFINITION = _source(
    "cpt",
    "CPT Medicine section, drug administration: a push is an injection with the professional continuously "
    "present, or an infusion of 15 minutes or less (see also Noridian JF B; AAPC Onc/Hem Alert 'Push your "
    "understanding of these IV codes')",
)
IV_PUSH = _source(
    "cpt", "CPT 96374/96375/96376 descriptors (see also AAPC 'Skip 96376 on physician claim'; Select Health "
    "policy #09)"
)
PUSH_96376_FACILITY = _source(
    "primary",
    "CMS PFS relative value file: 96376 carries status X (not paid on the physician fee schedule); CMS practitioner "
    "MUE 0 ('CMS Policy') (see also AAPC; Select Health #09)",
)
ONE_INITIAL = _source(
    "primary",
    "NCCI Policy Manual for Medicare Services Ch. XI §B: one initial service unless separate IV access sites; "
    "Medicare Claims Processing Manual 100-04 Ch. 4 §230.2 (OPPS): one initial per vascular access site per "
    "encounter (see also AAPC 'Do 2 trips allow 2 initial codes'; Noridian JE A)",
)
INITIAL_PROFESSIONAL = _source(
    "primary",
    "Medicare Claims Processing Manual 100-04 Ch. 12 §30.5 and the CPT drug administration guidelines: on a "
    "professional claim the initial code is the key or primary reason for the encounter (see also rmcinc.org "
    "'Infusions, injections and hydration')",
)
INITIAL_FACILITY = _source(
    "primary",
    "Medicare Claims Processing Manual 100-04 Ch. 4 §230.2 (OPPS drug administration) and the CPT facility "
    "hierarchy: chemo > therapeutic > hydration; infusion > push > injection (see also Noridian JE A 'Initial Drug "
    "Administration'; libmaneducation.com)",
)
INJECTION = _source(
    "cpt", "CPT 96372 descriptor, therapeutic SC/IM injection (see also AAPC Primary Care Alert)"
)

# --- chemotherapy -------------------------------------------------------------------------------------------------
CHEMO_INFUSION = _source(
    "cpt",
    "CPT 96413/96415 note: 96415 for intervals of more than 30 minutes beyond 1-hour increments (see also Janssen "
    "Remicade guide 2017; carecostestimate 96413-96415)",
)
CHEMO_SEQUENTIAL = _source(
    "cpt", "CPT +96417 descriptor: sequential infusion of a different drug, up to 1 hour (see also codingahead)"
)
CHEMO_PROLONGED = _source(
    "cpt", "CPT 96416 descriptor: prolonged chemotherapy infusion over 8 hours with a pump (see also codingahead)"
)
CHEMO_PUSH = _source("cpt", "CPT 96409/+96411 descriptors: chemotherapy push, initial / each additional drug")

# --- critical care ------------------------------------------------------------------------------------------------
CRITICAL_CARE_CPT = _source(
    "cpt", "CPT E/M guidelines, critical care time table 99291/99292 (see also AAPC forum thread 36312)"
)
CRITICAL_CARE_MEDICARE = _source(
    "primary",
    "Medicare Claims Processing Manual 100-04 Ch. 12 §30.6.12 (critical care): 99292 from 104 minutes (74 + 30), "
    "each further unit a full 30 minutes; §30.6.12.5 corrected from 75 to 104 by Transmittal R11828CP (CR 13065, "
    "2023); MLN Matters MM12982 (see also NGS Medicare critical care FAQ)",
)
CRITICAL_CARE_30_31 = _source(
    "secondary", "kohlerhealthcareconsulting.com says 99291 needs 31 minutes; the CPT table says 30"
)

# --- office E/M and prolonged services ----------------------------------------------------------------------------
OFFICE_EM_CPT = _source(
    "cpt",
    "CPT 2024 E/M guidelines, office or other outpatient visits: total time on the date, met or exceeded (see also "
    "americanmedicalcoding.com 2024 table; AAPC Primary Care Alert)",
)
OFFICE_EM_MEDICARE = _source(
    "primary",
    "CY 2021 PFS final rule (85 FR 84472): CMS adopts the CPT office E/M time framework; CMS E/M fact sheet 2021 "
    "(its adoption of the 2024 wording is UNCONFIRMED in a stored CMS text)",
)
PROLONGED_CPT = _source(
    "cpt", "CPT 2024 +99417 prolonged outpatient service, each full 15 minutes (see also rvudoc.com 99417)"
)
PROLONGED_MEDICARE = _source(
    "primary",
    "HCPCS G2212 descriptor; CMS E/M fact sheet (Jan 11 2021): '99205 x 1 and G2212 x 1 - 89-103 minutes' (see "
    "also rvudoc.com G2212)",
)

# --- psychiatry ---------------------------------------------------------------------------------------------------
PSYCHOTHERAPY = _source(
    "contractor",
    "Novitas JL psychotherapy codes: 'do not report psychotherapy codes for any session lasting less than 16 "
    "minutes'; CPT 2013 psychotherapy time ranges 16-37, 38-52, 53+ (see also AAPC Psychiatry Alert)",
)
CRISIS = _source(
    "cpt",
    "CPT 2013 psychiatry guidelines, psychotherapy for crisis: 90839 for the first 30-74 minutes, +90840 for each "
    "further 30 minutes; CMS practitioner MUE 90839 = 1 per day, 90840 = 3 (see also BCBS IL policy; Headway; "
    "AAPC 142294)",
)
CRISIS_MEDICARE = _source(
    "primary",
    "CMS 'Psychotherapy for Crisis' page and CY 2024 PFS final rule: 90839/90840 paid under the PFS; G0017/G0018 "
    "for crisis services at a non-office site of service, paid at 150%",
)
CRISIS_UNDER_30 = _source(
    "unconfirmed", "Recalled CPT note: crisis psychotherapy under 30 minutes is reported as 90832/90833 (UNCONFIRMED)"
)
CRISIS_30_31 = _source("secondary", "AAPC 142294 reads 90839 as 31-74 minutes; other sources say 30")
INTERACTIVE_COMPLEXITY = _source(
    "cpt",
    "CPT +90785 interactive complexity: with 90791/90792, 90832-90838 and 90853, never with 90839/90840; NCCI PTP "
    "edit 90785/90839 indicator 0 (CMS PTP 2026 Q2) (see also BCBS IL policy)",
)
FAMILY_PSYCHOTHERAPY = _source(
    "cpt",
    "CPT 90846/90847 (50-minute codes; not reported under 26 minutes, the midpoint); CMS practitioner MUE 1 each; "
    "NCCI PTP 90846/90847 indicator 1, mutually exclusive (see also Nicoletti 2016)",
)

# --- PT/OT --------------------------------------------------------------------------------------------------------
THERAPY_MEDICARE = _source(
    "primary", "Medicare Claims Processing Manual 100-04 Ch. 5 §20.2 (8-minute rule) (see also First Coast chart)"
)
THERAPY_CPT = _source(
    "secondary",
    "CPT time rule per code, the 'AMA rule of 8s' many commercial payers use (see also prompthealth.com/blog/ama-rule; "
    "WebPT '8-minute rule showdown')",
)
THERAPY_UNTIMED = _source(
    "primary",
    "Medicare Claims Processing Manual 100-04 Ch. 5 §20.2: untimed (service-based) codes are 1 unit whatever the "
    "time and are not counted in the timed minutes; Medicare Benefit Policy Manual 100-02 Ch. 15 §220.3 (total "
    "timed minutes and total treatment minutes documented) (see also First Coast; mmplusinc)",
)
THERAPY_G0283 = _source(
    "primary",
    "HCPCS G0283 (unattended electrical stimulation, Medicare); 97014 is status I on the Medicare PFS and its CMS "
    "practitioner MUE is 0; 97010 is bundled (MUE 0, 'CMS Policy')",
)

# --- sedation -----------------------------------------------------------------------------------------------------
SEDATION = _source(
    "cpt",
    "CPT 2017 moderate sedation guidelines 99151-99157: not reported under 10 minutes, add-on per 15 minutes past "
    "the midpoint (see also AAPC EM Alert 2017 chart; AAPC forum thread 187465)",
)
SEDATION_MEDICARE_FACILITY = _source(
    "contractor", "Palmetto GBA JM: 99153 denied in a facility place of service (PC/TC indicator 3)"
)
SEDATION_G0500 = _source(
    "primary",
    "HCPCS G0500 descriptor (moderate sedation by the physician performing a GI endoscopy, first 15 minutes, patient "
    "5 or older; further time with 99153), effective 2017-01-01 with the CY 2017 PFS final rule; NCCI PTP "
    "99152/G0500 indicator 1; MUE G0500 = 1 (see also ASGE moderate sedation FAQ)",
)
SEDATION_99153_CONFLICT = _source(
    "secondary",
    "ASGE moderate sedation FAQ reads 99153 after G0500 as needing the whole further 15 minutes (38), not the "
    "CPT midpoint (23)",
)

# --- hospital, nursing facility and home E/M ----------------------------------------------------------------------
OTHER_EM_CPT = _source(
    "cpt",
    "CPT 2023 E/M guidelines for hospital inpatient and observation care, nursing facility and home or residence "
    "services: total time on the date, met or exceeded (see also AAFP 'CMS E/M coding update'; codingahead)",
)
OTHER_EM_MEDICARE = _source(
    "primary",
    "CY 2023 PFS final rule (CMS-1770-F, 87 FR 69404, Nov 18 2022): CMS adopts the 2023 CPT 'Other E/M' "
    "framework and creates G0316/G0317/G0318; thresholds corrected by CMS-1770-F2 (88 FR 15918, Mar 15 2023)",
)
PROLONGED_99418 = _source(
    "cpt",
    "CPT 2023 +99418: each full 15 minutes beyond the required time of 99223, 99233, 99236, 99255, 99306 or 99310; "
    "not for a unit under 15 minutes (see also kaconsults.cbiz.com '2023 changes to prolonged services')",
)
PROLONGED_G031X = _source(
    "primary",
    "HCPCS G0316/G0317/G0318 descriptors ('do not report for any time unit less than 15 minutes'); CY 2023 PFS "
    "final rule as corrected (88 FR 15918): G0316 at 90 minutes with 99223 and 65 with 99233; G0317 at 95 with "
    "99306 and 85 with 99310; G0318 at 140 with 99345 and 110 with 99350 (see also NGS prolonged services "
    "timetable 2025; AAFP table)",
)
NF_99306_TIME = _source(
    "unconfirmed",
    "99306 total time: 50 minutes in the 2024+ CPT wording (iframe.ai 2025; NGS 2025), 45 in the 2023 wording (AOA "
    "2023; codingahead): which year's book applies is UNCONFIRMED for the date of service",
)
DISCHARGE = _source(
    "cpt",
    "CPT 99238/99239 descriptors: discharge day management 30 minutes or less / more than 30 minutes; no "
    "prolonged G0316 with discharge codes (Novitas G0316 FAQ) (see also AAPC)",
)

# --- care management ----------------------------------------------------------------------------------------------
CARE_MANAGEMENT = _source(
    "primary",
    "CMS MLN909188 'Chronic Care Management Services' booklet: 99490 first 20 minutes of clinical staff time per "
    "calendar month, +99439 each further 20; 99491 30 minutes of practitioner time, +99437 each further 30; 99487 "
    "60 minutes, +99489 each further 30; PCM 99424/+99425 and 99426/+99427 30 minutes each; CMS practitioner MUE "
    "99439 = 2 (see also NGS and Noridian JF A CCM pages)",
)
CARE_MANAGEMENT_PTP = _source(
    "primary", "NCCI PTP 2026 Q2: 99490 with 99491, 99424 with 99490 and 99487 with 99490/99491 are indicator 0"
)
CCM_99489_CONFLICT = _source(
    "secondary", "immedicaresolutions bills 99489 at 85 minutes (60 + 25); orbdoc and clinii need the full 30 (90)"
)

# --- anesthesia ---------------------------------------------------------------------------------------------------
ANESTHESIA_MEDICARE = _source(
    "primary",
    "Medicare Claims Processing Manual 100-04 Ch. 12 §50.G: the claim reports the actual anesthesia minutes; time "
    "units = minutes / 15, rounded to one decimal; none for 01995/01996 (see also AAPC 139718; anesthesiabilling.org)",
)
ANESTHESIA_BASE_UNITS = _source(
    "primary",
    "CMS Anesthesiologists Center: anesthesia base units by CPT code (the annual CMS file; base units reach the MACs "
    "with the HCPCS file, 100-04 Ch. 12 §50) (see also Palmetto JJ B anesthesia page)",
)
ANESTHESIA_COMMERCIAL = _source(
    "unconfirmed", "Commercial anesthesia time-unit rounding is payer-specific (UNCONFIRMED)"
)

# --- drugs --------------------------------------------------------------------------------------------------------
DRUG_UNITS = _source(
    "primary",
    "Medicare Claims Processing Manual 100-04 Ch. 17 §10 and CMS RAC topic 0074: dose / billing unit, rounded up to "
    "the next unit; a dose below one billing unit is 1 unit",
)
JW_JZ = _source(
    "primary",
    "CMS JW/JZ modifier policy FAQs; MLN Matters MM13056 (100-04 Ch. 17 §40) for single-dose containers, Part B "
    "(see also First Coast JW/JZ page)",
)

KINDS: Mapping[str, SourceKind] = MappingProxyType(_KINDS)


def kind_of(citation: str) -> SourceKind:
    """The type of a citation; text not declared here (e.g. built at run time) counts as secondary."""
    return KINDS.get(citation, "secondary")


def is_authoritative(citations: Iterable[str]) -> bool:
    """True when the citations name at least one primary, CPT or contractor source."""
    return any(kind_of(citation) in AUTHORITATIVE for citation in citations)


def is_unconfirmed(citations: Iterable[str]) -> bool:
    """True when a citation carries the UNCONFIRMED mark (a rule with no stored primary source)."""
    return any(kind_of(citation) == "unconfirmed" for citation in citations)
