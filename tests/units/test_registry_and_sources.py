"""The family registry is the one declaration; every rule names a primary source (issue 11 item 5; issue 14)."""

from __future__ import annotations

import pytest

import assistant.units as units
from assistant.units import sources as src
from assistant.units.encounter import Administration
from assistant.units.registry import (
    ADMINISTRATION_FAMILIES,
    CATEGORY_OF_FAMILY,
    COUNT_FAMILIES,
    FAMILY_NAMES,
    NOUNS,
    REGISTRY,
    ROUTE_OF_FAMILY,
    TIME_RULES,
    TIMED_FAMILIES,
)
from assistant.units.titles import ADD_ON_PRIMARIES, TITLES
from assistant.units.vocabulary import CATEGORIES, ROUTES


def test_everything_derives_from_the_registry():
    assert tuple(units.FAMILIES) == tuple(REGISTRY) == TIME_RULES
    assert set(FAMILY_NAMES) == set(NOUNS) == set(REGISTRY)
    assert sorted(COUNT_FAMILIES) == ["chemo_push", "injection", "iv_push"]
    for name, table in TIMED_FAMILIES.items():
        assert REGISTRY[name].timed is table and table.name == name
        assert REGISTRY[name].noun == table.duration_noun


def test_corpus_time_rules_are_the_registry():
    from assistant.corpus.records import TIME_RULES as corpus_rules

    assert corpus_rules == TIME_RULES


def test_every_registered_code_has_a_title_and_add_ons_their_primaries():
    for family in REGISTRY.values():
        for code in family.codes:
            assert code in TITLES, (family.name, code)
    for add_on, primaries in ADD_ON_PRIMARIES.items():
        assert primaries and add_on not in primaries


def test_no_import_cycle_between_engine_and_administration():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(units.__file__).with_name("administration.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "assistant.units.engine" not in imported


def _all_rules():
    for family in TIMED_FAMILIES.values():
        for (payer, variant), rule in family.rules.items():
            yield pytest.param(rule, id=f"{family.name}-{payer}-{'-'.join(map(str, variant)) or 'default'}")


@pytest.mark.parametrize("rule", list(_all_rules()))
def test_every_timed_rule_names_a_primary_or_cpt_source(rule):
    assert src.is_authoritative(rule.citations), rule.citations


def test_every_citation_constant_has_a_declared_kind():
    constants = [value for name, value in vars(src).items() if name.isupper() and isinstance(value, str)]
    assert constants and all(value in src.KINDS for value in constants)


def test_secondary_sources_appear_only_as_see_also():
    """A citation that names a primary source lists the secondary pages after it as 'see also'."""
    for text, kind in src.KINDS.items():
        if kind in ("primary", "cpt") and any(site in text for site in ("aapc", "AAPC", ".com", ".org")):
            assert "see also" in text or "via" in text, text


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        pytest.param([src.CRITICAL_CARE_30_31], False, id="secondary-only-fails"),
        pytest.param([src.THERAPY_CPT], False, id="rule-of-8s-blog-only-fails"),
        pytest.param([src.THERAPY_CPT, src.CPT_TIME_RULE], True, id="with-the-cpt-rule-passes"),
        pytest.param([src.CRITICAL_CARE_MEDICARE], True, id="cms-manual-passes"),
        pytest.param(["some blog"], False, id="undeclared-text-is-secondary"),
    ],
)
def test_is_authoritative(citations, expected):
    assert src.is_authoritative(citations) is expected


REQUESTS = [
    dict(family="therapy", payer="cpt", code_minutes={"97110": 20}),
    dict(family="therapy", payer="medicare", code_minutes={"97110": 20}, untimed_codes=["97162"]),
    dict(family="anesthesia", payer="medicare", anesthesia_code="00790", minutes=60, base_units=7),
    dict(family="iv_infusion", minutes=60, pushes=2),
    dict(family="iv_push", pushes=2, setting="facility"),
    dict(family="injection"),
    dict(family="chemo_push", pushes=2),
]


@pytest.mark.parametrize("fields", REQUESTS, ids=lambda f: f["family"] + "-" + f.get("payer", "cpt"))
def test_answers_of_non_table_families_name_a_primary_or_are_unconfirmed(calc, fields):
    result = calc(**fields)
    assert src.is_authoritative(result.citations) or result.unconfirmed, result.citations


# --- drug administration: the family set, routes and categories derive from the registry (issue 21) ------------------
@pytest.mark.parametrize(
    ("family", "route", "category"),
    [
        pytest.param("hydration", "iv_infusion", "hydration", id="hydration"),
        pytest.param("iv_infusion", "iv_infusion", None, id="iv_infusion"),
        pytest.param("iv_push", "iv_push", None, id="iv_push"),
        pytest.param("injection", "injection", None, id="injection"),
        pytest.param("chemo_infusion", "iv_infusion", "chemotherapy", id="chemo_infusion"),
        pytest.param("chemo_push", "iv_push", "chemotherapy", id="chemo_push"),
        pytest.param("subq_infusion", "sc_infusion", None, id="subq_infusion"),
    ],
)
def test_each_administration_family_names_its_route_and_category(family: str, route: str, category: str | None):
    assert family in ADMINISTRATION_FAMILIES
    assert ROUTE_OF_FAMILY[family] == route
    assert CATEGORY_OF_FAMILY.get(family) == category
    administration = REGISTRY[family].administration
    assert administration is not None and (administration.route, administration.category) == (route, category)


@pytest.mark.parametrize("family", ["therapy", "critical_care", "office_em", "drug_units", "anesthesia", "sedation"])
def test_other_families_are_not_drug_administration(family: str):
    assert family in REGISTRY
    assert family not in ADMINISTRATION_FAMILIES and family not in ROUTE_OF_FAMILY
    assert REGISTRY[family].administration is None


def test_administration_routes_and_categories_are_the_shared_vocabulary():
    assert ROUTE_OF_FAMILY and CATEGORY_OF_FAMILY
    assert set(ROUTE_OF_FAMILY.values()) <= set(ROUTES)
    assert set(CATEGORY_OF_FAMILY.values()) <= set(CATEGORIES)
    for family, route in ROUTE_OF_FAMILY.items():  # the encounter engine accepts every route the registry names
        given = Administration(substance="normal saline", route=route, category=CATEGORY_OF_FAMILY.get(family))
        assert given.route == route
