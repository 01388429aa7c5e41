"""The CPT modifiers coders ask about by meaning (issue 22 item 5): each is a bundled record in the shape of the
others, and a coder's phrase finds it first among the bundled modifiers on the lexical side alone (BM25 and whole
lay terms; no model)."""

from __future__ import annotations

import pytest

from assistant.corpus.loader import Corpus, load_records
from assistant.corpus.records import CodeRecord
from assistant.retrieval.lexical import LexicalIndex
from assistant.settings import REPO_ROOT

# No conftest.py here on purpose (see test_bundled_corpus.py).

NEW_MODIFIERS = ["22", "23", "27", "32", "33", "47", "54", "55", "56", "62", "63", "66", "80", "81", "82", "90",
                 "92", "93", "96", "97", "99"]


@pytest.fixture(scope="module")
def bundled() -> Corpus:
    """The bundled corpus alone, without any imported overlay."""
    return Corpus(load_records(REPO_ROOT / "corpus"))


@pytest.fixture(scope="module")
def modifiers(bundled: Corpus) -> list[CodeRecord]:
    records = [record for record in bundled if record.system == "MODIFIER"]
    assert records, "the bundled corpus has modifier records"
    return records


@pytest.fixture(scope="module")
def modifier_index(modifiers: list[CodeRecord]) -> LexicalIndex:
    return LexicalIndex(modifiers)


# --- the records --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", NEW_MODIFIERS)
def test_modifier_record_has_the_bundled_shape(bundled: Corpus, code: str) -> None:
    record = bundled.modifier(code)
    assert record is not None, f"modifier {code} is not a bundled modifier record"
    assert (record.system, record.family) == ("MODIFIER", "modifiers")
    assert record.title.startswith(f"Modifier {code}:")
    assert record.sources, "every record names where its facts come from"
    terms = {term.casefold() for term in record.lay_terms}
    assert {f"modifier {code}", f"{code} modifier"} <= terms
    # CPT modifier wording belongs to the AMA: the record carries no official descriptor.
    assert (record.official_descriptor, record.official_source) == (None, None)


@pytest.mark.parametrize("code", NEW_MODIFIERS)
def test_modifier_number_typed_as_a_term_finds_its_record(bundled: Corpus, code: str) -> None:
    assert [record.code for record in bundled.find_by_term(f"modifier {code}")] == [code]
    assert [record.code for record in bundled.find_by_term(f"{code} modifier")] == [code]


# The Medicare difference from CPT that each of these records must state (developers' guide: where CPT and
# Medicare differ, the answer says which it used).
MEDICARE_DIFFERENCES = [
    pytest.param("80", ["16%", "AS", "teaching hospital"], id="80-pays-16pct-and-AS-for-non-physicians"),
    pytest.param("82", ["teaching hospital", "no qualified resident"], id="82-teaching-hospital-only"),
    pytest.param("62", ["62.5%", "co-surgery indicator"], id="62-split-and-indicator"),
    pytest.param("47", ["does not pay separately"], id="47-not-paid-by-medicare"),
    pytest.param("33", ["advance care planning", "annual wellness visit", "PT"], id="33-medicare-only-acp-with-awv"),
    pytest.param("93", ["FQ", "95", "CY 2025"], id="93-FQ-for-clinics-95-for-video"),
    pytest.param("90", ["independent clinical laboratory"], id="90-only-independent-labs-under-medicare"),
    pytest.param("54", ["CY 2025", "55"], id="54-expected-transfer-2025"),
    pytest.param("96", ["GP, GO or GN"], id="96-medicare-therapy-modifiers"),
]


@pytest.mark.parametrize(("code", "phrases"), MEDICARE_DIFFERENCES)
def test_description_states_the_medicare_rule(bundled: Corpus, code: str, phrases: list[str]) -> None:
    record = bundled.modifier(code)
    assert record is not None
    assert [phrase for phrase in phrases if phrase not in record.description] == []


def test_locum_is_not_an_assistant_at_surgery(bundled: Corpus) -> None:
    # A locum tenens is HCPCS Q6 (imported with the HCPCS file), never one of the assistant-at-surgery modifiers.
    assist = [bundled.modifier(code) for code in ("80", "81", "82")]
    assert all(record is not None for record in assist)
    assert [record.code for record in assist if any("locum" in term.casefold() for term in record.lay_terms)] == []


# --- search by meaning, lexical side only ------------------------------------------------------------------
# (question, expected modifier, the whole lay term or title it should match, or None when only BM25 finds it)
COINED_PHRASES = [
    pytest.param("assistant surgeon modifier", "80", "assistant surgeon", id="assistant-surgeon-80"),
    pytest.param("minimum assistant surgeon", "81", "minimum assistant surgeon", id="minimum-assistant-81"),
    pytest.param("no qualified resident available assistant", "82", None, id="no-resident-82"),
    pytest.param("audio only telehealth modifier", "93", "audio only telehealth", id="audio-only-93"),
    pytest.param("telephone visit modifier", "93", "telephone visit", id="telephone-visit-93"),
    pytest.param("two surgeons", "62", "two surgeons", id="two-surgeons-62"),
    pytest.param("co-surgeon", "62", "co-surgeon", id="co-surgeon-62"),
    pytest.param("surgical team modifier", "66", "surgical team", id="team-66"),
    pytest.param("mandated service", "32", "mandated service", id="mandated-32"),
    pytest.param("preventive cost sharing waived modifier", "33", None, id="preventive-33"),
    pytest.param("USPSTF A or B", "33", "USPSTF A or B", id="uspstf-33"),
    pytest.param("surgical care only", "54", "surgical care only", id="surgical-care-only-54"),
    pytest.param("preop only modifier", "56", "preop only", id="preop-only-56"),
    pytest.param("increased procedural services", "22", "increased procedural services", id="increased-procedural-22"),
    pytest.param("difficult surgery modifier", "22", "difficult surgery", id="difficult-surgery-22"),
    pytest.param("unusual anesthesia", "23", "unusual anesthesia", id="unusual-anesthesia-23"),
    pytest.param("anesthesia by surgeon", "47", "anesthesia by surgeon", id="anesthesia-by-surgeon-47"),
    pytest.param("infant under 4 kg modifier", "63", "infant under 4 kg", id="infant-63"),
    pytest.param("outside lab modifier", "90", "outside lab", id="outside-lab-90"),
    pytest.param("HIV test kit modifier", "92", None, id="hiv-kit-92"),
    pytest.param("habilitative services", "96", "habilitative services", id="habilitative-96"),
    pytest.param("rehabilitative services", "97", "rehabilitative services", id="rehabilitative-97"),
    pytest.param("more than four modifiers", "99", None, id="more-than-four-99"),
    pytest.param("two ER visits same day hospital", "27", "two ER visits same day", id="two-er-visits-27"),
    # The other side of the boundary: the modifiers that were there keep their phrases.
    pytest.param("bilateral", "50", "bilateral", id="negative-bilateral-still-50"),
    pytest.param("separate encounter", "XE", "separate encounter", id="negative-separate-encounter-still-XE"),
    pytest.param("telehealth modifier", "95", "telehealth modifier", id="negative-telehealth-still-95"),
    pytest.param("telehealth audio and video modifier", "95", "telehealth audio and video",
                 id="negative-audio-and-video-still-95"),
    pytest.param("repeat lab test", "91", "repeat lab test", id="negative-repeat-lab-still-91"),
    pytest.param("modifier for E/M with a procedure same day", "25", "E/M with procedure same day",
                 id="negative-em-same-day-still-25"),
    pytest.param("professional component only", "26", "professional component",
                 id="negative-professional-component-still-26"),
]


@pytest.mark.parametrize(("question", "expected", "_term"), COINED_PHRASES)
def test_coder_phrase_finds_the_modifier_first_by_bm25(
    modifier_index: LexicalIndex, question: str, expected: str, _term: str | None
) -> None:
    ranked = modifier_index.rank(question).bm25
    assert ranked, f"nothing matched {question!r}"
    assert modifier_index.records[ranked[0].index].code == expected


@pytest.mark.parametrize(
    ("question", "expected", "term"), [row for row in COINED_PHRASES if row.values[2] is not None]
)
def test_the_longest_whole_lay_term_names_the_same_modifier(
    modifier_index: LexicalIndex, question: str, expected: str, term: str
) -> None:
    # The whole-lay-term ranking must agree with BM25, so the two lexical rankings do not fight in the fusion.
    ranked = modifier_index.rank(question).phrase
    assert ranked, f"no whole lay term matched {question!r}"
    assert modifier_index.records[ranked[0].index].code == expected
    assert f"'{term}'" in ranked[0].why


def test_bm25_only_phrases_are_claimed_by_no_other_modifiers_lay_term(modifier_index: LexicalIndex) -> None:
    # BM25-only rows: no other modifier's whole lay term may claim them either.
    rows = [row.values for row in COINED_PHRASES if row.values[2] is None]
    assert rows
    for question, expected, _term in rows:
        claimed = [modifier_index.records[match.index].code for match in modifier_index.rank(question).phrase]
        assert set(claimed) <= {expected}, question
