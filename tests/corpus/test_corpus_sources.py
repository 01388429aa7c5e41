"""Every bundled record rests on a primary source; blogs, forums and vendor pages only ever as "secondary:".

The developers' guide: every rule names its source, and primary sources (CMS manuals by chapter and section, the
NCCI Policy Manual, MLN articles, the Federal Register, CMS data files, the CPT code set) come before blogs. So no
record may cite "UNSOURCED"/"UNCONFIRMED" (a fact that is not confirmed says so in its description instead), a
secondary page is marked "secondary:" in front, and each record names at least one primary source. Records that
cite a row of the CMS PFS Relative Value File must agree with that row in the shared CMS copy.

The guideline articles (corpus/guidelines/*.yaml) follow the same rules with typed sources (`kind`, see
assistant/corpus/guidelines.py): a secondary page is a `kind: secondary` source whose text starts "secondary:", no
source is `kind: unconfirmed` or says UNCONFIRMED, no answer text carries the mark (it says "not yet confirmed in a
primary source" instead), each article names a primary source, and a cited PFS row is one of the article's codes.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from assistant.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus"
CORPUS_FILES = sorted(path for path in CORPUS.glob("*.yaml"))
GUIDELINE_FILES = sorted(path for path in (CORPUS / "guidelines").glob("*.yaml"))
ARTICLE_TEXTS = ("title", "answer", "rule", "payers", "examples")

# Hosts and publishers that are secondary (coding blogs, forums, vendors, commercial payers, societies).
SECONDARY = re.compile(
    r"blogspot|codingahead|forum|\baapc\b|premera|carecostestimate|clearcostestimate|cms1500claimbilling|"
    r"americanmedicalcoding|rvudoc|prompthealth|webpt|findacode|codingintel|obc\.med\.miami|select health|"
    r"chirotouch|kaconsults|r/codingandbilling|headway|iframe\.ai|ahima|supercoder|hcpro|\basge\b|\baafp\b|"
    r"nicoletti|bcbs",
    re.IGNORECASE,
)
UNSOURCED = re.compile(r"UNSOURCED|UNCONFIRMED")
# CMS (its files, pages and manuals), NCCI, the Federal Register, an NCD/LCD, MLN, or the CPT code set (codebook).
PRIMARY = re.compile(
    r"\bCMS\b|\bNCCI\b|Medicare Claims Processing Manual|Medicare Benefit Policy Manual|Federal Register|"
    r"\b\d+ FR \d+|\b[NL]CD\b|\bMLN|CPT code set|CPT codebook"
)
SECONDARY_MARK = "secondary:"
PFS_ROW = re.compile(
    r"CMS PFS Relative Value File \(PPRRVU\), October 2025 release: (\w+) .*?status (\w), global (\w{3})"
)
PFS_FILE = "pprrvu_2025_oct_cpt_desc_removed.csv"


def problems(source: str) -> list[str]:
    """What is wrong with one `sources` entry (empty when nothing)."""
    found = []
    if UNSOURCED.search(source):
        found.append("UNSOURCED/UNCONFIRMED")
    if SECONDARY.search(source) and not source.startswith(SECONDARY_MARK):
        found.append("a secondary page without 'secondary:' in front")
    return found


def is_primary(source: str) -> bool:
    return not source.startswith(SECONDARY_MARK) and bool(PRIMARY.search(source))


def guideline_problems(source: dict) -> list[str]:
    """What is wrong with one typed source of a guideline article (empty when nothing)."""
    text, kind = source["text"], source["kind"]
    found = []
    if UNSOURCED.search(text) or kind == "unconfirmed":
        found.append("UNSOURCED/UNCONFIRMED")
    if SECONDARY.search(text) and kind != "secondary":
        found.append(f"a secondary page typed {kind!r}, not 'secondary'")
    # The mark stays on the text too: an answer's citations list carries the texts without their kinds.
    if (kind == "secondary") != text.startswith(SECONDARY_MARK):
        found.append("kind 'secondary' and the 'secondary:' mark disagree")
    return found


def is_primary_guideline_source(source: dict) -> bool:
    return source["kind"] != "secondary" and is_primary(source["text"])


def records_of(path: Path) -> list[dict]:
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(records, list) and records, f"{path.name} holds no records"
    return records


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("UNSOURCED: code-set facts from general coding knowledge", ["UNSOURCED/UNCONFIRMED"],
                     id="unsourced"),
        pytest.param("rules.md section 3: descriptor UNCONFIRMED", ["UNSOURCED/UNCONFIRMED"], id="unconfirmed"),
        pytest.param("codingahead.com/cpt/codes/96369", ["a secondary page without 'secondary:' in front"],
                     id="blog-unmarked"),
        pytest.param("AAPC forum 36312 (CPT table)", ["a secondary page without 'secondary:' in front"],
                     id="forum-unmarked"),
        pytest.param("CMS fact sheet (see also Premera 'Billing for Time')",
                     ["a secondary page without 'secondary:' in front"], id="see-also-inside-primary"),
        pytest.param("secondary: codingahead.com/cpt/codes/96369", [], id="blog-marked"),
        pytest.param("Medicare Claims Processing Manual 100-04 Ch. 12 Sec. 30.5", [], id="manual"),
        pytest.param("Noridian JE A 'Initial Drug Administration'", [], id="contractor"),
    ],
)
def test_the_source_check_flags_what_it_should(source: str, expected: list[str]):
    assert problems(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("CMS NCCI practitioner MUE, effective 2026-04-01: 96369 = 1", True, id="cms-file"),
        pytest.param("CY 2021 PFS final rule (CMS-1734-F, 85 FR 84472)", True, id="federal-register"),
        pytest.param("CPT code set, Introduction: time rule", True, id="cpt-code-set"),
        pytest.param("CMS MLN909188 Chronic Care Management Services booklet", True, id="mln"),
        pytest.param("Medicare Claims Processing Manual 100-04 Ch. 5 Sec. 20.2", True, id="manual"),
        pytest.param("secondary: AAPC forum 36312 quoting the CMS manual", False, id="secondary-naming-cms"),
        pytest.param("Novitas G0316 FAQ", False, id="contractor-alone"),
        pytest.param("CPT 99238/99239 time split", False, id="cpt-without-the-code-set"),
        pytest.param("AMA CPT codebook, Appendix A (modifier definitions)", True, id="cpt-codebook"),
    ],
)
def test_what_counts_as_a_primary_source(source: str, expected: bool):
    assert is_primary(source) is expected


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[path.name for path in CORPUS_FILES])
def test_no_record_cites_an_unsourced_or_unmarked_secondary_source(path: Path):
    bad = [
        (record["code"], source, problem)
        for record in records_of(path)
        for source in record.get("sources", [])
        for problem in problems(source)
    ]
    assert bad == []


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[path.name for path in CORPUS_FILES])
def test_every_record_names_a_primary_source(path: Path):
    without = [record["code"] for record in records_of(path)
               if not any(is_primary(source) for source in record.get("sources", []))]
    assert without == []


def pfs_citations() -> list[tuple[str, str, str, str]]:
    """(record code, cited code, cited status, cited global) for every PFS row a bundled record cites."""
    cited = []
    for path in CORPUS_FILES:
        for record in records_of(path):
            for source in record.get("sources", []):
                match = PFS_ROW.search(source)
                if match:
                    cited.append((record["code"], *match.groups()))
    return cited


def test_pfs_citations_name_the_record_own_code():
    cited = pfs_citations()
    assert cited, "the drug administration and chemotherapy records cite their PFS rows"
    assert [row for row in cited if row[0] != row[1]] == []


def pfs_rows(shared_data: Path) -> dict[str, tuple[str, str]]:
    """code -> (STATUS CODE, GLOB DAYS) of its row without a modifier in the shared CMS copy of the PFS file."""
    with (shared_data / PFS_FILE).open(encoding="latin-1", newline="") as handle:
        rows = list(csv.reader(handle))
    header = next(index for index, row in enumerate(rows) if row[:2] == ["HCPCS", "MOD"])
    status_col, global_col = 3, 14  # STATUS CODE and GLOB DAYS (rvu25d_file_layout.pdf)
    return {row[0]: (row[status_col], row[global_col]) for row in rows[header + 1:] if row[1] == ""}


def test_pfs_citations_match_the_cms_relative_value_file(shared_data: Path):
    pfs = pfs_rows(shared_data)
    cited = pfs_citations()
    assert cited
    wrong = [(code, (status, global_days), pfs.get(code)) for _, code, status, global_days in cited
             if pfs.get(code) != (status, global_days)]
    assert wrong == []


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        pytest.param("unconfirmed", "Which date gets the hours of a run over midnight", ["UNSOURCED/UNCONFIRMED"],
                     id="kind-unconfirmed"),
        pytest.param("cpt", "CPT code set, 96369-96371 (UNCONFIRMED floor)", ["UNSOURCED/UNCONFIRMED"],
                     id="mark-in-text"),
        pytest.param("cpt", "CPT Introduction, time rule (quoted by Premera 'Billing for Time')",
                     ["a secondary page typed 'cpt', not 'secondary'"], id="secondary-inside-cpt"),
        pytest.param("derived", "Unit n at 60*n+31 (see also the 96366 table on codingahead.com)",
                     ["a secondary page typed 'derived', not 'secondary'"], id="secondary-inside-derived"),
        pytest.param("secondary", "secondary: AAPC 'Skip 96376 on physician claim'", [],
                     id="secondary-typed-and-marked"),
        pytest.param("secondary", "AAPC 'Skip 96376 on physician claim'",
                     ["kind 'secondary' and the 'secondary:' mark disagree"], id="secondary-typed-unmarked"),
        pytest.param("contractor", "secondary: First Coast 8-minute chart",
                     ["kind 'secondary' and the 'secondary:' mark disagree"], id="marked-but-typed-contractor"),
        pytest.param("primary", "Medicare Claims Processing Manual 100-04 Ch. 12 §30.5", [], id="manual"),
        pytest.param("contractor", "Noridian JE Part A 'Initial Drug Administration'", [], id="contractor"),
    ],
)
def test_the_guideline_source_check_flags_what_it_should(kind: str, text: str, expected: list[str]):
    assert guideline_problems({"kind": kind, "text": text}) == expected


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        pytest.param("primary", "CMS NCCI practitioner MUE, effective 2026-04-01: 96372 = 4", True, id="cms-file"),
        pytest.param("cpt", "CPT code set, 96372 (one injection)", True, id="cpt-code-set"),
        pytest.param("contractor", "Noridian JE Part A drug administration", False, id="contractor-alone"),
        pytest.param("cpt", "CPT 96374/96375/96376 descriptors", False, id="cpt-without-the-code-set"),
        pytest.param("secondary", "AAPC forum quoting the CMS manual (see also)", False, id="secondary-naming-cms"),
    ],
)
def test_what_counts_as_a_primary_guideline_source(kind: str, text: str, expected: bool):
    assert is_primary_guideline_source({"kind": kind, "text": text}) is expected


@pytest.mark.parametrize("path", GUIDELINE_FILES, ids=[path.name for path in GUIDELINE_FILES])
def test_no_guideline_cites_an_unconfirmed_or_untyped_secondary_source(path: Path):
    bad = [
        (article["id"], source["text"], problem)
        for article in records_of(path)
        for source in article["sources"]
        for problem in guideline_problems(source)
    ]
    assert bad == []


@pytest.mark.parametrize("path", GUIDELINE_FILES, ids=[path.name for path in GUIDELINE_FILES])
def test_every_guideline_names_a_primary_source(path: Path):
    without = [article["id"] for article in records_of(path)
               if not any(is_primary_guideline_source(source) for source in article["sources"])]
    assert without == []


@pytest.mark.parametrize("path", GUIDELINE_FILES, ids=[path.name for path in GUIDELINE_FILES])
def test_no_guideline_answer_carries_an_unconfirmed_mark(path: Path):
    # A fact that no primary source confirms says "not yet confirmed in a primary source" in words instead.
    marked = [(article["id"], field) for article in records_of(path) for field in ARTICLE_TEXTS
              if UNSOURCED.search(str(article.get(field, "")))]
    assert marked == []


def guideline_pfs_citations() -> list[tuple[str, list[str], str, str, str]]:
    """(article id, its codes, cited code, cited status, cited global) for every PFS row an article cites."""
    cited = []
    for path in GUIDELINE_FILES:
        for article in records_of(path):
            for source in article["sources"]:
                match = PFS_ROW.search(source["text"])
                if match:
                    cited.append((article["id"], article.get("codes", []), *match.groups()))
    return cited


def test_guideline_pfs_citations_name_one_of_the_article_codes():
    cited = guideline_pfs_citations()
    assert cited, "the drug administration, chemotherapy and psychotherapy articles cite their PFS rows"
    assert [(article, code) for article, codes, code, _, _ in cited if code not in codes] == []


def test_guideline_pfs_citations_match_the_cms_relative_value_file(shared_data: Path):
    pfs = pfs_rows(shared_data)
    cited = guideline_pfs_citations()
    assert cited
    wrong = [(article, code, (status, global_days), pfs.get(code)) for article, _, code, status, global_days in cited
             if pfs.get(code) != (status, global_days)]
    assert wrong == []
