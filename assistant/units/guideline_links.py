"""Which guideline article explains each rule the engine applies (one source of truth, issue 23 item 4).

Every family in `registry.REGISTRY` and every encounter rule (the citation constants of
`assistant/units/encounter/sources.py`, by name) names the article in `corpus/guidelines/` that explains it. The
chat links a units answer to its article ("Why: ..."); a test checks that every family and every encounter rule is
here, that the article exists and names the family, and that the thresholds the article states match the tables.
Plain data: the units engine stays a leaf library (it never reads the articles).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

FAMILY_ARTICLES: Mapping[str, str] = MappingProxyType({
    "subq_infusion": "subq-infusion",
    "hydration": "hydration-timing",
    "iv_infusion": "iv-infusion-timing",
    "iv_push": "iv-push",
    "injection": "injection-96372",
    "chemo_infusion": "chemo-infusion-timing",
    "chemo_push": "chemo-push",
    "critical_care": "critical-care-time",
    "office_em": "em-time-vs-mdm",
    "psychotherapy": "psychotherapy-time",
    "crisis_psychotherapy": "crisis-psychotherapy",
    "family_psychotherapy": "family-psychotherapy",
    "therapy": "medicare-8-minute-rule",
    "sedation": "moderate-sedation-time",
    "hospital_em": "hospital-em-time",
    "nursing_facility_em": "nursing-facility-em-time",
    "home_em": "home-em-time",
    "care_management": "care-management-time",
    "anesthesia": "anesthesia-time-units",
    "drug_units": "drug-units-rounding",
})

ENCOUNTER_RULE_ARTICLES: Mapping[str, str] = MappingProxyType({
    "ONE_INITIAL_FACILITY": "one-initial-per-encounter",
    "ONE_INITIAL_PROFESSIONAL": "one-initial-per-encounter",
    "HIERARCHY_FACILITY": "drug-admin-hierarchy-facility",
    "PRIMARY_PROFESSIONAL": "initial-service-professional",
    "IV_HOURS": "iv-infusion-timing",
    "SEQUENTIAL": "sequential-infusion",
    "SAME_DRUG_INFUSION": "sequential-infusion",
    "CONCURRENT": "concurrent-infusion",
    "PARTIAL_OVERLAP": "concurrent-infusion",
    "PUSH_DEFINITION": "push-vs-infusion",
    "PUSHES": "iv-push",
    "PUSH_96376_FACILITY": "push-96376-facility-only",
    "CHEMO_HOURS": "chemo-infusion-timing",
    "CHEMO_SEQUENTIAL": "chemo-infusion-timing",
    "CHEMO_SEQUENTIAL_HOURS": "chemo-infusion-timing",
    "CHEMO_PUSH": "chemo-push",
    "CHEMO_PUMP": "chemo-pump-96416",
    "NON_CHEMO_PUMP": "chemo-pump-96416",
    "CHEMO_INJECTION": "chemo-injection-96401",
    "CHEMO_SCOPE": "chemo-complex-biologics",
    "CHEMO_OTHER_ROUTES": "chemo-injection-96401",
    "INJECTION": "injection-96372",
    "SUBQ": "subq-infusion",
    "HYDRATION_INITIAL": "hydration-timing",
    "HYDRATION_CONCURRENT": "hydration-with-other-drugs",
    "HYDRATION_SECONDARY": "hydration-with-other-drugs",
    "HYDRATION_SPLIT": "hydration-with-other-drugs",
    "HYDRATION_CHEMO": "hydration-with-chemo",
    "KEEP_OPEN": "kvo-keep-open",
    "DATES": "encounter-over-midnight",
    "DRUG_UNITS": "drug-units-rounding",
    "JW_JZ": "jw-jz-modifiers",
    "MUE": "mue-basics",
    "PTP": "ncci-ptp-basics",
    "PHYSICIAN_IN_FACILITY": "physician-vs-facility-drug-admin",
    # Relations between administrations (issue 17 class 4).
    "MIXTURE": "concurrent-infusion",
    "SHARED_RANGE": "concurrent-infusion",
    "CARRIER": "hydration-with-other-drugs",
    "INCLUDED": "port-flush",
})
