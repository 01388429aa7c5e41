"""Psychotherapy for crisis (90839/+90840) and family psychotherapy (90846/90847) [encounters.md B1].

Individual psychotherapy (90832-90838, +90785) is in tables.py; these are the same shape: bands plus add-ons.
"""

from __future__ import annotations

from assistant.units import sources as src
from assistant.units.rules import NO_LIMIT, Band, FieldNote, Note, TimeAddOn, TimedFamily, TimedRule
from assistant.units.titles import ADD_ON_PRIMARIES, TITLES
from assistant.units.vocabulary import PAYERS, Payer


def _band(code: str, min_minutes: int) -> Band:
    return Band(code=code, min_minutes=min_minutes, title=TITLES[code], add_on_to=ADD_ON_PRIMARIES.get(code, ()))


CRISIS_MINIMUM = 30  # CPT: 90839 is the first 30-74 minutes
_CRISIS_NOTES = (
    Note(
        "Under 30 minutes a crisis session is not 90839: it is reported with the regular psychotherapy code by its "
        "time (90832 for 16-29 minutes; +90833 instead when a same-day E/M is billed). The under-30 wording is "
        "UNCONFIRMED in a stored source: check the crisis notes in the current CPT book.",
        1,
        CRISIS_MINIMUM - 1,
        unconfirmed=True,
        citation=src.CRISIS_UNDER_30,
    ),
    Note(
        "Exactly 30 minutes: most sources start 90839 at 30 minutes, one (AAPC) at 31. Check the payer's policy.",
        CRISIS_MINIMUM,
        CRISIS_MINIMUM,
        citation=src.CRISIS_30_31,
    ),
)
_CRISIS_MEDICARE_NOTE = Note(
    "Medicare since 2024: at a non-office place of service where the non-facility rate applies (e.g. the "
    "patient's home), crisis psychotherapy is billed as G0017 (+G0018) instead of 90839 (+90840), paid at 150%. "
    "Their time thresholds are UNCONFIRMED in a stored CMS text.",
    CRISIS_MINIMUM,
    NO_LIMIT,
    unconfirmed=True,
)
_NO_90785 = FieldNote(
    "interactive_complexity",
    1,
    "+90785 (interactive complexity) is never reported with psychotherapy for crisis (CPT; NCCI PTP 90785/90839 "
    "indicator 0): it is not counted.",
    citation=src.INTERACTIVE_COMPLEXITY,
)


def _crisis_rule(payer: Payer) -> TimedRule:
    return TimedRule(
        family="crisis_psychotherapy",
        payer=payer,
        bands=(_band("90832", 16), _band("90839", CRISIS_MINIMUM)),
        time_add_ons=(TimeAddOn("90840", TITLES["90840"], first_unit_at=75, step=30, after=("90839",)),),
        rule=(
            "Psychotherapy for crisis: 90839 covers the first 30 to 74 minutes on the date; +90840 is added at 75 "
            "minutes and for each further 30 minutes (105, 135...). Under 30 minutes the session is the regular "
            "psychotherapy code by its time. CPT and Medicare count the same minutes."
        ),
        citations=(src.CRISIS, src.CRISIS_MEDICARE, src.PSYCHOTHERAPY, src.MUE_PRACTITIONER),
        below_minimum="Psychotherapy (crisis or not) under 16 minutes is not reported.",
        notes=_CRISIS_NOTES + ((_CRISIS_MEDICARE_NOTE,) if payer == "medicare" else ()),
    )


CRISIS_PSYCHOTHERAPY = TimedFamily(
    name="crisis_psychotherapy",
    duration_noun="a crisis psychotherapy session",
    variant_fields=(),
    rules={(payer, ()): _crisis_rule(payer) for payer in PAYERS},
    field_notes=(_NO_90785,),
)

FAMILY_MINIMUM = 26  # CPT: 90846/90847 are 50-minute codes, not reported under 26 minutes


def _family_rule(payer: Payer, patient_present: bool) -> TimedRule:
    code = "90847" if patient_present else "90846"
    other = "90846" if patient_present else "90847"
    return TimedRule(
        family="family_psychotherapy",
        payer=payer,
        bands=(_band(code, FAMILY_MINIMUM),),
        rule=(
            f"Family psychotherapy {'with' if patient_present else 'without'} the patient present is {code}, one "
            f"unit per session of 26 minutes or more (a 50-minute code, past its midpoint). {code} and {other} are "
            "mutually exclusive on one date (NCCI PTP indicator 1). CPT and Medicare count the same minutes."
        ),
        citations=(src.FAMILY_PSYCHOTHERAPY, src.CPT_TIME_RULE, src.MUE_PRACTITIONER),
        below_minimum="Family psychotherapy under 26 minutes is not reported (CPT).",
    )


FAMILY_PSYCHOTHERAPY = TimedFamily(
    name="family_psychotherapy",
    duration_noun="a family psychotherapy session",
    variant_fields=("patient_present",),
    rules={(payer, (present,)): _family_rule(payer, present) for payer in PAYERS for present in (True, False)},
    field_notes=(
        FieldNote(
            "interactive_complexity",
            1,
            "+90785 (interactive complexity) is not listed with family psychotherapy (CPT lists it with 90791/90792, "
            "90832-90838 and 90853); some payers (BCBS IL) deny it there although no NCCI edit pairs them: it is "
            "not counted.",
            citation=src.INTERACTIVE_COMPLEXITY,
        ),
    ),
    missing_variant="Was the patient present? Family psychotherapy is 90847 with the patient, 90846 without.",
)
