"""Clock times: what a typed time can mean, and the shortest positive span between two of them."""

from __future__ import annotations

import re

MINUTES_PER_DAY = 24 * 60


def clock_candidates(token: str) -> tuple[list[int], bool] | None:
    """Possible minutes-after-midnight for a typed time, and whether it was explicit (am/pm, 24 h, 4 digits)."""
    token = token.strip().replace(".", "")
    if token == "noon":
        return [12 * 60], True
    if token == "midnight":
        return [0], True
    if re.fullmatch(r"\d{1,2}:\d{2}\s?[ap]", token):  # nurses' shorthand "9:30a"
        token += "m"
    if re.fullmatch(r"\d{4}h", token):  # "0930h"
        token = token[:-1]
    suffix = None
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*([ap]m)?", token)
    if match:
        hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    elif re.fullmatch(r"\d{4}", token):
        hour, minute = int(token[:2]), int(token[2:])
        if hour > 23 or minute > 59:
            return None
        return [hour * 60 + minute], True
    else:
        return None
    if minute > 59 or hour > 24 or (suffix and not 1 <= hour <= 12):
        return None
    if suffix:
        hour = hour % 12 + (12 if suffix == "pm" else 0)
        return [hour * 60 + minute], True
    if hour == 24:
        return [minute], True
    if 1 <= hour <= 12:
        # A bare 1-12 could be morning or afternoon: keep both, the shortest span wins (infusions are short).
        return [hour % 12 * 60 + minute if hour == 12 else hour * 60 + minute, (hour % 12 + 12) * 60 + minute], False
    return [hour * 60 + minute], True


def pick_span(a: list[int], b: list[int]) -> tuple[int, int, int]:
    """The start, end and minutes of the shortest positive span; crossing midnight adds a day (11pm-2am = 180)."""
    if a == b:  # the same time typed twice: zero minutes, never a 12- or 24-hour guess
        return a[0], b[0], 0
    best: tuple[int, int, int] | None = None
    for start in a:
        for end in b:
            span = (end - start) % MINUTES_PER_DAY
            if span and (best is None or span < best[2]):
                best = (start, end, span)
    if best is None:
        return a[0], b[0], 0
    return best


def ends_before_start(a_text: str, b_text: str, minutes: int) -> bool:
    """True when the end reads earlier than the start ("10:50 to 10:40", "1050-1040").

    Both times are read as typed (a bare 1-12 as morning). If the end is before the start by less than the forward
    span, the nearer reading is a typing slip, not a service that ran past midnight: the count must not be guessed.
    Crossing midnight is accepted only when the span is at most 12 hours or am/pm shows pm -> am.
    """
    if minutes <= 0:
        return False
    if re.search(r"p\.?m?\.?$", a_text.strip()) and re.search(r"a\.?m?\.?$", b_text.strip()):
        return False
    a, b = clock_candidates(a_text), clock_candidates(b_text)
    if a is None or b is None:
        return False
    behind_by = (a[0][0] - b[0][0]) % MINUTES_PER_DAY
    return 0 < behind_by < minutes
