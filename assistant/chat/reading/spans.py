"""Composition rules over tokens -> typed spans (issue 10 item 1), longest match wins.

In the spirit of a duration grammar: `NUM HOUR (and)? NUM MIN?`, `half an HOUR`, `NUM (+ NUM)+ UNIT`,
`N x NUM UNIT`, `CLOCK (to|-) CLOCK`, `NUM DOSE_UNIT`, `x NUM`, `NEG word`. At each token every rule is tried and
the longest match is kept; tokens no rule reads stay plain. Nothing here guesses: a number beside a time, dose or
count word that no rule read becomes a `Problem` ("unread_number"), never a count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.chat.reading.bounds import number_out_of_range, readable, span_out_of_range
from assistant.chat.reading.clock_rules import clock_alone as _clock_alone
from assistant.chat.reading.clock_rules import clock_range as _clock_range
from assistant.chat.reading.clock_rules import owned as _owned
from assistant.chat.reading.problems import Problem
from assistant.chat.reading.tokens import Token, tokenize
from assistant.chat.reading.typed import (  # re-exported: the span types
    BodySurfaceArea,
    ClockPoint,
    ClockRange,
    Code,
    Count,
    Dose,
    Duration,
    Negation,
    Rate,
    Reading,
    Route,
    Separator,
    Span,
    Weight,
)
from assistant.chat.reading.vocabulary import (
    BSA_UNITS,
    COUNT_NOUNS,
    DOSE_UNITS,
    HOUR_WORDS,
    MINUTE_WORDS,
    NEGATION_MODIFIERS,
    NEGATIONS,
    ROUTES,
    SEPARATORS,
    WEIGHT_UNITS,
)

# --- token helpers ----------------------------------------------------------------------------------------------

_TIMES = frozenset({"x", "*", "times"})


class _Tokens:
    def __init__(self, low: str, tokens: list[Token]) -> None:
        self.low, self.t = low, tokens

    def get(self, i: int) -> Token | None:
        return self.t[i] if 0 <= i < len(self.t) else None

    def text(self, i: int) -> str:
        token = self.get(i)
        return token.text if token is not None else ""

    def is_hour(self, i: int) -> bool:
        token = self.get(i)
        return token is not None and token.kind == "word" and token.text in HOUR_WORDS

    def is_min(self, i: int) -> bool:
        token = self.get(i)
        return token is not None and token.kind == "word" and token.text in MINUTE_WORDS

    def dose_unit(self, i: int) -> str | None:
        token = self.get(i)
        if token is None or token.kind not in ("word", "unit"):
            return None
        return DOSE_UNITS.get(token.text)

    def surface(self, i: int, j: int) -> str:
        return self.low[self.t[i].start:self.t[j - 1].end]

    def number(self, i: int) -> tuple[float | None, int, bool] | None:
        """A number at i: (value or None when unreadable, index after it, negative). Reads a sign, mixed numbers
        ("1 1/4", "1 and 1/4", "2 and a half", "2½") and proper fractions ("3/4")."""
        negative = False
        token = self.get(i)
        if token is None:
            return None
        nxt = self.get(i + 1)
        spoken_minus = token.text in ("minus", "negative") and nxt is not None and nxt.kind in ("num", "frac")
        # "-4 mg": a minus glued to the number, after a space or a word (not "9-11", a range)
        glued_minus = token.text == "-" and nxt is not None and nxt.kind == "num" and nxt.start == token.end and (
            i == 0 or self.t[i - 1].end < token.start or self.t[i - 1].kind != "num")
        if spoken_minus or glued_minus:
            negative, i = True, i + 1
        token = self.get(i)
        if token is None:
            return None
        if token.kind == "frac":
            return _fraction(token.text), i + 1, negative
        if token.kind != "num" or not readable(token.value):
            return None  # a number past 14 digits is never read (bounds.py: an out_of_range problem)
        value: float | None = token.value
        j = i + 1
        if self.text(j) == "and" and self.text(j + 1) in ("a", "one") and self.text(j + 2) in ("half", "quarter"):
            value, j = token.value + (0.5 if self.text(j + 2) == "half" else 0.25), j + 3
        elif (frac := self.get(j)) is not None and frac.kind == "frac" and token.value == int(token.value):
            part = _fraction(frac.text)
            value, j = (None if part is None else token.value + part), j + 1
        elif self.text(j) == "and" and (frac := self.get(j + 1)) is not None and frac.kind == "frac":
            part = _fraction(frac.text)
            value, j = (None if part is None else token.value + part), j + 2
        elif (half := self.get(j)) is not None and half.kind == "num" and half.value is not None \
                and 0 < half.value < 1 and half.text in "½¼¾":
            value, j = token.value + half.value, j + 1
        return value, j, negative


def _fraction(text: str) -> float | None:
    top, bottom = (int(part) for part in text.replace(" ", "").split("/"))
    if bottom == 0 or top >= bottom:
        return None
    return top / bottom


# --- rules: each returns (end index, span or problem) or None ------------------------------------------------------

Match = tuple[int, Span | Problem]


def _duration(ts: _Tokens, i: int) -> Match | None:
    read = ts.number(i)
    if read is not None:
        value, j, negative = read
        sign = -1 if negative else 1
        if value is None and (ts.is_hour(j) or ts.is_min(j)):
            return j + 1, Problem("unread_fraction", ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end))
        if value is None:
            return None
        if ts.text(j) == "-" and (ts.is_hour(j + 1) or ts.is_min(j + 1)) and ts.text(j + 1) not in ("h", "m") \
                and ts.t[j].start == ts.t[j - 1].end:
            j += 1  # "45-minute infusion", "2-hour"
        if ts.text(j) == "/" and ts.is_hour(j + 1) or ts.text(j) in ("per", "an", "a") and ts.is_hour(j + 1):
            return j + 2, Rate(ts.surface(i, j + 2), (ts.t[i].start, ts.t[j + 1].end))
        if ts.is_hour(j):
            k = j + 1
            if ts.text(k) in (",", "and"):
                k += 1
            minute = ts.number(k)
            if minute is not None and minute[0] is not None and not minute[2] and ts.is_min(minute[1]):
                end = minute[1] + 1
                return end, Duration(ts.surface(i, end), (ts.t[i].start, ts.t[end - 1].end),
                                     sign * round(value * 60 + minute[0]))
            if ts.text(k) in ("a", "one") and ts.text(k + 1) == "half" or ts.text(k) == "half" or (
                    (frac := ts.get(k)) is not None and frac.kind == "frac"):
                part = 0.5 if ts.text(k) != "a" and ts.text(k) != "one" and ts.text(k) == "half" else None
                end = k + 1
                if ts.text(k) in ("a", "one"):
                    part, end = 0.5, k + 2
                elif part is None:
                    part = _fraction(ts.t[k].text)
                if part is None:
                    return end, Problem("unread_fraction", ts.surface(i, end), (ts.t[i].start, ts.t[end - 1].end))
                return end, Duration(ts.surface(i, end), (ts.t[i].start, ts.t[end - 1].end),
                                     sign * round((value + part) * 60))
            # "1 hour 30", "2h30": H hour M with the minutes' unit left off (never read as H hours alone).
            bare = ts.get(j + 1)
            if bare is not None and bare.kind == "num" and bare.value is not None \
                    and bare.value == int(bare.value) and 0 <= bare.value < 60 and not _owned(ts, j + 2):
                return j + 2, Duration(ts.surface(i, j + 2), (ts.t[i].start, bare.end),
                                       sign * round(value * 60 + bare.value))
            unit = "hours"
            return j + 1, Duration(ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end), sign * round(value * 60),
                                   unit=unit)
        if ts.is_min(j):
            unit = "minutes"
            return j + 1, Duration(ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end), sign * round(value), unit=unit)
        return None
    # "an hour and a half", "hour and a half", "an hour", "another hour" (a follow-up's further hour, issue 17)
    k = i + 1 if ts.text(i) in ("a", "an", "another") else i
    if ts.is_hour(k) and ts.text(k) not in ("h", "m"):
        if ts.text(k + 1) == "and" and ts.text(k + 2) in ("a", "one") and ts.text(k + 3) == "half":
            return k + 4, Duration(ts.surface(i, k + 4), (ts.t[i].start, ts.t[k + 3].end), 90)
        extra = ts.number(k + 2) if ts.text(k + 1) in ("and", ",") else None
        if extra is not None and extra[0] is not None and not extra[2] and ts.is_min(extra[1]):
            # "an hour and 15 minutes", "hour and fifteen minutes"
            end = extra[1] + 1
            return end, Duration(ts.surface(i, end), (ts.t[i].start, ts.t[end - 1].end), 60 + round(extra[0]))
        bare = ts.get(k + 1)
        if k > i and bare is not None and bare.kind == "num" and bare.value is not None \
                and bare.value == int(bare.value) and 0 <= bare.value < 60 and not _owned(ts, k + 2):
            # "an hour 30", "an hour thirty": H hour M with H = 1
            return k + 2, Duration(ts.surface(i, k + 2), (ts.t[i].start, bare.end), 60 + round(bare.value))
        if k > i:
            return k + 1, Duration(ts.surface(i, k + 1), (ts.t[i].start, ts.t[k].end), 60, unit="hours")
    # "half an hour", "a half hour", "half-hour", "a quarter of an hour", "three quarters of an hour"
    k = i + 1 if ts.text(i) == "a" else i
    if ts.text(k) in ("half", "quarter"):
        part = 30 if ts.text(k) == "half" else 15
        m = k + 1
        while ts.text(m) in ("an", "a", "of", "-"):
            m += 1
        if ts.is_hour(m) and ts.text(m) not in ("h", "m"):
            return m + 1, Duration(ts.surface(i, m + 1), (ts.t[i].start, ts.t[m].end), part)
    return None


def _sum(ts: _Tokens, i: int) -> Match | None:
    """"20+20+35 min": the unit after the last number belongs to each of them (each becomes a Duration part)."""
    first = ts.number(i)
    if first is None or first[0] is None or first[2] or ts.text(first[1]) != "+":
        return None
    parts = [(i, first[1], first[0])]
    j = first[1]
    while ts.text(j) == "+":
        nxt = ts.number(j + 1)
        if nxt is None or nxt[2]:
            return None
        if nxt[0] is None:
            return None
        parts.append((j + 1, nxt[1], nxt[0]))
        j = nxt[1]
    if not (ts.is_hour(j) or ts.is_min(j)) or ts.text(j) in ("m", "h") and ts.t[j].start != ts.t[j - 1].end:
        return None
    if any(t.kind == "frac" or t.text in "½¼¾" for t in ts.t[i:j]):
        # "1 1/2+1 hours": which numbers the fraction joins is unclear; asked, never guessed.
        return j + 1, Problem("unread_sum", ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end))
    per = 60 if ts.is_hour(j) else 1
    return j + 1, _Parts(ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end),
                         tuple(Duration(f"{ts.surface(a, b)} {ts.t[j].text}", (ts.t[a].start, ts.t[b - 1].end),
                                        round(v * per),
                                        unit="hours" if per == 60 else "minutes", how="sum") for a, b, v in parts))


@dataclass(frozen=True)
class _Parts(Span):
    parts: tuple[Duration, ...]


def _product(ts: _Tokens, i: int) -> Match | None:
    """"3 x 15 min", "2 times 45 minutes", "45 min x 2" (not "x 2 sites"): the product, said in a note."""
    n = ts.get(i)
    if n is not None and n.kind == "num" and n.value is not None and n.value == int(n.value) and n.value < 100 \
            and ts.text(i + 1) in _TIMES:
        inner = _duration(ts, i + 2)
        if inner is not None and isinstance(inner[1], Duration) and inner[1].minutes > 0:
            end = inner[0]
            return end, Duration(ts.surface(i, end), (n.start, ts.t[end - 1].end), round(n.value) * inner[1].minutes,
                                 how="product")
    inner = _duration(ts, i)
    if inner is None or not isinstance(inner[1], Duration) or inner[1].minutes <= 0:
        return None
    j = inner[0]
    times = ts.text(j)
    if times in _TIMES or times.startswith("x") and times[1:].isdigit():
        count = ts.get(j + 1)
        if count is not None and count.kind == "num" and count.value is not None and count.value == int(count.value) \
                and count.value < 100 and not _owned(ts, j + 2) and ts.get(j + 2) is None or (
                count is not None and count.kind == "num" and ts.get(j + 2) is not None
                and ts.t[j + 2].kind not in ("word", "unit") and not _owned(ts, j + 2)):
            assert count is not None and count.value is not None
            return j + 2, Duration(ts.surface(i, j + 2), (ts.t[i].start, count.end),
                                   round(count.value) * inner[1].minutes, how="product")
    return None


def _duration_range(ts: _Tokens, i: int) -> Match | None:
    """"2-3 hours", "90 to 120 min": a range is not a duration; asked."""
    a = ts.get(i)
    if a is None or a.kind != "num" or ts.text(i + 1) not in ("-", "to", "or"):
        return None
    b = ts.get(i + 2)
    if b is None or b.kind != "num" or not (ts.is_hour(i + 3) or ts.is_min(i + 3)):
        return None
    return i + 4, Problem("duration_range", ts.surface(i, i + 4), (a.start, ts.t[i + 3].end))


def _dose(ts: _Tokens, i: int) -> Match | None:
    read = ts.number(i)
    if read is None or read[0] is None:
        return None
    value, j, negative = read
    unit = ts.dose_unit(j)
    if unit is None and ts.text(j) in WEIGHT_UNITS:
        kg = value * WEIGHT_UNITS[ts.text(j)]
        return j + 1, Weight(ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end), kg)
    if unit is None and ts.text(j) in BSA_UNITS:
        return j + 1, BodySurfaceArea(ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end), value)
    if unit is None:
        return None
    if ts.text(j + 1) == "/" and ts.is_hour(j + 2) or ts.text(j + 1) in ("per", "an", "a") and ts.is_hour(j + 2):
        return j + 3, Rate(ts.surface(i, j + 3), (ts.t[i].start, ts.t[j + 2].end))
    amount = -value if negative else value
    size = ts.text(j + 2)
    if ts.text(j + 1) in ("/", "per") and (size in WEIGHT_UNITS or size in BSA_UNITS):
        # "5 mg per kg", "1 g / kg": a dose per body size, never the bare dose; a size the engine has no
        # arithmetic for ("mg/lb") stays an unknown unit (asked, never counted).
        per = f"{unit}/{'m2' if size in BSA_UNITS else size}"
        return j + 3, Dose(ts.surface(i, j + 3), (ts.t[i].start, ts.t[j + 2].end), amount, DOSE_UNITS.get(per, per))
    return j + 1, Dose(ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end), amount, unit)


def _bsa(ts: _Tokens, i: int) -> Match | None:
    """"BSA 1.8", "BSA: 1.8 m2", "body surface area 1.8": a body surface area typed before its number."""
    token = ts.get(i)
    if token is None or token.text != "bsa":
        return None
    j = i + 1
    while ts.text(j) in (":", "=", "of", "is"):
        j += 1
    value = ts.get(j)
    if value is None or value.kind != "num" or value.value is None or value.value <= 0:
        return None
    end = j + 2 if ts.text(j + 1) in BSA_UNITS else j + 1
    return end, BodySurfaceArea(ts.surface(i, end), (token.start, ts.t[end - 1].end), value.value)


def _count(ts: _Tokens, i: int) -> Match | None:
    token = ts.get(i)
    if token is None:
        return None
    if token.text in ("x", "#") and (n := ts.get(i + 1)) is not None and n.kind == "num" and n.value is not None \
            and n.value == int(n.value) and not (ts.is_hour(i + 2) or ts.is_min(i + 2) or ts.dose_unit(i + 2)):
        noun = COUNT_NOUNS.get(ts.text(i + 2))
        end = i + 3 if noun else i + 2
        return end, Count(ts.surface(i, end), (token.start, ts.t[end - 1].end), round(n.value), noun)
    read = ts.number(i)
    if read is None or read[0] is None:
        return None
    value, j, negative = read
    if value != int(value):
        return None
    words = ts.text(j)
    if words in COUNT_NOUNS and words not in ("unit", "units"):
        return j + 1, Count(ts.surface(i, j + 1), (ts.t[i].start, ts.t[j].end), -round(value) if negative
                            else round(value), COUNT_NOUNS[words])
    for skip in ("separate", "different", "iv", "im", "sc", "subq", "infusion", "chemo", "needle"):
        if words == skip and ts.text(j + 1) in COUNT_NOUNS and ts.text(j + 1) not in ("unit", "units"):
            return j + 2, Count(ts.surface(i, j + 2), (ts.t[i].start, ts.t[j + 1].end), round(value),
                                COUNT_NOUNS[ts.text(j + 1)])
    if words in ("x", "times") and ts.get(j + 1) is not None and ts.t[j + 1].kind == "num":
        return None
    return None


def _route(ts: _Tokens, i: int) -> Match | None:
    token = ts.get(i)
    if token is None or token.kind not in ("word", "unit"):
        return None
    two = f"{token.text} {ts.text(i + 1)}"
    if two in ROUTES and ts.get(i + 1) is not None:
        return i + 2, Route(ts.surface(i, i + 2), (token.start, ts.t[i + 1].end), ROUTES[two])
    if token.text in ROUTES:
        return i + 1, Route(token.text, token.span, ROUTES[token.text])
    return None


def _negation(ts: _Tokens, i: int) -> Match | None:
    token = ts.get(i)
    if token is None or token.text not in NEGATIONS:
        return None
    j = i + 1
    while ts.text(j) == "-" or ts.text(j) in NEGATION_MODIFIERS:
        j += 1
    target = ts.get(j)
    if target is None or target.kind not in ("word", "unit", "code"):
        return None
    end = j + 1
    if ts.text(j) in ("iv", "iv's") and ts.get(j + 1) is not None and ts.t[j + 1].kind == "word":
        end = j + 2
    return end, Negation(ts.surface(i, end), (token.start, ts.t[end - 1].end), (target.start, ts.t[end - 1].end))


def _separator(ts: _Tokens, i: int) -> Match | None:
    token = ts.get(i)
    if token is None:
        return None
    two = f"{token.text} {ts.text(i + 1)}"
    if two in SEPARATORS and ts.get(i + 1) is not None:
        return i + 2, Separator(ts.surface(i, i + 2), (token.start, ts.t[i + 1].end), SEPARATORS[two])
    if token.text in SEPARATORS:
        return i + 1, Separator(token.text, token.span, SEPARATORS[token.text])
    return None


def _code(ts: _Tokens, i: int) -> Match | None:
    token = ts.get(i)
    if token is None or token.kind != "code":
        return None
    return i + 1, Code(token.text, token.span, token.text)


RULES: tuple[Callable[[_Tokens, int], Match | None], ...] = (
    _duration_range, _sum, _product, _clock_range, _duration, _dose, _clock_alone, _count, _negation, _route,
    _separator, _code, _bsa,
)


_START_WORDS = frozenset({"minus", "negative", "a", "an", "one", "half", "quarter", "x", "#", "times",
                          "bsa", "another"}) | HOUR_WORDS \
    | NEGATIONS | frozenset(r.split()[0] for r in ROUTES) | frozenset(r.split()[0] for r in SEPARATORS) \
    | frozenset({"noon", "midnight"})
_START_PUNCT = frozenset({"-", "+", ",", ";", "&", "#", "@"})


@lru_cache(maxsize=512)
def read(text: str) -> Reading:
    """Tokenize and compose: every typed span of the question, and the problems met on the way (cached: the parser,
    the services and the reading trail all read the same question; a `Reading` is immutable)."""
    low, tokens = tokenize(text)
    ts = _Tokens(low, tokens)
    spans: list[Span] = []
    problems: list[Problem] = []
    used = [False] * len(tokens)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "word" and token.text not in _START_WORDS or token.kind == "punct" \
                and token.text not in _START_PUNCT:
            i += 1  # no rule starts here (a fast path: most words start nothing)
            continue
        best: Match | None = None
        for rule in RULES:
            found = rule(ts, i)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
        if best is None:
            i += 1
            continue
        end, item = best
        for k in range(i, end):
            used[k] = True
        if isinstance(item, Problem):
            problems.append(item)
        elif isinstance(item, _Parts):
            spans.extend(item.parts)
        else:
            spans.append(item)
        i = end
    problems.extend(_checks(ts, spans, used))
    return Reading(text, low, tuple(tokens), tuple(spans), tuple(problems))


_NEAR_WORDS = HOUR_WORDS | MINUTE_WORDS | frozenset(DOSE_UNITS) | frozenset(COUNT_NOUNS) | frozenset({"x"})


def _checks(ts: _Tokens, spans: list[Span], used: list[bool]) -> list[Problem]:
    """Doses and counts that are not positive; numbers beside a time, dose or count word that no rule read."""
    problems: list[Problem] = []
    for span in spans:
        if (outside := span_out_of_range(span)) is not None:  # issue 24: sane ranges (bounds.py)
            problems.append(outside)
        elif isinstance(span, Dose) and span.amount <= 0:
            problems.append(Problem("nonpositive_dose", span.surface, span.span))
        elif isinstance(span, Count) and span.n <= 0:
            problems.append(Problem("nonpositive_count", span.surface, span.span))
    for i, token in enumerate(ts.t):
        if (unreadable := number_out_of_range(token)) is not None:
            problems.append(unreadable)
            continue
        if used[i] or token.kind != "num":
            continue
        before, after = ts.get(i - 1), ts.get(i + 1)
        # next to a time, dose or count word (read or not): a number no rule read there is asked about
        near = any(t is not None and t.text in _NEAR_WORDS for t in (before, after))
        base_units = "base" in (ts.text(i - 1), ts.text(i - 2))  # "base units 5": read by the anesthesia reader
        if near and not base_units and not _owned(ts, i + 1) and ts.text(i - 1) not in ("x", "#"):
            problems.append(Problem("unread_number", token.text, token.span))
    return problems


__all__ = [
    "BodySurfaceArea", "ClockPoint", "ClockRange", "Code", "Count", "Dose", "Duration", "Negation", "Rate", "Reading",
    "Route", "Separator", "Span", "Weight", "read",
]
