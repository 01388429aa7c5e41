"""What a question may say about the kind of code it wants, beyond the item (issue 22, fifth pass).

**The code's letter.** Coders ask "what is the J code for Zofran", "is there a G code for crisis psychotherapy",
"chemo IV push Q code": the HCPCS Level II section letter names which of two codes for the same service is wanted
(CPT 96409 or Q0083; CPT 90839 or G0017). HCPCS Level II codes are one letter and four digits, the letter naming the
section (CMS, HCPCS Level II coding procedures: "A codes", "J codes" ...). A record of another section counts
OTHER_LETTER_FACTOR when the question names a section this way.

**The orthosis's fabrication.** CMS codes most orthoses three times: prefabricated off-the-shelf (the patient or a
caregiver needs at most minimal self-adjustment; Social Security Act s. 1847(a)(2)(C), 42 CFR 414.402), prefabricated
and custom fitted ("trimmed, bent, molded, assembled, or otherwise customized to fit a specific patient by an
individual with expertise"), and custom fabricated (made for one patient from measurements or a model). The DME MACs'
joint article "Correct Coding - Definitions Used for Off-the-Shelf versus Custom Fitted Prefabricated Orthotics"
ties the words to the descriptors. The descriptors share every other word, so BM25 and the encoder barely tell
"LSO ... off the shelf" from "LSO ... custom fitted". When the question names a class, a record of another class
counts OTHER_FABRICATION_FACTOR; a question naming none is left alone (the answer says which word decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.records import CodeRecord

OTHER_LETTER_FACTOR = 0.6
OTHER_FABRICATION_FACTOR = 0.6

# "J code", "G-code", "Q codes", "HCPCS J code": the sections of the HCPCS Level II file (no F, I, N or O section).
# "A code" is mostly the article ("A code for zofran?", "is there a code for"), so the A section counts only as "an A
# code", "the A codes", "A-code" or "A codes"; "I code this as" is no section.
_LETTER_CODE = re.compile(r"(?<![\w'-])(?:(?P<upper>[B-EGHJ-MP-V])|(?P<lower>[b-eghj-mp-v]))[- ]?codes?\b"
                          r"|(?:(?<=\ban )|(?<=\bthe )|(?<![\w'-]))(?P<a>A)(?:-codes?\b|\s+codes\b)"
                          r"|(?:(?<=\ban )|(?<=\bthe ))(?P<a2>A)\s+code\b")

OFF_THE_SHELF = "off-the-shelf"
CUSTOM_FITTED = "custom fitted"
CUSTOM_FABRICATED = "custom fabricated"

# The classes as CMS descriptors word them (L0648 "prefabricated, off-the-shelf"; L0631 "prefabricated item that
# has been trimmed, bent, molded, assembled, or otherwise customized to fit a specific patient by an individual with
# expertise"; L0632 "custom fabricated").
_RECORD_CLASSES = (
    (OFF_THE_SHELF, re.compile(r"\boff[- ]the[- ]shelf\b", re.IGNORECASE)),
    (CUSTOM_FITTED, re.compile(r"customized\s+to\s+fit|\bcustom[- ]fit(?:ted)?\b", re.IGNORECASE)),
    (CUSTOM_FABRICATED, re.compile(r"\bcustom[- ]fabricated\b", re.IGNORECASE)),
)
# A long orthosis descriptor names its class last ("..., prefabricated, off-the-shelf", L0628; "..., custom
# fabricated", L0632): the lexical side keeps those words however long the descriptor runs.
FABRICATION_TAIL = re.compile(r"(?:prefabricated,?\s*)?(?:off-the-shelf|custom fabricated)\W*$", re.IGNORECASE)
# The classes as coders type them: "OTS", "off the shelf"; "custom fit", "custom-fitted", "prefab custom fit";
# "custom fabricated", "custom made", "custom molded" (a custom-molded orthosis is fabricated from a model).
_QUESTION_CLASSES = (
    (OFF_THE_SHELF, re.compile(r"\boff[- ]?the[- ]?shelf\b|\bOTS\b", re.IGNORECASE)),
    (CUSTOM_FITTED, re.compile(r"\bcustom[- ]?fit(?:ted)?\b|customi[sz]ed\s+to\s+fit|\bfitted\s+by\b", re.IGNORECASE)),
    (CUSTOM_FABRICATED, re.compile(r"\bcustom[- ]?(?:fabricated|fab|made|molded|moulded|built)\b", re.IGNORECASE)),
)


def asked_letter(question: str) -> str | None:
    """The HCPCS section letter the question asks for ("J code for keytruda" -> "J"), else None."""
    match = _LETTER_CODE.search(question)
    if match is None:
        return None
    return (match.group("upper") or match.group("lower") or "A").upper()


def code_letter_factor(record: CodeRecord, letter: str | None) -> float:
    """OTHER_LETTER_FACTOR for a record outside the section the question names; 1.0 otherwise."""
    if letter is None or record.code.upper().startswith(letter):
        return 1.0
    return OTHER_LETTER_FACTOR


def asked_fabrication(question: str) -> str | None:
    """The orthosis class the question names, else None."""
    for name, pattern in _QUESTION_CLASSES:
        if pattern.search(question):
            return name
    return None


def record_fabrication(record: CodeRecord) -> str | None:
    """The class the record's official descriptor names, else None (most records name none)."""
    text = record.official_descriptor or ""
    for name, pattern in _RECORD_CLASSES:
        if pattern.search(text):
            return name
    return None


def fabrication_factor(record: CodeRecord, asked: str | None) -> float:
    """OTHER_FABRICATION_FACTOR for a record of another class than the question names; 1.0 otherwise."""
    if asked is None:
        return 1.0
    stated = record_fabrication(record)
    return OTHER_FABRICATION_FACTOR if stated is not None and stated != asked else 1.0


# **The billing unit.** CMS codes one service several times by its unit of time: home nursing "per hour" (S9123) or
# "per diem" (T1030), a home health aide "each 15 minutes" (G0156) or "per hour" (S9122), hyperbaric oxygen "per 30
# minute interval" (G0277), observation "per hour" (G0378). The unit is part of the code's identity (HCPCS Level II
# descriptors), so a question naming one ("per hour", "hourly", "per diem", "each 15 min") makes a record naming only
# other units count OTHER_UNIT_FACTOR. A record naming no unit is left alone.
OTHER_UNIT_FACTOR = 0.7
_UNIT_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "fifteen": 15, "thirty": 30}
_PER_UNIT = re.compile(
    r"(?:\b(?:per|each|every)\s+(?:additional\s+)?|/\s*)(?:(?P<n>\d+|"
    + "|".join(_UNIT_NUMBER) + r")[\s-]*)?(?:calendar\s+)?"
    r"(?P<unit>minutes?|mins?|hours?|hrs?|diem|days?|visits?|encounters?|sessions?|months?|weeks?)\b",
    re.IGNORECASE)
_EVERY_UNIT = re.compile(r"\b(?P<unit>hourly|daily|weekly|monthly)\b", re.IGNORECASE)
_UNIT_KEYS = {"hourly": "60 min", "daily": "day", "weekly": "week", "monthly": "month", "diem": "day",
              "encounter": "visit"}
# How "why it fits" says a unit.
_UNIT_WORDS = {"60 min": "per hour", "day": "per day", "visit": "per visit", "session": "per session",
               "month": "per month", "week": "per week"}


def _unit_key(unit: str, number: str | None) -> str:
    unit = unit.casefold().rstrip("s")
    if unit in _UNIT_KEYS:
        return _UNIT_KEYS[unit]
    count = int(_UNIT_NUMBER.get(number.casefold(), 0) or number) if number else 1
    if unit in ("minute", "min"):
        return f"{count} min"
    if unit in ("hour", "hr"):
        return f"{60 * count} min"
    return unit


def billing_units(text: str) -> set[str]:
    """The units of time a text bills by: "per hour" -> {"60 min"}, "each 15 minutes" -> {"15 min"}, "per diem" ->
    {"day"}, "monthly" -> {"month"}."""
    units = {_unit_key(match.group("unit"), match.group("n")) for match in _PER_UNIT.finditer(text)}
    return units | {_unit_key(match.group("unit"), None) for match in _EVERY_UNIT.finditer(text)}


def billing_unit_factor(record: CodeRecord, asked: set[str]) -> float:
    """OTHER_UNIT_FACTOR for a record whose descriptor bills by other units of time than the question names."""
    if not asked:
        return 1.0
    stated = billing_units(record.official_descriptor or record.title)
    return OTHER_UNIT_FACTOR if stated and not stated & asked else 1.0


@dataclass(frozen=True)
class AskedKinds:
    """What one question says about the kind of code it wants, read once per search."""

    letter: str | None
    fabrication: str | None
    units: frozenset[str]


def read_asked(question: str) -> AskedKinds:
    """The section letter, orthosis class and billing units the question names."""
    return AskedKinds(asked_letter(question), asked_fabrication(question), frozenset(billing_units(question)))


def asked_factor(record: CodeRecord, asked: AskedKinds) -> float:
    """The record's factor under everything the question asked for (1.0 when it asked for nothing)."""
    return (code_letter_factor(record, asked.letter) * fabrication_factor(record, asked.fabrication)
            * billing_unit_factor(record, set(asked.units)))


def asked_note(record: CodeRecord, asked: AskedKinds) -> str | None:
    """The words of "why it fits" naming what the question asked for that this record has ("you asked for a J
    code"; "it is the off-the-shelf orthosis you named"; "it is billed per hour, as you said"), or None."""
    notes: list[str] = []
    if asked.letter is not None and record.code.upper().startswith(asked.letter):
        notes.append(f"you asked for a {asked.letter} code")
    if asked.fabrication is not None and record_fabrication(record) == asked.fabrication:
        notes.append(f"it is the {asked.fabrication} orthosis you named")
    units = asked.units & billing_units(record.official_descriptor or record.title)
    if units:
        said = ", ".join(_UNIT_WORDS.get(unit, f"each {unit}") for unit in sorted(units))
        notes.append(f"it is billed {said}, as you said")
    return "; ".join(notes) or None
