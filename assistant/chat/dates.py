"""A date of service typed in a question: "DOS 3/15/2025", "date of service 2025-03-15", "for a date of service
last January", "DOS last quarter". The quarterly CMS tables in force on that date answer (edits/releases.py).

Only dates named as a date of service (DOS, "date of service", "service date", "seen on", "for claims on") are
read, so a number such as "3/4" in a dose is never taken for a date. A month alone means its first day (enough to
pick a quarter's release); a month with no year is the most recent one before today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    name: number for number, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
        ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
        ("december", "dec"),
    ), start=1) for name in names
}
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_CUE = r"(?:\bDOS\b|\bdates? of service\b|\bservice date\b|\bseen on\b|\bfor claims? (?:on|dated)\b)"
_NUMERIC = re.compile(
    _CUE + r"[\s:,-]*(?:of\s+|on\s+|was\s+|is\s+)?(?:(?P<iso>\d{4}-\d{1,2}-\d{1,2})|"
    r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b)",
    re.IGNORECASE,
)
_WORDS = re.compile(
    _CUE + r"[\s:,-]*(?:of\s+|on\s+|in\s+|was\s+|is\s+)?(?P<last>last\s+|this\s+)?"
    rf"(?:(?P<month>{_MONTH_WORDS})\b\.?(?:\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?,?)?(?:\s+(?P<year>\d{{4}}))?|"
    r"(?P<quarter>quarter)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateOfService:
    """A date of service read from the question: the date and the words it was read from."""

    day: date
    words: str


def _month_before(month: int, today: date, last: bool) -> date:
    """The most recent `month` that has started (strictly before this month when `last` is said)."""
    year = today.year if month < today.month or (month == today.month and not last) else today.year - 1
    return date(year, month, 1)


def find_date_of_service(text: str, today: date | None = None) -> DateOfService | None:
    """The date of service named in `text`, or None (also None for an impossible date such as 2/30/2025)."""
    today = today or date.today()
    match = _NUMERIC.search(text)
    try:
        if match:
            if match["iso"]:
                year, month, day = (int(part) for part in match["iso"].split("-"))
            else:
                year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
                month, day = int(match["m"]), int(match["d"])
            return DateOfService(date(year, month, day), match.group(0).strip())
        match = _WORDS.search(text)
        if match is None:
            return None
        last = bool(match["last"]) and match["last"].strip().lower() == "last"
        if match["quarter"]:
            start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
            if last:
                start = date(start.year - 1, 10, 1) if start.month == 1 else date(start.year, start.month - 3, 1)
            return DateOfService(start, match.group(0).strip())
        month = _MONTHS[match["month"].lower()]
        if match["year"]:
            return DateOfService(date(int(match["year"]), month, int(match["day"] or 1)), match.group(0).strip())
        first = _month_before(month, today, last)
        return DateOfService(first.replace(day=int(match["day"] or 1)), match.group(0).strip())
    except ValueError:  # 2/30/2025, month 13: not a date, so none is used
        return None
