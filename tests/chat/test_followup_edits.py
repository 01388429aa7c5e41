"""The span edits a follow-up makes to the last visit's words (assistant/chat/followup_edits.py), both sides."""

from __future__ import annotations

import pytest

from assistant.chat.followup_edits import container, moved_clock, relative_sign, times_of
from assistant.chat.reading.services import read_services
from assistant.chat.reading.spans import ClockRange, Dose, Duration, read


@pytest.mark.parametrize(("turn", "sign"), [
    ("what if it ran an hour longer", 1),
    ("what if it was 30 min more", 1),
    ("and another 30 min?", 1),
    ("and another hour?", 1),
    ("what if it was 20 min shorter", -1),
    ("what if it was 20 min less", -1),
    ("what if it was 30 min", None),        # a time given whole
    ("what if it ran 2 hours instead", None),
], ids=lambda value: str(value))
def test_a_relative_time_is_told_from_a_whole_one(turn: str, sign: int | None) -> None:
    times = times_of(turn, read(turn).spans)
    assert len(times) == 1 and isinstance(times[0], Duration)
    assert relative_sign(turn, times[0]) == sign


@pytest.mark.parametrize(("text", "is_container"), [
    ("2 x 100 mg vials", True),
    ("the vial is 3.5 mg", True),
    ("from two 100 mg single-dose vials", True),
    ("2 g", False),
    ("keytruda 200 mg IV", False),
], ids=lambda value: str(value))
def test_a_container_size_is_not_a_dose(text: str, is_container: bool) -> None:
    doses = [span for span in read(text).spans if isinstance(span, Dose)]
    assert doses and container(text, doses[-1]) is is_container


def test_the_parts_of_a_sum_are_one_time_with_its_unit() -> None:
    turn = "what if it was 20+25 min"
    times = times_of(turn, read(turn).spans)
    assert len(times) == 1 and times[0].minutes == 45 and turn[times[0].span[0]:times[0].span[1]] == "20+25 min"


@pytest.mark.parametrize(("turn", "expected"), [
    ("what if it stopped at 1130", "0900-1130"),
    ("and if it ended 11:45?", "0900-1145"),
    ("what if it was d/c'd at 1015", "0900-1015"),
    ("what if it started at 0930", "0930-1200"),
    ("what if it ran till 1300", "0900-1300"),
    ("what if it ended 0800", None),           # before its start: never read as ~23 hours
    ("what if it was given at 1130", None),     # no end or start word
], ids=lambda value: str(value))
def test_one_end_of_a_clock_range_moves(turn: str, expected: str | None) -> None:
    visit = "IVIG 0900-1200"
    (service,) = read_services(visit)
    moved = moved_clock(visit, service, turn)
    assert (moved.surface if isinstance(moved, ClockRange) else None) == expected
