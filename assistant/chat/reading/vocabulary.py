"""Closed vocabularies of the reader, as data: time units, dose units, routes, negations, separators, count nouns.

Issue 10 item 1: "closed vocabularies (payer, setting, family cues, routes) are data". Drug names and lay terms are
never listed here: they come from the corpus (the router hands them to the reader). Family cues live in
`cues.py` (RULES may append cue rows there).
"""

from __future__ import annotations

# Number words (composed by tokens.compose_number_words: "one hundred ten", "forty-five", "twenty one").
ONES: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000}
# "once", "twice": counts typed as words.
COUNT_WORDS: dict[str, int] = {"once": 1, "twice": 2, "thrice": 3}

# Time units. "h"/"m" only count when glued to or right after a number (the composer checks that).
HOUR_WORDS = frozenset({"hour", "hours", "hr", "hrs", "h", "hour's"})
MINUTE_WORDS = frozenset({"minute", "minutes", "min", "mins", "m", "mn"})

# Dose units -> the normalised unit the units engine knows (g, mg, mcg, units, mL; mg/kg, mg/m2 per body size).
DOSE_UNITS: dict[str, str] = {
    "g": "g", "gm": "g", "gms": "g", "gram": "g", "grams": "g", "gr": "g",
    "mg": "mg", "mgs": "mg", "milligram": "mg", "milligrams": "mg",
    "mcg": "mcg", "mcgs": "mcg", "ug": "mcg", "µg": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "unit": "units", "units": "units", "u": "units", "iu": "units",
    "ml": "mL", "mls": "mL", "cc": "mL", "milliliter": "mL", "milliliters": "mL", "millilitre": "mL",
    "mg/kg": "mg/kg", "mcg/kg": "mcg/kg", "units/kg": "units/kg", "mg/m2": "mg/m2", "mg/m²": "mg/m2",
}
# Every dose unit per kilogram or per square metre, however typed ("1 g/kg", "1 gm/kg", "400 units/m2", "5 mg per
# kg"): a dose per body size is never read as the bare dose ("gamunex 1 g/kg, 70 kg" is 70 g, never 1 g).
BODY_SIZE_SUFFIXES = {"kg": "kg", "m2": "m2", "m²": "m2", "m^2": "m2"}
DOSE_UNITS.update({
    f"{typed}/{suffix}": f"{base}/{size}"
    for typed, base in list(DOSE_UNITS.items()) if "/" not in base
    for suffix, size in BODY_SIZE_SUFFIXES.items()
})
WEIGHT_UNITS: dict[str, float] = {  # -> kilograms per unit
    "kg": 1.0, "kgs": 1.0, "kilo": 1.0, "kilos": 1.0, "kilogram": 1.0, "kilograms": 1.0,
    "lb": 0.45359237, "lbs": 0.45359237, "pound": 0.45359237, "pounds": 0.45359237,
}
BSA_UNITS = frozenset({"m2", "m²", "m^2"})

# Routes as typed -> route name of `Service.route`. Multi-word routes are matched on the joined words.
ROUTES: dict[str, str] = {
    "ivp": "iv_push", "iv push": "iv_push", "push": "iv_push", "pushed": "iv_push", "pushes": "iv_push",
    "slow push": "iv_push", "iv bolus": "iv_push",
    "ivpb": "iv_infusion", "piggyback": "iv_infusion", "iv piggyback": "iv_infusion", "drip": "iv_infusion",
    "infusion": "iv_infusion", "infused": "iv_infusion", "iv infusion": "iv_infusion", "iv": "iv_infusion",
    "im": "im", "intramuscular": "im", "intramuscularly": "im",
    "sc": "sc", "sq": "sc", "subq": "sc", "sub-q": "sc", "sub q": "sc", "subcut": "sc", "sub-cut": "sc",
    "subcutaneous": "sc", "subcutaneously": "sc", "scig": "sc_infusion",
}

# Negations: the word(s) they scope over are never used as a cue ("no pump", "non-chemo", "without E/M").
NEGATIONS = frozenset({"no", "without", "w/o", "not", "denies", "denied", "non", "never"})
# Words a negation reaches past to the noun it negates ("no portable pump", "non-chemo IV").
NEGATION_MODIFIERS = frozenset({"portable", "implantable", "ambulatory", "external", "elastomeric", "a", "an",
                                "the", "any"})

# Separators between the services of one question; the value is the relation of what follows to what came before.
SEPARATORS: dict[str, str | None] = {
    "then": "then", "followed by": "then", "after that": "then", "afterwards": "then", "and then": "then",
    "and": None, "plus": None, "&": None, "+": None, ",": None, ";": None, "also": None,
    "during": "during", "while": "during", "concurrently": "concurrent", "concurrent": "concurrent",

}

# Nouns a count counts ("2 pushes", "3 sites", "x2").
COUNT_NOUNS: dict[str, str] = {
    "push": "pushes", "pushes": "pushes", "ivp": "pushes", "ivps": "pushes",
    "injection": "injections", "injections": "injections", "shot": "injections", "shots": "injections",
    "inj": "injections",
    "site": "sites", "sites": "sites", "pump": "pumps", "pumps": "pumps",
    "dose": "doses", "doses": "doses", "vial": "vials", "vials": "vials", "bag": "bags", "bags": "bags",
    "unit": "units", "units": "units", "visit": "visits", "visits": "visits", "session": "sessions",
    "sessions": "sessions",
}

# Words after a number that say what it is, so the number is not "unread": ages, rates, percentages ...
NUMBER_OWNERS = frozenset({
    "yo", "y", "year", "years", "yr", "yrs", "old", "month", "months", "week", "weeks", "day", "days", "%",
    "percent", "base", "mmhg", "bpm", "sites", "site", "pumps", "pump", "pushes", "push", "injections", "drugs",
    "drug", "patients", "patient", "pt", "pts", "meq", "mmol", "l", "liter", "liters", "litre", "vials", "vial",
    "bags", "bag", "doses", "dose", "times", "x", "st", "nd", "rd", "th", "am", "pm", "a", "p",
})

# Relations between the administrations of one visit (issue 17 class 4), declared once: regular expressions over the
# lower-cased question. `reading/relations.py` reads them; the encounter engine codes them (encounters.md A4, A5, A8).
# Saline as typed: a fluid (FLUID_WORDS) and a flush solution (FLUSH_SOLUTIONS).
SALINE_WORDS: tuple[str, ...] = ("ns", "normal saline", "saline", "nacl", "sodium chloride")
# The fluids a drug is given in, carried by, piggybacked into or flushed with (never a drug of the visit there).
FLUID_WORDS = (r"(?:0\.9\s?%\s+|1/2\s?|half\s+)?(?:" + "|".join(SALINE_WORDS) + r"|d5w|d5ns|d5\s?1/2\s?ns"
               r"|lr|lactated ringer'?s?|ringer'?s?|sterile water|swfi|iv fluids?|ivf)")
# Flushes, declared once (issue 17 class 4): a flush beside a drug administration is included in it (CPT drug
# administration notes; `relations.py` reads RELATION_CUES["flush"]); a port flush that is the day's only service is
# 96523 (encounters.md A8; `visit_cues.py` reads PORT_FLUSH_VERB and FLUSH_SOLUTIONS). The verb as typed; a port is
# also "irrigated".
FLUSH_VERB = r"flush(?:ed|es|ing)?"
PORT_FLUSH_VERB = r"(?:" + FLUSH_VERB + r"|irrigat(?:e|ed|ion|ing))"
# The solutions a line or port is flushed with ("NS flush", "flush with heparin", "port flush (heparin 500 units)"):
# saline, or heparin (HCPCS J1642 "heparin lock flush"); a service naming only one of them and a flush is the flush.
HEPARIN_FLUSH_WORDS: tuple[str, ...] = ("heparin", "hep", "heparin lock", "hep lock", "heparin lock flush")
FLUSH_SOLUTIONS = frozenset({*SALINE_WORDS, *HEPARIN_FLUSH_WORDS})
# What is flushed, typed before the verb ("line flush", "port flushed", "saline lock flush").
_FLUSHED = "|".join(sorted({*(w for w in FLUSH_SOLUTIONS if not w.endswith(" flush")), "saline lock", "line", "port"},
                           key=lambda w: (-len(w), w)))
_WITH_SOLUTION = "|".join(sorted((w for w in FLUSH_SOLUTIONS if not w.endswith(" flush")), key=lambda w: (-len(w), w)))
# The words after a flush that say when or with what ("NS flush after", "flush with heparin"): part of the flush.
FLUSH_TAIL = r"(?:after|before|afterwards?|at the end|post|pre|with (?:" + _WITH_SOLUTION + r"))"
# The running line a drug is piggybacked into, named by its place rather than its fluid.
_LINE = r"(?:" + FLUID_WORDS + r"|primary(?: line| bag| infusion)?|main(?: line| bag)?|maintenance(?: fluids?| line)?)"
RELATION_CUES: dict[str, str] = {
    # Drugs mixed together: one administration carrying several drugs (ASCO via AAPC forum 14684).
    "mixture": r"(?:mixed\s+(?:together\s+)?)?(?:in|into)\s+(?:one|1|a single|the same|same)\s+(?:syringe|bag|minibag)"
               r"|mixed together|admixed|combined in (?:one|1|a single|the same) (?:syringe|bag)",
    # "NS 1000-1030 as the carrier fluid for gemzar": the part before is the carrier of the part after.
    "carrier_for": r",?\s*(?:(?:was|is|being|used)\s+)?(?:as\s+)?(?:the\s+|a\s+)?(?:carrier|vehicle)"
                   r"(?:\s+(?:fluid|line|solution|bag))?\s+(?:for|of|to carry)\b",
    # "gemzar 1000-1030 with NS as carrier", "via NS carrier": the fluid named is the carrier of its part's drug.
    "carrier": r"(?:(?:with|via|through|in|using|on)\s+)?(?:the\s+|a\s+)?" + FLUID_WORDS + r"\s+(?:(?:as|is|was)\s+)?"
               r"(?:the\s+|a\s+)?(?:carrier|vehicle)(?:\s+(?:fluid|line|solution|bag))?\b",
    # "zofran 4 mg over 20 min in 50 mL NS": the fluid the drug is diluted in (its carrier, not hydration).
    "diluent": r"(?:(?:diluted|mixed|reconstituted|given)\s+)?(?:in|into|with|w/)\s+(?:a\s+|one\s+|1\s+|the\s+)?"
               r"(?:\d+(?:\.\d+)?\s?(?:ml|cc|l|liters?)\s+)?(?:(?:mini)?bag\s+(?:of\s+)?|of\s+)?"
               + FLUID_WORDS + r"(?:\s+\d+(?:\.\d+)?\s?(?:ml|cc))?(?![\w/])",
    # "rocephin IVPB piggybacked into the NS": a reference to the running fluid, never this drug's category.
    "piggyback": r"(?:(?:piggy-?back(?:ed)?|ivpb|hung|run|ran)\s+(?:in|into|on|onto|through|via|to)"
                 r"|(?:on|via|through)\s+(?:the\s+)?same\s+(?:iv\s+)?line\s+as)\s+(?:the\s+)?"
                 r"(?:running\s+)?" + _LINE + r"(?:\s+(?:line|bag|infusion))?(?![\w/])"
                 # "via the NS line", "thru primary NS line": the line the drug ran through, never its category.
                 r"|(?:via|through|thru|on|into)\s+(?:the\s+)?(?:(?:running|primary|main)\s+)*" + FLUID_WORDS
                 + r"\s+line(?![\w/])",
    # A flush (saline or heparin) with a drug administration: included in it (CPT drug administration notes).
    "flush": r"(?:\d+\s?(?:ml|cc|units?)\s+(?:of\s+)?)?(?:(?:" + _FLUSHED + r")\s+)?" + FLUSH_VERB
             + r"(?:\s+\d+\s?(?:ml|cc|units?))?(?:\s+" + FLUSH_TAIL + r")?",
    # Access to the port or line, the IV start: included in the administration (context, never a service).
    "access": r"(?:port|line|picc|iv|cvc)\s+(?:was\s+)?(?:accessed|access|de-?accessed)"
              r"|(?:accessed|de-?accessed)\s+(?:the\s+)?(?:port|picc|line|cvc)|iv start(?:ed)?(?=\s*(?:[,;.]|and\b|$))",
    # Two drugs running at the same time on one line share their range (+96368).
    "concurrent": r"concurrent(?:ly)?|simultaneous(?:ly)?|at the same time|same time|y-?\s?sited?|running together",
}
# "with" before a drug joins two administrations only when the words say they ran at the same time.
WITH_WORDS = r"(?:together with|along with|alongside|with|w/)"
