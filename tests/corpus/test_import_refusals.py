"""Corpus imports are all or nothing (issue 24 item 1): for every corpus importer, a file cut mid-line, cut at a line
at 90%, with a value outside its column's range, with a NUL byte, or of an older release is refused naming the file,
the line and the reason, and the loaded overlay stays byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.corpus.importers.asp import import_asp
from assistant.corpus.importers.common import ImportFileError, ShrinkingImportError
from assistant.corpus.importers.cpt import import_cpt
from assistant.corpus.importers.hcpcs import import_hcpcs
from assistant.corpus.importers.ndc import import_ndc
from assistant.settings import Settings

ROWS = 40


@dataclass(frozen=True)
class Overlay:
    kind: str
    importer: Callable[..., str]
    overlay: str
    header: str
    row: Callable[[int], str]
    out_of_range: str  # a row whose value is outside its column's range
    reason: str  # what the out-of-range refusal says
    loaded_name: str  # a file name carrying the loaded release
    newer_name: str
    older_name: str

    def text(self, rows: int = ROWS) -> str:
        lines = ([self.header] if self.header else []) + [self.row(n) for n in range(rows)]
        return "".join(line + "\r\n" for line in lines)


OVERLAYS = [
    Overlay("asp", import_asp, "asp.json", "hcpcs_code,short_description,hcpcs_code_dosage",
            lambda n: f"J{9000 + n},Made-up drug {n},{n + 1} MG", "J9201,Made-up drug,1000000000000 MG",
            "not a positive amount", "asp_2026q1.csv", "asp_2026q2.csv", "asp_2025q4.csv"),
    Overlay("ndc", import_ndc, "ndc.json", "hcpcs_code,ndc2,drug_name,billunitspkg",
            lambda n: f"J{9000 + n},{10000 + n:05d}-1000-01,Madeupdrug{n},10", "J9201,19999-1000-01,Madeupdrug,1e30",
            "column billunitspkg", "ndc_2026q1.csv", "ndc_2026q2.csv", "ndc_2025q4.csv"),
    Overlay("hcpcs", import_hcpcs, "hcpcs.json", "hcpc,seqnum,recid,long_description,short_description,term_dt",
            lambda n: f"J{9000 + n},0010,3,Made-up long wording {n},Made-up {n},",
            "J9201,00000000000000000010,3,Made-up long wording,Made-up,", "column seqnum",
            "hcpcs_2026_jan_anweb.csv", "hcpcs_2026_apr_anweb.csv", "hcpcs_2025_oct_anweb.csv"),
    Overlay("cpt", import_cpt, "cpt.json", "code\tdescriptor",
            lambda n: f"{96000 + n}\tMade-up wording {n}", "9636999\tMade-up wording", "is not a CPT code",
            "cpt_2026q1.txt", "cpt_2026q2.txt", "cpt_2025q4.txt"),
]
IDS = [overlay.kind for overlay in OVERLAYS]


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def _lines(overlay: Overlay) -> list[bytes]:
    return overlay.text().encode().splitlines(keepends=True)


def _cut_mid_line(overlay: Overlay) -> bytes:
    data = overlay.text().encode()
    return data[: len(data) - 5]


def _cut_at_line(overlay: Overlay) -> bytes:
    lines = _lines(overlay)
    return b"".join(lines[: int(len(lines) * 0.9)])


def _with_nul(overlay: Overlay) -> bytes:
    lines = _lines(overlay)
    lines[5] = lines[5].replace(b"Made", b"Ma\x00de", 1)
    return b"".join(lines)


def _out_of_range(overlay: Overlay) -> bytes:
    lines = _lines(overlay)
    lines[5] = overlay.out_of_range.encode() + b"\r\n"
    return b"".join(lines)


# (case id, the new file, which name (newer/older release), refusal class, the line named, the reason)
CASES: list[tuple[str, Callable[[Overlay], bytes], str, type[Exception], int | None, str | None]] = [
    ("cut-mid-line", _cut_mid_line, "newer", ImportFileError, ROWS + 1, "cut short"),
    ("cut-at-a-line-at-90-percent", _cut_at_line, "newer", ShrinkingImportError, None, "fewer than the 40"),
    ("out-of-range-value", _out_of_range, "newer", ImportFileError, 6, None),
    ("nul-byte", _with_nul, "newer", ImportFileError, 6, "a NUL character"),
    ("older-release", lambda overlay: overlay.text().encode(), "older", ShrinkingImportError, None, "older than"),
]


@pytest.mark.parametrize("overlay", OVERLAYS, ids=IDS)
@pytest.mark.parametrize(("case", "make", "name", "error", "line", "reason"), CASES, ids=[c[0] for c in CASES])
def test_refused_file_leaves_the_loaded_overlay(
    tmp_path: Path, overlay: Overlay, case: str, make: Callable[[Overlay], bytes], name: str,
    error: type[Exception], line: int | None, reason: str | None,
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    files = tmp_path / "files"
    overlay.importer(_write(files, overlay.loaded_name, overlay.text().encode()), settings)
    loaded = settings.resolved_data_dir / "imports" / overlay.overlay
    before = loaded.read_bytes()
    path = _write(files, overlay.newer_name if name == "newer" else overlay.older_name, make(overlay))
    with pytest.raises(error) as caught:
        overlay.importer(path, settings)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert (reason or overlay.reason) in message, message
    if line is not None:
        assert f", line {line}:" in message, message
    assert loaded.read_bytes() == before  # the loaded overlay stays


@pytest.mark.parametrize("overlay", OVERLAYS, ids=IDS)
def test_a_complete_newer_file_within_five_percent_is_accepted(tmp_path: Path, overlay: Overlay) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    files = tmp_path / "files"
    overlay.importer(_write(files, overlay.loaded_name, overlay.text().encode()), settings)
    loaded = settings.resolved_data_dir / "imports" / overlay.overlay
    before = loaded.read_bytes()
    overlay.importer(_write(files, overlay.newer_name, overlay.text(ROWS - 2).encode()), settings)
    assert loaded.read_bytes() != before


@pytest.mark.parametrize("overlay", OVERLAYS, ids=IDS)
def test_forced_import_of_a_cut_at_a_line_file(tmp_path: Path, overlay: Overlay) -> None:
    """--force overrides the row-count rule (a release that really is smaller), never a file cut mid-line."""
    settings = Settings(data_dir=tmp_path / "data")
    files = tmp_path / "files"
    overlay.importer(_write(files, overlay.loaded_name, overlay.text().encode()), settings)
    overlay.importer(_write(files, overlay.newer_name, _cut_at_line(overlay)), settings, force=True)
    with pytest.raises(ImportFileError, match="cut short"):
        overlay.importer(_write(files, overlay.newer_name, _cut_mid_line(overlay)), settings, force=True)


def test_real_hcpcs_file_cut_mid_line_is_refused(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / "hcpcs_2025_oct_anweb.csv").read_bytes()
    path = _write(tmp_path, "hcpcs_2025_oct_anweb.csv", data[: len(data) * 7 // 10])
    with pytest.raises(ImportFileError, match=r"hcpcs_2025_oct_anweb\.csv, line \d+: the last line ends without"):
        import_hcpcs(path, Settings(data_dir=tmp_path / "data"))
