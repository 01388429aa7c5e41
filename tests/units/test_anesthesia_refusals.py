"""The anesthesia base-unit import is all or nothing (issue 24 item 1): a file cut mid-line, cut at a line at 90%,
with base units out of range, with a NUL byte, or of an older year is refused naming the file, the line and the
reason; the loaded overlay stays byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.units.anesthesia_base import OVERLAY_NAME, BaseUnitFileError, import_anesthesia_base

ROWS = 40
HEADER = "CPT Code,Base Units"


def _text(rows: int = ROWS) -> bytes:
    rows_text = (f"{100 + n * 10:05d},{n % 9 + 3}" for n in range(rows))
    return "".join(f"{line}\r\n" for line in [HEADER, *rows_text]).encode()


def _lines() -> list[bytes]:
    return _text().splitlines(keepends=True)


def _cut_mid_line() -> bytes:
    return _text()[:-3]  # "00490,6\r\n" -> "00490," : the code without its base units


def _cut_at_line() -> bytes:
    return b"".join(_lines()[: int(ROWS * 0.9)])


def _replace_row(row: bytes) -> Callable[[], bytes]:
    def make() -> bytes:
        lines = _lines()
        lines[5] = row
        return b"".join(lines)

    return make


NEWER = "anesthesia_base_2027.csv"
CASES = [
    pytest.param(_cut_mid_line, NEWER, f"line {ROWS + 1}: the last line ends without", id="cut-mid-line"),
    pytest.param(_cut_at_line, NEWER, "fewer than the 40", id="cut-at-a-line-at-90-percent"),
    pytest.param(_replace_row(b"00140,100000\r\n"), NEWER, "line 6: base units 100000 of 00140 is out of range",
                 id="out-of-range-value"),
    pytest.param(_replace_row(b"00140,5\x00\r\n"), NEWER, "line 6: a NUL character", id="nul-byte"),
    pytest.param(_text, "anesthesia_base_2025.csv", "older than the loaded 2026", id="older-release"),
]


@pytest.mark.parametrize(("make", "name", "reason"), CASES)
def test_refused_file_leaves_the_loaded_overlay(tmp_path: Path, make: Callable[[], bytes], name: str, reason: str):
    settings = SimpleNamespace(resolved_data_dir=tmp_path / "data")
    loaded_file = tmp_path / "anesthesia_base_2026.csv"
    loaded_file.write_bytes(_text())
    import_anesthesia_base(loaded_file, settings)
    overlay = tmp_path / "data" / "imports" / OVERLAY_NAME
    before = overlay.read_bytes()
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(BaseUnitFileError) as caught:
        import_anesthesia_base(path, settings)
    assert str(caught.value).startswith(str(path)) and reason in str(caught.value), str(caught.value)
    assert overlay.read_bytes() == before


def test_a_newer_complete_file_and_a_forced_smaller_one_are_accepted(tmp_path: Path):
    settings = SimpleNamespace(resolved_data_dir=tmp_path / "data")
    for name, data, force in [("base_2026.csv", _text(), False), ("base_2027.csv", _text(ROWS - 2), False),
                              ("base_2027b.csv", _cut_at_line(), True)]:
        path = tmp_path / name
        path.write_bytes(data)
        codes = data.count(b"\n") - 1
        assert import_anesthesia_base(path, settings, force=force).startswith(
            f"Imported base units of {codes} anesthesia codes")
