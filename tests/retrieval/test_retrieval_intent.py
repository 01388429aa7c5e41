"""Issue 22: service vs product intent, the crosswalk's product names, the oral-code prior and the phrase that
decides between siblings (assistant/retrieval/intent.py, product_names.py, priors.py, siblings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from assistant.corpus.records import BillingUnit, CodeRecord
from assistant.retrieval.intent import intent_factor, intent_note, kind_of, read_intent
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.priors import prior_of
from assistant.retrieval.product_names import crosswalk_names
from assistant.retrieval.siblings import deciding_note


def _record(code: str, title: str, descriptor: str | None = None, family: str = "hcpcs", system: str = "HCPCS",
            lay_terms: list[str] | None = None, billing_unit: BillingUnit | None = None) -> CodeRecord:
    return CodeRecord(code=code, system=system, family=family, title=title, lay_terms=lay_terms or [],
                      description=descriptor or f"{title}, a record made up for the tests.",
                      official_descriptor=descriptor, billing_unit=billing_unit)


ADMIN = _record("96372", "Injection under the skin or into a muscle", family="drug_administration", system="CPT")
DRUG = _record("J1885", "Ketorolac injection", "Injection, ketorolac tromethamine, per 15 mg", family="drugs",
               billing_unit=BillingUnit(quantity=15, unit="mg"))
G_ADMIN = _record("G0008", "Admin influenza virus vac", "Administration of influenza virus vaccine")
WHEELCHAIR = _record("E0100", "Cane", "Cane, includes canes of all materials, adjustable or fixed, with tip")


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        pytest.param("ketorolac 30 mg", "product", id="a-dose-wants-the-drug"),
        pytest.param("keytruda 200 mg IV infusion", "product", id="a-dose-beats-infusion"),
        pytest.param("vitamin B12 1000 mcg shot", "product", id="a-dose-beats-shot"),
        pytest.param("IM injection of toradol", "service", id="injection-of-wants-the-service"),
        pytest.param("B12 shot given by the nurse", "service", id="shot-given-without-a-dose"),
        pytest.param("administration of ceftriaxone 1 g", "service", id="administration-said-outright-beats-a-dose"),
        pytest.param("iron infusion", "service", id="infusion-without-a-dose"),
        pytest.param("keytruda", None, id="a-name-alone-says-nothing"),
        pytest.param("hydration 45 minutes", None, id="a-time-is-not-a-dose"),
    ],
)
def test_read_intent(question, wanted):
    assert read_intent(question).wanted == wanted


@pytest.mark.parametrize(
    ("record", "kind"),
    [
        pytest.param(ADMIN, "service", id="administration-family"),
        pytest.param(G_ADMIN, "service", id="administration-descriptor"),
        pytest.param(DRUG, "product", id="drug-with-billing-unit"),
        pytest.param(WHEELCHAIR, None, id="neither"),
    ],
)
def test_kind_of(record, kind):
    assert kind_of(record) == kind


def test_the_wanted_kind_keeps_its_score_and_the_other_yields():
    product = read_intent("toradol 30 mg")
    service = read_intent("IM injection of toradol")
    assert intent_factor(DRUG, product) == 1.0 and intent_factor(ADMIN, product) < 1.0
    assert intent_factor(ADMIN, service) == 1.0 and intent_factor(DRUG, service) < 1.0
    assert intent_factor(WHEELCHAIR, product) == intent_factor(WHEELCHAIR, service) == 1.0
    assert "dose" in (intent_note(DRUG, product) or "")
    assert "administration" in (intent_note(ADMIN, service) or "")
    assert intent_note(ADMIN, product) is None


def test_a_vaccine_is_never_the_injection_code():
    vaccine = read_intent("flu shot administration")
    assert intent_factor(ADMIN, vaccine) < intent_factor(G_ADMIN, vaccine)


@dataclass(frozen=True)
class _Package:
    hcpcs_code: str
    drug_name: str


class _Corpus(list):
    def __init__(self, records, ndcs):
        super().__init__(records)
        self.ndcs = ndcs

    def get(self, code):
        return next((record for record in self if record.code == code), None)


def test_crosswalk_product_names_become_lexical_names():
    degarelix = _record("J9155", "Degarelix injection", "Injection, degarelix, 1 mg", family="drugs",
                        lay_terms=["degarelix"])
    hormone = _record("96402", "Hormonal anti-cancer shot", family="chemotherapy", system="CPT",
                      lay_terms=["Firmagon"])
    corpus = _Corpus([degarelix, hormone, WHEELCHAIR], {
        "55566-8303-01": [_Package("J9155", "Firmagon")],
        "00000-0000-01": [_Package("J9155", "Degarelix")],  # already a lay term: not added twice
        "00000-0000-02": [_Package("J3301", "Kenalog-40")],  # a code not in the corpus still gets its names
    })
    names = crosswalk_names(corpus)
    assert names["J9155"] == ("firmagon",)
    assert names["J3301"] == ("kenalog-40", "kenalog")
    index = LexicalIndex(list(corpus), names)
    found = [index.records[match.index].code for match in index.rank("firmagon 240 mg", 5).phrase]
    assert set(found) == {"J9155", "96402"}
    assert crosswalk_names([degarelix]) == {}, "a corpus without NDCs adds nothing"


@pytest.mark.parametrize(
    ("question", "demoted"),
    [
        pytest.param("dexamethasone 10 mg", True, id="no-route-means-the-office-drug"),
        pytest.param("dexamethasone 10 mg IV", True, id="iv-means-the-injection"),
        pytest.param("dexamethasone tablets 4 mg", False, id="tablets-mean-oral"),
        pytest.param("oral dexamethasone", False, id="oral-said"),
    ],
)
def test_an_oral_drug_code_yields_unless_the_question_says_oral(question, demoted):
    oral = _record("J8540", "Dexamethasone oral", "Dexamethasone sodium phosphate, oral, 0.25 mg", family="drugs")
    assert (prior_of(oral, date(2026, 1, 1), question=question) < 1.0) is demoted


BED_WITH = _record("E0260", "Hosp bed semi-electr w/ matt",
                   "Hospital bed, semi-electric (head and foot adjustment), with any type side rails, with mattress")
BED_WITHOUT = _record("E0261", "Hosp bed semi-electr w/o mat",
                      "Hospital bed, semi-electric (head and foot adjustment), with any type side rails, "
                      "without mattress")
LIGHT = _record("K0003", "Lightweight wheelchair", "Lightweight wheelchair")
ULTRA = _record("K0005", "Ultralightweight wheelchair", "Ultralightweight wheelchair")


@dataclass(frozen=True)
class _Hit:
    code: str
    record: CodeRecord


@pytest.mark.parametrize(
    ("question", "records", "says"),
    [
        pytest.param("semi electric hospital bed", [BED_WITH, BED_WITHOUT], "'with mattress' (E0260) or "
                     "'without mattress' (E0261)", id="mattress-left-open"),
        pytest.param("semi electric hospital bed with mattress", [BED_WITH, BED_WITHOUT], None,
                     id="mattress-said"),
        pytest.param("semi electric bed no mattress", [BED_WITHOUT, BED_WITH], None, id="no-mattress-said"),
        pytest.param("manual wheelchair", [LIGHT, ULTRA], "'lightweight' (K0003) or 'ultralightweight' (K0005)",
                     id="weight-class-left-open"),
        pytest.param("ultralight wheelchair", [ULTRA, LIGHT], None, id="weight-class-said-in-short"),
        pytest.param("cane", [WHEELCHAIR, LIGHT], None, id="not-siblings"),
    ],
)
def test_deciding_note(question, records, says):
    note = deciding_note(question, [_Hit(record.code, record) for record in records])
    if says is None:
        assert note is None
    else:
        assert note is not None and says in note


RAILS_WITH = _record("E0250", "Hosp bed fixed ht w/ mattres",
                     "Hospital bed, fixed height, with any type side rails, with mattress")
RAILS_WITHOUT = _record("E0290", "Hosp bed fx ht w/o rails w/m",
                        "Hospital bed, fixed height, without side rails, with mattress")
EITHER = _record("L4361", "Pneumatic walking boot", "Walking boot, pneumatic, with or without joints, prefabricated")


@pytest.mark.parametrize(
    ("record", "question", "yields"),
    [
        pytest.param(RAILS_WITHOUT, "fixed height hospital bed with mattress", True, id="rails-never-said"),
        pytest.param(RAILS_WITHOUT, "fixed height hospital bed, no side rails", False, id="no-rails-said"),
        pytest.param(RAILS_WITHOUT, "hospital bed without rails", False, id="without-rails-said"),
        pytest.param(RAILS_WITH, "fixed height hospital bed with mattress", False, id="nothing-excluded"),
        pytest.param(EITHER, "walking boot", False, id="with-or-without-excludes-nothing"),
    ],
)
def test_an_unstated_exclusion_yields(record, question, yields):
    from assistant.retrieval.siblings import UNSTATED_EXCLUSION_FACTOR, unstated_exclusion_factor

    assert unstated_exclusion_factor(record, question) == (UNSTATED_EXCLUSION_FACTOR if yields else 1.0)
