"""The small switches of a question as data: dose units, payer, setting, patient, E/M, sedation, age, sites, pumps,
pushes, billing-together and follow-up words; and small readers over them."""

from __future__ import annotations

import re
from typing import Literal

from assistant.chat.reading.problems import Problem
from assistant.chat.reading.question import CareSetting, Payer
from assistant.chat.reading.spans import BodySurfaceArea, Weight
from assistant.chat.reading.text import escape_user_text

# The container a dose was drawn from (Medicare JW/JZ, 100-04 Ch 17 section 40): "two 100 mg single-dose vials".
_CONTAINER_WORDS = (r"(?:(?P<kind>single|multi|multiple)[- ]?(?:dose|use)\s+|sdv\s+|mdv\s+)?"
                    r"(?:vials?|syringes?|containers?|bottles?|sdvs?|mdvs?)\b")
# "the vial is 3.5 mg", "vial size: 100 mg", "SDV = 40 mg": the container's size typed before it, never the dose.
VIAL_IS = re.compile(r"\b(?:vial|sdv|mdv|container)s?\s*(?:size\s*)?(?:is|was|of|:|=)?\s*"
                     r"(?P<size>\d+(?:\.\d+)?)\s*(?P<unit>mg|g|mcg|units?|ml)\b")
VIALS = re.compile(r"(?:(?P<n>\d+)\s+(?:x\s+)?)?(?P<size>\d+(?:\.\d+)?)\s*(?P<unit>mg|g|mcg|units?|ml)\s+"
                    + _CONTAINER_WORDS)
AFTER_DOSE_IS_CONTAINER = re.compile(r"\s*" + _CONTAINER_WORDS)
_ORDINALS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "another": 2, "additional": 2}


# --------------------------------------------------------------------------------------------------------
# Doses: "1 g", "500 mcg", "10 grams", "40 units", "2 mL"
# --------------------------------------------------------------------------------------------------------

_DOSE_UNITS = {
    "g": "g", "gm": "g", "gms": "g", "gram": "g", "grams": "g", "gr": "g",
    "mg": "mg", "mgs": "mg", "milligram": "mg", "milligrams": "mg",
    "mcg": "mcg", "mcgs": "mcg", "ug": "mcg", "µg": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "unit": "units", "units": "units", "u": "units", "iu": "units",
    "ml": "mL", "mls": "mL", "cc": "mL", "milliliter": "mL", "milliliters": "mL", "millilitre": "mL",
}
BASE_UNITS = re.compile(
    r"\bbase(?:\s+units?)?\s*(?:of|=|:|is)?\s*(?P<a>\d+(?:\.\d+)?)|(?<![\w.])(?P<b>\d+(?:\.\d+)?)\s*base\s+units?\b"
)


# "1,5g": a decimal comma or a slip? Either reading could be the right one, so it is asked, never guessed.
DECIMAL_COMMA = re.compile(
    r"(?<![\w,.])\d+,\d{1,2}(?![\d,])\s*(?:"
    + "|".join(sorted((re.escape(u) for u in _DOSE_UNITS), key=len, reverse=True))
    + r"|hours?|hrs?|h|minutes?|mins?)(?![\w/])"
)


# A "+" between numbers left after normalising ("1 1/2+1 hours") is a sum the parser could not read: asked.
# Two codes joined by "+" ("90839 + 90785", "G0500 + 99152") are a pair to check, never a sum of times.
UNREAD_SUM = re.compile(r"(?<![A-Za-z\d])(?!\d{5}\s*\+\s*[A-Za-z]?\d{4,5}\b)[\d/.]+\s*\+\s*(?![A-Za-z]?\d{5}\b)[\d./]+"
                         r"(?:\s*(?:hours?|hrs?|minutes?|mins?))?")
# "4 mg x 2": two doses or one? The multiplier is never dropped silently. "4 x 100 mg vials" counts containers.
MULTIPLIED_DOSE = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?\s*(?:"
    + "|".join(sorted((re.escape(u) for u in _DOSE_UNITS), key=len, reverse=True))
    + r")\s*(?:x|×|\*|times)\s*\d+(?![\w.])(?!\s*[a-z])"
    + r"|(?<![\w.])\d{1,2}\s*(?:x|×|\*|times)\s*\d+(?:\.\d+)?\s*(?:"
    + "|".join(sorted((re.escape(u) for u in _DOSE_UNITS), key=len, reverse=True))
    + r")(?![\w/])(?!\s*(?:(?:single|multi|multiple)[- ]?(?:dose|use)\s+|sdv\s+|mdv\s+)?(?:vials?|syringes?))"
)


# --------------------------------------------------------------------------------------------------------
# Payer, setting, patient, sites, pumps and the other small switches
# --------------------------------------------------------------------------------------------------------

# (pattern, value): the first row that matches wins, so the more specific rows come first.
_MEDICARE_ADVANTAGE = r"\b(?:medicare advantage|medicare adv|ma plans?|ma (?:hmo|ppo)|mapd|part c)\b"
_MEDICAID = r"\b(?:medicaid|medi-cal|mcd)\b"
PAYER_CUES: tuple[tuple[str, Payer], ...] = (
    (_MEDICARE_ADVANTAGE, "medicare"),
    # Medicaid is not Medicare: its rules are each state's; CPT rules are the closest default (said in a note).
    (_MEDICAID, "cpt"),
    (r"\b(?:medicare|mcr|mcare|cms|mac|part b|noridian|novitas|palmetto|wps|first coast|ngs)\b", "medicare"),
    (r"\b(?:commercial|cpt rules?|ama|private|blue cross|bcbs|aetna|cigna|united|uhc|non-medicare)\b", "cpt"),
)
# Payers read as one of the two rule sets with a caveat the answer must carry.
PAYER_NOTES: tuple[tuple[str, str], ...] = (
    (_MEDICARE_ADVANTAGE, "I read Medicare Advantage as Medicare: these are the Medicare rules, but an MA plan may "
                          "follow its own policy; check the plan's rules."),
    (_MEDICAID, "Medicaid rules vary by state: these are the CPT rules; check your state Medicaid policy."),
)
PAYER_NOTE_TEXTS = frozenset(note for _, note in PAYER_NOTES)

SETTING_CUES: tuple[tuple[str, CareSetting, int], ...] = (
    # Case-sensitive abbreviations (ED/ER) so "er" in ordinary words does not match.
    (r"\b(?:ED|ER|HOPD|OPPS|UB-04)\b", "facility", 0),
    (r"\b(?:facility|hospital|hopd|outpatient hospital|emergency (?:dept|department|room)|infusion center"
     r"|ub-?04|ub04)\b", "facility", re.IGNORECASE),
    (r"\b(?:office|physician|pro ?fee|professional|clinic|cms-?1500|doctor'?s office|practice)\b", "professional",
     re.IGNORECASE),
)
PATIENT_CUES: tuple[tuple[str, Literal["new", "established"]], ...] = (
    (r"\bnew\s+(?:patient|pt)s?\b|\bnp\b", "new"),
    (r"\b(?:established|est|existing|return(?:ing)?)\.?\s+(?:patient|pt)s?\b|\bestablished\b|\best pt\b",
     "established"),
    # A typed office E/M code says which: 99202-99205 new, 99211-99215 established patient (CPT E/M code set).
    (r"\b9920[2-5]\b", "new"),
    (r"\b9921[1-5]\b", "established"),
)
_EM_WORDS = r"(?:e/m|e&m|em|e and m|evaluation|office visit|992\d\d)"
_PSYCHOTHERAPY_WORDS = r"(?:psychotherapy|psych\w*|talk therapy|therapy)"
WITH_EM = re.compile(
    r"\b(?:with|w/|plus|and|\+)\s*(?:an?\s+)?" + _EM_WORDS + r"\b"
    # The E/M first: "E/M plus psychotherapy 45 min", "99214 + therapy 53 min psych" (the add-on context too).
    + r"|(?<![\w/&])" + _EM_WORDS + r"\s*(?:with|w/|plus|and|\+|&)\s*(?:an?\s+)?" + _PSYCHOTHERAPY_WORDS + r"\b"
)
WITHOUT_EM = re.compile(
    r"\b(?:without|w/o|no)\s+(?:an?\s+)?(?:e/m|e&m|em)\b|\b(?:alone|standalone|only psychotherapy)\b"
)
SEDATION_OTHER = re.compile(
    r"\b(?:anesthesiologist|crna|anesthetist)\b|\b(?:another|other|different|separate|second)\s+"
    r"(?:provider|physician|doctor|clinician)\b|\bby anesthesia\b|\banesthesia (?:gave|provided|did)\b"
)
SEDATION_SAME = re.compile(
    r"\bsame\s+(?:provider|physician|doctor|clinician|person)\b|\bproceduralist\b|\bperforming\s+(?:physician|provider)\b"
    r"|\b(?:physician|provider|doctor) (?:doing|performing) the procedure\b|\bendoscopist\b"
)
AGE = re.compile(
    r"\b(?:age[d]?\s*(?P<a>\d{1,3})\b|(?P<b>\d{1,3})\s*(?:yo|y/o|y\.o\.|year[- ]olds?|years?[- ]old|yrs?[- ]old)\b"
    # "pt is 4": an age, unless a unit follows the number
    r"|(?:pt|patient|child|kid)\s+is\s+(?P<c>\d{1,3})\b(?![.:/]\d)(?!\s*(?:min|mins|minutes?|h|hrs?|hours?|mg|mcg|g|kg"
    r"|lbs?|units?|ml|cc|%|m2|cm)\b))"
)
# A child with no age: the sedation code depends on it (99151/99155 under 5 years, CPT moderate sedation guidelines).
CHILD = re.compile(r"\b(?:kid|kiddo|child|peds|pediatric|paediatric|paed)\b")
UNDER_5 = re.compile(r"\b(?:under|younger than|less than|below)\s*(?:age\s*)?(?:5|five)\b|\btoddler\b|\binfant\b")
OVER_5 = re.compile(r"\b(?:5|five)\s*(?:years?\s*)?(?:or|and)\s*(?:older|over|up)\b|\badult\b|\bover\s*(?:5|five)\b")
SITES = re.compile(r"(?<![\w.])(?P<n>\d+)\s*(?:separate\s+|different\s+|infusion\s+|subq\s+|sc\s+|needle\s+)?sites?\b")
SITE_ORDINAL = re.compile(r"\b(?P<o>second|2nd|third|3rd|another|additional)\s+(?:infusion\s+|needle\s+)?site\b")
PUMPS = re.compile(r"(?<![\w.])(?P<n>\d+)\s*(?:separate\s+|different\s+)?pump(?:s|\s+set-?ups?|\s+setups?)?\b")
PUMP_ORDINAL = re.compile(
    r"\b(?P<o>second|2nd|third|3rd|another|additional|new)\s+(?:separate\s+)?pump(?:\s+set-?up|\s+setup)?\b"
)
PUSH_COUNT = re.compile(
    r"(?<![\w.])(?P<n>\d+)\s*(?:iv\s+|ivp\s+|chemo\s+|separate\s+|different\s+)?push(?:es)?\b"
)
PUSH_ORDINAL = re.compile(r"\b(?P<o>second|2nd|third|3rd|another|additional)\s+(?:iv\s+|chemo\s+)?push\b")
INJECTION_COUNT = re.compile(
    r"(?<![\w.])(?P<n>\d+)\s*(?:im\s+|sc\s+|sq\s+|subq\s+|separate\s+)?(?:injections?|shots?)\b"
)
SEQUENTIAL = re.compile(r"(?<![\w.])(?:(?P<n>\d+)\s*)?sequential\b")
CONCURRENT = re.compile(r"\bconcurrent(?:ly)?\b")
TOGETHER = re.compile(
    r"\b(?:with|w/|same day|same-day|same date|same encounter|same visit|together|bundl\w*|ncci|ptp|edit|edits"
    r"|modifier|mod 59|xe|xs|xp|xu|along with|plus)\b"
)
STRONG_TOGETHER = re.compile(
    r"\b(?:same day|same-day|same date|same encounter|same visit|together|bundl\w*|ncci|ptp|edits?|modifier"
    r"|mod 59|-59|xe|xs|xp|xu|column ?[12]|separately|unbundl\w*)\b"
)
ASKS_UNITS = re.compile(r"\bhow many units\b|\bhow do i (?:code|bill)\b|\bhow (?:should|would) i (?:code|bill)\b"
                         r"|\bunits?\b|\bcode (?:this|it)\b|\bbill(?:ed|ing)?\b|\breport\b")
FOLLOWUP = re.compile(
    r"^\s*(?:and|but|also|so|ok(?:ay)?|now|then)?\s*,?\s*(?:what|how)\s+about\b|^\s*(?:and|but|also)\b"
    r"|^\s*what\s+if\b|^\s*same\s+(?:but|for|with|thing)\b|^\s*(?:instead|now)\b|^\s*if\s+(?:it|the)\b"
    r"|^\s*for\s+(?:medicare|cms|commercial|facility|hospital|office|a new|an established)\b"
)


def first_value(cues, text: str):
    for row in cues:
        pattern, value = row[0], row[1]
        flags = row[2] if len(row) > 2 else re.IGNORECASE
        if re.search(pattern, text, flags):
            return value
    return None


def ordinal_count(word: str) -> int:
    return _ORDINALS.get(word, 2)



_ENGINE_DOSE_UNITS = frozenset({"g", "mg", "mcg", "units", "mL"})
# A dose per body size (mg/kg, mg/m2) is the dose per kilogram or square metre times the patient's weight or body
# surface area (the arithmetic of the order itself); without the weight/BSA it is asked, never guessed.
PER_BODY_SIZE = {f"{base}/{size}": (base, Weight if size == "kg" else BodySurfaceArea)
                 for base in ("g", "mg", "mcg", "units", "mL") for size in ("kg", "m2")}


def dose_for_body_size(amount: float, unit: str, kg: float | None, m2: float | None) -> tuple[float, str] | None:
    """A dose per body size ("5 mg/kg") times the patient's weight or body surface area, or None (not per body size,
    or the size it needs was not typed)."""
    if unit not in PER_BODY_SIZE:
        return None
    total_unit, size_kind = PER_BODY_SIZE[unit]
    size = kg if size_kind is Weight else m2
    return (round(amount * size, 3), total_unit) if size else None


def per_body_size(
    dose: tuple[float, str, str], reading: object, notes: list[str], problems: list[Problem]
) -> tuple[float, str, str] | None:
    unit, size_kind = PER_BODY_SIZE[dose[1]]
    sizes = reading.of(size_kind)  # type: ignore[attr-defined]
    if len(sizes) != 1:
        what = "weight (kg)" if size_kind is Weight else "body surface area (m2)"
        problems.append(Problem("body_size", dose[2], detail={"what": what}))
        return None
    size = sizes[0].kg if size_kind is Weight else sizes[0].m2
    total = round(dose[0] * size, 3)
    notes.append(f"I read {escape_user_text(dose[2])} x {escape_user_text(sizes[0].surface)} as a dose of "
                 f"{total:g} {unit}.")
    return total, unit, f"{total:g} {unit}"


def question_digits(reading: object) -> str:
    """The lower-cased question with number words written as digits (for the count patterns)."""
    low: str = reading.low  # type: ignore[attr-defined]
    parts: list[str] = []
    position = 0
    for token in reading.tokens:  # type: ignore[attr-defined]
        if token.kind == "num" and token.words and token.value is not None:
            parts.append(low[position:token.start])
            parts.append(f"{token.value:g}")
            position = token.end
    parts.append(low[position:])
    return "".join(parts)


_NUMBER_TOKEN = re.compile(r"(?<![\w.:/])\d+(?:\.\d+)?(?![\w:/])")


def bare_number(t: str, codes: tuple[str, ...]) -> float | None:
    """The one number in a turn that has no unit and is not a code ("what about 104?"), else None."""
    numbers = [m for m in _NUMBER_TOKEN.finditer(t) if m.group(0).upper() not in codes and len(m.group(0)) != 5]
    if len(numbers) != 1:
        return None
    after = t[numbers[0].end():].lstrip()
    # A word right after the number is its unit or what it counts ("2 sites", "3 pumps", "40 yo"): not bare.
    if re.match(r"[a-z%]", after):
        return None
    return float(numbers[0].group(0))


def is_therapy_minutes(code_minutes: dict[str, int]) -> bool:
    # PT/OT timed codes are 97xxx; one such code with minutes is still a per-code therapy question.
    return bool(code_minutes) and all(code.startswith("97") for code in code_minutes)
