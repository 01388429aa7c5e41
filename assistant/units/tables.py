"""The rule tables: one `TimedRule` per family, payer and variant, each row with its source.

Read by the one generic algorithm in `rules.py`/`engine.py`. Titles are short and in our own words (never the
AMA descriptor text). Section numbers refer to the team's rules notes (rules.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from assistant.units import sources as src
from assistant.units.models import FamilyInfo, Payer
from assistant.units.rules import NO_LIMIT, Band, CountAddOn, Note, TimeAddOn, TimedRule, hourly_add_on

PAYERS: tuple[Payer, ...] = ("cpt", "medicare")

# Short titles in our own words, one per code the engine can report.
TITLES: Mapping[str, str] = MappingProxyType(
    {
        "96369": "Subcutaneous infusion, first hour (pump set-up and its sites included)",
        "96370": "Subcutaneous infusion, each further hour",
        "96371": "Subcutaneous infusion, an extra pump set-up with new site(s)",
        "96372": "Therapeutic injection under the skin or into a muscle",
        "96360": "Hydration IV infusion, first hour (31 minutes or more)",
        "96361": "Hydration IV infusion, each further hour",
        "96365": "Therapeutic IV infusion, first hour",
        "96366": "Therapeutic IV infusion, each further hour",
        "96367": "Therapeutic IV infusion of a new drug in sequence, up to an hour",
        "96368": "Therapeutic IV infusion running at the same time as another",
        "96374": "Therapeutic IV push, first drug",
        "96375": "Therapeutic IV push of each further new drug",
        "96376": "Therapeutic IV push of the same drug again after 30 minutes (facility only)",
        "96409": "Chemotherapy IV push, first drug",
        "96411": "Chemotherapy IV push of each further drug",
        "96413": "Chemotherapy IV infusion, first hour",
        "96415": "Chemotherapy IV infusion, each further hour",
        "96416": "Chemotherapy infusion over 8 hours started with a pump",
        "96417": "Chemotherapy IV infusion of a further drug in sequence, up to an hour",
        "99291": "Critical care, first 30 to 74 minutes",
        "99292": "Critical care, each further 30 minutes",
        "99202": "Office visit, new patient, 15 minutes or more in total",
        "99203": "Office visit, new patient, 30 minutes or more in total",
        "99204": "Office visit, new patient, 45 minutes or more in total",
        "99205": "Office visit, new patient, 60 minutes or more in total",
        "99212": "Office visit, established patient, 10 minutes or more in total",
        "99213": "Office visit, established patient, 20 minutes or more in total",
        "99214": "Office visit, established patient, 30 minutes or more in total",
        "99215": "Office visit, established patient, 40 minutes or more in total",
        "99417": "Prolonged office visit time, each full 15 minutes (CPT code)",
        "G2212": "Prolonged office visit time, each full 15 minutes (Medicare code)",
        "90832": "Psychotherapy, 16 to 37 minutes",
        "90834": "Psychotherapy, 38 to 52 minutes",
        "90837": "Psychotherapy, 53 minutes or more",
        "90833": "Psychotherapy with a same-day E/M visit, 16 to 37 minutes",
        "90836": "Psychotherapy with a same-day E/M visit, 38 to 52 minutes",
        "90838": "Psychotherapy with a same-day E/M visit, 53 minutes or more",
        "99151": "Moderate sedation by the proceduralist, first 15 minutes, patient under 5",
        "99152": "Moderate sedation by the proceduralist, first 15 minutes, patient 5 or older",
        "99153": "Moderate sedation by the proceduralist, each further 15 minutes",
        "99155": "Moderate sedation by another professional, first 15 minutes, patient under 5",
        "99156": "Moderate sedation by another professional, first 15 minutes, patient 5 or older",
        "99157": "Moderate sedation by another professional, each further 15 minutes",
    }
)

_OFFICE_EM = ("99202", "99203", "99204", "99205", "99211", "99212", "99213", "99214", "99215")

# Add-on code -> the primary codes it is reported with (CPT add-on designations). Lines carry these in `add_on_to`.
ADD_ON_PRIMARIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "96370": ("96369",),
        "96371": ("96369",),
        "96361": ("96360", "96365", "96374", "96409", "96413"),
        "96366": ("96365", "96367"),
        "96367": ("96365", "96374", "96409", "96413"),
        "96368": ("96365", "96366", "96413", "96415", "96416"),
        "96375": ("96365", "96374", "96409", "96413"),
        "96376": ("96360", "96365", "96374", "96409", "96413"),
        "96411": ("96409", "96413"),
        "96415": ("96413",),
        "96417": ("96413",),
        "99292": ("99291",),
        "99417": ("99205", "99215"),
        "G2212": ("99205", "99215"),
        "90833": _OFFICE_EM,
        "90836": _OFFICE_EM,
        "90838": _OFFICE_EM,
        "99153": ("99151", "99152"),
        "99157": ("99155", "99156"),
    }
)

# Add-ons whose primary the engine never counts itself: the same-day E/M, whose level is chosen on its own.
PRIMARY_BILLED_SEPARATELY: frozenset[str] = frozenset({"90833", "90836", "90838"})


def _band(code: str, min_minutes: int) -> Band:
    return Band(code=code, min_minutes=min_minutes, title=TITLES[code], add_on_to=ADD_ON_PRIMARIES.get(code, ()))


def _hourly(code: str, after: tuple[str, ...]) -> TimeAddOn:
    return hourly_add_on(code, TITLES[code], after)


def _every(code: str, first_unit_at: int, step: int, after: tuple[str, ...]) -> TimeAddOn:
    return TimeAddOn(code=code, title=TITLES[code], first_unit_at=first_unit_at, step=step, after=after)


@dataclass(frozen=True, slots=True)
class FieldNote:
    """A warning attached when a request field (a count) reaches `at_least`."""

    field: str
    at_least: int
    text: str
    unconfirmed: bool = False
    citation: str = ""


@dataclass(frozen=True, slots=True)
class TimedFamily:
    """A timed family: its rules per (payer, variant); `variant_fields` name the request fields that pick one."""

    name: str
    duration_noun: str
    variant_fields: tuple[str, ...]
    rules: Mapping[tuple[Payer, tuple[object, ...]], TimedRule]
    field_notes: tuple[FieldNote, ...] = ()
    missing_variant: str = ""


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
        citations=(src.HYDRATION, src.CPT_TIME_RULE, src.CPT_ADDON_HOURS),
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
        citations=(src.IV_INFUSION, src.PUSH_DEFINITION, src.CPT_TIME_RULE, src.CPT_ADDON_HOURS),
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
    citations = [src.CHEMO_INFUSION, src.PUSH_DEFINITION, src.CPT_TIME_RULE, src.CHEMO_SEQUENTIAL]
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

# 7. Psychotherapy [rules.md 6]: CPT and CMS agree
_PSYCHO_BELOW = "Psychotherapy under 16 minutes is not reported."
PSYCHOTHERAPY = TimedFamily(
    name="psychotherapy",
    duration_noun="a psychotherapy session",
    variant_fields=("with_em",),
    rules={
        **_same_for_both_payers(
            (False,),
            family="psychotherapy",
            bands=(_band("90832", 16), _band("90834", 38), _band("90837", 53)),
            rule="One code per session by its time: 16-37 minutes 90832, 38-52 90834, 53 or more 90837.",
            citations=(src.PSYCHOTHERAPY,),
            below_minimum=_PSYCHO_BELOW,
        ),
        **_same_for_both_payers(
            (True,),
            family="psychotherapy",
            bands=(_band("90833", 16), _band("90836", 38), _band("90838", 53)),
            rule=(
                "With a same-day E/M, psychotherapy is an add-on by its own time: 16-37 minutes +90833, 38-52 "
                "+90836, 53 or more +90838."
            ),
            citations=(src.PSYCHOTHERAPY,),
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

# 9. Moderate sedation [rules.md 9]
_SEDATION_BELOW = "Moderate sedation under 10 minutes of intraservice time is not reported."


def _sedation_rules(by: str, under_5: bool) -> dict[tuple[Payer, tuple[object, ...]], TimedRule]:
    first = {("same", True): "99151", ("same", False): "99152", ("other", True): "99155", ("other", False): "99156"}
    primary = first[(by, under_5)]
    add_on = "99153" if by == "same" else "99157"
    rules: dict[tuple[Payer, tuple[object, ...]], TimedRule] = {}
    for payer in PAYERS:
        notes: tuple[Note, ...] = ()
        citations: tuple[str, ...] = (src.SEDATION,)
        if payer == "medicare" and add_on == "99153":
            notes = (
                Note(
                    "Medicare (Palmetto GBA JM): 99153 is denied when the place of service is a facility "
                    "(PC/TC indicator 3). Check the place of service before reporting it.",
                    23,
                    NO_LIMIT,
                ),
            )
            citations += (src.SEDATION_MEDICARE_FACILITY,)
        rules[(payer, (by, under_5))] = TimedRule(
            family="sedation",
            payer=payer,
            bands=(_band(primary, 10),),
            time_add_ons=(_every(add_on, 23, 15, (primary,)),),
            rule=(
                f"{primary} covers the first 10 to 22 minutes of intraservice time; +{add_on} is added for each "
                "further 15 minutes once past the midpoint (23-37 minutes one unit, 38-52 two)."
            ),
            citations=citations,
            below_minimum=_SEDATION_BELOW,
            notes=notes,
        )
    return rules


SEDATION = TimedFamily(
    name="sedation",
    duration_noun="a sedation",
    variant_fields=("sedation_by", "patient_under_5"),
    rules={k: v for by in ("same", "other") for u5 in (True, False) for k, v in _sedation_rules(by, u5).items()},
)

TIMED_FAMILIES: Mapping[str, TimedFamily] = MappingProxyType(
    {
        f.name: f
        for f in (SUBQ, HYDRATION, IV_INFUSION, CHEMO_INFUSION, CRITICAL_CARE, OFFICE_EM, PSYCHOTHERAPY, SEDATION)
    }
)


def _info(name: str, title: str, codes: tuple[str, ...], description: str) -> tuple[str, FamilyInfo]:
    return name, FamilyInfo(name=name, title=title, codes=codes, description=description)


FAMILIES: Mapping[str, FamilyInfo] = MappingProxyType(
    dict(
        [
            _info(
                "subq_infusion",
                "Subcutaneous infusion",
                ("96369", "96370", "96371", "96372"),
                "96369 first hour with pump set-up and sites; +96370 per further hour past 30 minutes; "
                "+96371 for a later extra pump set-up.",
            ),
            _info(
                "hydration",
                "Hydration IV infusion",
                ("96360", "96361"),
                "31 minutes minimum; +96361 per further hour past 30 minutes.",
            ),
            _info(
                "iv_infusion",
                "Therapeutic IV infusion",
                ("96365", "96366", "96367", "96368", "96374", "96375", "96376", "96372"),
                "96365 first hour (16 minutes or more); +96366 per further hour; sequential and concurrent "
                "drugs; pushes and injections in the same encounter.",
            ),
            _info(
                "iv_push",
                "Therapeutic IV push",
                ("96374", "96375", "96376"),
                "96374 first push; +96375 each new drug; +96376 same drug after 30 minutes (facility only).",
            ),
            _info(
                "injection", "Therapeutic injection", ("96372",), "SC or IM therapeutic injection, one per injection."
            ),
            _info(
                "chemo_infusion",
                "Chemotherapy infusion",
                ("96413", "96415", "96416", "96417", "96409", "96411"),
                "96413 first hour; +96415 per further hour past 30 minutes; +96417 sequential drug; 96416 pump "
                "infusion over 8 hours.",
            ),
            _info("chemo_push", "Chemotherapy push", ("96409", "96411"), "96409 first drug; +96411 each further drug."),
            _info(
                "critical_care",
                "Critical care",
                ("99291", "99292"),
                "99291 from 30 minutes; +99292 at 75 minutes (CPT) or 104 minutes (Medicare), then per 30.",
            ),
            _info(
                "office_em",
                "Office visit by total time",
                tuple(c for c in _OFFICE_EM if c != "99211") + ("99417", "G2212"),
                "Level by total time met or exceeded; prolonged time 99417 (CPT) or G2212 (Medicare).",
            ),
            _info(
                "psychotherapy",
                "Psychotherapy",
                ("90832", "90834", "90837", "90833", "90836", "90838"),
                "One code by session time (16, 38, 53 minutes); add-on codes with a same-day E/M.",
            ),
            _info(
                "therapy",
                "PT/OT timed codes",
                (),
                "15-minute units: Medicare's 8-minute rule on total timed minutes, or the CPT rule per code.",
            ),
            _info(
                "sedation",
                "Moderate sedation",
                ("99151", "99152", "99153", "99155", "99156", "99157"),
                "From 10 minutes; each further 15 minutes past the midpoint (23, 38...) is an add-on unit.",
            ),
            _info(
                "anesthesia",
                "Anesthesia time",
                (),
                "Medicare time units = minutes / 15 to one decimal, plus base units.",
            ),
            _info(
                "drug_units",
                "HCPCS drug units",
                (),
                "Dose / billing unit, rounded up, with unit conversion; JW/JZ for Medicare single-dose vials.",
            ),
        ]
    )
)
