"""Typed reading problems (issue 10 item 7): what could not be read, where, and as typed.

The reader never words a message: `assistant/chat/answers.py` (`problem_text`) turns each kind into the sentence
the coder sees. Code that reacts to a problem tests its `kind`, never searches message text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ProblemKind = Literal[
    "negative_duration",  # "-3 hours"
    "too_long",  # more than 24 hours
    "same_start_end",  # "10:00-10:00"
    "end_before_start",  # "10:50 to 10:40"
    "decimal_comma",  # "1,5 g"
    "unread_sum",  # "1 1/2+1 hours"
    "unread_fraction",  # "5/4 hours", "1/0 hour"
    "duration_range",  # "2-3 hours"
    "unread_number",  # a number beside a time/dose/count word that no rule read
    "nonpositive_dose",  # "zofran -4 mg", "0 mg"
    "nonpositive_count",  # "x0", "-2 pushes"
    "multiplied_dose",  # "4 mg x 2"
    "unclear_exclusion",  # "excluding 30 min" before any counted time
    "part_of_time",  # "30 min of that was a central line"
    "excluded_all",  # the excluded time is all of the time
    "unowned_time",  # a time whose service is unclear
    "same_start_end",  # "9:00-9:00"
    "body_size",  # "5 mg/kg" without the weight
    "time_of_other_service",  # the only time given belongs to another service
    "repeat_push_gap",  # a same-drug repeat push with no gap given
    "bare_number",  # a follow-up's unitless number that fits nothing
    "patient_age",  # sedation for a child whose age was not given (99151/99155 are for patients under 5)
    "out_of_range",  # a number outside its kind's sane range (assistant/units/limits.py): detail["kind"]
    "other",  # anything else (detail carries the words)
]


@dataclass(frozen=True)
class Problem:
    """One thing the reader could not use: its kind, the words as typed, their span, and any extra detail."""

    kind: ProblemKind
    surface: str
    span: tuple[int, int] = (0, 0)
    detail: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


__all__ = ["Problem", "ProblemKind"]
