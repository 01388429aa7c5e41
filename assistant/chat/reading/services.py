"""The services a question names: what the reader hands to the router and the encounter engine.

Issue 10 item 2: "Services, not one bag of numbers". Each service keeps its own time, drug, dose and count,
and the words it came from; times are never summed across services. Field names are a contract with
`assistant/chat/encounter_route.py` (ENC): fields may be added, never renamed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from assistant.chat.reading.relations import Relation


@dataclass(frozen=True)
class Service:
    """One service read from a question (a drug administration, a timed service, a coded service)."""

    family: str | None  # units family name ("iv_infusion", "hydration", "psychotherapy" ...) or None when unknown
    route: str | None  # "iv_infusion" | "iv_push" | "sc_infusion" | "injection" | "im" | "sc" | None
    category: str | None  # "chemotherapy" | "hydration" | "therapeutic" | None (from words like chemo/NS)
    drug: str | None  # drug words as typed ("zofran"), or None
    code: str | None  # a typed code naming the service or drug
    minutes: int | None  # this service's own time (from a duration or its clock range)
    start: datetime.time | None  # clock start (a push at 0905 has start only)
    end: datetime.time | None  # clock end
    dose: float | None
    dose_unit: str | None
    count: int | None  # "x2", "2 pushes"
    relation: str | None  # "sequential" | "concurrent" | "then" | "during" | None (to the service before)
    pump: bool | None  # an explicit portable/implantable pump; False for "no pump"
    site: str | None  # a vascular access site when named ("second IV site", "left arm")
    words: str  # the part of the question it came from
    span: tuple[int, int]  # character span of `words` in the question
    # additions (never renamed): the typed codes in this part, and negated cues ("non-chemo", "no pump")
    codes: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    weight_kg: float | None = None  # a patient weight stated in this part (for mg/kg doses)
    bsa_m2: float | None = None  # a body surface area stated in this part (for mg/m2 doses)
    gap_minutes: int | None = None  # "45 min later": the time since the service before (never this one's own time)
    relations: tuple[Relation, ...] = ()  # issue 17 class 4: mixed with, carrier of, concurrent with ... (relations.py)





# --- the reader of services -----------------------------------------------------------------------------------------

import re  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import replace  # noqa: E402
from functools import lru_cache  # noqa: E402

from assistant.chat.reading.cues import mask_negations, parse_family  # noqa: E402
from assistant.chat.reading.relations import find_cues, relate  # noqa: E402
from assistant.chat.reading.spans import (  # noqa: E402
    BodySurfaceArea,
    ClockPoint,
    ClockRange,
    Code,
    Count,
    Dose,
    Duration,
    Negation,
    Reading,
    Route,
    Separator,
    Weight,
    read,
)
from assistant.chat.reading.switches import dose_for_body_size  # noqa: E402

# A drug finder from the corpus: text -> (the drug words found, their span, the drug's category or None) per drug.
DrugFinder = Callable[[str], list[tuple[str, tuple[int, int], str | None]]]

_CATEGORY_CUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:chemo\w*|antineoplastic|anti-neoplastic)\b"), "chemotherapy"),
    (re.compile(r"\b(?:hydration|ns|normal saline|saline|iv fluids?|lr|lactated ringers?|d5w|d5ns|fluid bolus)\b"),
     "hydration"),
    # "abx": the coder's abbreviation for antibiotics (a therapeutic drug class, not a named drug).
    (re.compile(r"\b(?:therapeutic|prophylactic|diagnostic|antibiotics?|abx)\b"), "therapeutic"),
)
_RELATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bsequential(?:ly)?\b"), "sequential"),
    (re.compile(r"\bconcurrent(?:ly)?\b|\bat the same time\b|\bsimultaneous(?:ly)?\b"), "concurrent"),
    (re.compile(r"\bduring\b|\bwhile\b"), "during"),
)
_SITE = re.compile(r"\b(?:second|2nd|separate|another|different|new)\s+(?:iv\s+|vascular\s+|access\s+)?site\b"
                   r"|\b(?:left|right)\s+(?:arm|hand|forearm|ac|antecubital|port)\b|\bport\b")
_PUMP = re.compile(r"\bpumps?\b")
_NEW_DRUG = re.compile(r"\b(?:second|2nd|third|3rd|new|another|different)\s+(?:drug|med\w*|agent|antibiotic)\b")
# Words that make a part with its own time another service ("second drug 45 min sequential").
_NEW_SERVICE = re.compile(r"\b(?:sequential(?:ly)?|concurrent(?:ly)?|(?:second|2nd|third|3rd|new|another|different)"
                          r"\s+(?:drug|med\w*|infusion|bag|agent|antibiotic|chemo\w*))\b")
_GAP_AFTER = re.compile(r"\s*(?:later|apart|afterwards?|between|after (?:that|it|the (?:first|last|previous)\w*))\b")
_GAP_BEFORE = re.compile(r"\b(?:after|within)\s+(?:another\s+)?$")
# Family from the route and category when no cue names one (CPT 96360-96379, 96401-96417 by route and substance).
_FAMILY_OF_ROUTE = {
    ("iv_infusion", "chemotherapy"): "chemo_infusion", ("iv_push", "chemotherapy"): "chemo_push",
    ("iv_infusion", "hydration"): "hydration", ("iv_infusion", None): "iv_infusion",
    ("iv_infusion", "therapeutic"): "iv_infusion", ("iv_push", None): "iv_push", ("iv_push", "therapeutic"): "iv_push",
    ("im", None): "injection", ("sc", None): "injection", ("sc_infusion", None): "subq_infusion",
}
_ROUTE_OF_FAMILY = {"chemo_infusion": "iv_infusion", "chemo_push": "iv_push", "hydration": "iv_infusion",
                    "iv_infusion": "iv_infusion", "iv_push": "iv_push", "subq_infusion": "sc_infusion",
                    "injection": "injection"}


def read_services(text: str, drugs: DrugFinder | None = None, reading: Reading | None = None) -> list[Service]:
    """The services a question names, each with its own time, drug, dose and count (issue 10 item 2).

    The question is cut at separators ("then", "and", ",", "+" ...); a part that names a service (a family cue, a
    route, a drug, a code) starts a new one, a part that names none ("2 sites", "no pump") belongs to the service
    before it (or after it, when it comes first). A time belongs to the service of its part: times are never summed
    across services.
    """
    cues = find_cues(reading or read(text), drugs(text) if drugs is not None else [])  # issue 17 class 4
    reading, found_drugs = cues.reading, cues.drugs  # relation-only words hidden ("in 50 mL NS", "NS flush")
    low = reading.low
    cuts = [s for s in reading.of(Separator)]
    bounds: list[tuple[int, int, str | None]] = []
    start, relation = 0, None
    for cut in cuts:
        if cut.span[0] > start:
            bounds.append((start, cut.span[0], relation))
        start, relation = cut.span[1], cut.relation
    if start < len(low):
        bounds.append((start, len(low), relation))
    groups: list[list[tuple[int, int, str | None]]] = []
    pending: list[tuple[int, int, str | None]] = []
    for part in bounds:
        # A part with its own time after a part that already had one is another service ("vanco 60 min, then drug B
        # 100 min", "rituxan 0930-1330"): times are never summed across services. "then another 45 min" (no words
        # of its own) stays with the service before it. A second point in time ("IVP at 1000, 1100 and 1200",
        # "and again 1430") is another administration: the same drug again unless the part names another.
        current = groups[-1] if groups else pending
        own_time = _has_time(reading, part) and any(_has_time(reading, p) for p in current) and (
            bool(_content_words(reading, part)) or bool(_NEW_SERVICE.search(reading.low, part[0], part[1]))
            or _has_point(reading, part) and any(_has_point(reading, p) for p in current))
        if _gap_only(reading, part) and groups:
            if _REPEAT.search(low, part[0], part[1]):
                # "zofran IVP then again 45 min later": the gap is before a repeat of the drug before it.
                groups.append([*pending, part])
                pending = []
                continue
            # "then 35 min after that another toradol IVP": the gap belongs to the administration after it.
            pending.append(part)
            continue
        if own_time and not groups:
            groups.append(pending)
            groups.append([part])
            pending = []
        elif own_time or _names_service(reading, part, found_drugs):
            groups.append([*pending, part])
            pending = []
        elif groups:
            groups[-1].append(part)
        else:
            pending.append(part)
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    services = [_service(reading, group, found_drugs) for group in groups if group]
    return relate(_share_routes(_restated(services)), cues)


def _restated(services: list[Service]) -> list[Service]:
    """"vidaza 100 mg subcut, one injection": a part that only restates the kind and number of the administration
    before it (no drug, dose or time of its own) is that administration, never a second one (conservation)."""
    out: list[Service] = []
    for here in services:
        before = out[-1] if out else None
        if before is not None and before.drug is not None and before.route is None and before.minutes is None \
                and before.start is None and here.drug is None and here.dose is None and here.category is None \
                and here.relation is None and here.family in (None, "iv_infusion", "iv_push", "injection") \
                and (here.route is not None or here.minutes is not None):
            # "keytruda 2 mg/kg, 70 kg, IV over 30 min": the route and time typed after a drug are its own.
            out[-1] = replace(here, drug=before.drug, dose=before.dose, dose_unit=before.dose_unit,
                              category=before.category, codes=before.codes + here.codes, code=before.code or here.code,
                              weight_kg=before.weight_kg or here.weight_kg, bsa_m2=before.bsa_m2 or here.bsa_m2,
                              words=f"{before.words} {here.words}", span=(before.span[0], here.span[1]),
                              count=before.count or here.count)
            continue
        if before is not None and here.family == "injection" and before.family == "injection" and here.drug is None \
                and here.dose is None and here.minutes is None and here.start is None and before.drug is not None:
            out[-1] = replace(before, count=here.count if here.count is not None else before.count,
                              words=f"{before.words} {here.words}", span=(before.span[0], here.span[1]))
            continue
        out.append(here)
    return out


_NOT_CONTENT = frozenset({
    "second", "third", "2nd", "3rd", "first", "new", "interrupted", "paused", "held", "break", "excluding",
    "excluded", "minus", "less", "off", "apart", "gap", "counting", "including", "separate", "different",
    "drug", "drugs", "again", "med", "meds", "medication", "agent", "repeat", "repeated", "ignore", "report",
    "another", "additional", "more", "then", "and", "a", "an", "the", "of", "for", "over", "at", "from", "to",
    "until", "given", "ran", "run", "running", "was", "were", "with", "in", "on", "by", "min", "mins", "minutes",
    "minute", "hr", "hrs", "hour", "hours", "h", "m", "total", "time", "same", "it", "that", "this", "pt",
    "patient", "sequential", "sequentially", "concurrent", "concurrently", "started", "start", "stopped", "ended",
    "end", "facility", "professional", "office", "hospital", "hopd", "ed", "er", "clinic", "medicare", "cpt",
    "commercial", "infusion", "infused", "push", "pushed", "iv", "ivp", "ivpb", "im", "sc", "subq", "sq", "via",
    "about", "how", "many", "units", "unit", "code", "bill", "what", "is", "are", "do", "i", "mg", "g", "mcg", "ml",
    "cc", "later", "after", "before", "during", "while", "x", "times", "no", "not", "without", "pump", "in-clinic",
    "home", "chemo", "chemotherapy", "therapeutic", "drip", "bolus", "injection", "injected", "shot",
    "intramuscular", "premeds", "premed", "please", "iv's",
    # Context, never a substance even beside a route or dose (issue 17 class 1): where and how it was given.
    "line", "lines", "port", "ports", "center", "centre", "bag", "bags", "pumps", "main", "mar", "chart", "nurse",
    "room", "here", "fee", "pro", "than", "site", "sites", "arm", "hand", "today", "per", "bay", "chair",
})


_ADMINISTRATION = frozenset({None, "iv_infusion", "iv_push", "injection", "chemo_infusion", "chemo_push"})


def _has_time(reading: Reading, part: tuple[int, int, str | None]) -> bool:
    return any(_inside(s.span, part) for s in reading.spans if isinstance(s, Duration | ClockRange | ClockPoint))


_MORE_THAN = re.compile(r"(?:more than|over|greater than|longer than|>)\s*$")


def _gap(reading: Reading, gap: Duration) -> int:
    """The gap's minutes; "more than 30 min later" is a lower bound, read as the first whole minute past it (31),
    which is all the repeat-push rule (more than 30 minutes, CPT 96376) asks of it."""
    more = _MORE_THAN.search(reading.low[:gap.span[0]])
    return gap.minutes + 1 if more else gap.minutes


def _has_point(reading: Reading, part: tuple[int, int, str | None]) -> bool:
    return any(_inside(s.span, part) for s in reading.spans if isinstance(s, ClockPoint))


def _gap_only(reading: Reading, part: tuple[int, int, str | None]) -> bool:
    """A part that is only the time between two administrations ("35 min", before "after that")."""
    durations = [s for s in reading.spans if isinstance(s, Duration) and _inside(s.span, part)]
    if len(durations) != 1 or _content_words(reading, part) or _names_service(reading, part, []):
        return False
    return bool(_GAP_AFTER.match(reading.low[durations[0].span[1]:]))


def _content_words(reading: Reading, part: tuple[int, int, str | None]) -> list[str]:
    """The words of a part that are not numbers, units, routes or small words: what names a drug typed
    without a corpus name ("rituxan", "drug b", "keytruda")."""
    taken = [s.span for s in reading.spans if _inside(s.span, part)]
    words = []
    for token in reading.tokens:
        if token.kind != "word" or not _inside(token.span, part) or token.text in _NOT_CONTENT:
            continue
        if any(a <= token.start < b for a, b in taken):
            continue
        start = token.start
        # "5-FU": a drug name that starts with a number glued to it by a hyphen
        if start >= 2 and reading.low[start - 1] == "-" and reading.low[start - 2].isdigit():
            start -= 2
            while start > 0 and reading.low[start - 1].isdigit():
                start -= 1
        words.append(reading.low[start:token.end])
    return words


_SLOT_BEFORE = re.compile(r"(?:\b(?:drug|med|medication|agent|of)\s+)$")
_PLACEHOLDER_BEFORE = re.compile(r"\b(?:drug|med|medication|agent)\s+$")
_LETTER_DRUG = re.compile(r"\b(?:drug|med|medication|agent)\s+[a-z]\b")


def drug_slot_words(reading: Reading, part: tuple[int, int, str | None]) -> list[str]:
    """The content words of a part that stand in a drug slot: a run of words right before a dose or a route
    ("keytruda 200 mg", "rituxan IVPB", "rituxan 0930-1330"), right after a route or "push of" ("IVP toradol"), or after
    "drug"/"med" ("drug B"). Words elsewhere are context (issue 17: filler words never become drugs)."""
    words = _content_words(reading, part)
    if not words:
        return []
    # An MAR line "X 0930-1330" names its substance before the clock range, as a dose or route does.
    slots = [s.span for s in reading.spans if isinstance(s, Dose | Route | ClockRange) and _inside(s.span, part)]
    routes = [s.span for s in reading.spans if isinstance(s, Route) and _inside(s.span, part)]
    return _slot_runs(reading, part, words, slots, routes)


def _slot_runs(reading: Reading, part: tuple[int, int, str | None], words: list[str],
               slots: list[tuple[int, int]], routes: list[tuple[int, int]]) -> list[str]:
    low = reading.low
    located: list[tuple[int, int, str]] = []
    position = part[0]
    for word in words:
        start = low.find(word, position)
        if start < 0:
            continue
        located.append((start, start + len(word), word))
        position = start + len(word)
    runs: list[list[tuple[int, int, str]]] = []
    for item in located:
        if runs and not low[runs[-1][-1][1]:item[0]].strip(" -"):
            runs[-1].append(item)
        else:
            runs.append([item])
    kept: list[str] = []
    for run in runs:
        begin, finish = run[0][0], run[-1][1]
        rest = low[finish:part[1]]
        skip = finish + len(rest) - len(rest.lstrip(" -"))
        head = low[part[0]:begin]
        before_slot = any(a == skip for a, _b in slots)
        stripped = head.rstrip(" ")
        after_route = any(b == part[0] + len(stripped) for _a, b in routes)
        if before_slot or after_route or _SLOT_BEFORE.search(head) or _PLACEHOLDER_BEFORE.search(head):
            kept.extend(word for _a, _b, word in run)
    return kept


def _inside(span: tuple[int, int], part: tuple[int, int, str | None]) -> bool:
    return part[0] <= span[0] and span[1] <= part[1]


def _names_service(reading: Reading, part: tuple[int, int, str | None],
                   drugs: list[tuple[str, tuple[int, int], str | None]]) -> bool:
    words = reading.low[part[0]:part[1]]
    if parse_family(words)[0] is not None:
        return True
    if any(_inside(d[1], part) for d in drugs) or _LETTER_DRUG.search(words):  # "drug A + drug B": two services
        return True
    return any(_inside(s.span, part) for s in reading.spans if isinstance(s, Code) or _live_route(reading, s))


def _live_route(reading: Reading, span: object) -> bool:
    """A route word that is not masked as context or negated ("at the infusion center", "no IV")."""
    return isinstance(span, Route) and bool(_masked(reading.low)[span.span[0]:span.span[1]].strip())


_masked = lru_cache(maxsize=512)(mask_negations)  # the reader asks about the same question once per part


def _service(reading: Reading, group: list[tuple[int, int, str | None]],
             drugs: list[tuple[str, tuple[int, int], str | None]]) -> Service:
    begin, finish = group[0][0], group[-1][1]
    whole = (begin, finish, None)
    words = reading.text[begin:finish].strip()
    low = reading.low[begin:finish]
    masked = mask_negations(low)
    spans = [s for s in reading.spans if _inside(s.span, whole)]
    family, cue_words = parse_family(low)
    routes = [s.route for s in spans if _live_route(reading, s)]
    route = routes[0] if routes else None
    if "iv_push" in routes:
        route = "iv_push"
    drug_here = [d for d in drugs if _inside(d[1], whole)]
    category = next((c for pattern, c in _CATEGORY_CUES if pattern.search(masked)), None)
    if category is None and drug_here and drug_here[0][2]:
        category = drug_here[0][2]
    # The time between two pushes ("20 min later", "after 40 min", "45 min apart") is not a service's time (CPT: it only
    # decides whether a same-drug repeat push is reported).
    gaps = [s for s in spans if isinstance(s, Duration) and (_GAP_AFTER.match(reading.low[s.span[1]:])
                                                              or _GAP_BEFORE.search(reading.low[:s.span[0]]))]
    durations = [s for s in spans if isinstance(s, Duration) and s not in gaps]
    clocks = [s for s in spans if isinstance(s, ClockRange)]
    points = [s for s in spans if isinstance(s, ClockPoint)]
    minutes = sum(d.minutes for d in durations) if durations else None
    start = end = None
    if clocks:
        start, end, minutes = clocks[0].start, clocks[0].end, clocks[0].minutes
    elif points:
        start = points[0].at
    if family == "subq_infusion" and minutes is None and end is None and _SC_ROUTE_WORD.fullmatch(cue_words or "") \
            and (drug_here or any(isinstance(x, Dose) for x in spans)) and not _SC_INFUSION_WORD.search(masked):
        # "prolia 60mg SQ": a drug dose given under the skin with no infusion time is an SC injection (CPT 96372;
        # 96401/96402 for antineoplastics), not a subcutaneous infusion (96369 is by infusion time). A clock point
        # ("neulasta 6 mg SQ 1630") is when the shot was given, not an infusion's time.
        family, route = "injection", "sc"
    if route == "sc" and minutes is not None or family == "subq_infusion":
        route = "sc_infusion"  # "Hizentra infusion 2h30": a subcutaneous infusion, not an IV one
    if route is None and family in _ROUTE_OF_FAMILY:
        route = _ROUTE_OF_FAMILY[family]
    drug_words = drug_here[0][0] if drug_here else None
    doses_here = any(isinstance(x, Dose) for x in spans)
    given = minutes is not None or start is not None or bool(routes) or doses_here
    if drug_words is None and family in _ADMINISTRATION and given:
        # Closed vocabulary (issue 17 class 1): a word the drug dictionary does not know is a substance only in a
        # drug slot ("X 50 mg", "X IVPB", "IV push of X", "drug B"), kept as typed (an unknown drug, asked about);
        # every other leftover word ("line", "center", "pro fee", "than") is context, never a drug.
        content = [w for part in group for w in drug_slot_words(reading, part)]
        drug_words = " ".join(content[:3]) or None
    if drug_words is None and (named := _NEW_DRUG.search(masked)):
        drug_words = named.group(0)  # "second drug": another substance, as typed (never the first one again)
    if drug_words is None and (letter := _LETTER_DRUG.search(masked)):
        drug_words = letter.group(0).split()[-1]  # "drug A + drug B": a placeholder, named "drug A" in the answer
    if route is None and (drug_here or drug_words) and minutes is not None:
        route = "iv_infusion"  # a drug given over a time is an infusion
    if family is None and route is not None:
        family = _FAMILY_OF_ROUTE.get((route, category)) or _FAMILY_OF_ROUTE.get((route, None))
    if family == "iv_infusion" and category == "chemotherapy":
        family = "chemo_infusion"
    doses = [s for s in spans if isinstance(s, Dose)]
    counts = [s for s in spans if isinstance(s, Count) and s.noun in (None, "pushes", "injections", "doses")]
    negated = tuple(reading.low[n.scope[0]:n.scope[1]] for n in spans if isinstance(n, Negation))
    pump: bool | None = None
    if any(_PUMP.search(word) for word in negated):
        pump = False
    elif _PUMP.search(masked):
        pump = True
    relation = group[0][2]
    for pattern, name in _RELATIONS:
        if pattern.search(masked):
            relation = name
            break
    site = _SITE.search(masked)
    weights = [s for s in spans if isinstance(s, Weight)] or reading.of(Weight)[:1]
    areas = [s for s in spans if isinstance(s, BodySurfaceArea)] or reading.of(BodySurfaceArea)[:1]
    dose = (doses[0].amount, doses[0].unit) if doses else (None, None)
    if doses and (total := dose_for_body_size(doses[0].amount, doses[0].unit, weights[0].kg if weights else None,
                                              areas[0].m2 if areas else None)):
        dose = total  # "yervoy 1 mg/kg, 70 kg": the dose given is 70 mg (one patient: the question's one weight)
    codes = tuple(s.code for s in spans if isinstance(s, Code))
    return Service(
        family=family, route=route, category=category, drug=drug_words,
        code=codes[0] if codes else None, minutes=minutes, start=start, end=end,
        dose=dose[0], dose_unit=dose[1],
        count=counts[0].n if counts else None, relation=relation, pump=pump,
        site=reading.text[begin + site.start():begin + site.end()] if site else None,
        words=words, span=(begin, finish), codes=codes, negated=negated,
        weight_kg=weights[0].kg if weights else None, bsa_m2=areas[0].m2 if areas else None,
        gap_minutes=_gap(reading, gaps[0]) if len(gaps) == 1 else None,
    )


_INFUSIONS = frozenset({"iv_infusion", "chemo_infusion", "subq_infusion"})
_SC_ROUTE_WORD = re.compile(r"subq|sub-q|sub q|subcut|sub-cut|subcutaneous(?:ly)?|sc|sq", re.IGNORECASE)
# Words that make an SC administration an infusion even with no time typed (immune globulin is infused: 96369).
_SC_INFUSION_WORD = re.compile(r"\b(?:infus\w*|pumps?|ig|scig|immune globulin|gammaglobulin)\b")
_REPEATED = frozenset({"iv_push", "chemo_push", "injection"})
_REPEAT = re.compile(r"\b(?:again|same (?:drug|med\w*)|repeat(?:ed)?)\b")


def _share_routes(services: list[Service]) -> list[Service]:
    """"zofran and dexamethasone IVP": a drug with no route or time takes the route of the next service."""
    out = list(services)
    # "IV infusion 2 hrs then second drug 45 min sequential": a later part with its own time and no service words of
    # its own continues the kind of service before it (another infusion), never adds its time to the first one.
    for i in range(1, len(out)):
        here, before = out[i], out[i - 1]
        if here.family is None and here.route is None and here.minutes is not None and before.family in _INFUSIONS \
                and here.relation in ("sequential", "concurrent", "then", "during"):
            out[i] = replace(here, family=before.family, route=before.route,
                             category=here.category or before.category)
    # "ativan 1 mg IVP at 1000, 1100 and 1200", "dilaudid IVP 1400 and again 1430", "same drug IVP again 0200": a
    # later point in time with no drug of its own (only a time, or "again"/"same drug") is the same drug given again
    # the same way, at the same dose unless it says another; whether it is billed again is the engine's rule.
    for i in range(1, len(out)):
        here, before = out[i], out[i - 1]
        only_time = here.family is None and here.route is None and here.start is not None and here.end is None
        if (before.drug is not None and here.drug is None and here.minutes is None and before.family in _REPEATED
                and (only_time or here.family in (None, before.family) and _REPEAT.search(here.words.lower()))):
            out[i] = replace(here, family=before.family, route=before.route, drug=before.drug,
                             category=here.category or before.category,
                             dose=here.dose if here.dose is not None else before.dose,
                             dose_unit=here.dose_unit if here.dose is not None else before.dose_unit)
    # "2 IM injections: B12 1000 mcg and toradol 60 mg": the count and route of a heading are shared out over the
    # drugs it lists when their number matches (each drug one injection), never multiplied onto the first.
    for i, head in enumerate(out):
        followers = []
        for later in out[i + 1:]:
            if later.family is not None or later.route is not None or later.drug is None or later.minutes is not None:
                break
            followers.append(later)
        if head.count and head.drug is not None and followers and head.count == 1 + len(followers):
            out[i] = replace(head, count=1)
            for k in range(len(followers)):
                out[i + 1 + k] = replace(out[i + 1 + k], family=head.family, route=head.route)
    for i in range(len(out) - 2, -1, -1):
        here, after = out[i], out[i + 1]
        if here.route is None and here.minutes is None and here.drug is not None and after.route is not None:
            out[i] = replace(here, route=after.route, family=here.family or after.family)
    return out

__all__ = ["DrugFinder", "Service", "read_services"]
