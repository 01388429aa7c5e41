"""Family cues: which units family a question's words name (lay terms first), as data.

RULES may append cue rows here (one `FamilyCue` per row, in priority order) for the families it adds to the units
registry; a cue names a family key of `assistant.units.FAMILIES` (a test keeps them in step). Negated words
("non-chemo", "no pump") are masked out of the text before cues are matched (see `mask_negations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.chat.reading.vocabulary import NEGATION_MODIFIERS, NEGATIONS

# A negation and the word it negates ("no pump", "non-chemo", "without E/M", "no portable pump"): the negated word is
# blanked (same length, so spans stay valid) before any cue is matched: a negated item is never used (issue 10 item 3).
_NEGATED = re.compile(
    r"(?<![\w/])(?:" + "|".join(re.escape(n) for n in sorted(NEGATIONS, key=len, reverse=True)) + r")[\s-]+"
    r"(?:(?:" + "|".join(sorted(NEGATION_MODIFIERS)) + r")\s+)*(?P<word>[\w/&]+)",
    re.IGNORECASE,
)


# Another day's chemotherapy named as context ("neulasta SQ the day after chemo", "post-chemo hydration"): the
# service of this question is not chemotherapy because of it (issue 17: context never becomes a service).
_OTHER_CHEMO = re.compile(r"\b(?:after|post|following|since|before|prior to|day after|between)[\s-]+(?:her |his |the "
                          r"|last |their )?(?P<word>chemo(?:therapy)?)(?![\w-])|(?P<induced>chemo)-induced",
                          re.IGNORECASE)


# A place named after a service ("at the infusion center", "infusion suite", "chemo chair") is the setting, not a
# service of the visit.
_PLACE = re.compile(r"\b(?P<word>infusion|chemo)\s+(?:center|centre|suite|clinic|room|chair|unit|nurse)s?\b",
                    re.IGNORECASE)


def mask_negations(text: str) -> str:
    """`text` with every negated word replaced by spaces ("non-chemo IV" -> "non-      IV"), and context masked the
    same way: another day's chemotherapy ("the day after chemo"), a place ("at the infusion center")."""
    if _OTHER_CHEMO.search(text):
        text = _OTHER_CHEMO.sub(lambda m: _blank(m, "word" if m.group("word") else "induced"), text)
    if _PLACE.search(text):
        text = _PLACE.sub(lambda m: _blank(m, "word"), text)
    if not _NEGATED.search(text):
        return text
    return _NEGATED.sub(lambda m: _blank(m, "word"), text)


def _blank(match: re.Match[str], group: str) -> str:
    """The match with its `group` replaced by spaces (same length, so spans stay valid)."""
    start, end = match.start(group) - match.start(), match.end(group) - match.start()
    whole = match.group(0)
    return whole[:start] + " " * (end - start) + whole[end:]



@dataclass(frozen=True)
class FamilyCue:
    """A family is chosen when every pattern in `all_of` matches and none in `none_of` does. Order = priority."""

    family: str
    all_of: tuple[str, ...]
    none_of: tuple[str, ...] = ()
    case_sensitive: bool = False


_CHEMO = r"\b(?:chemo\w*|antineoplastic|anti-neoplastic|oncology infusion)\b"
_PUSH = r"\b(?:push(?:es|ed)?|ivp|iv push|slow push)\b"
PUSH_WORD = re.compile(_PUSH)  # a push question: times "after"/"later"/"apart" are gaps between pushes
_INJECTION = r"\b(?:inj|injection|injections|injected|shot|shots|intramuscular|im)\b"
_SUBQ = r"\b(?:subq|sub-q|sub q|subcut|sub-cut|subcutaneous|sc|sq|scig|hizentra|cuvitru|xembify|hyqvia|cutaquig)\b"
# RULES (issue 14): cue rows for the families added to the units registry. They come first because they are more
# specific than the generic rows below ("psychotherapy for crisis" before "psychotherapy", "home visit new patient"
# before the office "new patient" cue).
_RULES_CUES: tuple[FamilyCue, ...] = (
    FamilyCue("crisis_psychotherapy", (r"\b(?:crisis (?:psychotherapy|psych\w*|therapy|session|intervention|counsel\w*)"
                                       r"|psychotherapy for (?:a )?crisis|(?:psycho)?therapy (?:for|in) (?:a )?crisis"
                                       r"|90839|90840)\b",)),
    FamilyCue("family_psychotherapy", (r"\b(?:family (?:psycho)?therapy|family psych\w*|family session|conjoint "
                                       r"(?:psycho)?therapy|couples (?:psycho)?therapy|90846|90847)\b",)),
    # Coder shorthand (issue 17): hosp, inpt, obs.
    FamilyCue("hospital_em", (r"\b(?:(?:initial|subsequent|subs?|follow-?up|daily) (?:hospital|hosp|inpatient|inpt"
                              r"|observation|obs)"
                              r"|(?:hospital|hosp) (?:care|visit|admission|admit|follow-?up|discharge|rounds?|progress)"
                              r"|(?:inpatient|inpt) (?:visit|care|admission|e/m|em)"
                              r"|(?:observation|obs) (?:care|visit|stay)"
                              r"|discharge (?:day|management|visit)|day of discharge|admission (?:h&p|visit)"
                              r"|same[- ]day (?:admission|admit|discharge)|admit(?:ted)? and discharged?)\b",)),
    FamilyCue("nursing_facility_em", (r"\b(?:nursing (?:facility|home)|snf|skilled nursing|nf (?:\w+ )?visit"
                                      r"|(?:initial|subsequent|subs?) nf|nf (?:initial|subsequent|discharge))\b",)),
    FamilyCue("home_em", (r"\b(?:home visit|house call|home or residence|residence visit|assisted living visit"
                          r"|domiciliary visit|visit (?:at|in) (?:the )?(?:patient'?s )?home)\b",)),
    FamilyCue("care_management", (r"\b(?:ccm|chronic care management|complex ccm|principal care management|pcm"
                                  r"|care management)\b",)),
)
FAMILY_CUES: tuple[FamilyCue, ...] = _RULES_CUES + (
    FamilyCue("chemo_push", (_CHEMO, _PUSH)),
    FamilyCue("chemo_infusion", (_CHEMO,)),
    FamilyCue("critical_care", (r"\b(?:critical[- ]care|crit[- ]care|crit care|cc time|critically ill)\b",)),
    FamilyCue("sedation", (r"\b(?:sedation|sedated|conscious sedation)\b",)),
    FamilyCue("anesthesia", (r"\b(?:anesthesia|anaesthesia|anesthetic time|crna|base units?)\b",)),
    FamilyCue("psychotherapy", (r"\b(?:psychotherapy|psych therapy|talk therapy|counseling session|psych session"
                                r"|therapy session with (?:e/m|e&m))\b",)),
    # "therapy 53 min psych": therapy with a psych word is psychotherapy, not PT/OT.
    FamilyCue("psychotherapy", (r"\btherapy\b", r"\b(?:psych|psychiatric|psychological|mental health)\b")),
    FamilyCue("office_em", (r"\b(?:office visit|office/outpatient visit|e/m|e&m|e and m|em visit|new (?:patient|pt)"
                            r"|established (?:patient|pt)|est pt|est patient|prolonged (?:service|visit)s?"
                            r"|clinic visit|visit level|level of (?:the )?visit)\b",),
              # "with an E/M" is the psychotherapy add-on context, not an E/M time question.
              (r"\b(?:with|w/|plus|and|\+)\s*(?:an?\s+)?(?:e/m|e&m|em)\b",
               r"(?:e/m|e&m|\bem)\s*(?:with|w/|plus|and|\+|&)\s*(?:an?\s+)?(?:psychotherapy|psych\w*|talk therapy"
               r"|therapy)\b")),
    FamilyCue("subq_infusion", (_SUBQ,), (_INJECTION,)),
    FamilyCue("hydration", (r"\b(?:hydration|hydrate|ns|normal saline|saline|iv fluids?|fluids?|lr|lactated ringers?"
                            r"|d5w|d5ns|rehydration|fluid bolus)\b",)),
    FamilyCue("iv_push", (_PUSH,)),
    FamilyCue("injection", (_INJECTION,)),
    FamilyCue("iv_infusion", (r"\b(?:infusion|infused|infusing|drip|iv antibiotics?|ivig|iv drug|iv therapy"
                              r"|therapeutic infusion|iv)\b",)),
    FamilyCue("therapy", (r"\b(?:PT|OT)\b",), case_sensitive=True),
    FamilyCue("therapy", (r"\b(?:physical therapy|occupational therapy|therapeutic exercises?|ther ?ex"
                          r"|manual therapy|neuromuscular re-?ed\w*|gait training|therapeutic activit\w*"
                          r"|timed codes?|8[- ]minute rule|rule of (?:8|eight)s?|therapy)\b",)),
)


def parse_family(text: str) -> tuple[str | None, str | None]:
    """The family named by lay terms in `text` and the words that named it, or (None, None)."""
    found = _matching_families(text)
    return found[0] if found else (None, None)


@lru_cache(maxsize=8192)
def _pattern(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


@lru_cache(maxsize=4096)
def _matching_families(text: str) -> tuple[tuple[str, str], ...]:
    """Every family whose cue matches, in priority order, with the words that matched (cached: the reader asks about
    the same words several times per question)."""
    found: list[tuple[str, str]] = []
    text = mask_negations(text)
    for cue in FAMILY_CUES:
        flags = 0 if cue.case_sensitive else re.IGNORECASE
        matches = []
        for pattern in cue.all_of:
            match = _pattern(pattern, flags).search(text)
            matches.append(match)
            if match is None:
                break
        matched = all(matches) and not any(_pattern(p, re.IGNORECASE).search(text) for p in cue.none_of)
        if matched and cue.family not in {family for family, _ in found}:
            found.append((cue.family, " + ".join(m.group(0) for m in matches if m)))
    return tuple(found)


# Families another one's words already contain ("chemo push" also matches "chemo" and "push"). The generic cues
# (IV/infusion, therapy) are never counted as a second service: they appear inside most questions.
_IMPLIED = {
    "chemo_push": {"chemo_infusion", "iv_push"},
    "sedation": {"anesthesia"},
    "injection": {"subq_infusion"},
}
_GENERIC = {"iv_infusion", "therapy"}


def other_families_named(text: str) -> tuple[str, ...]:
    """Families named besides the first one, not counting those its own words imply."""
    found = [family for family, _ in _matching_families(text)]
    if not found:
        return ()
    ignored = _IMPLIED.get(found[0], set()) | _GENERIC
    return tuple(family for family in found[1:] if family not in ignored)


# RULES (issue 14): words that fill a units request field for one of its families, as data (first match per field
# wins). The router adds `field_values(family, text)` to the request it builds; absent words leave a field unset, so
# the engine asks for it with each possible answer instead of guessing.
@dataclass(frozen=True)
class FieldCue:
    """Words (`pattern`) that set `field` to `value` in a request for one of `families`. Order = priority."""

    families: tuple[str, ...]
    field: str
    value: object
    pattern: str
    negatable: bool = True  # False: matched on the raw text, the cue's own words being a negation ("without")


_FACILITY_EM = ("hospital_em", "nursing_facility_em")
FIELD_CUES: tuple[FieldCue, ...] = (
    FieldCue(("hospital_em",), "visit", "same_day",
             r"\b(?:same[- ]day (?:admission|admit|discharge|stay)|admit(?:ted)? and discharged? (?:on )?(?:the )?"
             r"same (?:day|date)|same[- ]date (?:admission|admit)|9923[456])\b"),
    FieldCue(("hospital_em",), "visit", "discharge", r"\b(?:discharge|discharged|99238|99239)\b"),
    FieldCue(_FACILITY_EM, "visit", "subsequent",
             r"\b(?:subsequent|follow-?up|daily|progress|rounding|rounds|99231|99232|99233|9930[789]|99310)\b"),
    FieldCue(_FACILITY_EM, "visit", "initial", r"\b(?:initial|admission|admit|admitted|h&p|9922[123]|9930[456])\b"),
    FieldCue(("home_em",), "patient", "new", r"\b(?:new (?:patient|pt)|993(?:41|42|44|45))\b"),
    FieldCue(("home_em",), "patient", "established",
             r"\b(?:established (?:patient|pt)|est (?:patient|pt)|993(?:47|48|49|50))\b"),
    FieldCue(("family_psychotherapy",), "patient_present", False,
             r"\b(?:without (?:the )?(?:patient|pt)|patient (?:not present|absent)|90846"
             # issue 17 class 7: "what if pt wasn't in the room", "patient was not present"
             r"|(?:patient|pt)\s+(?:(?:was|is)\s+not|wasn'?t|isn'?t|not)\s+(?:present|in (?:the )?room|there))\b",
             negatable=False),
    FieldCue(("family_psychotherapy",), "patient_present", True,
             r"\b(?:with (?:the )?(?:patient|pt)(?: present)?|patient (?:was )?present|90847|conjoint"
             r"|(?:patient|pt) (?:was |is )?(?:present|in (?:the )?room|there))\b"),
    FieldCue(("psychotherapy", "crisis_psychotherapy", "family_psychotherapy"), "interactive_complexity", True,
             r"\b(?:interactive complexity|interactive|interpreter|play therapy|90785)\b"),
    FieldCue(("sedation",), "gi_endoscopy", True,
             r"\b(?:endoscop\w*|colonoscop\w*|egd|sigmoidoscop\w*|upper gi|gi procedure|ercp|g0500)\b"),
    FieldCue(("care_management",), "care_program", "ccm_complex",
             r"\b(?:complex ccm|complex chronic care|99487|99489)\b"),
    FieldCue(("care_management",), "care_program", "pcm_staff",
             r"\b(?:(?:pcm|principal care)\w*\s+(?:by\s+)?(?:clinical\s+)?staff|staff pcm|99426|99427)\b"),
    FieldCue(("care_management",), "care_program", "pcm_physician", r"\b(?:pcm|principal care|99424|99425)\b"),
    FieldCue(("care_management",), "care_program", "ccm_physician",
             r"\b(?:(?:physician|provider|doctor|md|np|pa|practitioner)(?:'s)?\s+(?:own\s+)?(?:time|ccm)"
             r"|ccm by (?:the )?(?:physician|provider|practitioner)|99491|99437)\b"),
    FieldCue(("care_management",), "care_program", "ccm_staff",
             r"\b(?:ccm|chronic care management|clinical staff|99490|99439)\b"),
)
_ANESTHESIA_CODE = re.compile(r"(?<!\d)0[01]\d{3}(?!\d)")  # 00100-01999
_UNTIMED_THERAPY = re.compile(r"\b(?:9716[1-8]|9701[0248]|9702[2468]|97150|G0283)\b", re.IGNORECASE)


# PT/OT evaluations and modalities named in words (untimed, 1 unit each), by the CPT code set's titles: PT
# evaluation of low, moderate, high complexity 97161-97163, PT re-evaluation 97164; OT 97165-97167, OT re-evaluation
# 97168.
_EVAL = r"\s*(?:eval(?:uation)?)\s*(?:of\s+)?"
_EVALUATIONS: tuple[tuple[str, str], ...] = (
    (r"\bpt" + _EVAL + r"low\b", "97161"), (r"\bpt" + _EVAL + r"mod(?:erate)?\b", "97162"),
    (r"\bpt" + _EVAL + r"high\b", "97163"), (r"\bpt re-?eval", "97164"),
    (r"\bot" + _EVAL + r"low\b", "97165"), (r"\bot" + _EVAL + r"mod(?:erate)?\b", "97166"),
    (r"\bot" + _EVAL + r"high\b", "97167"), (r"\bot re-?eval", "97168"),
    # Unattended electrical stimulation, CPT 97014 (the engine bills G0283 for Medicare: units/therapy.py).
    (r"\b(?:unattended\s+e-?stim\w*|e-?stim\w*\s+(?:\(?unattended\)?)|unattended electrical stim\w*)", "97014"),
)


def field_values(family: str, text: str) -> dict[str, object]:
    """Request fields the question's words set for `family`: variant fields from FIELD_CUES, the anesthesia code,
    and the untimed therapy codes named (1 unit each; the engine keeps them out of the timed total)."""
    masked = mask_negations(text)
    values: dict[str, object] = {}
    for cue in FIELD_CUES:
        searched = masked if cue.negatable else text
        if family in cue.families and cue.field not in values and re.search(cue.pattern, searched, re.IGNORECASE):
            values[cue.field] = cue.value
    if family == "anesthesia":
        code = _ANESTHESIA_CODE.search(masked)
        if code:
            values["anesthesia_code"] = code.group(0)
    if family == "therapy":
        untimed = list(dict.fromkeys(m.group(0).upper() for m in _UNTIMED_THERAPY.finditer(masked)))
        untimed += [code for pattern, code in _EVALUATIONS if re.search(pattern, masked, re.IGNORECASE)
                    and code not in untimed]
        if untimed:
            values["untimed_codes"] = untimed
    return values
