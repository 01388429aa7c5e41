"""The typed spans the reader yields (issue 10 item 1): each with its surface text and its span in the question."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from assistant.chat.reading.problems import Problem
from assistant.chat.reading.tokens import Token


@dataclass(frozen=True)
class Span:
    surface: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Duration(Span):
    minutes: int  # negative when typed with a minus sign ("-3 hours"): refused by the caller
    unit: str | None = None  # "hours" | "minutes" when typed in that one unit, else None ("2 h 30", "1:45")
    how: str = "plain"  # "plain" | "sum" (a part of "20+20+35 min") | "product" ("3 x 15 min")


@dataclass(frozen=True)
class ClockRange(Span):
    start: datetime.time
    end: datetime.time
    minutes: int
    backwards: bool = False  # the end reads before the start: asked, never guessed


@dataclass(frozen=True)
class ClockPoint(Span):
    at: datetime.time


@dataclass(frozen=True)
class Dose(Span):
    amount: float
    unit: str


@dataclass(frozen=True)
class Count(Span):
    n: int
    noun: str | None = None


@dataclass(frozen=True)
class Code(Span):
    code: str


@dataclass(frozen=True)
class Route(Span):
    route: str


@dataclass(frozen=True)
class Negation(Span):
    scope: tuple[int, int]  # the negated words' span ("pump" of "no pump")


@dataclass(frozen=True)
class Weight(Span):
    kg: float


@dataclass(frozen=True)
class BodySurfaceArea(Span):
    m2: float


@dataclass(frozen=True)
class Rate(Span):
    """A rate ("125/hr", "100 mL per hour"): read so its number is never taken for a duration or a dose."""


@dataclass(frozen=True)
class Separator(Span):
    relation: str | None


@dataclass(frozen=True)
class Reading:
    """Everything read from one question: lower-cased text (same length), tokens, typed spans and problems."""

    text: str
    low: str
    tokens: tuple[Token, ...]
    spans: tuple[Span, ...]
    problems: tuple[Problem, ...]

    def of(self, kind: type[Span]) -> list:
        return [s for s in self.spans if isinstance(s, kind)]


__all__ = [
    "BodySurfaceArea", "ClockPoint", "ClockRange", "Code", "Count", "Dose", "Duration", "Negation", "Rate", "Reading",
    "Route", "Separator", "Span", "Weight",
]
