"""Sizes stated in a question matched against the sizes a record's title and descriptor name (issue 12 item 6).

CMS splits many supplies and fluids into sibling codes that differ only by a size: normal saline 250 cc (J7050),
500 ml (J7040), 1000 cc (J7030); a syringe of "1 cc or less" (A4206) or "3 cc" (A4208); low osmolar contrast
"300-399 mg/ml" (Q9967) or "400 or greater" (Q9951); a dressing "16 sq. in. or less" or "more than 16 ... 48". The
words name the family and the number names the sibling, but BM25 counts a number as one weak word. So a record
whose descriptor names a size that meets the question's size (same dimension, after converting liters to ml,
grams to mg, micrograms to mg) gets its fused score multiplied by SIZE_MATCH_FACTOR. A record stating no size, or a
different one, is left alone: a drug's dose is rarely its billing unit ("keytruda 200 mg" bills J9271 per 1 mg),
so a mismatch is no evidence against a record.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.corpus.records import CodeRecord

SIZE_MATCH_FACTOR = 1.3
# Only package and device sizes pick a sibling. A drug's mass or unit dose does not: the question's dose is a
# multiple of the billing unit ("ondansetron 4 mg IV" is J2405 per 1 mg x4, not the oral S0119 "4 mg"; "aranesp 100
# mcg" is not gonadorelin "per 100 mcg"), so mass and unit amounts are read but never matched.
MATCHED_DIMENSIONS = frozenset(["volume", "area_in", "area_cm", "french", "count", "concentration", "length_in",
                                "leads", "weight_lb", "group"])
# Dimensions whose sibling codes split one scale into ranges no item can be billed across: an iodine concentration of
# 300 mg/ml is never the "400 or greater" code (Q9951 vs Q9967), a 20 sq in pad never the "16 sq in or less" one
# (A6209-A6211), a four-lead TENS never the "two lead" device or its "2 lead" supplies (E0730 "four or more leads"
# beside E0720 and A4595; issue 22: "a TENS unit by its lead count"). A record naming only other sizes of such a
# dimension counts SIZE_MISMATCH_FACTOR. Volumes and counts are not exclusive: 1000 ml of sterile water may be billed as
# two 500 ml units, a box of 100 strips as two "per 50 strips" units.
# A patient weight capacity is exclusive too: a 280 lb patient's POV is K0800 "up to and including 300 pounds", never
# K0801 "301 to 450 pounds" (CMS HCPCS Level II descriptors K0800-K0898, E0301-E0304, E1038-E1039).
# A power mobility device's or support surface's "group" is a class of its own (K0800-K0899 "group 1" / "group 2" /
# "group 3"; LCD L33789 Power Mobility Devices): a "group 2 POV" is never a group 1 one.
EXCLUSIVE_DIMENSIONS = frozenset(["concentration", "area_in", "area_cm", "leads", "weight_lb", "group"])
SIZE_MISMATCH_FACTOR = 0.8
# A mass per ml is a concentration, which does pick a sibling: low osmolar contrast "300-399 mg/ml iodine
# concentration" (Q9967) beside "200-299" (Q9966) and "400 or greater" (Q9951); coders type "300 mg/ml", "300 mg
# iodine per ml" (CMS HCPCS Level II descriptors Q9951, Q9965-Q9967).
_PER_ML = re.compile(r"(?:\s+(?:of\s+)?iodine)?\s*(?:/|per\s+)\s*(?:ml|cc)\b", re.IGNORECASE)

# unit word -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "ml": ("volume", 1.0), "cc": ("volume", 1.0), "l": ("volume", 1000.0), "liter": ("volume", 1000.0),
    "litre": ("volume", 1000.0),
    "mg": ("mass", 1.0), "g": ("mass", 1000.0), "gm": ("mass", 1000.0), "gram": ("mass", 1000.0),
    "mcg": ("mass", 0.001), "microgram": ("mass", 0.001),
    "unit": ("units", 1.0), "u": ("units", 1.0),
    "sq in": ("area_in", 1.0), "sq cm": ("area_cm", 1.0), "fr": ("french", 1.0), "french": ("french", 1.0),
    # Widths and lengths in inches: "general use wheelchair seat cushion, width less than 22 inches" (E2601) beside
    # "22 inches or greater" (E2602); "packing strips, up to 2 inches in width" (A6407).
    "inch": ("length_in", 1.0), "inches": ("length_in", 1.0), "in": ("length_in", 1.0),
    # Patient weight capacities: "patient weight capacity up to and including 300 pounds" (K0800), "301 to 450
    # pounds" (K0801), "greater than 350 pounds, but less than or equal to 600 pounds" (E0303); coders type "lbs".
    "lb": ("weight_lb", 1.0), "pound": ("weight_lb", 1.0),
}
_UNIT = (r"(?P<unit>ml|cc|liters?|litres?|l|mg|mcg|micrograms?|grams?|gm|g|units?|u|sq\.?\s*in(?:ch(?:es)?)?\.?"
         r"|sq\.?\s*cm|fr(?:ench)?|lbs?|pounds?|inch(?:es)?|in(?=\s*(?:$|[,;)]|or\b|wide\b|width\b|long\b|x\b)))(?![a-z])")
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_QUANTITY = re.compile(rf"(?<![\w.])(?P<value>{_NUMBER})\s*{_UNIT}", re.IGNORECASE)
# Ranges in descriptors: "300-399 mg/ml", "up to 1000 cc", "16 sq. in. or less", "<=16 sq in", "400 or greater
# mg/ml", "more than 16 sq. in. but less than or equal to 48 sq. in.".
_RANGE = re.compile(rf"(?<![\w.])(?P<low>{_NUMBER})\s*(?:-|to)\s*(?P<value>{_NUMBER})\s*{_UNIT}"
                    rf"|(?:more|greater)\s+than\s+(?P<low2>{_NUMBER})\s*[a-z., ]*?\s+but\s+less\s+than"
                    rf"(?:\s+or\s+equal\s+to)?\s*(?P<value2>{_NUMBER})\s*"
                    rf"(?P<unit2>sq\.?\s*in(?:ch(?:es)?)?\.?|sq\.?\s*cm|ml|cc|mg|pounds?|lbs?)",
                    re.IGNORECASE)
_UP_TO = re.compile(rf"(?:up\s+to(?:\s+and\s+including)?|<=|<|less\s+than(?:\s+or\s+equal\s+to)?)\s*"
                    rf"(?P<value>{_NUMBER})\s*{_UNIT}", re.IGNORECASE)
_OR_LESS = re.compile(rf"(?<![\w.])(?P<value>{_NUMBER})\s*{_UNIT}\s*or\s+less", re.IGNORECASE)
_AT_LEAST = re.compile(rf"(?:>=|>|more\s+than|greater\s+than)\s*(?P<value>{_NUMBER})\s*{_UNIT}", re.IGNORECASE)
_OR_MORE = re.compile(rf"(?<![\w.])(?P<value>{_NUMBER})\s*or\s+(?:greater|more)\s*{_UNIT}"
                      rf"|(?<![\w.])(?P<value2>{_NUMBER})\s*(?P<unit2>inch(?:es)?|in|pounds?|lbs?)\.?\s+or\s+"
                      rf"(?:greater|more|larger|wider|heavier)",
                      re.IGNORECASE)
# Bounds that exclude their own number: "less than 22", "under 22", "<22"; "more than 16", "over 48", ">16".
# "Up to", "or less", "less than or equal to", ">=" and "or greater" include it.
_OPEN_BOUND = re.compile(r"^(?:less\s+than(?!\s+or\s+equal)|more\s+than|greater\s+than(?!\s+or\s+equal)|under|"
                         r"below|over|above|smaller\s+than|larger\s+than|wider\s+than|<(?!=)|>(?!=))", re.IGNORECASE)
_BY = re.compile(r"\d\s*x\s*$", re.IGNORECASE)  # "4 x 4 inches": the number before is a side of an area
# A pad by its sides, as coders write dressings: "foam dressing 6x6" is 36 sq in (A6210 "more than 16 sq. in. but less
# than or equal to 48 sq. in."), "4 x 4 in" 16 sq in (A6209 "16 sq. in. or less"); "cm" sides make square cm. CMS
# codes wound-cover pads by area (HCPCS Level II A6196-A6257). Sides of one or two digits only ("96372 x 6" is a
# code times units), and never a count of a dose ("2 x 500 ml").
_SIDES = re.compile(r"(?<![\w.])(?P<a>\d{1,2}(?:\.\d+)?)\s*(?:\"|in(?:ch(?:es)?)?)?\s*[x\u00d7]\s*"
                    r"(?P<b>\d{1,2}(?:\.\d+)?)"
                    r"(?!\s*(?:ml|cc|mg|mcg|g|units?|doses?)\b)\s*(?P<unit>\"|inch(?:es)?\b|in\b|cm\b)?(?![\w.])"
                    r"(?P<bound>\s*(?:or\s+(?:less|smaller|under)|or\s+(?:more|larger|bigger|greater)))?",
                    re.IGNORECASE)
# A question may state a size as a bound: "cushion under 22 inches wide", "less than 16 sq in", "over 48 sq in".
_QUESTION_UNDER = re.compile(rf"(?:under|below|less\s+than|smaller\s+than|up\s+to|<)\s*(?P<value>{_NUMBER})\s*{_UNIT}",
                             re.IGNORECASE)
_QUESTION_OVER = re.compile(rf"(?:over|above|more\s+than|greater\s+than|larger\s+than|wider\s+than|>)\s*"
                            rf"(?P<value>{_NUMBER})\s*{_UNIT}", re.IGNORECASE)
# Package counts: supplies are billed per box of N ("Blood glucose test or reagent strips ..., per 50 strips"
# A4253); coders type "box of 50", "50 count", "pack of 100". A descriptor's "per N" with no unit after it (or a
# plain noun: "per 50 strips") is a count; "per 10 mg" is not.
_COUNT_QUESTION = re.compile(r"\b(?:box|pack|package|packet|bottle|case|vial|bag)s?\s+of\s+(?P<value>\d+)\b"
                             r"|(?<![\w.])(?P<value2>\d+)\s*(?:count|ct|pack|per\s+box)\b", re.IGNORECASE)
_COUNT_RECORD = re.compile(r"\bper\s+(?P<value>\d+)\b(?!\s*(?:%|\.\d|" + _UNIT.replace("(?P<unit>", "(?:")
                           + r"|min|hour|day|week|month))", re.IGNORECASE)


# Lead counts, in digits or words, on both sides: "TENS 4 lead", "four-lead", "two lead" (E0720), "four or more
# leads" (E0730), "2 lead, per month" (A4595).
_LEAD_NUMBERS = {"one": 1, "single": 1, "two": 2, "dual": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8}
_LEADS = re.compile(r"(?<![\w.])(?P<value>\d+|" + "|".join(_LEAD_NUMBERS) + r")\s*-?\s*(?P<more>or\s+more\s+)?leads?\b",
                    re.IGNORECASE)


def _leads(text: str) -> list[Size]:
    sizes = []
    for match in _LEADS.finditer(text):
        word = match.group("value").casefold()
        value = float(_LEAD_NUMBERS.get(word) or word)
        sizes.append(Size("leads", value, math.inf if match.group("more") else value))
    return sizes


def _groups(text: str) -> list[Size]:
    """A power mobility device's group: "group 2", "gp 2", "group II"."""
    return [Size("group", value, value) for value in
            (float(_ROMAN.get(match.group(1).casefold()) or match.group(1)) for match in _GROUP.finditer(text))]


_GROUP = re.compile(r"\b(?:group|gp)\s*([1-5]|i{1,3}|iv|v)\b", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


@dataclass(frozen=True)
class Size:
    """A size or a range of sizes in one dimension, in its base unit (ml, mg, units, square inches ...)."""

    dimension: str
    low: float
    high: float
    # "more than 16 sq. in." excludes 16 (A6197 is "more than 16 ... but less than or equal to 48": a 16 sq in pad
    # is A6196 "16 sq. in. or less"); "less than 22 inches" excludes 22 (E2601 beside E2602 "22 inches or greater").
    low_open: bool = False
    high_open: bool = False

    def contains(self, other: Size) -> bool:
        if self.dimension != other.dimension:
            return False
        low_ok = self.low < other.low or (self.low == other.low and (not self.low_open or other.low_open))
        high_ok = other.high < self.high or (other.high == self.high and (not self.high_open or other.high_open))
        return low_ok and high_ok

    def overlaps(self, other: Size) -> bool:
        """Some size is in both: a question's bound ("over 16 sq in") meets each sibling range it reaches (A6197
        "more than 16 ... 48", A6198 "more than 48"), never the one it excludes ("16 sq. in. or less")."""
        if self.dimension != other.dimension:
            return False
        low, low_open = max((self.low, self.low_open), (other.low, other.low_open))
        high, high_open = min((self.high, not self.high_open), (other.high, not other.high_open))
        high_open = not high_open  # min() above prefers the open end at a tie: (value, False) sorts first
        return low < high or (low == high and not low_open and not high_open)


def _unit(word: str) -> tuple[str, float] | None:
    key = re.sub(r"[\s.]+", " ", word.casefold()).strip()
    if key.startswith("sq in"):
        key = "sq in"
    elif key.startswith("sq cm"):
        key = "sq cm"
    elif key not in _UNITS:
        key = key.rstrip("s")
    return _UNITS.get(key)


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def question_sizes(text: str) -> list[Size]:
    """The sizes a question states, each as an exact value ("1000 ml", "1 liter", "16 sq in")."""
    sizes: list[Size] = []
    bounds: list[tuple[int, int]] = []
    for pattern, below in ((_QUESTION_UNDER, True), (_QUESTION_OVER, False), (_OR_LESS, True), (_OR_MORE, False)):
        for match in pattern.finditer(text):
            two = match.groupdict().get("value2") is not None  # "22 in or more"
            unit = _unit(match.group("unit2") if two else match.group("unit"))
            if unit is not None and not (unit[0] == "length_in" and _BY.search(text, 0, match.start())):
                value = _value(match.group("value2" if two else "value")) * unit[1]
                low, high = (0.0, value) if below else (value, math.inf)
                is_open = bool(_OPEN_BOUND.match(match.group(0)))
                sizes.append(Size(_per_ml(text, match.end(), unit[0]), low, high,
                                  low_open=is_open and not below, high_open=is_open and below))
                bounds.append((match.start(), match.end()))
    for match in _QUANTITY.finditer(text):
        if any(start <= match.start() < end for start, end in bounds):
            continue  # the bound's own number
        unit = _unit(match.group("unit"))
        if unit is not None and not (unit[0] == "length_in" and _BY.search(text, 0, match.start())):
            value = _value(match.group("value")) * unit[1]
            sizes.append(Size(_per_ml(text, match.end(), unit[0]), value, value))
    for match in _SIDES.finditer(text):
        area = _value(match.group("a")) * _value(match.group("b"))
        bound = (match.group("bound") or "").casefold()
        low, high = (0.0, area) if re.search(r"less|smaller|under", bound) else (
            (area, math.inf) if bound else (area, area))
        unit = (match.group("unit") or "").casefold()
        sizes.append(Size("area_cm" if unit == "cm" else "area_in", low, high))
    for match in _COUNT_QUESTION.finditer(text):
        value = _value(match.group("value") or match.group("value2"))
        sizes.append(Size("count", value, value))
    return sizes + _leads(text) + _groups(text)


def record_sizes(record: CodeRecord) -> list[Size]:
    """The sizes and size ranges a record's title and official descriptor name."""
    sizes: list[Size] = []
    # The official descriptor when it names a size, else the title: CMS short titles abbreviate ranges in ways
    # that read as other ranges (A6197 "Alginate drsg >16 <=48 sq in" would read as "up to 48").
    for text in (record.official_descriptor or "", record.title):
        if sizes:
            break
        spans: list[tuple[int, int]] = []
        for pattern, kind in ((_RANGE, "range"), (_UP_TO, "up"), (_OR_LESS, "up"), (_AT_LEAST, "at least"),
                              (_OR_MORE, "at least"), (_QUANTITY, "exact")):
            for match in pattern.finditer(text):
                if any(start <= match.start() < end for start, end in spans):
                    continue  # already read as part of a range
                two = match.groupdict().get("value2") is not None  # "more than A ... less than B", "22 in or more"
                unit = _unit(match.group("unit2") if two else match.group("unit"))
                if unit is None:
                    continue
                dimension, factor = unit
                if dimension == "length_in" and _BY.search(text, 0, match.start()):
                    continue  # "4 x 4 inches" is an area, not a width
                value = _value(match.group("value2" if two else "value")) * factor
                low_open = high_open = False
                if kind == "range":
                    low, high = _value(match.group("low2" if two else "low")) * factor, value
                    low_open = two  # "more than A but less than or equal to B"
                    high_open = two and not re.search(r"or\s+equal", match.group(0), re.IGNORECASE)
                else:
                    low, high = {"up": (0.0, value), "at least": (value, math.inf)}.get(kind, (value, value))
                    is_open = bool(_OPEN_BOUND.match(match.group(0)))
                    low_open, high_open = is_open and kind == "at least", is_open and kind == "up"
                sizes.append(Size(_per_ml(text, match.end(), dimension), low, high, low_open, high_open))
                spans.append((match.start(), match.end()))
        for match in _COUNT_RECORD.finditer(text):
            value = _value(match.group("value"))
            sizes.append(Size("count", value, value))
        sizes.extend(_leads(text) + _groups(text))
    return sizes


def _per_ml(text: str, end: int, dimension: str) -> str:
    """"concentration" for a mass followed by "/ml" or "per ml" (a unit dose or a package mass otherwise)."""
    return "concentration" if dimension == "mass" and _PER_ML.match(text, end) else dimension


def size_factor(record: CodeRecord, wanted: list[Size]) -> float:
    """SIZE_MATCH_FACTOR when one of the record's sizes meets one of the question's (overlaps it);
    SIZE_MISMATCH_FACTOR when the record names only other sizes of an EXCLUSIVE_DIMENSIONS dimension; else 1.0."""
    if not wanted:
        return 1.0
    stated = record_sizes(record)
    # An exclusive dimension the record states but no size of which meets the question's rules it out, whatever
    # else matches ("POV group 1 up to 300 lbs": K0801 is group 1 but "301 to 450 pounds").
    for dimension in {want.dimension for want in wanted} & EXCLUSIVE_DIMENSIONS:
        if any(size.dimension == dimension for size in stated) and not any(
                size.overlaps(want) for size in stated for want in wanted if want.dimension == dimension):
            return SIZE_MISMATCH_FACTOR
    if any(size.overlaps(want) for size in stated for want in wanted if want.dimension in MATCHED_DIMENSIONS):
        return SIZE_MATCH_FACTOR
    return 1.0
