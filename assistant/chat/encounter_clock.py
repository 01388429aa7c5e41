"""Clock times the chat places when the words give none (issue 11 item 4): "NS during a 60 min infusion" overlaps,
"chemo 2 hrs then hydration 1 hr" follows, and a start more than 6 hours before the previous one is the next date.
Rows are the encounter route's dicts (`start`, `stop`, `minutes`, `route`, `substance`, `_relation`, `_gap`)."""

from __future__ import annotations

import datetime
from typing import Any


def place_during(rows: list[dict[str, Any]]) -> set[int]:
    """'NS during a 60 min antibiotic infusion': with no clock times, the two are placed at the same start so the
    engine sees the overlap. Returns the indexes given a placed (not typed) clock time."""
    placed: set[int] = set()
    for i, row in enumerate(rows):
        if row["_relation"] not in ("during", "concurrent") or i == 0 or row.get("concurrent_with") is not None:
            continue
        other = rows[i - 1]
        if row["start"] is not None and other["start"] is not None:
            continue
        anchor, follower = (other, row) if (other["minutes"] or 0) >= (row["minutes"] or 0) else (row, other)
        start = anchor["start"] or follower["start"] or datetime.time(0, 0)
        for target in (anchor, follower):
            if target["start"] is None:
                target["start"] = start
                placed.add(rows.index(target))
        if follower["minutes"] is None and follower["stop"] is None:
            follower["minutes"] = anchor["minutes"]
    return placed


def minute_of(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def place_in_sequence(rows: list[dict[str, Any]]) -> set[int]:
    """'chemo 2 hrs then post-hydration 1 hr': with no clock times, a service said to come after the one before it
    ('then', 'sequential', 'after') starts where that one ends. Returns the indexes given a placed clock time."""
    placed: set[int] = set()
    for i, row in enumerate(rows):
        if i == 0 or row["_relation"] not in ("then", "sequential", "after") or row["start"] is not None:
            continue
        other = rows[i - 1]
        if other["start"] is None:
            if other["stop"] is not None or any(r["start"] is not None for r in rows):
                continue  # real clock times elsewhere: never mix placed times with typed ones
            other["start"] = datetime.time(0, 0)
            placed.add(i - 1)
        begin = minute_of(other["start"])
        if other["stop"] is not None:
            end = minute_of(other["stop"])
        elif other["minutes"] is not None:
            end = begin + other["minutes"]
        else:
            end = begin
        if row.get("_gap") is not None:
            end += row["_gap"]  # "zofran IVP ... again 45 min later": it starts 45 minutes after the one before
        elif row["route"] == "iv_push" and other["route"] == "iv_push" and row["substance"] == other["substance"] \
                and end == begin:
            # A same-drug repeat push with no gap given: placing it would invent the gap that decides 96376
            # (more than 30 minutes, facility). Leave it unplaced so the engine asks when it was given.
            continue
        if end >= 24 * 60:
            continue
        row["start"] = datetime.time(end // 60, end % 60)
        placed.add(i)
    return placed


def number_days(rows: list[dict[str, Any]], notes: list[str]) -> None:
    """A clock time more than 6 hours before the previous one is read as the next date (22:00 then 02:00)."""
    day, last = 0, None
    for row in rows:
        start = row["start"]
        if start is None:
            continue
        minute = start.hour * 60 + start.minute
        if last is not None and minute < last - 6 * 60:
            day += 1
            notes.append(f"{start:%H:%M} read as the next date (day {day + 1})")
        row["day"] = day
        stop = row["stop"]
        last = (stop.hour * 60 + stop.minute) if stop is not None and stop > start else minute


__all__ = ["minute_of", "number_days", "place_during", "place_in_sequence"]
