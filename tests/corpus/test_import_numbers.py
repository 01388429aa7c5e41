"""One number parser for the importers' numeric cells (ASP payment limits, NDC package counts): a blank is None,
a word, a negative number or a damaged value (past the limit, NaN, inf) is refused naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.importers.common import ImportFileError, non_negative_number

FILE = Path("asp.csv")


@pytest.mark.parametrize(("cell", "blanks", "expected"), [
    pytest.param("12.5", ("",), 12.5, id="plain"),
    pytest.param(" 1,000 ", ("",), 1000.0, id="thousands"),
    pytest.param("$3.20", ("",), 3.2, id="dollars"),
    pytest.param("0", ("",), 0.0, id="zero-is-a-number"),
    pytest.param("", ("",), None, id="blank"),
    pytest.param("N/A", ("", "N/A", "NA"), None, id="not-available-where-allowed"),
    pytest.param("1000000000", ("",), 1e9, id="at-the-limit"),
])
def test_numbers_read(cell: str, blanks: tuple[str, ...], expected: float | None) -> None:
    assert non_negative_number(FILE, 7, "payment_limit", cell, blanks=blanks) == expected


@pytest.mark.parametrize(("cell", "reason"), [
    pytest.param("N/A", "is not a number", id="not-available-where-not-allowed"),
    pytest.param("abc", "is not a number", id="word"),
    pytest.param("-1", "is negative", id="negative"),
    pytest.param("1000000001", "is outside", id="past-the-limit"),
    pytest.param("nan", "is outside", id="nan"),
    pytest.param("inf", "is outside", id="infinity"),
])
def test_numbers_refused_name_file_line_and_column(cell: str, reason: str) -> None:
    with pytest.raises(ImportFileError) as refused:
        non_negative_number(FILE, 7, "payment_limit", cell)
    message = str(refused.value)
    assert reason in message and "payment_limit" in message and "asp.csv" in message and "7" in message
