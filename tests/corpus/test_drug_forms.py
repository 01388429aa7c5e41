"""The stated route and the product form choose among the codes one drug name fits (corpus/drug_forms.py), both
sides of each: an injection vs a nebulized drug, an oral-only drug asked as an injection (said, never coded by
another route's code), a form named vs not named, an ester named vs the molecule alone (the NOS code), truly
ambiguous codes (kept: asked). The records quote the HCPCS October 2025 descriptors; tests/chat/test_chat_drug_routes.py
asks the same through the imported CMS files."""

from __future__ import annotations

import pytest

from assistant.corpus.drug_forms import by_form, by_route, form_hint, forms_of, route_note, stated_routes
from assistant.corpus.drugs import DrugDictionary
from assistant.corpus.records import BillingUnit, CodeRecord


def _drug(code: str, descriptor: str, quantity: float = 1, unit: str = "mg") -> CodeRecord:
    return CodeRecord(code=code, system="HCPCS", family="drugs", title=f"drug {code}",
                      description=f"A drug code {code} for tests.", lay_terms=[],
                      billing_unit=BillingUnit(quantity=quantity, unit=unit), official_descriptor=descriptor)


J3300 = _drug("J3300", "Injection, triamcinolone acetonide, preservative free, 1 mg")
J3301 = _drug("J3301", "Injection, triamcinolone acetonide, not otherwise specified, 10 mg", 10)
J3302 = _drug("J3302", "Injection, triamcinolone diacetate, per 5 mg", 5)
J3303 = _drug("J3303", "Injection, triamcinolone hexacetonide, per 5 mg", 5)
J3304 = _drug("J3304", "Injection, triamcinolone acetonide, preservative-free, extended-release, microsphere "
                       "formulation, 1 mg")
J7683 = _drug("J7683", "Triamcinolone, inhalation solution, compounded product, administered through dme, "
                       "concentrated form, per milligram")
J7684 = _drug("J7684", "Triamcinolone, inhalation solution, compounded product, administered through dme, unit "
                       "dose form, per milligram")
TRIAMCINOLONE = [J3300, J3301, J3302, J3303, J3304, J7683, J7684]
J7626 = _drug("J7626", "Budesonide, inhalation solution, fda-approved final product, non-compounded, administered "
                       "through dme, unit dose form, up to 0.5 mg", 0.5)
J7627 = _drug("J7627", "Budesonide, inhalation solution, compounded product, administered through dme, unit dose "
                       "form, up to 0.5 mg", 0.5)
J7633 = _drug("J7633", "Budesonide, inhalation solution, fda-approved final product, non-compounded, administered "
                       "through dme, concentrated form, per 0.25 mg", 0.25)
J7634 = _drug("J7634", "Budesonide, inhalation solution, compounded product, administered through dme, "
                       "concentrated form, per 0.25 mg", 0.25)
BUDESONIDE = [J7626, J7627, J7633, J7634]
J8522 = _drug("J8522", "Capecitabine, oral, 50 mg", 50)
J1630 = _drug("J1630", "Injection, haloperidol, up to 5 mg", 5)
J1631 = _drug("J1631", "Injection, haloperidol decanoate, per 50 mg", 50)
J1071 = _drug("J1071", "Injection, testosterone cypionate, 1 mg")
J3121 = _drug("J3121", "Injection, testosterone enanthate, 1 mg")
J3260 = _drug("J3260", "Injection, tobramycin sulfate, up to 80 mg", 80)
J7682 = _drug("J7682", "Tobramycin, inhalation solution, fda-approved final product, non-compounded, unit dose "
                       "form, administered through dme, per 300 milligrams", 300)
# J7620 names no "inhalation": its code range (J7604-J7699, DME MAC inhalation drugs) says it.
J7620 = _drug("J7620", "Albuterol, up to 2.5 mg and ipratropium bromide, up to 0.5 mg, fda-approved final product, "
                       "non-compounded, administered through dme", 2.5)
J2270 = _drug("J2270", "Injection, morphine sulfate, up to 10 mg", 10)
J2274 = _drug("J2274", "Injection, morphine sulfate, preservative-free for epidural or intrathecal use, 10 mg", 10)

J1100 = _drug("J1100", "Injection, dexamethasone sodium phosphate, 1 mg")
J1096 = _drug("J1096", "Dexamethasone, lacrimal ophthalmic insert, 0.1 mg", 0.1)
J2250 = _drug("J2250", "Injection, midazolam hydrochloride, per 1 mg")
J2251 = _drug("J2251", "Injection, midazolam in 0.9% sodium chloride, intravenous, not therapeutically equivalent to "
                       "j2250, 1 mg")
J9312 = _drug("J9312", "Injection, rituximab, 10 mg", 10)
J9311 = _drug("J9311", "Injection, rituximab 10 mg and hyaluronidase", 10)

RECORDS = [*TRIAMCINOLONE, *BUDESONIDE, J8522, J1630, J1631, J1071, J3121, J3260, J7682]


@pytest.fixture(scope="module")
def dictionary() -> DrugDictionary:
    return DrugDictionary(RECORDS)


def _codes(records: list[CodeRecord]) -> list[str]:
    return sorted(r.code for r in records)


@pytest.mark.parametrize(("words", "kind"), [
    pytest.param("kenalog 40 mg IM", "injection", id="im"),
    pytest.param("rocephin 1 g IVPB", "injection", id="ivpb"),
    pytest.param("triamcinolone 40 mg intra-articular knee", "injection", id="intra-articular"),
    pytest.param("b12 shot", "injection", id="shot"),
    pytest.param("albuterol 2.5 mg neb", "inhalation", id="neb"),
    pytest.param("budesonide 0.5 mg via nebulizer", "inhalation", id="nebulizer"),
    pytest.param("emend 125 mg PO", "oral", id="po"),
    pytest.param("triamcinolone 40 mg", None, id="no-route"),
    pytest.param("zofran 4 mg IV then 8 mg PO", None, id="two-routes-state-none"),
])
def test_the_route_the_words_state(words: str, kind: str | None) -> None:
    assert {row.kind for row in stated_routes(words)} == ({kind} if kind else set())


ROUTED = [
    # An injection is never an inhalation solution; a nebulized drug never an injection (HCPCS descriptors).
    pytest.param(TRIAMCINOLONE, "triamcinolone 40 mg IM", ["J3300", "J3301", "J3302", "J3303", "J3304"],
                 id="im-rules-out-inhalation-solutions"),
    pytest.param(TRIAMCINOLONE, "triamcinolone 2 mg neb", ["J7683", "J7684"], id="neb-rules-out-injections"),
    pytest.param(TRIAMCINOLONE, "triamcinolone 40 mg", [r.code for r in TRIAMCINOLONE], id="no-route-keeps-all"),
    pytest.param([J3260, J7682], "tobramycin 300 mg nebulized", ["J7682"], id="tobramycin-neb"),
    pytest.param([J3260, J7682], "tobramycin 80 mg IM", ["J3260"], id="tobramycin-im"),
    pytest.param([J7620], "duoneb 3 mL IM", [], id="dme-inhalation-code-range"),
    # An oral-only drug asked as an injection: nothing left (said, never another route's code).
    pytest.param([J8522], "capecitabine 500 mg IM", [], id="oral-only-asked-im"),
    pytest.param([J8522], "capecitabine 500 mg PO", ["J8522"], id="oral-only-asked-po"),
    pytest.param(BUDESONIDE, "budesonide 0.5 mg IM", [], id="inhalation-only-asked-im"),
]


@pytest.mark.parametrize(("candidates", "words", "expected"), ROUTED)
def test_a_stated_route_rules_out_other_forms(candidates: list[CodeRecord], words: str, expected: list[str]) -> None:
    assert _codes(by_route(candidates, words)) == sorted(expected)


def test_a_route_that_rules_out_every_code_is_said() -> None:
    note = route_note([J8522], "capecitabine 500 mg IM", "capecitabine")
    assert "J8522" in note and "oral" in note and "injection" in note
    assert route_note([J8522], "capecitabine 500 mg PO", "capecitabine") == ""  # a code is left: nothing to say
    assert route_note([J8522, J3301], "500 mg IM") == ""


@pytest.mark.parametrize(("record", "forms"), [
    pytest.param(J3301, {"acetonide"}, id="nos-acetonide"),
    pytest.param(J3300, {"acetonide", "preservative-free"}, id="preservative-free"),
    pytest.param(J3304, {"acetonide", "preservative-free", "extended-release"}, id="extended-release"),
    pytest.param(J7627, {"inhalation", "compounded"}, id="compounded"),
    pytest.param(J7626, {"inhalation"}, id="non-compounded-is-not-compounded"),
    pytest.param(J1630, set(), id="plain"),
])
def test_the_forms_a_descriptor_names(record: CodeRecord, forms: set[str]) -> None:
    assert forms_of(record) == forms


FORMED = [
    # A form not named yields; the NOS code is what a dose alone means when every code left names a form.
    pytest.param([J3300, J3301, J3302, J3303, J3304], "triamcinolone 40 mg IM", ["J3301"], id="the-nos-code"),
    pytest.param([J3300, J3301, J3304], "triamcinolone acetonide 40 mg", ["J3301"], id="acetonide-nos"),
    pytest.param([J3300, J3301, J3304], "preservative-free triamcinolone acetonide 4 mg", ["J3300"],
                 id="preservative-free-named"),
    pytest.param([J3300, J3301, J3304], "triamcinolone PF XR 32 mg", ["J3304"], id="extended-release-named"),
    pytest.param([J3300, J3301, J3302, J3303, J3304], "triamcinolone hexacetonide 20 mg", ["J3303"],
                 id="an-ester-named-keeps-its-code"),
    pytest.param([J3302, J3303], "triamcinolone 20 mg", ["J3302", "J3303"], id="two-esters-no-nos-asked"),
    pytest.param([J1630, J1631], "haloperidol 5 mg IM", ["J1630"], id="the-plain-molecule"),
    pytest.param([J1630, J1631], "haloperidol decanoate 100 mg IM", ["J1631"], id="decanoate-named"),
    pytest.param([J1071, J3121], "testosterone 200 mg IM", ["J1071", "J3121"], id="esters-without-nos-asked"),
    pytest.param([J2270, J2274], "morphine 4 mg IV", ["J2270"], id="preservative-free-not-named"),
    pytest.param([J2270, J2274], "morphine PF 4 mg intrathecal", ["J2274"], id="pf-named"),
    # An eye or spinal site makes the preservative-free product likely: asked beside the plain code, never assumed.
    pytest.param([J2270, J2274], "morphine 1 mg intrathecal", ["J2270", "J2274"], id="spinal-site-asked"),
    pytest.param([J3300, J3301, J3302, J3303, J3304], "triamcinolone 4 mg intravitreal", ["J3300", "J3301"],
                 id="eye-site-asked"),
    pytest.param(BUDESONIDE, "budesonide 0.5 mg neb", ["J7626", "J7633"], id="compounded-not-named"),
    pytest.param(BUDESONIDE, "budesonide 0.5 mg compounded neb", ["J7627", "J7634"], id="compounded-named"),
    pytest.param([J3260, J7682], "tobramycin 80 mg", ["J3260"], id="inhalation-not-named"),
    pytest.param([J1100, J1096], "dexamethasone 10 mg", ["J1100"], id="eye-product-not-named"),
    pytest.param([J1100, J1096], "dexamethasone 0.4 mg insert, left eye", ["J1096"], id="eye-named"),
    pytest.param([J2250, J2251], "midazolam 2 mg", ["J2250"], id="not-therapeutically-equivalent-yields"),
    pytest.param([J9312, J9311], "rituximab 700 mg", ["J9312"], id="hyaluronidase-not-named"),
    pytest.param([J9312, J9311], "rituximab 1400 mg SQ", ["J9311", "J9312"], id="subcutaneous-asked"),
    pytest.param([J9312, J9311], "rituximab with hyaluronidase 1400 mg", ["J9311"], id="hyaluronidase-named"),
]


@pytest.mark.parametrize(("candidates", "words", "expected"), FORMED)
def test_a_product_form_not_named_yields(candidates: list[CodeRecord], words: str, expected: list[str]) -> None:
    assert _codes(by_form(candidates, words)) == sorted(expected)


# Through the dictionary: the name typed, its codes, the route and form words (resolve = drug_qualifiers.narrow).
RESOLVED = [
    pytest.param("triamcinolone 40 mg IM", ["J3301"], id="triamcinolone-im-is-nos"),
    pytest.param("triamcinolone acetonide 40 mg IM", ["J3301"], id="triamcinolone-acetonide-im"),
    pytest.param("triamcinolone hexacetonide 20 mg intra-articular", ["J3303"], id="hexacetonide"),
    pytest.param("triamcinolone diacetate 40 mg IM", ["J3302"], id="diacetate"),
    pytest.param("triamcinolone 2 mg neb", ["J7683", "J7684"], id="nebulized-never-the-injection"),
    pytest.param("budesonide 0.5 mg neb", ["J7626", "J7633"], id="budesonide-neb-fda-approved"),
    pytest.param("capecitabine 500 mg IM", [], id="oral-only-drug-asked-im"),
    pytest.param("haloperidol 5 mg IM", ["J1630"], id="haloperidol-plain"),
]


@pytest.mark.parametrize(("text", "expected"), RESOLVED)
def test_names_resolve_by_route_and_form(dictionary: DrugDictionary, text: str, expected: list[str]) -> None:
    mentions = dictionary.find(text)
    assert len(mentions) == 1
    assert _codes(dictionary.resolve(mentions[0].candidates, text)) == sorted(expected)


def test_an_ester_folds_to_a_molecule_the_files_name(dictionary: DrugDictionary) -> None:
    # "triamcinolone" names J7683/J7684 bare: the esters' codes join it (a salt folds the same way).
    assert {"J3300", "J3301", "J3302", "J3303", "J3304", "J7683", "J7684"} <= set(
        _codes(dictionary.candidates("triamcinolone")))
    # "testosterone" is named bare by no descriptor: only its esters have codes, so the ester must be said.
    assert dictionary.candidates("testosterone") == []
    assert _codes(dictionary.candidates("testosterone cypionate")) == ["J1071"]


def test_the_question_names_the_forms_that_decide() -> None:
    hint = form_hint([J3300, J3301])
    assert "J3300: preservative-free" in hint and "J3301" not in hint
    assert form_hint([J7683, J7684]) == ""  # the same forms: no word of form decides
    assert form_hint([J3301]) == ""
    assert form_hint([J2250, J2251]) == ""  # the product's name decides, not a form word
