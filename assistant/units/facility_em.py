"""Hospital inpatient/observation, nursing facility and home or residence E/M by total time (2023+ CPT)
[encounters.md B3].

The level is the highest whose total time on the date is met or exceeded (no midpoint rule). Prolonged time:
CPT +99418 (inpatient, observation, nursing facility) or +99417 (home) for each full 15 minutes beyond the top
code's time; Medicare G0316 / G0317 / G0318 from its own, later thresholds (CY 2023 PFS final rule as corrected).
"""

from __future__ import annotations

from assistant.units import sources as src
from assistant.units.rules import NO_LIMIT, Band, Note, TimeAddOn, TimedFamily, TimedRule
from assistant.units.titles import ADD_ON_PRIMARIES, TITLES
from assistant.units.vocabulary import PAYERS, Payer

PROLONGED_STEP = 15  # each full 15 minutes; no unit for less (99418 and G031x descriptors)


def _band(code: str, min_minutes: int) -> Band:
    return Band(code=code, min_minutes=min_minutes, title=TITLES[code], add_on_to=ADD_ON_PRIMARIES.get(code, ()))


def _below(minutes: int, what: str) -> str:
    return (
        f"Below {minutes} minutes of total time for {what} the level is not chosen by time: choose it by medical "
        "decision making (MDM)."
    )


def _em_rule(
    family: str,
    payer: Payer,
    bands: tuple[Band, ...],
    what: str,
    cpt_prolonged: tuple[str, int],
    medicare_prolonged: tuple[str, int, str],
    extra_notes: tuple[Note, ...] = (),
) -> TimedRule:
    """One payer's rule: the bands, then the payer's own prolonged code from its own first threshold."""
    top = bands[-1].code
    cpt_code, cpt_first = cpt_prolonged
    mc_code, mc_first, window = medicare_prolonged
    levels = ", ".join(f"{b.code} {b.min_minutes}" for b in bands)
    if payer == "cpt":
        code, first = cpt_code, cpt_first
        citations: tuple[str, ...] = (src.OTHER_EM_CPT, src.PROLONGED_99418 if code == "99418" else src.PROLONGED_CPT)
        payer_note = Note(
            f"Medicare does not take {cpt_code}: it uses {mc_code}, first at {mc_first} minutes with {top} "
            f"(time counted {window}).",
            cpt_first,
            NO_LIMIT,
        )
        who = "CPT"
    else:
        code, first = mc_code, mc_first
        citations = (src.OTHER_EM_MEDICARE, src.PROLONGED_G031X, src.OTHER_EM_CPT)
        payer_note = Note(
            f"CPT's {cpt_code} would start at {cpt_first} minutes, but Medicare does not accept {cpt_code}; "
            f"{mc_code} counts the time {window}.",
            min(cpt_first, mc_first),
            NO_LIMIT,
        )
        who = "Medicare"
    prolonged = TimeAddOn(code, TITLES[code], first_unit_at=first, step=PROLONGED_STEP, after=(top,))
    return TimedRule(
        family=family,
        payer=payer,
        bands=bands,
        time_add_ons=(prolonged,),
        rule=(
            f"{who}: {what} by total time on the date, met or exceeded ({levels} minutes); with {top}, +{code} is "
            f"added from {first} minutes and for each further full 15 minutes (no partial unit)."
        ),
        citations=citations,
        below_minimum=_below(bands[0].min_minutes, what),
        notes=(payer_note, *extra_notes),
    )


# Hospital inpatient or observation care [B3]
_INITIAL = (_band("99221", 40), _band("99222", 55), _band("99223", 75))
_SUBSEQUENT = (_band("99231", 25), _band("99232", 35), _band("99233", 50))
_SAME_DAY = (_band("99234", 45), _band("99235", 70), _band("99236", 85))
_SAME_DAY_NOTE = Note(
    "Prolonged time with 99236: CPT's +99418 follows from 85 + 15 = 100 minutes (derived); Medicare's G0316 starts "
    "at 110 minutes per NGS and AAFP, while rvudoc says 100. The Medicare threshold is in conflict between "
    "sources: check the contractor's prolonged services table.",
    100,
    NO_LIMIT,
    unconfirmed=True,
)
_DISCHARGE_RULE = {
    payer: TimedRule(
        family="hospital_em",
        payer=payer,
        bands=(_band("99238", 1), _band("99239", 31)),
        rule=(
            "Discharge day management is chosen by the time spent on the discharge day: 30 minutes or less 99238, "
            "more than 30 minutes 99239. No prolonged-service code is added to a discharge code."
        ),
        citations=(src.DISCHARGE, src.OTHER_EM_MEDICARE if payer == "medicare" else src.OTHER_EM_CPT),
        below_minimum="",
    )
    for payer in PAYERS
}
HOSPITAL_EM = TimedFamily(
    name="hospital_em",
    duration_noun="a hospital visit",
    variant_fields=("visit",),
    rules={
        **{
            (payer, ("initial",)): _em_rule(
                "hospital_em", payer, _INITIAL, "initial hospital inpatient or observation care",
                ("99418", 90), ("G0316", 90, "on the date of the visit"),
            )
            for payer in PAYERS
        },
        **{
            (payer, ("subsequent",)): _em_rule(
                "hospital_em", payer, _SUBSEQUENT, "subsequent hospital inpatient or observation care",
                ("99418", 65), ("G0316", 65, "on the date of the visit"),
            )
            for payer in PAYERS
        },
        **{(payer, ("discharge",)): rule for payer, rule in _DISCHARGE_RULE.items()},
        **{
            (payer, ("same_day",)): _em_rule(
                "hospital_em", payer, _SAME_DAY, "hospital or observation admission and discharge on the same date",
                ("99418", 100), ("G0316", 110, "from the date of the visit through 3 days after"), (_SAME_DAY_NOTE,),
            )
            for payer in PAYERS
        },
    },
    missing_variant=(
        "Which hospital visit: initial, subsequent, discharge day, or admission and discharge on the same date? "
        "Their time levels differ."
    ),
)

# Nursing facility care [B3]: 99306 is 50 minutes in the 2024+ wording, 45 in 2023 (flagged)
_NF_INITIAL = (_band("99304", 25), _band("99305", 35), _band("99306", 50))
_NF_SUBSEQUENT = (_band("99307", 10), _band("99308", 15), _band("99309", 30), _band("99310", 45))
_NF_99306_NOTE = Note(
    "45-49 minutes: the 2023 CPT wording gave 99306 at 45 minutes, the 2024+ wording at 50; this answer uses 50. "
    "Which applies to the date of service is UNCONFIRMED: check the CPT book of that year.",
    45,
    49,
    unconfirmed=True,
    citation=src.NF_99306_TIME,
)
_NF_WINDOW = "from 1 day before the visit through 3 days after"
NURSING_FACILITY_EM = TimedFamily(
    name="nursing_facility_em",
    duration_noun="a nursing facility visit",
    variant_fields=("visit",),
    rules={
        **{
            (payer, ("initial",)): _em_rule(
                "nursing_facility_em", payer, _NF_INITIAL, "initial nursing facility care",
                ("99418", 65), ("G0317", 95, _NF_WINDOW), (_NF_99306_NOTE,),
            )
            for payer in PAYERS
        },
        **{
            (payer, ("subsequent",)): _em_rule(
                "nursing_facility_em", payer, _NF_SUBSEQUENT, "subsequent nursing facility care",
                ("99418", 60), ("G0317", 85, _NF_WINDOW),
            )
            for payer in PAYERS
        },
    },
    missing_variant="Initial or subsequent nursing facility care? Their time levels differ.",
)

# Home or residence services [B3]: prolonged time is +99417 under CPT, G0318 for Medicare
_HOME_NEW = (_band("99341", 15), _band("99342", 30), _band("99344", 60), _band("99345", 75))
_HOME_EST = (_band("99347", 20), _band("99348", 30), _band("99349", 40), _band("99350", 60))
_HOME_WINDOW = "from 3 days before the visit through 7 days after"
HOME_EM = TimedFamily(
    name="home_em",
    duration_noun="a home visit",
    variant_fields=("patient",),
    rules={
        **{
            (payer, ("new",)): _em_rule(
                "home_em", payer, _HOME_NEW, "a home or residence visit, new patient",
                ("99417", 90), ("G0318", 140, _HOME_WINDOW),
            )
            for payer in PAYERS
        },
        **{
            (payer, ("established",)): _em_rule(
                "home_em", payer, _HOME_EST, "a home or residence visit, established patient",
                ("99417", 75), ("G0318", 110, _HOME_WINDOW),
            )
            for payer in PAYERS
        },
    },
    missing_variant="Is the patient new or established? Home or residence visit levels by time differ.",
)
