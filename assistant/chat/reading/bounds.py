"""The sane range of each number the reader reads (issue 24 item 2; the ranges: assistant/units/limits.py).

A duration, dose or count outside its range, and a number too long to be one (400 nines was `inf`, then an
OverflowError that broke the turn and every later turn with it in the history), becomes an `out_of_range` problem:
the answer says the range and codes nothing, never a guess and never route `error`.
"""

from __future__ import annotations

from assistant.chat.reading.problems import Problem
from assistant.chat.reading.tokens import Token
from assistant.chat.reading.typed import Count, Dose, Duration, Span
from assistant.units.limits import MAX_NUMBER, Kind, in_range, range_text


def readable(value: float | None) -> bool:
    """A number the reader reads at all: a value, finite and under 14 digits."""
    return value is not None and -MAX_NUMBER < value < MAX_NUMBER


def span_out_of_range(span: Span) -> Problem | None:
    """The problem of a duration (minutes in one question), dose or count outside its range, or None."""
    kind: Kind
    if isinstance(span, Duration):
        kind, value = "visit_minutes", float(span.minutes)
    elif isinstance(span, Dose):
        kind, value = "dose", span.amount
    elif isinstance(span, Count):
        kind, value = "count", float(span.n)
    else:
        return None
    return None if in_range(kind, value) else Problem("out_of_range", span.surface, span.span,
                                                      {"limit": range_text(kind)})


def number_out_of_range(token: Token) -> Problem | None:
    """The problem of a number token too long to read (past 14 digits), or None."""
    if token.kind != "num" or readable(token.value):
        return None
    shown = token.text if len(token.text) <= 24 else f"{token.text[:20]}..."
    return Problem("out_of_range", shown, token.span, {"limit": range_text("number")})
