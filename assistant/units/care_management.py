"""Care management by minutes per calendar month [encounters.md B4]: CCM, complex CCM, PCM.

Every threshold must be met in full (no midpoint rule): 99490 needs 20 minutes of clinical staff time in the month,
+99439 each further full 20; 99491 30 minutes of the practitioner's own time, +99437 each further 30; 99487 60
minutes, +99489 each further 30; PCM 99424 (practitioner) / 99426 (staff) 30 minutes, +99425 / +99427 each further 30.
"""

from __future__ import annotations

from typing import Literal

from assistant.units import sources as src
from assistant.units.rules import NO_LIMIT, Band, Note, TimeAddOn, TimedFamily, TimedRule
from assistant.units.titles import ADD_ON_PRIMARIES, TITLES
from assistant.units.vocabulary import PAYERS, Payer

CareProgram = Literal["ccm_staff", "ccm_complex", "ccm_physician", "pcm_physician", "pcm_staff"]

# program -> (first code, its minutes, add-on, add-on step, who spends the time, program name)
PROGRAMS: dict[CareProgram, tuple[str, int, str, int, str, str]] = {
    "ccm_staff": ("99490", 20, "99439", 20, "clinical staff", "chronic care management"),
    "ccm_complex": ("99487", 60, "99489", 30, "clinical staff", "complex chronic care management"),
    "ccm_physician": ("99491", 30, "99437", 30, "the physician or other qualified professional",
                      "chronic care management"),
    "pcm_physician": ("99424", 30, "99425", 30, "the physician or other qualified professional",
                      "principal care management"),
    "pcm_staff": ("99426", 30, "99427", 30, "clinical staff", "principal care management"),
}


def _notes(program: CareProgram, payer: Payer) -> tuple[Note, ...]:
    notes = [
        Note(
            "Care management minutes are counted per calendar month, not per day: give the month's total time. "
            "Each threshold is met in full (no midpoint rule)."
        )
    ]
    if program == "ccm_staff" and payer == "medicare":
        notes.append(Note("Medicare's MUE for +99439 is 2 per month (60 minutes in all with 99490).", 80, NO_LIMIT))
    if program == "ccm_complex":
        notes.append(
            Note(
                "85-89 minutes: one source bills +99489 at 85 minutes (60 + 25); the descriptor's 'each additional "
                "30 minutes' needs 90. This answer waits for 90.",
                85,
                89,
                citation=src.CCM_99489_CONFLICT,
            )
        )
    if program in ("ccm_physician", "ccm_staff", "ccm_complex"):
        notes.append(
            Note(
                "99490, 99491 and 99487 exclude one another in the same month (NCCI PTP indicator 0): report one "
                "CCM program per month.",
                citation=src.CARE_MANAGEMENT_PTP,
            )
        )
    return tuple(notes)


def _rule(program: CareProgram, payer: Payer) -> TimedRule:
    code, minimum, add_on, step, who, name = PROGRAMS[program]
    band = Band(code=code, min_minutes=minimum, title=TITLES[code], add_on_to=ADD_ON_PRIMARIES.get(code, ()))
    return TimedRule(
        family="care_management",
        payer=payer,
        bands=(band,),
        time_add_ons=(TimeAddOn(add_on, TITLES[add_on], first_unit_at=minimum + step, step=step, after=(code,)),),
        rule=(
            f"{name.capitalize()} by {who}: {code} once the month's time reaches {minimum} minutes; +{add_on} for "
            f"each further full {step} minutes ({minimum + step}, {minimum + 2 * step}...). Minutes are per "
            "calendar month and each threshold is met in full. CPT and Medicare count the same minutes."
        ),
        citations=(src.CARE_MANAGEMENT, src.MUE_PRACTITIONER),
        below_minimum=f"Under {minimum} minutes in the calendar month {code} is not reported.",
        notes=_notes(program, payer),
    )


CARE_MANAGEMENT = TimedFamily(
    name="care_management",
    duration_noun="care management time in the month",
    variant_fields=("care_program",),
    rules={(payer, (program,)): _rule(program, payer) for payer in PAYERS for program in PROGRAMS},
    missing_variant=(
        "Which care management service? Chronic care management by clinical staff (99490), complex CCM (99487), "
        "CCM by the physician or other qualified professional (99491), or principal care management by the "
        "practitioner (99424) or by clinical staff (99426)."
    ),
)
