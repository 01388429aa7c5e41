"""The bundled corpus: every promised code once, with its family and time rule; add-ons, drug units, wording."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from assistant.corpus.importers.asp import parse_dosage
from assistant.corpus.loader import Corpus, load_records
from assistant.corpus.records import TIME_RULES
from assistant.settings import REPO_ROOT

# No conftest.py here on purpose: a second module named "conftest" shadows the top-level one for tests that
# import from it.


@pytest.fixture(scope="module")
def bundled() -> Corpus:
    """The bundled corpus alone, without any imported overlay."""
    return Corpus(load_records(REPO_ROOT / "corpus"))


# (codes, family, time_rule) as the team brief and docs/architecture.md fix them.
EXPECTED_GROUPS: list[tuple[str, str, str | None]] = [
    ("96360 96361", "drug_administration", "hydration"),
    ("96365 96366 96367 96368", "drug_administration", "iv_infusion"),
    ("96369 96370 96371", "drug_administration", "subq_infusion"),
    ("96372 96373", "drug_administration", "injection"),
    ("96374 96375 96376", "drug_administration", "iv_push"),
    ("96377 96379", "drug_administration", None),
    ("96401 96402 96405 96406 96420 96422 96423 96425 96440 96446 96450 96521 96522 96523 96542 96549",
     "chemotherapy", None),
    ("96409 96411", "chemotherapy", "chemo_push"),
    ("96413 96415 96416 96417", "chemotherapy", "chemo_infusion"),
    ("99202 99203 99204 99205 99212 99213 99214 99215 99417 G2212", "office_em", "office_em"),
    ("99211", "office_em", None),
    ("99291 99292", "critical_care", "critical_care"),
    ("90832 90833 90834 90836 90837 90838 90785", "psychiatry", "psychotherapy"),
    ("90791 90792", "psychiatry", None),
    ("90839 90840", "psychiatry", "crisis_psychotherapy"),
    ("90846 90847", "psychiatry", "family_psychotherapy"),
    ("97110 97112 97116 97140 97530 97535 97032 97035 97750 97760 97761 97763", "therapy", "therapy"),
    ("97161 97162 97163 97164 97165 97166 97167 97168 97010 97014 G0283", "therapy", "therapy"),
    ("99151 99152 99153 99155 99156 99157 G0500", "sedation", "sedation"),
    # issue 14 (RULES): hospital, nursing facility and home E/M by time, care management, anesthesia
    ("99221 99222 99223 99231 99232 99233 99234 99235 99236 99238 99239 99418 G0316", "hospital_em",
     "hospital_em"),
    ("99304 99305 99306 99307 99308 99309 99310 G0317", "nursing_facility_em", "nursing_facility_em"),
    ("99341 99342 99344 99345 99347 99348 99349 99350 G0318", "home_em", "home_em"),
    ("99490 99439 99487 99489 99491 99437 99424 99425 99426 99427", "care_management", "care_management"),
    ("00790 00811 00812 00813", "anesthesia", "anesthesia"),
    ("J1559 J1561 J1569 J1100 J0696 J3420 J2405 J1885 J7030 J7040 J7050 J1040 J0690 J3370 J1642 J2270 J9045 "
     "J9267 J1745 J0585 J1010 J3373 J1644 J1050", "drugs", "drug_units"),
    # oncology and hormonal anti-cancer drugs (moved from the chat's encounter adapter into the corpus)
    ("J9271 J9217 J9312 J9355 J9190 J9263 J0640 J0641 J9395 J9041 J9299 J9035 J9060 J9201 J9000 J9202", "drugs",
     "drug_units"),
    # their subcutaneous co-formulations with hyaluronidase, so the longer name never lands on the IV code
    ("J9311 J9356 J9289", "drugs", "drug_units"),
    # CPT and HCPCS Level II modifiers coders use most, in our own words (issue 12 item 3)
    ("24 25 26 50 51 52 53 57 58 59 73 74 76 77 78 79 91 95 TC XE XS XP XU JW JZ GA GY GZ KX LT RT", "modifiers", None),
    # CPT modifiers coders ask about by meaning (issue 22 item 5)
    ("22 23 27 32 33 47 54 55 56 62 63 66 80 81 82 90 92 93 96 97 99", "modifiers", None),
]
EXPECTED = [(code, family, rule) for codes, family, rule in EXPECTED_GROUPS for code in codes.split()]

# Add-on -> primaries that must be among its add_on_to (public sources; see the records' `sources`).
ADD_ONS = [
    ("96361", {"96360"}), ("96366", {"96365", "96367"}), ("96367", {"96365", "96374", "96409", "96413"}),
    ("96368", {"96365", "96413"}), ("96370", {"96369"}), ("96371", {"96369"}),
    ("96375", {"96365", "96374", "96409", "96413"}), ("96376", {"96374"}), ("96411", {"96409", "96413"}),
    ("96415", {"96413"}), ("96417", {"96413"}), ("96423", {"96422"}), ("99292", {"99291"}),
    ("99417", {"99205", "99215"}), ("G2212", {"99205", "99215"}), ("90833", {"99213", "99214"}),
    ("90836", {"99214", "99215"}), ("90838", {"99205", "99215"}), ("90840", {"90839"}),
    ("99153", {"99151", "99152"}), ("99157", {"99155", "99156"}),
    # issue 14 (RULES)
    ("99153", {"G0500"}), ("90785", {"90832", "90837"}), ("99418", {"99223", "99233", "99306", "99310"}),
    ("G0316", {"99223", "99233"}), ("G0317", {"99306", "99310"}), ("G0318", {"99345", "99350"}),
    ("99417", {"99345", "99350"}), ("99439", {"99490"}), ("99489", {"99487"}), ("99437", {"99491"}),
    ("99425", {"99424"}), ("99427", {"99426"}),
]

# Coders' shorthand -> the code it must find by exact lay term.
TERMS = [
    ("rocephin", "J0696"), ("Ceftriaxone", "J0696"), ("HIZENTRA", "J1559"), ("decadron", "J1100"),
    ("B12", "J3420"), ("cyanocobalamin", "J3420"), ("zofran", "J2405"), ("toradol", "J1885"),
    ("depo-medrol", "J1010"), ("ancef", "J0690"), ("vancomycin", "J3373"), ("heparin flush", "J1642"),
    ("morphine", "J2270"), ("carboplatin", "J9045"), ("taxol", "J9267"), ("remicade", "J1745"), ("botox", "J0585"),
    ("subq", "96369"), ("SC", "96369"), ("scig", "96369"), ("NS bolus", "96360"), ("IV fluids", "96360"),
    ("chemo push", "96409"), ("crit care", "99291"), ("CC time", "99291"), ("ther ex", "97110"),
    ("manual therapy", "97140"), ("neuro re-ed", "97112"), ("port flush", "96523"), ("IV push", "96374"),
    ("heparin", "J1644"), ("depo-provera", "J1050"), ("modifier 59", "59"), ("jw modifier", "JW"),
    ("keytruda", "J9271"), ("pembrolizumab", "J9271"), ("lupron depot", "J9217"), ("eligard", "J9217"),
    ("rituxan", "J9312"), ("herceptin", "J9355"), ("5-FU", "J9190"), ("oxaliplatin", "J9263"),
    ("leucovorin", "J0640"), ("levoleucovorin", "J0641"), ("faslodex", "J9395"), ("velcade", "J9041"),
    ("opdivo", "J9299"), ("avastin", "J9035"), ("cisplatin", "J9060"), ("gemcitabine", "J9201"),
    ("adriamycin", "J9000"), ("zoladex", "J9202"),
    ("rituxan hycela", "J9311"), ("herceptin hylecta", "J9356"), ("opdivo qvantig", "J9289"),
]


def test_bundled_corpus_has_exactly_the_promised_codes(bundled: Corpus) -> None:
    codes = [record.code for record in bundled]
    assert len(codes) == len(set(codes)), "a code appears twice"
    assert sorted(codes) == sorted(code for code, _family, _rule in EXPECTED)


@pytest.mark.parametrize(("code", "family", "time_rule"), [pytest.param(*row, id=row[0]) for row in EXPECTED])
def test_code_has_its_family_and_time_rule(bundled: Corpus, code: str, family: str, time_rule: str | None) -> None:
    record = bundled.get(code)
    assert record is not None
    assert (record.family, record.time_rule) == (family, time_rule)
    expected_system = "MODIFIER" if family == "modifiers" else ("HCPCS" if code[0].isalpha() else "CPT")
    assert record.system == expected_system
    assert record.sources, "every record names where its facts come from"


@pytest.mark.parametrize(("add_on", "primaries"), [pytest.param(a, p, id=a) for a, p in ADD_ONS])
def test_add_on_lists_its_primaries(bundled: Corpus, add_on: str, primaries: set[str]) -> None:
    record = bundled.get(add_on)
    assert record is not None and record.is_add_on
    assert primaries <= set(record.add_on_to)
    for primary in primaries:
        assert record in bundled.add_ons_of(primary)


def test_every_add_on_target_is_in_the_corpus(bundled: Corpus) -> None:
    dangling = [(r.code, p) for r in bundled for p in r.add_on_to if p not in bundled]
    assert dangling == []


def test_primary_codes_are_not_add_ons(bundled: Corpus) -> None:
    for code in ("96369", "96365", "96360", "96374", "96413", "96409", "99291", "99205", "90839", "99152"):
        assert not bundled.get(code).is_add_on, code  # type: ignore[union-attr]


@pytest.mark.parametrize(("term", "code"), [pytest.param(t, c, id=t) for t, c in TERMS])
def test_find_by_term_finds_shorthand_and_brand_names(bundled: Corpus, term: str, code: str) -> None:
    assert code in [record.code for record in bundled.find_by_term(term)]


def test_find_by_term_is_exact_not_substring(bundled: Corpus) -> None:
    assert bundled.find_by_term("roceph") == []
    assert bundled.find_by_term("") == []


def test_lookups_ignore_case_and_spaces(bundled: Corpus) -> None:
    assert bundled.get(" j1559 ").code == "J1559"  # type: ignore[union-attr]
    assert bundled.get("g2212") is not None
    assert "j0696" in bundled and bundled.get("J0696") in bundled
    assert "99999" not in bundled and bundled.get("99999") is None
    assert bundled.by_family("critical_care") == [bundled.get("99291"), bundled.get("99292")]
    assert set(bundled.families()) == {family for _codes, family, _rule in EXPECTED_GROUPS}


def test_time_rules_are_units_engine_families() -> None:
    from assistant.units import FAMILIES

    assert set(TIME_RULES) == set(FAMILIES)


# --- wording: our own, never the AMA descriptor -------------------------------------------------------------

# Structural fingerprints of CPT descriptor text (we cannot test against text we do not have).
AMA_PHRASES = [
    "(specify substance or drug)",
    "each additional hour (list separately in addition to code for primary procedure)",
    "list separately in addition to code for primary procedure",
    "list separately in addition to",
    "(list separately",
    "physician or other qualified health care professional",
    "initial, up to 1 hour",
]


@pytest.mark.parametrize("phrase", AMA_PHRASES)
def test_no_title_or_description_carries_descriptor_phrasing(bundled: Corpus, phrase: str) -> None:
    offenders = [r.code for r in bundled if phrase in r.description.lower() or phrase in r.title.lower()]
    assert offenders == []


def test_cpt_records_carry_no_official_descriptor(bundled: Corpus) -> None:
    # CPT wording may only come from a licensed file imported at run time, never from the repository.
    assert [r.code for r in bundled if r.system == "CPT" and (r.official_descriptor or r.official_source)] == []


def test_descriptions_and_titles_are_distinct(bundled: Corpus) -> None:
    descriptions = [r.description for r in bundled]
    titles = [r.title.casefold() for r in bundled]
    assert len(set(descriptions)) == len(descriptions)
    assert len(set(titles)) == len(titles)


def test_descriptions_are_two_to_five_sentences(bundled: Corpus) -> None:
    counts = {r.code: len(re.findall(r"[.!?](?:\s|$)", r.description)) for r in bundled}
    assert {code: n for code, n in counts.items() if not 2 <= n <= 5} == {}


def test_unconfirmed_rules_say_so(bundled: Corpus) -> None:
    # rules.md marks the 96370-specific 30-minute wording and the 15-minute floor of 96369 UNCONFIRMED.
    for code in ("96369", "96370"):
        assert "not yet confirmed" in bundled.get(code).description  # type: ignore[union-attr]


# --- drug codes against the CMS files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cms_hcpcs(shared_data: Path) -> dict[str, dict[str, str]]:
    with (shared_data / "hcpcs_2025_oct_anweb.csv").open(encoding="utf-8", newline="") as handle:
        return {row["hcpc"]: row for row in csv.DictReader(handle) if row["seqnum"] == "0010"}


@pytest.fixture(scope="module")
def cms_asp(shared_data: Path) -> dict[str, dict[str, str]]:
    with (shared_data / "asp_payment_limits_2026q1_level2.csv").open(encoding="utf-8", newline="") as handle:
        return {row["hcpcs_code"]: row for row in csv.DictReader(handle)}


DRUG_CODES = [code for code, family, _rule in EXPECTED if family == "drugs"]


@pytest.mark.parametrize("code", DRUG_CODES)
def test_drug_billing_unit_matches_cms_files(
    bundled: Corpus, cms_hcpcs: dict[str, dict[str, str]], cms_asp: dict[str, dict[str, str]], code: str
) -> None:
    record = bundled.get(code)
    assert record is not None and record.billing_unit is not None
    hcpcs_row = cms_hcpcs[code]
    assert record.official_descriptor == hcpcs_row["long_description"]
    if code in cms_asp:
        quantity, unit = parse_dosage(cms_asp[code]["hcpcs_code_dosage"])
    else:  # terminated codes are gone from the ASP file: the HCPCS descriptor ends with the amount
        match = re.search(r"(\d[\d,.]*)\s*(mg|mcg|ml|cc|units?)\s*$", hcpcs_row["long_description"], re.IGNORECASE)
        assert match is not None, hcpcs_row["long_description"]
        quantity, unit = parse_dosage(f"{match.group(1)} {match.group(2)}")
    assert (record.billing_unit.quantity, record.billing_unit.unit) == (quantity, unit)


@pytest.mark.parametrize("code", DRUG_CODES)
def test_terminated_drug_codes_say_so(bundled: Corpus, cms_hcpcs: dict[str, dict[str, str]], code: str) -> None:
    term_dt = cms_hcpcs[code]["term_dt"]
    record = bundled.get(code)
    assert record is not None
    assert ("Terminated" in record.description) == bool(term_dt)
    # The structured date (what the router uses to prefer a current code) is the CMS term_dt itself.
    expected = date(int(term_dt[:4]), int(term_dt[4:6]), int(term_dt[6:8])) if term_dt else None
    assert record.terminated_on == expected
