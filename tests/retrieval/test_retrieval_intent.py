"""Issue 22: service vs product intent, the crosswalk's product names, the oral-code prior and the phrase that
decides between siblings (assistant/retrieval/intent.py, product_names.py, priors.py, siblings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from assistant.corpus.drugs import DrugDictionary
from assistant.corpus.records import BillingUnit, CodeRecord
from assistant.retrieval.intent import implied_injection, intent_factor, intent_note, kind_of, read_intent
from assistant.retrieval.lexical import LexicalIndex
from assistant.retrieval.priors import prior_of
from assistant.retrieval.product_names import brand_table_names, crosswalk_names, lexical_names
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


def test_the_brand_table_is_the_searchs_vocabulary_too():
    # corpus/drug_names.py: NARCAN is naloxone (FDA label). The reader counts "narcan" as the naloxone code; search
    # finds that code by the same name. A generic the corpus does not know adds nothing; a known term is not doubled.
    naloxone = _record("J2310", "Naloxone injection", "Injection, naloxone hydrochloride, per 1 mg", family="drugs",
                       lay_terms=["naloxone"])
    furosemide = _record("J1940", "Furosemide injection", "Injection, furosemide, up to 20 mg", family="drugs",
                         lay_terms=["furosemide", "lasix"])
    corpus = _Corpus([naloxone, furosemide, WHEELCHAIR], {})
    corpus.drugs = DrugDictionary([naloxone, furosemide, WHEELCHAIR])
    names = brand_table_names(corpus)
    assert "narcan" in names["J2310"]
    assert "lasix" not in names.get("J1940", ()), "already a lay term: not added twice"
    assert WHEELCHAIR.code not in names
    index = LexicalIndex(list(corpus), lexical_names(corpus))
    assert index.records[index.rank("narcan 2 mg", 3).phrase[0].index].code == "J2310"
    assert brand_table_names([naloxone]) == {}, "a corpus without a drug dictionary adds nothing"


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
FOAM_MIDDLE = _record("A6210", "Foam drg >16<=48 sq in w/o b", "Foam dressing, wound cover, sterile, pad size more "
                      "than 16 sq. in. but less than or equal to 48 sq. in., without adhesive border, each dressing")
FOAM_SMALL = _record("A6209", "Foam drsg <=16 sq in w/o bdr", "Foam dressing, wound cover, sterile, pad size 16 sq. "
                     "in. or less, without adhesive border, each dressing")
LSO_CUSTOM = _record("L0632", "Lso sag rigid frame cust", "Lumbar-sacral orthosis, sagittal control, with rigid "
                     "anterior and posterior panels, custom fabricated")
LSO_OTS = _record("L0648", "Lso sag r an/pos pnl pre ots", "Lumbar-sacral orthosis, sagittal control, with rigid "
                  "anterior and posterior panels, prefabricated, off-the-shelf")
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
        pytest.param("foam dressing without border", [FOAM_MIDDLE, FOAM_SMALL], "(A6210) or", id="size-left-open"),
        pytest.param("foam dressing 6x6 without border", [FOAM_MIDDLE, FOAM_SMALL], None, id="size-said-as-sides"),
        pytest.param("LSO sagittal control rigid panels", [LSO_OTS, LSO_CUSTOM], "(L0648) or", id="class-left-open"),
        pytest.param("LSO sagittal control rigid panels OTS", [LSO_OTS, LSO_CUSTOM], None, id="class-said-as-OTS"),
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


MATTRESS_WITHOUT = _record("E0261", "Hosp bed semi-electr w/o mat",
                           "Hospital bed, semi-electric (head and foot adjustment), with any type side rails, "
                           "without mattress")
WHEELED = _record("E0143", "Walker folding wheeled adj", "Walker, folding, wheeled, adjustable or fixed height")
PICKUP = _record("E0135", "Walker folding pickup adj", "Walker, folding (pickup), adjustable or fixed height")
WITH_OR_WITHOUT = _record("70000", "Imaging with or without contrast", "Imaging, with or without contrast",
                          system="CPT")


@pytest.mark.parametrize(
    ("record", "question", "opposite"),
    [
        pytest.param(MATTRESS_WITHOUT, "semi-electric hospital bed with mattress", True, id="with-vs-without"),
        pytest.param(MATTRESS_WITHOUT, "semi electric bed w/ mattress", True, id="w-slash-vs-without"),
        pytest.param(MATTRESS_WITHOUT, "semi electric bed w/o mattress", False, id="w-slash-o-agrees"),
        pytest.param(MATTRESS_WITHOUT, "semi-electric hospital bed", False, id="nothing-stated"),
        pytest.param(RAILS_WITH, "hospital bed without side rails", True, id="without-vs-with"),
        pytest.param(RAILS_WITH, "fixed height bed no rails", True, id="no-vs-with"),
        pytest.param(RAILS_WITHOUT, "hospital bed without side rails", False, id="without-agrees"),
        pytest.param(RAILS_WITH, "fixed height hospital bed with mattress", False, id="with-agrees"),
        pytest.param(WITH_OR_WITHOUT, "imaging without contrast", False, id="with-or-without-says-neither"),
        pytest.param(WHEELED, "standard folding walker no wheels", True, id="ruled-out-word-the-record-has"),
        pytest.param(PICKUP, "standard folding walker no wheels", False, id="record-without-the-word"),
        pytest.param(WHEELED, "folding walker with wheels", False, id="nothing-ruled-out"),
    ],
)
def test_a_sibling_saying_the_opposite_yields(record, question, opposite):
    from assistant.retrieval.siblings import STATED_OPPOSITE_FACTOR, stated_opposite_factor

    assert stated_opposite_factor(record, question) == (STATED_OPPOSITE_FACTOR if opposite else 1.0)


PLAIN = _record("J3301", "Triamcinolone acet inj nos",
                "Injection, triamcinolone acetonide, not otherwise specified, 10 mg", family="drugs")
PRESERVATIVE_FREE = _record("J3300", "Triamcinolone a inj prs-free",
                            "Injection, triamcinolone acetonide, preservative free, 1 mg", family="drugs")
EXTENDED_BRAND = _record("Q9991", "Buprenorph xr 100 mg or less",
                         "Injection, buprenorphine extended-release (sublocade), less than or equal to 100 mg",
                         family="drugs")
CPT_PAYERS = _record("99417", "Prolonged office visit time, each 15 minutes (CPT payers)", family="office_em",
                     system="CPT")
FOR_MEDICARE = _record("G2212", "Prolonged office visit time for Medicare, each 15 minutes", family="office_em")
TRAY = _record("A4314", "Cath insert tray w/bag", "Insertion tray with drainage bag with indwelling catheter, foley "
              "type, two-way latex with coating (teflon, silicone, silicone elastomer or hydrophilic, etc.)")
CATHETER = _record("A4338", "Indwelling catheter latex", "Indwelling catheter; foley type, two-way latex with coating "
                   "(teflon, silicone, silicone elastomer, or hydrophilic, etc.), each")


@pytest.mark.parametrize(
    ("record", "question", "demoted"),
    [
        pytest.param(PRESERVATIVE_FREE, "triamcinolone acetonide 40 mg", True, id="form-not-said"),
        pytest.param(PRESERVATIVE_FREE, "preservative free triamcinolone 4 mg", False, id="form-said"),
        pytest.param(PRESERVATIVE_FREE, "triamcinolone PF 4 mg", False, id="form-abbreviated"),
        pytest.param(PLAIN, "triamcinolone acetonide 40 mg", False, id="plain-product-never"),
        pytest.param(EXTENDED_BRAND, "buprenorphine 100 mg injection", True, id="extended-not-said"),
        pytest.param(EXTENDED_BRAND, "sublocade 100 mg", False, id="bracketed-product-named"),
        pytest.param(CPT_PAYERS, "medicare add-on for a long office visit", True, id="cpt-code-medicare-said"),
        pytest.param(CPT_PAYERS, "add-on for a long office visit", False, id="cpt-code-no-payer"),
        pytest.param(FOR_MEDICARE, "long office visit add-on, commercial plan", True, id="medicare-code-commercial"),
        pytest.param(FOR_MEDICARE, "medicare long office visit add-on", False, id="medicare-code-medicare-said"),
        pytest.param(FOR_MEDICARE, "add-on for a long office visit", False, id="medicare-code-no-payer"),
        pytest.param(TRAY, "foley catheter two-way latex", True, id="tray-not-said"),
        pytest.param(TRAY, "foley insertion tray with bag", False, id="tray-said"),
        pytest.param(TRAY, "catheter insertion kit", False, id="kit-said"),
        pytest.param(CATHETER, "foley catheter two-way latex", False, id="the-item-itself-never"),
    ],
)
def test_product_form_and_payer_priors(record, question, demoted):
    assert (prior_of(record, date(2026, 1, 1), question=question) < 1.0) is demoted


def test_every_payer_prior_names_a_source():
    from assistant.retrieval.priors import PAYER_PRIORS

    assert PAYER_PRIORS and all(prior.reason and 0 < prior.factor < 1 for prior in PAYER_PRIORS)


@pytest.mark.parametrize(
    ("question", "implied"),
    [
        pytest.param("administering lovenox subq", True, id="subq-given"),
        pytest.param("gave rocephin IM", True, id="IM-given"),
        pytest.param("b12 given subq", True, id="a-drug-name-with-a-digit"),
        pytest.param("administering hizentra subq by pump", False, id="pump-is-an-infusion"),
        pytest.param("subq infusion given over 2 hours", False, id="time-is-an-infusion"),
        pytest.param("gave lovenox 40 mg subq", False, id="a-dose-asks-for-the-drug"),
        pytest.param("IM injection given", False, id="already-says-injection"),
        pytest.param("lovenox subq", False, id="no-giving-words"),
        pytest.param("ceftriaxone given IV", False, id="IV-is-not-subq-or-IM"),
    ],
)
def test_implied_injection(question, implied):
    assert implied_injection(question) is implied
