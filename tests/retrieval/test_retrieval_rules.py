"""Table-driven tests of the ranking rules added for CMS scale (issue 12 item 6): negation scope in the tokenizer,
size matching, qualifier priors and the sourced coder-names table. Each rule is tested on both sides: where it
applies and where it must not. Small hand-made records; no model, no index."""

from __future__ import annotations

import pytest

from assistant.corpus.records import CodeRecord
from assistant.retrieval.coder_names import CODER_NAMES, extra_lay_terms
from assistant.retrieval.lexical import LexicalIndex, descriptor_acronyms, tokenize
from assistant.retrieval.priors import QUALIFIER_PRIORS, prior_of
from assistant.retrieval.sizes import SIZE_MATCH_FACTOR, SIZE_MISMATCH_FACTOR, question_sizes, record_sizes, size_factor


def record(code: str, title: str, descriptor: str, lay_terms: list[str] | None = None) -> CodeRecord:
    return CodeRecord(code=code, system="HCPCS", family="hcpcs", title=title, lay_terms=lay_terms or [],
                      description="A record made for a retrieval rule test, in our own words.",
                      official_descriptor=descriptor)


# --- negation scope -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "has", "lacks"),
    [
        pytest.param("foam dressing, without adhesive border, each", ["no_adhesive", "no_border", "each"],
                     ["adhesive", "border"], id="without-until-comma"),
        pytest.param("pouch; without barrier attached, with filter", ["no_barrier", "filter"], ["barrier"],
                     id="scope-ends-at-comma-then-with"),
        pytest.param("walker w/o seat", ["no_seat"], ["seat"], id="w-slash-o"),
        pytest.param("darbepoetin (non-esrd use)", ["nonesrd", "no_esrd"], ["esrd"], id="non-prefix"),
        pytest.param("foam dressing with adhesive border", ["adhesive", "border"], ["no_adhesive"], id="with-is-plain"),
        pytest.param("emergency transport", ["emergency"], ["no_emergency"], id="no-negator"),
        pytest.param("sub-q injection", ["subq", "injection"], ["no_subq"], id="joined-words-unchanged"),
    ],
)
def test_words_after_a_negator_are_negated(text, has, lacks):
    tokens = tokenize(text)
    assert all(token in tokens for token in has), tokens
    assert not any(token in tokens for token in lacks), tokens


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("foam dressing with adhesive border", "A6212", id="with-border"),
        pytest.param("foam dressing without adhesive border", "A6209", id="without-border"),
        pytest.param("als emergency transport", "A0427", id="emergency"),
        pytest.param("als non-emergency transport", "A0426", id="non-emergency"),
    ],
)
def test_bm25_prefers_the_sibling_that_has_what_the_question_says(question, expected):
    index = LexicalIndex([
        record("A6209", "Foam dressing no border", "Foam dressing, wound cover, without adhesive border, each"),
        record("A6212", "Foam dressing with border", "Foam dressing, wound cover, with any size adhesive border, each"),
        record("A0426", "Ambulance ALS 1 non-emergency", "Ambulance, advanced life support, non-emergency transport"),
        record("A0427", "Ambulance ALS 1 emergency", "Ambulance, advanced life support, emergency transport"),
    ])
    assert index.records[index.rank(question).bm25[0].index].code == expected


# --- sizes ----------------------------------------------------------------------------------------------------
SALINE_1000 = record("J7030", "Normal saline 1000 cc", "Infusion, normal saline solution, 1000 cc")
SALINE_500 = record("J7040", "Normal saline 500 ml", "Infusion, normal saline solution, sterile (500 ml = 1 unit)")
SYRINGE_1 = record("A4206", "1 cc syringe", "Syringe with needle, sterile, 1 cc or less, each")
DRESSING_48 = record("A6197", "Alginate drsg >16 <=48 sq in", "Alginate dressing, pad size more than 16 sq. in. but "
                     "less than or equal to 48 sq. in., each dressing")
CONTRAST = record("Q9967", "Locm 300-399mg/ml iodine,1ml", "Low osmolar contrast, 300-399 mg/ml iodine, per ml")
ORAL_4MG = record("S0119", "Ondansetron, oral, 4 mg", "Ondansetron, oral, 4 mg")


@pytest.mark.parametrize(
    ("rec", "question", "factor"),
    [
        pytest.param(SALINE_1000, "normal saline 1000 ml", SIZE_MATCH_FACTOR, id="ml-meets-cc"),
        pytest.param(SALINE_1000, "NS 1 liter", SIZE_MATCH_FACTOR, id="liter-converted"),
        pytest.param(SALINE_500, "normal saline 1000 ml", 1.0, id="other-size-not-boosted"),
        pytest.param(SALINE_500, "normal saline", 1.0, id="no-size-in-question"),
        pytest.param(SYRINGE_1, "syringe 0.5 cc", SIZE_MATCH_FACTOR, id="or-less-contains-smaller"),
        pytest.param(SYRINGE_1, "syringe 3 cc", 1.0, id="or-less-excludes-larger"),
        pytest.param(DRESSING_48, "alginate 20 sq in", SIZE_MATCH_FACTOR, id="more-than-less-than-range-inside"),
        pytest.param(DRESSING_48, "alginate 60 sq in", SIZE_MISMATCH_FACTOR, id="range-outside-yields"),
        pytest.param(ORAL_4MG, "ondansetron 4 mg IV", 1.0, id="a-drug-dose-never-picks-a-code"),
        pytest.param(CONTRAST, "contrast 300 mg", 1.0, id="mass-not-matched"),
    ],
)
def test_a_size_in_the_question_lifts_the_sibling_naming_it(rec, question, factor):
    assert size_factor(rec, question_sizes(question)) == factor


def test_sizes_are_read_in_base_units():
    assert [(s.dimension, s.low, s.high) for s in question_sizes("1 liter, 250 ml, 1 g")] == [
        ("volume", 1000.0, 1000.0), ("volume", 250.0, 250.0), ("mass", 1000.0, 1000.0)]
    assert ("volume", 0.0, 1.0) in [(s.dimension, s.low, s.high) for s in record_sizes(SYRINGE_1)]


# --- qualifier priors -----------------------------------------------------------------------------------------
ESRD = record("J0882", "Darbepoetin alfa, esrd use", "Injection, darbepoetin alfa, 1 microgram (for esrd on dialysis)")
NON_ESRD = record("J0881", "Darbepoetin alfa, non-esrd", "Injection, darbepoetin alfa, 1 microgram (non-esrd use)")
COMPOUNDED = record("J7610", "Albuterol comp con", "Albuterol, inhalation solution, compounded product, 1 mg")
NON_COMPOUNDED = record("J7613", "Albuterol non-comp unit", "Albuterol, inhalation solution, non-compounded, 1 mg")
GRANISETRON_INJECTION = record("J1626", "Granisetron hcl injection", "Injection, granisetron hydrochloride, 100 mcg")
NOT_EQUIVALENT = record("J2471", "Inj pantoprazole(hikma) 40mg",
                        "Injection, pantoprazole (hikma), not therapeutically equivalent to j2470, 40 mg")


@pytest.mark.parametrize(
    ("rec", "question", "demoted"),
    [
        pytest.param(ESRD, "aranesp 100 mcg", True, id="esrd-code-without-cue"),
        pytest.param(ESRD, "aranesp 100 mcg dialysis patient", False, id="esrd-code-with-dialysis"),
        pytest.param(ESRD, "aranesp for ESRD", False, id="esrd-code-with-esrd"),
        pytest.param(NON_ESRD, "aranesp 100 mcg", False, id="non-esrd-never"),
        pytest.param(COMPOUNDED, "albuterol nebulizer solution", True, id="compounded-without-cue"),
        pytest.param(COMPOUNDED, "compounded albuterol", False, id="compounded-asked"),
        pytest.param(NON_COMPOUNDED, "albuterol nebulizer solution", False, id="non-compounded-never"),
        pytest.param(GRANISETRON_INJECTION, "granisetron 1 mg PO", True, id="injection-when-oral-said"),
        pytest.param(GRANISETRON_INJECTION, "oral antiemetic granisetron", True, id="injection-when-oral-word"),
        pytest.param(GRANISETRON_INJECTION, "granisetron 1 mg IV", False, id="injection-when-iv-said"),
        pytest.param(GRANISETRON_INJECTION, "granisetron 1 mg", False, id="injection-when-no-route"),
        pytest.param(NOT_EQUIVALENT, "pantoprazole 40 mg IV", True, id="not-equivalent-without-cue"),
        pytest.param(NOT_EQUIVALENT, "pantoprazole hikma", False, id="not-equivalent-labeler-named"),
    ],
)
def test_a_restricting_qualifier_yields_unless_the_question_states_it(rec, question, demoted):
    assert (prior_of(rec, question=question) < 1.0) is demoted


def test_every_qualifier_prior_names_a_source():
    assert QUALIFIER_PRIORS and all(prior.reason and 0 < prior.factor < 1 for prior in QUALIFIER_PRIORS)


# --- coder names ----------------------------------------------------------------------------------------------
def test_every_coder_name_row_names_a_source_and_codes():
    assert CODER_NAMES and all(row.source and row.codes and row.terms for row in CODER_NAMES)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("hoyer lift", "E0630", id="trade-name"),
        pytest.param("initial AWV", "G0438", id="cms-abbreviation-initial"),
        pytest.param("subsequent AWV", "G0439", id="cms-abbreviation-subsequent"),
        pytest.param("DSMT 30 min", "G0108", id="cms-abbreviation-dsmt"),
        pytest.param("HCV screening", "G0472", id="cms-abbreviation-hcv"),
        pytest.param("hep B screening", "G0499", id="hep-b-not-hep-c"),
        pytest.param("pap smear collection", "Q0091", id="pap-smear-not-pap-device"),
    ],
)
def test_coder_names_reach_their_codes(question, expected):
    index = LexicalIndex([
        record("E0630", "Patient lift hydraulic", "Patient lift, hydraulic or mechanical"),
        record("E0635", "Patient lift electric", "Patient lift, electric, with seat or sling"),
        record("G0438", "Ppps, initial visit", "Annual wellness visit; initial visit"),
        record("G0439", "Ppps, subseq visit", "Annual wellness visit, subsequent visit"),
        record("G0108", "Diab manage trn  per indiv", "Diabetes outpatient self-management training services, "
               "individual, per 30 minutes"),
        record("G0472", "Hep c screen high risk/other", "Hepatitis c antibody screening, for individual at high risk"),
        record("G0499", "Hepb screen high risk indiv", "Hepatitis b screening in non-pregnant, high risk individual"),
        record("Q0091", "Obtaining screen pap smear", "Screening papanicolaou smear; obtaining, preparing and "
               "conveyance of cervical or vaginal smear to laboratory"),
        record("E0601", "Cont airway pressure device", "Continuous positive airway pressure (cpap) device"),
        record("H0004", "Alcohol and/or drug services", "Behavioral health counseling and therapy, per 15 minutes"),
    ])
    assert index.records[index.rank(question).bm25[0].index].code == expected


def test_coder_names_add_nothing_to_other_codes():
    extra = extra_lay_terms()
    assert "E0635" not in extra and "hoyer lift" in extra["E0630"]
    assert "DSMT" in extra["G0109"]
    assert {code for code, terms in extra.items() if "HBV screening" in terms} == {"G0499"}
    assert {code for code, terms in extra.items() if "locum tenens" in terms} == {"Q6"}
    assert {code for code, terms in extra.items() if "extra depth shoe" in terms} == {"A5500"}
    assert {code for code, terms in extra.items() if "CAM boot" in terms} == {"L4386", "L4387"}
    assert {code for code, terms in extra.items() if "knee scooter" in terms} == {"E0118"}
    assert {code for code, terms in extra.items() if "SBIRT" in terms} == {"G2011", "G0396", "G0397"}


# --- product-specific and NOS priors --------------------------------------------------------------------------
BRANDED = record("J2253", "Inj midazolam (seizalam)", "Injection, midazolam (seizalam), 1 mg", ["seizalam"])
GENERIC = record("J2250", "Inj midazolam hydrochloride", "Injection, midazolam hydrochloride, per 1 mg")
SUPPLY_NOS = record("Q4100", "Skin substitute, nos", "Skin substitute, not otherwise specified")
DRUG_NOS = record("J9305", "Pemetrexed nos", "Injection, pemetrexed, not otherwise specified, 10 mg")
NAMED_SIZE = record("A4253", "Glucose strips", "Injection, glucose (0.5 ml), per 50 strips")


@pytest.mark.parametrize(
    ("rec", "question", "demoted"),
    [
        pytest.param(BRANDED, "midazolam 2 mg", True, id="product-code-molecule-only"),
        pytest.param(BRANDED, "seizalam 2 mg", False, id="product-code-product-named"),
        pytest.param(GENERIC, "midazolam 2 mg", False, id="molecule-code-never"),
        pytest.param(NAMED_SIZE, "glucose", False, id="bracketed-amount-is-not-a-product"),
        pytest.param(SUPPLY_NOS, "apligraf skin substitute", True, id="supply-nos-yields"),
        pytest.param(SUPPLY_NOS, "skin substitute not otherwise specified", False, id="supply-nos-asked"),
        pytest.param(SUPPLY_NOS, "unlisted skin substitute", False, id="supply-nos-unlisted"),
        pytest.param(DRUG_NOS, "pemetrexed 500 mg", False, id="drug-nos-is-the-generic-code"),
    ],
)
def test_product_and_nos_priors(rec, question, demoted):
    assert (prior_of(rec, question=question) < 1.0) is demoted


# --- folding: -ated, short negators, phrase abbreviations, PAP, acronyms ---------------------------------------
@pytest.mark.parametrize(
    ("left", "right", "meet"),
    [
        pytest.param("lactated ringers", "Ringers lactate", True, id="ated-folds"),
        pytest.param("behind the ear", "bte", True, id="behind-the-ear-is-bte"),
        pytest.param("hearing aid digit bin", "hearing aid digital binaural", True, id="v-code-abbreviations"),
        pytest.param("completely in the canal", "cic", True, id="cic"),
        pytest.param("CPAP tubing", "tubing used with positive airway pressure device", True, id="cpap-is-pap"),
        pytest.param("CPAP machine", "cpap device", True, id="machine-is-device"),
        pytest.param("in the ear", "behind the ear", False, id="ite-is-not-bte"),
        pytest.param("bed with rails", "bed without rails", False, id="without-never-meets-with"),
    ],
)
def test_spellings_meet_or_stay_apart(left, right, meet):
    shared = (set(tokenize(left)) & set(tokenize(right))) - {"bed", "hear", "aid", "tubing"}
    assert bool(shared) is meet, (tokenize(left), tokenize(right))


@pytest.mark.parametrize(
    ("text", "negated", "plain"),
    [
        pytest.param("not otherwise specified", ["no_otherwise"], ["specified"], id="not-negates-one-word"),
        pytest.param("not meeting criteria for high risk", ["no_meet"], ["high", "risk"], id="not-stops-after-one"),
        pytest.param("without side rails, with mattress", ["no_side", "no_rail"], ["mattress"], id="without-to-comma"),
        pytest.param("non pneumatic walking boot", ["no_pneumatic"], ["walk", "boot"], id="separate-non-one-word"),
        pytest.param("non emergency ambulance", ["no_emergency"], ["ambulance"], id="non-emergency-spaced"),
    ],
)
def test_negator_scope(text, negated, plain):
    tokens = tokenize(text)
    assert all(token in tokens for token in negated) and all(token in tokens for token in plain), tokens


@pytest.mark.parametrize(
    ("descriptor", "acronyms"),
    [
        pytest.param("Continuous positive airway pressure (cpap) device", ["cpap"], id="initials"),
        pytest.param("a personalized prevention plan of service (pps), initial", ["pps"], id="skips-of"),
        pytest.param("Injection, pantoprazole (hikma), 40 mg", [], id="a-labeler-is-not-an-acronym"),
        pytest.param("Ostomy pouch, with filter (1 piece), each", [], id="digits-are-not"),
    ],
)
def test_descriptor_acronyms(descriptor, acronyms):
    assert descriptor_acronyms(record("E0601", "Some device", descriptor)) == acronyms


@pytest.mark.parametrize(
    ("question", "factor"),
    [
        pytest.param("glucose test strips box of 50", SIZE_MATCH_FACTOR, id="box-of-n-meets-per-n"),
        pytest.param("glucose strips 50 count", SIZE_MATCH_FACTOR, id="n-count"),
        pytest.param("glucose strips box of 100", 1.0, id="other-count"),
        pytest.param("glucose strips 50 mg", 1.0, id="a-dose-is-not-a-count"),
    ],
)
def test_package_counts(question, factor):
    strips = record("A4253", "Blood glucose strips", "Blood glucose test or reagent strips, per 50 strips")
    assert size_factor(strips, question_sizes(question)) == factor


def test_per_amount_is_not_a_count():
    sizes = record_sizes(record("J1100", "Inj x", "Injection, x, per 10 mg"))
    assert [size.dimension for size in sizes] == ["mass"]  # an amount per unit, never a package count


# --- a short title's "Cpap" is the PAP family (lexical.py, issue 22) ---------------------------------------------
PAP_RECORDS = [
    record("A7030", "Cpap full face mask", "Full face mask used with positive airway pressure device, each"),
    record("A7037", "Pos airway pressure tubing", "Tubing used with positive airway pressure device"),
    record("E0601", "Cont airway pressure device", "Continuous positive airway pressure (cpap) device"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("CPAP tubing", "A7037", id="supply-word-decides"),
        pytest.param("CPAP machine", "E0601", id="defined-acronym-keeps-cpap"),
        pytest.param("cpap full face mask", "A7030", id="mask-still-found"),
    ],
)
def test_a_titles_cpap_means_the_pap_family(question, expected):
    index = LexicalIndex(PAP_RECORDS)
    assert index.records[index.rank(question).bm25[0].index].code == expected


# --- a mass per ml is a concentration (sizes.py, issue 22) --------------------------------------------------------
LOCM_300 = record("Q9967", "Locm 300-399mg/ml iodine,1ml",
                  "Low osmolar contrast material, 300-399 mg/ml iodine concentration, per ml")
LOCM_400 = record("Q9951", "Locm >= 400 mg/ml iodine, 1ml",
                  "Low osmolar contrast material, 400 or greater mg/ml iodine concentration, per ml")
DOSE_DRUG = record("J2405", "Ondansetron hcl injection", "Injection, ondansetron hydrochloride, per 1 mg")


@pytest.mark.parametrize(
    ("rec", "question", "factor"),
    [
        pytest.param(LOCM_300, "low osmolar contrast 300 mg iodine per ml", SIZE_MATCH_FACTOR, id="in-range"),
        pytest.param(LOCM_300, "contrast 350 mg/ml", SIZE_MATCH_FACTOR, id="slash-ml"),
        pytest.param(LOCM_400, "contrast 350 mg/ml", SIZE_MISMATCH_FACTOR, id="out-of-range-yields"),
        pytest.param(LOCM_400, "contrast 400 mg/ml", SIZE_MATCH_FACTOR, id="or-greater"),
        pytest.param(LOCM_300, "contrast 350 mg", 1.0, id="a-mass-is-not-a-concentration"),
        pytest.param(DOSE_DRUG, "ondansetron 1 mg/ml vial", 1.0, id="a-unit-dose-is-not-a-concentration"),
    ],
)
def test_a_concentration_picks_its_sibling(rec, question, factor):
    assert size_factor(rec, question_sizes(question)) == factor
