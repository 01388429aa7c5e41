"""One source of truth (issue 23 item 4): every engine family and encounter rule names its article, and the
thresholds an article states (as data) are the ones the engine's tables hold."""

from __future__ import annotations

import pytest

from assistant.corpus.guidelines import GUIDELINES_DIRNAME, Threshold, load_guidelines
from assistant.settings import REPO_ROOT
from assistant.units import UnitsRequest, calculate
from assistant.units.encounter import sources as encounter_sources
from assistant.units.guideline_links import ENCOUNTER_RULE_ARTICLES, FAMILY_ARTICLES
from assistant.units.registry import REGISTRY, TIMED_FAMILIES

GUIDELINES = load_guidelines(REPO_ROOT / "corpus" / GUIDELINES_DIRNAME)
ENCOUNTER_RULES = sorted(
    name for name, value in vars(encounter_sources).items() if name.isupper() and isinstance(value, str)
)
THRESHOLDS = [(article.id, threshold) for article in GUIDELINES for threshold in article.thresholds]


def test_the_lists_checked_are_not_empty():
    assert REGISTRY and ENCOUNTER_RULES and THRESHOLDS


@pytest.mark.parametrize("family", sorted(REGISTRY))
def test_every_family_names_an_article_that_explains_it(family: str):
    article = GUIDELINES.get(FAMILY_ARTICLES.get(family, ""))
    assert article is not None, f"family {family} has no article in FAMILY_ARTICLES"
    assert family in article.families


@pytest.mark.parametrize("rule", ENCOUNTER_RULES)
def test_every_encounter_rule_names_an_article_that_explains_it(rule: str):
    article = GUIDELINES.get(ENCOUNTER_RULE_ARTICLES.get(rule, ""))
    assert article is not None, f"encounter rule {rule} has no article in ENCOUNTER_RULE_ARTICLES"
    assert rule in article.encounter_rules


def test_the_link_tables_name_no_stale_family_or_rule():
    assert set(FAMILY_ARTICLES) <= set(REGISTRY)
    assert set(ENCOUNTER_RULE_ARTICLES) <= set(ENCOUNTER_RULES)


@pytest.mark.parametrize("article", GUIDELINES.articles, ids=lambda a: a.id)
def test_an_article_claims_only_the_rules_linked_to_it(article):
    for family in article.families:
        assert FAMILY_ARTICLES[family] == article.id
    for rule in article.encounter_rules:
        assert ENCOUNTER_RULE_ARTICLES.get(rule) == article.id


@pytest.mark.parametrize("family", sorted(TIMED_FAMILIES))
def test_every_timed_family_states_its_thresholds_in_an_article(family: str):
    assert any(threshold.family == family for _, threshold in THRESHOLDS)


def _table_thresholds(threshold: Threshold) -> list[tuple[int, int | None]]:
    """(at, every) of the code in every table rule the threshold's payer and variant select."""
    found = []
    for (payer, variant), rule in TIMED_FAMILIES[threshold.family].rules.items():
        if payer not in threshold.payers:
            continue
        if threshold.variant is not None and list(variant) != threshold.variant:
            continue
        found += [(band.min_minutes, None) for band in rule.bands if band.code == threshold.code]
        found += [(a.first_unit_at, a.step) for a in rule.time_add_ons if a.code == threshold.code]
    return found


def _therapy_units(payer: str, minutes: int) -> int:
    result = calculate(UnitsRequest(family="therapy", payer=payer, code_minutes={"97110": minutes}))
    return sum(line.units for line in result.lines if line.code == "97110")


@pytest.mark.parametrize(("article_id", "threshold"), THRESHOLDS,
                         ids=[f"{a}-{t.family}-{t.payer}-{t.code}-{t.at}" for a, t in THRESHOLDS])
def test_an_articles_threshold_is_the_tables(article_id: str, threshold: Threshold):
    if threshold.family == "therapy":  # counted per code by the therapy calculator, not a timed table
        for payer in threshold.payers:
            assert _therapy_units(payer, threshold.at - 1) == 0
            assert _therapy_units(payer, threshold.at) == 1
            assert _therapy_units(payer, threshold.at + (threshold.every or 0)) == 2
        return
    found = _table_thresholds(threshold)
    assert found, f"{article_id}: {threshold.code} is in no {threshold.family} table for {threshold.payers}"
    assert all(pair == (threshold.at, threshold.every) for pair in found), (
        f"{article_id} says {threshold.code} at {threshold.at} every {threshold.every}; the tables say {found}")
