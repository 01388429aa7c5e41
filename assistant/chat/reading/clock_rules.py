"""The clock rules of the reader (issue 10 item 1): "0930-1130", "from 9:15 to 10:40", "IVP 0905", "at 1000,
1100 and 1200", and which token says what a number is. Split out of `spans.py` (issue 21: no file over 500 lines);
`spans.RULES` runs `clock_range` and `clock_alone` with the other composition rules, longest match first.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from assistant.chat.reading.clock import clock_candidates, ends_before_start, pick_span
from assistant.chat.reading.tokens import Token
from assistant.chat.reading.typed import ClockPoint, ClockRange, Duration, Span
from assistant.chat.reading.vocabulary import (
    COUNT_NOUNS,
    DOSE_UNITS,
    HOUR_WORDS,
    MINUTE_WORDS,
    NUMBER_OWNERS,
    ROUTES,
    WEIGHT_UNITS,
)

RANGE_WORDS = frozenset({"-", "to", "until", "till", "thru", "through"})


class TokenView(Protocol):
    """The reader's view of the tokens (`spans._Tokens`): what these rules read."""

    low: str
    t: list[Token]

    def get(self, i: int) -> Token | None: ...

    def text(self, i: int) -> str: ...

    def surface(self, i: int, j: int) -> str: ...


def owned(ts: TokenView, i: int) -> bool:
    """True when the token at i says what the number before it is (a unit, a count noun, an age ...)."""
    token = ts.get(i)
    if token is None:
        return False
    return (token.text in DOSE_UNITS or token.text in COUNT_NOUNS or token.text in NUMBER_OWNERS
            or token.text in HOUR_WORDS or token.text in MINUTE_WORDS or token.text in (":", "/", ".")
            or token.text in WEIGHT_UNITS or token.kind == "unit")


def _clock_text(token: Token | None) -> tuple[str, bool] | None:
    """A token that can be a clock time: its text as a clock and whether it is unmistakably one."""
    if token is None:
        return None
    if token.kind == "clock":
        return token.text, True
    if token.kind != "num" or token.words or token.value is None:
        return None
    text = token.text
    if text.isdigit() and len(text) == 4:
        return text, True
    if text.isdigit() and len(text) == 3 and int(text[1:]) < 60:
        return f"{text[0]}:{text[1:]}", False
    if text.isdigit() and 1 <= int(text) <= 24:
        return text, False
    if "." in text and len(text.split(".")[1]) == 2 and int(text.split(".")[1]) < 60 and float(text) < 25:
        return text.replace(".", ":"), False
    return None


_LEADS = frozenset({"from", "between", "start", "started", "starting", "begin", "began", "at", "@"})
_ENDS = frozenset({"end", "ended", "stop", "stopped", "finish", "finished", "done", "dc", "d/c"})


def clock_range(ts: TokenView, i: int) -> tuple[int, Span] | None:
    a = _clock_text(ts.get(i))
    if a is None:
        return None
    j = i + 1
    lead = ts.text(i - 1) in _LEADS or ts.text(i - 2) in ("start", "started") and ts.text(i - 1) == "at"
    if ts.text(j) in RANGE_WORDS or ts.text(j) == "and" and ts.text(i - 1) == "between":
        j += 1
    elif ts.text(j) == "," and ts.text(j + 1) in _ENDS or ts.text(j) in _ENDS:
        j += 1 if ts.text(j) in _ENDS else 2
        if ts.text(j) == "at":
            j += 1
    else:
        return None
    b = _clock_text(ts.get(j))
    if b is None or owned(ts, j + 1) and ts.get(j + 1) is not None and ts.t[j + 1].kind != "punct" \
            or ts.text(j + 1) == "-":
        return None
    dotted = "." in ts.t[i].text and "." in ts.t[j].text
    threes = ":" in a[0] and ":" in b[0]
    colon = ":" in ts.t[i].text or ":" in ts.t[j].text
    if not (a[1] or b[1] or lead or dotted or threes and (a[1] or b[1]) or colon):
        return None
    first, second = clock_candidates(a[0]), clock_candidates(b[0])
    if first is None or second is None:
        return None
    start, end, minutes = pick_span(first[0], second[0])
    surface = ts.surface(i, j + 1)
    return j + 1, ClockRange(surface, (ts.t[i].start, ts.t[j].end), datetime.time(start // 60, start % 60),
                             datetime.time(end // 60, end % 60), minutes,
                             backwards=ends_before_start(a[0], b[0], minutes))


# "IVP at 1000, 1100 and 1200", "1400 and again 1430": a 4-digit number listed after a clock time is a time too.
_LISTED_TIME = frozenset({",", "and", "again", "then", "&"})


def _after_clock(ts: TokenView, i: int) -> bool:
    """An earlier token of the question is a 4-digit time after a route word or "at" (the list's first time)."""
    return any(t.kind == "num" and len(t.text) == 4 and ts.text(k - 1) in (*ROUTES, "at", "@")
               for k, t in enumerate(ts.t[:i]))


def clock_alone(ts: TokenView, i: int) -> tuple[int, Span] | None:
    """A lone "h:mm" is a duration ("subq 1:45") unless "at" leads it or am/pm ends it; "at 0905" is a time."""
    token = ts.get(i)
    clock = _clock_text(token)
    if token is None or clock is None:
        return None
    at = ts.text(i - 1) in ("at", "@") or token.kind == "num" and len(token.text) == 4 and not owned(ts, i + 1) and (
        token.text.startswith("0") or ts.text(i - 1) in ROUTES or ts.text(i - 1) in ("given", "started", "pushed")
        or ts.text(i - 1) in _LISTED_TIME and _after_clock(ts, i))
    if token.kind == "clock" and ":" in token.text and not at and token.text[-1].isdigit():
        hours, minutes = token.text.split(":")
        return i + 1, Duration(token.text, token.span, int(hours) * 60 + int(minutes))
    if token.kind == "clock" or at and clock[1]:
        found = clock_candidates(clock[0])
        if found is None:
            return None
        value = found[0][0]
        return i + 1, ClockPoint(token.text, token.span, datetime.time(value // 60, value % 60))
    return None


__all__ = ["RANGE_WORDS", "TokenView", "clock_alone", "clock_range", "owned"]
