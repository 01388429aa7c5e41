"""Combination products and inhaled forms against the single drug the question names (issue 22): each rule on both
sides. Small hand-made records; no model, no index."""

from __future__ import annotations

import pytest

from assistant.corpus.records import CodeRecord
from assistant.retrieval.combinations import COMBINATION_FACTOR, combination_drugs, combination_factor
from assistant.retrieval.routes import INHALED_FACTOR, inhaled_factor, injected_molecules


def record(code: str, descriptor: str, lay_terms: list[str] | None = None) -> CodeRecord:
    return CodeRecord(code=code, system="HCPCS", family="drugs", title=descriptor[:28], lay_terms=lay_terms or [],
                      description="A record made for a retrieval rule test, in our own words.",
                      official_descriptor=descriptor)


DUONEB = record("J7620", "Albuterol, up to 2.5 mg and ipratropium bromide, up to 0.5 mg, fda-approved final product, "
                "non-compounded, administered through dme, unit dose, 1 mg", ["albuterol ipratropium", "duoneb"])
UNASYN = record("J0295", "Injection, ampicillin sodium/sulbactam sodium, per 1.5 gm", ["unasyn"])
HYLECTA = record("J9356", "Injection, trastuzumab, 10 mg and hyaluronidase-oysk", ["herceptin hylecta"])
GAMUNEX = record("J1561", "Injection, immune globulin, (gamunex-c/gammaked), non-lyophilized (e.g., liquid), 500 mg")
BETAMETHASONE = record("J0702", "Injection, betamethasone acetate 3 mg and betamethasone sodium phosphate 3 mg")
ALBUTEROL = record("J7613", "Albuterol, inhalation solution, fda-approved final product, non-compounded, administered "
                   "through dme, unit dose, 1 mg")
BETA_INHALED = record("J7624", "Betamethasone, inhalation solution, compounded product, administered through dme, "
                      "unit dose form, per mg")


@pytest.mark.parametrize(
    ("rec", "drugs"),
    [
        pytest.param(DUONEB, ["albuterol", "ipratropium"], id="and-after-a-dose"),
        pytest.param(UNASYN, ["ampicillin", "sulbactam"], id="slash"),
        pytest.param(HYLECTA, ["trastuzumab", "hyaluronidase-oysk"], id="with-hyaluronidase"),
        pytest.param(GAMUNEX, [], id="brands-in-brackets-are-not-drugs"),
        pytest.param(BETAMETHASONE, [], id="two-salts-of-one-drug"),
        pytest.param(ALBUTEROL, [], id="one-drug"),
    ],
)
def test_combination_drugs(rec, drugs):
    assert combination_drugs(rec) == drugs


@pytest.mark.parametrize(
    ("rec", "question", "factor"),
    [
        pytest.param(DUONEB, "albuterol 2.5 mg", COMBINATION_FACTOR, id="one-of-two-named"),
        pytest.param(DUONEB, "ipratropium 0.5 mg neb", COMBINATION_FACTOR, id="the-second-named"),
        pytest.param(DUONEB, "albuterol and ipratropium neb", 1.0, id="both-named"),
        pytest.param(DUONEB, "duoneb", 1.0, id="neither-named"),
        pytest.param(DUONEB, "duoneb with albuterol", 1.0, id="product-name-lifts"),
        pytest.param(UNASYN, "ampicillin 1 g IV", COMBINATION_FACTOR, id="ampicillin-alone"),
        pytest.param(UNASYN, "unasyn 3 g", 1.0, id="unasyn"),
        pytest.param(HYLECTA, "trastuzumab 400 mg", COMBINATION_FACTOR, id="trastuzumab-alone"),
        pytest.param(HYLECTA, "herceptin hylecta 600 mg trastuzumab", 1.0, id="hylecta-named"),
        pytest.param(ALBUTEROL, "albuterol 2.5 mg", 1.0, id="single-drug-never"),
    ],
)
def test_a_combination_yields_to_the_drug_named_alone(rec, question, factor):
    assert combination_factor(rec, question) == factor


@pytest.mark.parametrize(
    ("rec", "question", "candidates", "factor"),
    [
        pytest.param(BETA_INHALED, "betamethasone 6 mg", [BETAMETHASONE], INHALED_FACTOR, id="injection-exists"),
        pytest.param(BETA_INHALED, "betamethasone neb", [BETAMETHASONE], 1.0, id="nebulized-said"),
        pytest.param(BETA_INHALED, "inhaled betamethasone", [BETAMETHASONE], 1.0, id="inhaled-said"),
        pytest.param(BETA_INHALED, "betamethasone 6 mg", [], 1.0, id="no-injection-among-candidates"),
        pytest.param(ALBUTEROL, "albuterol 2.5 mg", [BETAMETHASONE], 1.0, id="inhaled-only-molecule"),
        pytest.param(BETAMETHASONE, "betamethasone 6 mg", [BETAMETHASONE], 1.0, id="the-injection-kept"),
    ],
)
def test_an_inhaled_form_yields_to_its_injection(rec, question, candidates, factor):
    assert inhaled_factor(rec, question, injected_molecules(candidates)) == factor
