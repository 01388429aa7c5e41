"""Checks every importer shares, so that an import is all or nothing (issue 24 item 1).

A leaf module (standard library only): the edits, corpus and units importers all use it without importing each
other. What it refuses, each with the file, the line and the reason:
- a file cut short: its last line has no line break (every CMS download ends its last row with CR LF; a file cut
  mid-row, e.g. `head -c`, does not), see `guarded_lines`;
- NUL and other control characters anywhere in the text (a binary or corrupted file; CMS text never has them);
- a number outside its column's range (`check_range`): a MUE value of 10**30 is a damaged file, not a limit;
- a release with markedly fewer rows than the loaded one of the same kind (`too_few_rows`, more than
  `MAX_ROW_DROP` fewer): a file cut at a line boundary looks complete but is missing the rest. CMS quarters change
  by well under 1% of their rows; `--force` imports such a file anyway.
The loaded table (or overlay) is replaced only after the whole file passed, so a refusal leaves it as it was.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

# A new release may have at most this fraction fewer rows than the loaded one (--force overrides).
MAX_ROW_DROP = 0.05

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. Never in CMS text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ImportGuardError(ValueError):
    """A file refused by a shared check; the message names the file, the line (when known) and the reason."""

    def __init__(self, file: Path | str, reason: str, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{self.file}, line {line}" if line is not None else self.file
        super().__init__(f"{where}: {reason}")


def control_character(text: str) -> str | None:
    """The first control character in `text` as a readable name ("NUL", "U+001B"), or None."""
    match = _CONTROL.search(text)
    if match is None:
        return None
    character = match.group()
    return "NUL" if character == "\x00" else f"U+{ord(character):04X}"


def check_cells(path: Path | str, line: int, cells: Iterable[str]) -> None:
    """Refuse a row (e.g. a spreadsheet row) whose cells hold a control character."""
    for cell in cells:
        found = control_character(cell)
        if found:
            raise ImportGuardError(path, f"a {found} character: the file is damaged or not text", line)


def guarded_lines(path: Path | str, lines: Iterable[str]) -> Iterator[str]:
    """The lines of a text file, unchanged, refusing a control character and a last line cut short.

    `lines` keep their line ends (a file object opened with newline="" or `splitlines(keepends=True)`). The check
    runs as the lines are read, so a streaming importer stays streaming; the refusal of a cut last line comes at
    the end, before anything was switched in.
    """
    number = 0
    previous: str | None = None
    # One line is held back, so that a last line cut short is refused before it is parsed (as "cut short", not as
    # whatever its missing fields make it look like).
    for number, line in enumerate(lines, start=1):  # noqa: B007 - number is used after the loop
        found = control_character(line)
        if found:
            raise ImportGuardError(path, f"a {found} character: the file is damaged or not text", number)
        if previous is not None:
            yield previous
        previous = line
    if previous is None:
        return
    if not previous.endswith(("\n", "\r")):
        raise ImportGuardError(
            path, "the last line ends without a line break: the file looks cut short (an interrupted download or "
            "copy). Download it again; if it is complete, add a line break at its end", number,
        )
    yield previous


def check_range(
    path: Path | str, line: int | None, column: str, value: float, low: float, high: float
) -> float:
    """`value` when it is a finite number within [low, high], else a refusal naming the column and the range."""
    if not math.isfinite(value) or not low <= value <= high:
        raise ImportGuardError(path, f"column {column}: {value:g} is outside {low:g}-{high:g}", line)
    return value


def too_few_rows(rows: int, loaded_rows: int | None, max_drop: float = MAX_ROW_DROP) -> bool:
    """True when `rows` is more than `max_drop` below `loaded_rows` (the release loaded now of the same kind)."""
    return bool(loaded_rows) and rows < loaded_rows * (1 - max_drop)


def drop_text(rows: int, loaded_rows: int, what: str, where: str) -> str:
    """"the file has 90 MUE values, 10.0% fewer than the 100 in <where> (a new release may drop at most 5%)"."""
    percent = 100 * (loaded_rows - rows) / loaded_rows
    return (
        f"the file has {rows:,} {what}, {percent:.1f}% fewer than the {loaded_rows:,} in {where} (a new release "
        f"may drop at most {100 * MAX_ROW_DROP:g}%)"
    )


_QUARTER = re.compile(r"(?<!\d)(20\d\d)[\s_\-.]*q([1-4])(?!\d)|(?<![a-z])q([1-4])[\s_\-.]*(20\d\d)(?!\d)", re.I)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def release_key(name: str) -> tuple[int, int] | None:
    """(year, quarter) from a file name ("..._2026q2..." -> (2026, 2)); a year alone is (year, 0); else None."""
    quarter = _QUARTER.search(name)
    if quarter:
        year, number = (quarter[1], quarter[2]) if quarter[1] else (quarter[4], quarter[3])
        return int(year), int(number)
    year = _YEAR.search(name)
    return (int(year[1]), 0) if year else None
