"""The rule tables: one `TimedRule` per family, payer and variant, each row with its source.

Read by the one generic algorithm in `rules.py`/`engine.py`. Titles are short and in our own words (never the
AMA descriptor text). Section numbers refer to the team's rules notes (rules.md).
"""

from __future__ import annotations

from assistant.units import sources as src
from assistant.units.rules import (
    NO_LIMIT,
    Band,
    CountAddOn,
    FieldNote,
    Note,
    TimeAddOn,
    TimedFamily,
    TimedRule,
    hourly_add_on,
)
from assistant.units.titles import ADD_ON_PRIMARIES, PRIMARY_BILLED_SEPARATELY, TITLES
from assistant.units.vocabulary import PAYERS, Payer


def _band(code: str, min_minutes: int) -> Band:
    return Band(code=code, min_minutes=min_minutes, title=TITLES[code], add_on_to=ADD_ON_PRIMARIES.get(code, ()))


def _hourly(code: str, after: tuple[str, ...]) -> TimeAddOn:
    return hourly_add_on(code, TITLES[code], after)


def _every(code: str, first_unit_at: int, step: int, after: tuple[str, ...]) -> TimeAddOn:
    return TimeAddOn(code=code, title=TITLES[code], first_unit_at=first_unit_at, step=step, after=after)


def _same_for_both_payers(
    variant: tuple[object, ...], **fields: object
) -> dict[tuple[Payer, tuple[object, ...]], TimedRule]:
    """One rule that CPT and Medicare share; the answer still names the payer used."""
    fields["rule"] = f"{fields['rule']} CPT and Medicare: no payer difference is known for this rule."
    return {(payer, variant): TimedRule(payer=payer, **fields) for payer in PAYERS}  # type: ignore[arg-type]


HOURLY_RULE = (
    "An additional hour is reported only once more than 30 minutes pass beyond the last full hour "
    "(91 minutes gives one, 151 two, 211 three)."
)

# 1. Subcutaneous infusion [rules.md 1]
_SUBQ_COUNTED = CountAddOn(
    code="96371",
    title=TITLES["96371"],
    field="pump_setups",
    after=("96369",),
    subtract=1,
    max_units=1,
    cap_note=(
        "Only one 96371 is counted although more than one extra pump set-up was given: a commonly recalled CPT "
        "note says 96371 is used once per encounter (UNCONFIRMED) and its CMS practitioner MUE is 1. Check the "
        "96371 parenthetical in the current CPT book and the payer's policy before reporting more."
    ),
    cap_unconfirmed=True,
    cap_citations=(src.SUBQ_ONCE_UNCONFIRMED, src.MUE_PRACTITIONER),
)
SUBQ = TimedFamily(
    name="subq_infusion",
    duration_noun="a subcutaneous infusion",
    variant_fields=(),
    rules=_same_for_both_payers(
        (),
        family="subq_infusion",
        bands=(_band("96372", 1), _band("96369", 16)),
        time_add_ons=(_hourly("96370", ("96369",)),),
        count_add_ons=(_SUBQ_COUNTED,),
        rule=(
            "96369 covers the first hour, including the pump set-up and every site placed at that set-up. "
            + HOURLY_RULE
        ),
        citations=(src.SUBQ_DESCRIPTORS, src.CPT_TIME_RULE, src.CPT_ADDON_HOURS),
        below_minimum="",
        notes=(
            Note(
                "An infusion of 15 minutes or less is not reported as 96369: a commonly recalled CPT note says to "
                "report 96372 instead. UNCONFIRMED: check the subcutaneous infusion notes in the current CPT book.",
                1,
                15,
                unconfirmed=True,
                citation=src.SUBQ_FLOOR_UNCONFIRMED,
            ),
            Note(
                "The 16-minute floor for 96369 is UNCONFIRMED (taken by analogy with the CPT push definition, an "
                "infusion of 15 minutes or less). Check the CPT note for short subcutaneous infusions.",
                16,
                30,
                unconfirmed=True,
                citation=src.SUBQ_FLOOR_UNCONFIRMED,
            ),
            Note(
                "The 96370 count follows the general CPT time rule (more than 30 minutes beyond each full hour), "
                "which the 96366, 96361 and 96415 notes state in the same words; the 96370-specific note is "
                "UNCONFIRMED. Check the 96370 parenthetical in the current CPT book.",
                61,
                NO_LIMIT,
                unconfirmed=True,
            ),
        ),
    ),
    field_notes=(
        FieldNote(
            "sites",
            2,
            "Sites placed at the first pump set-up are inside 96369 (its descriptor says 'site(s)'). One source "
            "(clearcostestimate) reads 96371 as each new site placed at the same time: this conflict is "
            "UNCONFIRMED, flag it for review if a payer questions it.",
            unconfirmed=True,
        ),
        FieldNote(
            "pump_setups",
            2,
            "96371 is for an additional pump set-up with new site(s) later in the visit. One source "
            "(clearcostestimate) reads it as each new site at the same time: UNCONFIRMED, check the descriptor.",
            unconfirmed=True,
        ),
    ),
)

# 2. Hydration [rules.md 2]
HYDRATION = TimedFamily(
    name="hydration",
    duration_noun="a hydration infusion",
    variant_fields=(),
    rules=_same_for_both_payers(
        (),
        family="hydration",
        bands=(_band("96360", 31),),
        time_add_ons=(_hourly("96361", ("96360",)),),
        rule="96360 needs at least 31 minutes and covers the first hour. " + HOURLY_RULE,
        citations=(src.HYDRATION, src.CPM12_DRUG_ADMIN, src.CPT_TIME_RULE, src.CPT_ADDON_HOURS),
        below_minimum="Hydration of 30 minutes or less is not reported (CPT hydration guideline).",
    ),
)

# 3. Therapeutic IV infusion: the infusion part; pushes and injections join it in administration.py [rules.md 2]
IV_INFUSION = TimedFamily(
    name="iv_infusion",
    duration_noun="an infusion",
    variant_fields=(),
    rules=_same_for_both_payers(
        (),
        family="iv_infusion",
        bands=(_band("96374", 1), _band("96365", 16)),
        time_add_ons=(_hourly("96366", ("96365",)),),
        rule="96365 covers the first hour of a therapeutic infusion (16 minutes or more). " + HOURLY_RULE,
        citations=(src.IV_INFUSION, src.CPM12_DRUG_ADMIN, src.PUSH_DEFINITION, src.CPT_TIME_RULE, src.CPT_ADDON_HOURS),
        below_minimum="",
        notes=(
            Note(
                "An infusion of 15 minutes or less is a push by the CPT definition: it is coded as an IV push.",
                1,
                15,
            ),
        ),
    ),
)

# 4. Chemotherapy infusion [rules.md 3]
_CHEMO_SEQUENTIAL = CountAddOn(code="96417", title=TITLES["96417"], field="sequential_infusions", after=("96413",))
_CHEMO_PUSHES_AFTER = CountAddOn(code="96411", title=TITLES["96411"], field="pushes", after=("96413",))


def _chemo_rules(prolonged_pump: bool) -> dict[tuple[Payer, tuple[object, ...]], TimedRule]:
    bands = (_band("96409", 1), _band("96413", 16))
    notes = [
        Note("A chemotherapy infusion of 15 minutes or less is a push by the CPT definition: coded as 96409.", 1, 15)
    ]
    citations = [src.CHEMO_INFUSION, src.CPM12_DRUG_ADMIN, src.PUSH_DEFINITION, src.CPT_TIME_RULE, src.CHEMO_SEQUENTIAL]
    if prolonged_pump:
        bands += (_band("96416", 481),)
        citations.append(src.CHEMO_PROLONGED)
        notes.append(
            Note(
                "96416 is only for a pump-driven infusion of more than 8 hours; this one is coded by its time.",
                16,
                480,
            )
        )
    return _same_for_both_payers(
        (prolonged_pump,),
        family="chemo_infusion",
        bands=bands,
        time_add_ons=(_hourly("96415", ("96413",)),),
        count_add_ons=(_CHEMO_SEQUENTIAL, _CHEMO_PUSHES_AFTER),
        rule=(
            "96413 covers the first hour of a chemotherapy infusion (16 minutes or more). "
            "+96415 is reported for each further hour once more than 30 minutes pass beyond the last full hour "
            "(91, 151, 211 minutes); a further drug in sequence is +96417."
        ),
        citations=tuple(citations),
        below_minimum="",
        notes=tuple(notes),
    )


CHEMO_INFUSION = TimedFamily(
    name="chemo_infusion",
    duration_noun="a chemotherapy infusion",
    variant_fields=("prolonged_pump",),
    rules={**_chemo_rules(False), **_chemo_rules(True)},
)

# 5. Critical care [rules.md 4]: CPT table vs Medicare (104 minutes for the first 99292)
_CC_30 = Note(
    "Exactly 30 minutes: the CPT table starts 99291 at 30 minutes, but one source says 31. Check the payer's "
    "policy before reporting 99291 for exactly 30 minutes.",
    30,
    30,
)
_CC_BELOW = "Critical care under 30 minutes is not reported with 99291: report the other E/M service that fits."
CRITICAL_CARE = TimedFamily(
    name="critical_care",
    duration_noun="critical care",
    variant_fields=(),
    rules={
        ("cpt", ()): TimedRule(
            family="critical_care",
            payer="cpt",
            bands=(_band("99291", 30),),
            time_add_ons=(_every("99292", 75, 30, ("99291",)),),
            rule=(
                "CPT: 99291 covers 30 to 74 minutes; each further 30 minutes is +99292, the first at 75 minutes "
                "and the next at 105, 135 (the CPT table)."
            ),
            citations=(src.CRITICAL_CARE_CPT,),
            below_minimum=_CC_BELOW,
            notes=(
                _CC_30,
                Note(
                    "Medicare counts 99292 differently: the first unit only at 104 minutes, each further unit a "
                    "full 30 minutes more (134, 164).",
                    75,
                    NO_LIMIT,
                ),
            ),
        ),
        ("medicare", ()): TimedRule(
            family="critical_care",
            payer="medicare",
            bands=(_band("99291", 30),),
            time_add_ons=(_every("99292", 104, 30, ("99291",)),),
            rule=(
                "Medicare: 99291 covers up to 103 minutes; +99292 starts at 104 minutes (74 + 30) and each further "
                "unit needs a full 30 minutes more (134, 164)."
            ),
            citations=(src.CRITICAL_CARE_MEDICARE, src.CRITICAL_CARE_CPT),
            below_minimum=_CC_BELOW,
            notes=(
                _CC_30,
                Note(
                    "CPT (and many commercial payers) would report the first 99292 at 75 minutes; Medicare waits "
                    "for 104.",
                    75,
                    NO_LIMIT,
                ),
            ),
        ),
    },
)

# 6. Office E/M by total time [rules.md 8] with prolonged services [rules.md 5]
_NEW_BANDS = (_band("99202", 15), _band("99203", 30), _band("99204", 45), _band("99205", 60))
_EST_BANDS = (_band("99212", 10), _band("99213", 20), _band("99214", 30), _band("99215", 40))
_EM_BELOW = (
    "Below {minutes} minutes of total time for {kind} patient the level is not chosen by time: choose it by "
    "medical decision making (MDM)."
)
_MEDICARE_EM_NOTE = Note(
    "CMS adopted the CPT office E/M time framework in 2021; its adoption of the 2024 'met or exceeded' wording "
    "is UNCONFIRMED in a stored CMS text. Check the current Medicare PFS rule for the time thresholds.",
    unconfirmed=True,
)


def _office_rule(payer: Payer, patient: str) -> TimedRule:
    new = patient == "new"
    bands = _NEW_BANDS if new else _EST_BANDS
    top = bands[-1].code
    if payer == "cpt":
        first = 75 if new else 55
        prolonged = _every("99417", first, 15, (top,))
        rule = (
            f"CPT: the level is the highest whose total time is met or exceeded; with {top}, +99417 is added "
            f"from {first} minutes and for each further full 15 minutes (no partial units)."
        )
        citations = (src.OFFICE_EM_CPT, src.PROLONGED_CPT)
        notes = (
            Note(
                f"Medicare does not accept 99417: it uses G2212, first at {first + 14} minutes with {top}.",
                first,
                NO_LIMIT,
            ),
        )
    else:
        first = 89 if new else 69
        prolonged = _every("G2212", first, 15, (top,))
        rule = (
            f"Medicare: the level is the highest whose total time is met or exceeded; with {top}, +G2212 is added "
            f"from {first} minutes and for each further full 15 minutes. Medicare never takes 99417."
        )
        citations = (src.OFFICE_EM_CPT, src.OFFICE_EM_MEDICARE, src.PROLONGED_MEDICARE)
        notes = (
            _MEDICARE_EM_NOTE,
            Note(
                f"CPT's 99417 would start at {first - 14} minutes, but Medicare does not accept 99417.",
                first - 14,
                NO_LIMIT,
            ),
        )
    return TimedRule(
        family="office_em",
        payer=payer,
        bands=bands,
        time_add_ons=(prolonged,),
        rule=rule,
        citations=citations,
        below_minimum=_EM_BELOW.format(minutes=bands[0].min_minutes, kind="a new" if new else "an established"),
        notes=notes,
    )


OFFICE_EM = TimedFamily(
    name="office_em",
    duration_noun="an office visit",
    variant_fields=("patient",),
    rules={(payer, (patient,)): _office_rule(payer, patient) for payer in PAYERS for patient in ("new", "established")},
    missing_variant="Is the patient new or established? Office E/M levels by time differ.",
)

# 7. Psychotherapy [rules.md 6]: CPT and CMS agree; +90785 interactive complexity [encounters.md B1]
_PSYCHO_BELOW = "Psychotherapy under 16 minutes is not reported."


def _interactive(after: tuple[str, ...]) -> CountAddOn:
    return CountAddOn(
        code="90785", title=TITLES["90785"], field="interactive_complexity", after=after, max_units=1
    )


_PSYCHO_CODES = ("90832", "90834", "90837")
_PSYCHO_EM_CODES = ("90833", "90836", "90838")
_IC_RULE = " Interactive complexity adds +90785 once to the session."
PSYCHOTHERAPY = TimedFamily(
    name="psychotherapy",
    duration_noun="a psychotherapy session",
    variant_fields=("with_em",),
    rules={
        **_same_for_both_payers(
            (False,),
            family="psychotherapy",
            bands=(_band("90832", 16), _band("90834", 38), _band("90837", 53)),
            count_add_ons=(_interactive(_PSYCHO_CODES),),
            rule="One code per session by its time: 16-37 minutes 90832, 38-52 90834, 53 or more 90837." + _IC_RULE,
            citations=(src.PSYCHOTHERAPY, src.INTERACTIVE_COMPLEXITY),
            below_minimum=_PSYCHO_BELOW,
        ),
        **_same_for_both_payers(
            (True,),
            family="psychotherapy",
            bands=(_band("90833", 16), _band("90836", 38), _band("90838", 53)),
            count_add_ons=(_interactive(_PSYCHO_EM_CODES),),
            rule=(
                "With a same-day E/M, psychotherapy is an add-on by its own time: 16-37 minutes +90833, 38-52 "
                "+90836, 53 or more +90838." + _IC_RULE
            ),
            citations=(src.PSYCHOTHERAPY, src.INTERACTIVE_COMPLEXITY),
            below_minimum=_PSYCHO_BELOW,
            notes=(
                Note(
                    "Report the add-on with the E/M billed the same day: the E/M level is chosen on its own, and "
                    "the psychotherapy minutes must exclude the E/M time."
                ),
            ),
        ),
    },
)

# 9. Moderate sedation [rules.md 9]; G0500 for Medicare GI endoscopy by the endoscopist [encounters.md B5]
_SEDATION_BELOW = "Moderate sedation under 10 minutes of intraservice time is not reported."
_FIRST_SEDATION = {
    ("same", True): "99151", ("same", False): "99152", ("other", True): "99155", ("other", False): "99156"
}


def _sedation_rule(payer: Payer, by: str, under_5: bool, gi: bool) -> TimedRule:
    primary = _FIRST_SEDATION[(by, under_5)]
    add_on = "99153" if by == "same" else "99157"
    notes: list[Note] = []
    citations: tuple[str, ...] = (src.SEDATION,)
    g0500 = payer == "medicare" and by == "same" and not under_5 and gi
    if g0500:
        primary = "G0500"
        citations = (src.SEDATION_G0500, src.SEDATION)
        notes.append(
            Note(
                "One source (ASGE) reads +99153 after G0500 as needing the whole further 15 minutes (38 minutes in "
                "all) rather than the CPT midpoint (23): check the contractor's policy.",
                23,
                37,
                citation=src.SEDATION_99153_CONFLICT,
            )
        )
    elif gi and by == "same" and not under_5:
        notes.append(
            Note(
                "Medicare would report G0500 instead of 99152 for moderate sedation by the endoscopist during a GI "
                "endoscopy (patient 5 or older); other payers take 99152 unless their policy adopts G0500."
            )
        )
    if payer == "medicare" and add_on == "99153":
        notes.append(
            Note(
                "Medicare (Palmetto GBA JM): 99153 is denied when the place of service is a facility "
                "(PC/TC indicator 3). Check the place of service before reporting it.",
                23,
                NO_LIMIT,
            )
        )
        citations += (src.SEDATION_MEDICARE_FACILITY,)
    lead = "Medicare: G0500 (moderate sedation by the endoscopist for a GI endoscopy) " if g0500 else f"{primary} "
    return TimedRule(
        family="sedation",
        payer=payer,
        bands=(_band(primary, 10),),
        time_add_ons=(_every(add_on, 23, 15, (primary,)),),
        rule=(
            f"{lead}covers the first 10 to 22 minutes of intraservice time; +{add_on} is added for each "
            "further 15 minutes once past the midpoint (23-37 minutes one unit, 38-52 two)."
        ),
        citations=citations,
        below_minimum=_SEDATION_BELOW,
        notes=tuple(notes),
    )


SEDATION = TimedFamily(
    name="sedation",
    duration_noun="a sedation",
    variant_fields=("sedation_by", "patient_under_5", "gi_endoscopy"),
    rules={
        (payer, (by, u5, gi)): _sedation_rule(payer, by, u5, gi)
        for payer in PAYERS
        for by in ("same", "other")
        for u5 in (True, False)
        for gi in (False, True)
    },
)

__all__ = [
    "ADD_ON_PRIMARIES",
    "PAYERS",
    "PRIMARY_BILLED_SEPARATELY",
    "TITLES",
    "FieldNote",
    "TimedFamily",
]

