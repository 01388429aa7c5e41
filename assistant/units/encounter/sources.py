"""Citation strings for the encounter rules, as compiled in the team's notes (encounters.md, rules.md).

Keys: NCCI-XI = NCCI Policy Manual for Medicare Services Ch. XI §B; CPM4 = Medicare Claims Processing Manual
100-04 Ch. 4 §230.2; CPM12 = 100-04 Ch. 12 §30.5. UNCONFIRMED marks a rule with no stored primary source.
"""

from __future__ import annotations

ONE_INITIAL_FACILITY = (
    "CPM4 §230.2 B/C: one initial drug administration service per vascular access site per encounter (Noridian JE A "
    "'Initial Drug Administration')"
)
ONE_INITIAL_PROFESSIONAL = (
    "NCCI-XI: only one initial service (96360, 96365, 96374, 96409, 96413) per encounter unless separate IV access "
    "sites are medically necessary; modifier 59/XE/XS/XP/XU (AAPC Onc Alert 136211; CMS RAC issue 0071)"
)
HIERARCHY_FACILITY = (
    "CPT facility hierarchy, chemotherapy/complex > therapeutic > hydration, infusion > push > injection; it "
    "supersedes parenthetical instructions (Noridian JE A; rmcinc.org)"
)
PRIMARY_PROFESSIONAL = (
    "CPT professional rule: the initial code is the key or primary reason for the encounter, irrespective of the "
    "order (AAPC Onc Alert 171590; CPM12 §30.5)"
)
IV_HOURS = "CPT 96365/+96366: first hour, each further hour past 30 minutes (AAPC Pulmonology Alert; CPT time rule)"
SEQUENTIAL = (
    "CPT +96367 sequential infusion of a new drug, +96366 for its own further hours (AAPC Onc 'Primary reason goes "
    "before prophylactics'; AAPC 131995; iframe.ai/96366)"
)
SAME_DRUG_INFUSION = (
    "Repeat infusion of the same drug: CPT as quoted by iframe.ai gives +96366; Haugen Q&A codes 96376 "
    "(UNCONFIRMED conflict, encounters.md A3)"
)
CONCURRENT = (
    "CPT +96368 concurrent infusion, once per encounter (CMS practitioner MUE 1, MAI 2 'CPT Instruction'; "
    "carecostestimate; AAPC Onc 170567)"
)
PARTIAL_OVERLAP = (
    "Two drugs overlapping in part: the overlap counts once, the earlier drug's time ends where the later one "
    "starts (Medlearn 2022-01-31, encounters.md E8)"
)
PUSH_DEFINITION = (
    "CPT push definition: an injection with the professional continuously present, or an infusion of 15 minutes "
    "or less (Noridian JF B; AAPC Onc/Hem Alert)"
)
PUSHES = "CPT 96374/+96375/+96376 (AAPC 'Skip 96376 on physician claim'; Select Health policy #09)"
PUSH_96376_FACILITY = (
    "+96376 is reported by facilities only (CPT Assistant Dec 2011 via SuperCoder; practitioner MUE 0 'CMS Policy')"
)
CHEMO_HOURS = (
    "CPT 96413/+96415: 96415 for intervals of more than 30 minutes beyond 1-hour increments (Janssen Remicade "
    "guide; carecostestimate)"
)
CHEMO_SEQUENTIAL = "CPT +96417 each sequential infusion of a different drug, up to 1 hour (codingahead 96415/96416)"
CHEMO_SEQUENTIAL_HOURS = (
    "+96415 for a sequential chemotherapy infusion's own further hours: recalled CPT parenthetical, carecostestimate "
    "only (UNCONFIRMED: check the primaries of 96415 in the CMS Add-on Code file)"
)
CHEMO_PUSH = "CPT 96409/+96411 chemotherapy push, initial / each additional drug (code descriptors; MUE 96411 3)"
CHEMO_PUMP = (
    "CPT 96416: initiation of a prolonged chemotherapy infusion (more than 8 hours) requiring a portable or "
    "implantable pump; MUE 1 (codingahead 96416; encounters.md A8/A9)"
)
NON_CHEMO_PUMP = "OPPS C8957 non-chemotherapy prolonged infusion with a pump (encounters.md A8; UNCONFIRMED)"
CHEMO_INJECTION = (
    "CPT 96401 non-hormonal / 96402 hormonal antineoplastic SC or IM injection (descriptors; Noridian JE A; "
    "encounters.md A7)"
)
CHEMO_SCOPE = (
    "Chemotherapy administration covers antineoplastics and some monoclonal antibodies and biologic response "
    "modifiers (Noridian JE A; CMS Transmittal 129); drug lists are defaults only (TDL 12397, CR 13468)"
)
CHEMO_OTHER_ROUTES = "CPT 96405 intralesional and 96450 intrathecal chemotherapy administration (code descriptors)"
INJECTION = "CPT 96372 therapeutic SC/IM injection, one per injection (AAPC Primary Care Alert; Noridian JE A)"
SUBQ = "CPT 96369/+96370/+96371 subcutaneous infusion (codingahead 96369-96371; rules.md 1)"
HYDRATION_INITIAL = "CPT 96360/+96361: 31 minutes minimum, further hours past 30 minutes (AAPC forum 110083)"
HYDRATION_CONCURRENT = (
    "NCCI-XI: hydration concurrent with other drug administration services is not separately reportable "
    "(Highmark A47797 via AAPC); hydration is never a concurrent infusion (Select Health #09)"
)
HYDRATION_SECONDARY = (
    "+96361 after a different initial service, for its own drug-free time: 31-90 minutes 1 unit, 91-150 2; separate "
    "hydration intervals are added (Noridian A54635; AAPC Onc 159393; Medlearn 2021)"
)
HYDRATION_SPLIT = (
    "Hydration before and after a drug infusion: CPT Assistant Jun 2007 adds the segments, a payer refused "
    "(AAPC forum 196971): added here, flagged"
)
HYDRATION_CHEMO = (
    "NCCI-XI (B.4): hydration before or after chemotherapy is reported only when medically necessary; hydration a "
    "drug's label requires is integral (Noridian JE A)"
)
KEEP_OPEN = (
    "Keep-open (KVO) fluid is not separately reported and never takes the further-hour codes (CMS RAC 0137; "
    "NCCI-XI B.16; Noridian JE A 'Hydration')"
)
DATES = (
    "CPM4 §230.2 and Transmittal 1702: each line takes the date the service was given, one initial for the whole "
    "encounter; which date gets the hours of a run over midnight is UNCONFIRMED (encounters.md A9)"
)
DRUG_UNITS = (
    "100-04 Ch. 17 §10 and CMS RAC topic 0074: dose / billing unit, rounded up; a dose below one billing unit is "
    "1 unit (ASP file hcpcs_code_dosage)"
)
JW_JZ = "100-04 Ch. 17 §40 and MM13056: JW for a discarded amount, JZ when none was discarded (single-dose containers)"
MUE = "CMS NCCI MUE tables (practitioner or outpatient hospital by setting)"
PTP = "CMS NCCI procedure-to-procedure (PTP) edits"
PHYSICIAN_IN_FACILITY = (
    "CPT via AAPC (encounters.md A1): physicians do not report 96360-96379 for services given in a facility; the "
    "facility reports them"
)
# Relations between administrations (issue 17 class 4; encounters.md A4, A5, A8).
MIXTURE = (
    "Drugs mixed in one syringe or one bag are one administration (one push or one infusion), each drug reported "
    "with its own HCPCS line (ASCO via AAPC forum 14684; encounters.md A4)"
)
CARRIER = (
    "NCCI-XI B.5: fluid used to administer a drug is incidental hydration and is not separately reported "
    "(encounters.md A5)"
)
INCLUDED = (
    "CPT drug administration notes: access to an indwelling IV, catheter or port, the IV start and the flush at the "
    "end of an infusion are included in the administration service; NCCI PTP pairs 96523 (port flush) with 96360, "
    "96365, 96372 and 96413 at modifier indicator 0; a port flush alone is 96523 (encounters.md A8)"
)
SHARED_RANGE = (
    "Drugs documented as running at the same time on the same line share that range; the second drug is the "
    "concurrent infusion +96368, once per encounter (AAPC Onc 170567, encounters.md A4/E14)"
)
