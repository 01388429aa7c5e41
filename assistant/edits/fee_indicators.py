"""The Physician Fee Schedule (PFS) payment-policy indicators, value by value, in coders' words.

Rules are data: each indicator column of the CMS PPRRVU file is a table of value -> `Indicator`, read by one
generic `describe()`. Wording is ours, summarising the CMS record layout (RVU25D "National Physician Fee Schedule
Relative Value File", data element descriptions and Attachment A), the CMS MLN "Global Surgery" booklet
(MLN907166) and the Medicare Claims Processing Manual (100-04) Chapter 12, sections 40 (surgeons and global
surgery), 40.6 (multiple procedures, modifier 51), 40.7 (bilateral, modifier 50), 40.8 (co-surgeons 62, team
surgery 66), 20.4.5 (assistants at surgery 80/81/82/AS).
"""

from __future__ import annotations

from dataclasses import dataclass

LAYOUT = "CMS PFS Relative Value File record layout (RVU25D), data elements and Attachment A"
GLOBAL_BOOKLET = "CMS MLN Global Surgery booklet (MLN907166); 100-04 Ch. 12 s40.1"
MULTIPLE = "100-04 Ch. 12 s40.6 (multiple surgeries, modifier 51)"
BILATERAL = "100-04 Ch. 12 s40.7 (bilateral surgery, modifier 50)"
ASSISTANT = "100-04 Ch. 12 s20.4.5 and s40 (assistant at surgery, modifiers 80/81/82/AS)"
CO_SURGEONS = "100-04 Ch. 12 s40.8 (co-surgeons 62, team surgery 66)"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One value of one indicator: what it means in a sentence, and where that comes from."""

    value: str
    meaning: str
    source: str = LAYOUT


def _table(source: str, rows: dict[str, str]) -> dict[str, Indicator]:
    return {value: Indicator(value, meaning, source) for value, meaning in rows.items()}


# STATUS CODE (Attachment A). Only A, R and T carry RVUs used for Medicare payment under the fee schedule.
STATUS = _table(LAYOUT, {
    "A": "active: paid separately under the fee schedule when covered (a national coverage decision is not implied)",
    "B": "bundled: never paid separately; payment is included in the service it goes with",
    "C": "contractor priced: the MAC sets the payment, usually case by case from the documentation",
    "D": "deleted code",
    "E": "excluded from the fee schedule by regulation: no fee schedule payment (paid, when covered, another way)",
    "F": "deleted or discontinued code (no grace period)",
    "G": "not valid for Medicare: Medicare uses another code (90-day grace period)",
    "H": "deleted modifier: this 26/TC component was deleted",
    "I": "not valid for Medicare: Medicare uses another code for this service (no grace period)",
    "J": "anesthesia service: no RVUs here; paid with anesthesia base and time units",
    "M": "measurement code: reporting only, no payment",
    "N": "not covered by Medicare",
    "P": "bundled or excluded: no RVUs and no separate fee schedule payment",
    "R": "restricted coverage: special coverage rules apply; contractor priced when covered",
    "T": "injection: paid only when no other fee schedule service is billed that day by the same provider",
    "X": "statutory exclusion: not a physician service under the fee schedule (e.g. ambulance, clinical lab)",
})
PAYABLE_STATUS = frozenset({"A", "R", "T", "C"})  # may be paid under the fee schedule (C and R: contractor priced)

# PC/TC INDICATOR (Attachment A): whether the code splits into a professional (26) and technical (TC) component.
PCTC = _table(LAYOUT, {
    "0": "physician service: no professional/technical split; modifiers 26 and TC do not apply",
    "1": "diagnostic test with a professional and technical split: bill globally, or with 26 (interpretation) or "
    "TC (equipment and staff)",
    "2": "professional component only code: already the interpretation; modifiers 26 and TC do not apply",
    "3": "technical component only code: modifiers 26 and TC do not apply",
    "4": "global test only code: separate codes exist for the professional and technical parts; modifiers 26 and "
    "TC do not apply",
    "5": "incident-to code: not paid for hospital inpatients or outpatients; modifiers 26 and TC do not apply",
    "6": "laboratory physician interpretation code: modifier TC does not apply",
    "7": "physical therapy service not paid when furnished by an independent therapist to hospital patients",
    "8": "physician interpretation of an abnormal smear for a hospital inpatient only (85060); no TC billing",
    "9": "the professional/technical concept does not apply",
})
TC_ALLOWED = frozenset({"1"})
PROFESSIONAL_ALLOWED = frozenset({"1", "6"})  # 26 on a lab interpretation code (indicator 6) is how it is billed

# GLOB DAYS: the global surgery period.
GLOBAL_DAYS = _table(GLOBAL_BOOKLET, {
    "000": "0-day global: an endoscopy or minor procedure; pre- and post-op work on the day of the procedure is "
    "included; an E/M that day is generally not paid (a significant, separate E/M needs modifier 25)",
    "010": "10-day global: a minor procedure; the day of the procedure and the 10 days after are included; an "
    "unrelated E/M in that time needs 24 (25 for a separate E/M the same day)",
    "090": "90-day global: major surgery; the day before (pre-op day 1), the day of surgery and the 90 days after "
    "are included; E/M in the global period needs 24 (unrelated), 25 (separate, same day) or 57 (the decision "
    "for surgery the day before or of surgery)",
    "MMM": "maternity code: the usual global surgery period does not apply",
    "XXX": "the global surgery concept does not apply",
    "YYY": "the contractor decides whether a global period applies and sets it",
    "ZZZ": "an add-on or related code: always inside the global period of the primary procedure",
})

# MULT PROC (modifier 51).
MULTIPLE_PROCEDURE = _table(MULTIPLE, {
    "0": "no multiple procedure reduction: paid at the lower of the charge or 100% of the fee schedule amount; "
    "modifier 51 does not apply",
    "1": "pre-1995 standard multiple procedure rules (100%, 50%, 25% ...); not used for current codes",
    "2": "standard multiple procedure reduction: the highest-valued procedure at 100%, each other at 50%; "
    "report the others with 51 where the payer asks for it",
    "3": "multiple endoscopy rules apply with another endoscopy of the same family (same endoscopic base code)",
    "4": "diagnostic imaging reduction: technical component of the second and later procedures in a session at "
    "50% (professional at 95%)",
    "5": "therapy services: the practice expense of the second and later units is reduced",
    "6": "diagnostic cardiovascular services: technical component of the second and later procedures reduced",
    "7": "diagnostic ophthalmology services: technical component of the second and later procedures reduced",
    "9": "the multiple procedure concept does not apply",
})

# BILAT SURG (modifier 50).
BILATERAL_SURGERY = _table(BILATERAL, {
    "0": "the 150% bilateral adjustment does not apply and modifier 50 is not appropriate",
    "1": "the 150% bilateral adjustment applies when the procedure is done on both sides (modifier 50)",
    "2": "the 150% adjustment does not apply: the code is already bilateral or valued as bilateral",
    "3": "the 150% adjustment does not apply: each side is paid at 100% (mostly radiology and diagnostic tests)",
    "9": "the bilateral concept does not apply",
})

# ASST SURG (modifiers 80, 81, 82, AS).
ASSISTANT_AT_SURGERY = _table(ASSISTANT, {
    "0": "assistant at surgery paid only with documentation of medical necessity",
    "1": "assistant at surgery may not be paid (statutory restriction)",
    "2": "assistant at surgery may be paid",
    "9": "the assistant at surgery concept does not apply",
})

# CO-SURG (modifier 62).
CO_SURGERY = _table(CO_SURGEONS, {
    "0": "co-surgeons not permitted",
    "1": "co-surgeons paid only with documentation of the need for two surgeons",
    "2": "co-surgeons permitted (two specialties; no documentation needed)",
    "9": "the co-surgeon concept does not apply",
})

# TEAM SURG (modifier 66).
TEAM_SURGERY = _table(CO_SURGEONS, {
    "0": "team surgeons not permitted",
    "1": "team surgeons paid by report, with documentation of the need for a team",
    "2": "team surgeons permitted; paid by report",
    "9": "the team surgery concept does not apply",
})

# PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES (used in post-payment review).
SUPERVISION = _table(LAYOUT, {
    "01": "general supervision of a physician",
    "02": "direct supervision of a physician",
    "03": "personal supervision of a physician",
    "04": "general supervision, unless furnished by a qualified clinical psychologist",
    "05": "general supervision, unless furnished by a qualified audiologist",
    "06": "performed by a physician or an ABPTS-certified electrophysiologic physical therapist",
    "21": "a certified technician under general supervision; otherwise direct supervision",
    "22": "a technician with real-time contact with a physician",
    "66": "a physician or an ABPTS-certified physical therapist certified in the procedure",
    "6A": "as 66; the certified therapist may also supervise another therapist",
    "77": "an ABPTS-certified therapist, an uncertified therapist under direct supervision, or a certified "
    "technician under general supervision",
    "7A": "as 77; the certified therapist may also supervise another therapist",
    "09": "the supervision concept does not apply",
})

# Column -> (label in coders' words, table). The generic describe() reads these.
INDICATORS: dict[str, tuple[str, dict[str, Indicator]]] = {
    "status": ("Status", STATUS),
    "pctc": ("PC/TC indicator", PCTC),
    "global_days": ("Global", GLOBAL_DAYS),
    "mult_proc": ("Multiple procedure (51)", MULTIPLE_PROCEDURE),
    "bilateral": ("Bilateral (50)", BILATERAL_SURGERY),
    "assistant": ("Assistant at surgery (80/81/82/AS)", ASSISTANT_AT_SURGERY),
    "co_surgeons": ("Co-surgeons (62)", CO_SURGERY),
    "team": ("Team surgery (66)", TEAM_SURGERY),
    "supervision": ("Physician supervision", SUPERVISION),
}


def describe(column: str, value: str) -> Indicator:
    """The meaning of `value` in indicator `column` ("global_days", "090"); an unknown value says so, never guesses."""
    _, table = INDICATORS[column]
    found = table.get(value)
    if found is not None:
        return found
    return Indicator(value, f"value {value!r} is not in the CMS record layout we know; check the current layout")
