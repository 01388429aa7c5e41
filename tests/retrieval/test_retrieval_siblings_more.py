"""Table-driven tests of the third-pass ranking rules (issue 22): opposite sibling words, "other than X", widths in
inches and sizes stated as bounds, exclusive size ranges, and the CMMI-model, replacement, C-code and
asks-for-a-modifier priors. Each rule on both sides. Small hand-made records; no model, no index."""

from __future__ import annotations

import pytest

from assistant.corpus.records import CodeRecord
from assistant.retrieval.lexical import tokenize
from assistant.retrieval.priors import NOT_A_MODIFIER_FACTOR, prior_of
from assistant.retrieval.siblings import OPPOSITES, STATED_OPPOSITE_FACTOR, stated_opposite_factor
from assistant.retrieval.sizes import SIZE_MATCH_FACTOR, SIZE_MISMATCH_FACTOR, question_sizes, size_factor


def record(code: str, title: str, descriptor: str, system: str = "HCPCS") -> CodeRecord:
    return CodeRecord(code=code, system=system, family="hcpcs", title=title, lay_terms=[],
                      description="A record made for a retrieval rule test, in our own words.",
                      official_descriptor=descriptor)


HIGH_OSMOLAR = record("Q9962", "Hocm 300-349mg/ml", "High osmolar contrast material, 300-349 mg/ml iodine, per ml")
MONAURAL = record("V5060", "Behind ear hearing aid", "Hearing aid, monaural, behind the ear")
HEAVY_WALKER = record("E0148", "Heavyduty walker no wheels", "Walker, heavy duty, without wheels, each")
BED_NO_MATTRESS = record("E0251", "Hosp bed fixd ht w/o mattres", "Hospital bed, fixed height, with any type side "
                         "rails, without mattress")
BED_VARIABLE = record("E0255", "Hospital bed var ht w/ mattr", "Hospital bed, variable height, hi-lo, with any type "
                      "side rails, with mattress")
GROUP_SESSION = record("G0109", "Diab manage trn ind/group", "Diabetes outpatient self-management training services, "
                       "group session (2 or more), per 30 minutes")
CPM_OTHER = record("E0936", "Cpm device, other than knee", "Continuous passive motion device for use other than knee")
CPM_KNEE = record("E0935", "Cont pas motion exercise dev", "Continuous passive motion device for use on knee only")


@pytest.mark.parametrize(
    ("rec", "question", "factor"),
    [
        pytest.param(HIGH_OSMOLAR, "low osmolar contrast 300", STATED_OPPOSITE_FACTOR, id="low-against-high"),
        pytest.param(HIGH_OSMOLAR, "high osmolar contrast", 1.0, id="high-asked"),
        pytest.param(HIGH_OSMOLAR, "osmolar contrast 300", 1.0, id="neither-said"),
        pytest.param(MONAURAL, "binaural behind the ear hearing aid", STATED_OPPOSITE_FACTOR, id="binaural"),
        pytest.param(MONAURAL, "behind the ear hearing aid", 1.0, id="hearing-aid-unsaid"),
        pytest.param(record("E0430", "Oxygen system gas portable", "Portable gaseous oxygen system, purchase"),
                     "portable liquid oxygen system purchase", STATED_OPPOSITE_FACTOR, id="liquid-against-gaseous"),
        pytest.param(HEAVY_WALKER, "standard walker", STATED_OPPOSITE_FACTOR, id="standard-against-heavy"),
        pytest.param(HEAVY_WALKER, "heavy duty walker", 1.0, id="heavy-asked"),
        pytest.param(BED_NO_MATTRESS, "hospital bed with side rails and mattress", STATED_OPPOSITE_FACTOR,
                     id="with-a-and-b-names-b"),
        pytest.param(BED_NO_MATTRESS, "hospital bed with side rails", 1.0, id="with-a-only"),
        pytest.param(BED_VARIABLE, "fixed height hospital bed with mattress", STATED_OPPOSITE_FACTOR,
                     id="fixed-against-variable"),
        pytest.param(BED_VARIABLE, "hi-lo variable height bed", 1.0, id="variable-asked"),
        pytest.param(GROUP_SESSION, "DSMT individual 30 min", STATED_OPPOSITE_FACTOR, id="individual-against-group"),
        pytest.param(GROUP_SESSION, "DSMT group class", 1.0, id="group-asked"),
        pytest.param(CPM_OTHER, "CPM machine for knee", STATED_OPPOSITE_FACTOR, id="other-than-knee"),
        pytest.param(CPM_OTHER, "CPM machine for shoulder", 1.0, id="other-than-unnamed"),
        pytest.param(CPM_KNEE, "CPM machine for knee", 1.0, id="the-knee-code-kept"),
    ],
)
def test_the_sibling_saying_the_opposite_yields(rec, question, factor):
    assert stated_opposite_factor(rec, question) == factor


def test_opposite_words_are_tokens_as_the_tokenizer_reads_them():
    assert OPPOSITES and all(tokenize(word) == [word] for pair in OPPOSITES for word in pair)


CUSHION_NARROW = record("E2601", "Gen w/c cushion wdth < 22 in",
                        "General use wheelchair seat cushion, width less than 22 inches, any depth")
CUSHION_WIDE = record("E2602", "Gen w/c cushion wdth >=22 in",
                      "General use wheelchair seat cushion, width 22 inches or greater, any depth")
BARRIER = record("A4408", "Ext wear ost skn barr >4sq\"",
                 "Ostomy skin barrier, extended wear, larger than 4 x 4 inches")
LOCM_400 = record("Q9951", "Locm >= 400 mg/ml iodine,1ml", "Low osmolar contrast material, 400 or greater mg/ml iodine")
PAD_SMALL = record("A6196", "Alginate dressing <=16 sq in", "Alginate or other fiber gelling dressing, wound cover, "
                   "sterile, pad size 16 sq. in. or less, each dressing")
PAD_MIDDLE = record("A6197", "Alginate drsg >16 <=48 sq in", "Alginate or other fiber gelling dressing, wound cover, "
                    "sterile, pad size more than 16 sq. in. but less than or equal to 48 sq. in., each dressing")
PAD_LARGE = record("A6198", "Alginate dressing > 48 sq in", "Alginate or other fiber gelling dressing, wound cover, "
                   "sterile, pad size more than 48 sq. in., each dressing")
TENS_TWO = record("E0720", "Tens two lead", "Transcutaneous electrical nerve stimulation (tens) device, two lead, "
                  "localized stimulation")
TENS_FOUR = record("E0730", "Tens four lead", "Transcutaneous electrical nerve stimulation (tens) device, four or more "
                   "leads, for multiple nerve stimulation")
SALINE_500 = record("J7040", "Normal saline 500 ml", "Infusion, normal saline solution, sterile (500 ml = 1 unit)")


@pytest.mark.parametrize(
    ("rec", "question", "factor"),
    [
        pytest.param(CUSHION_NARROW, "seat cushion under 22 inches wide", SIZE_MATCH_FACTOR, id="under-bound-inside"),
        pytest.param(CUSHION_WIDE, "seat cushion under 22 inches wide", 1.0, id="under-bound-outside"),
        pytest.param(CUSHION_WIDE, "seat cushion 24 inches wide", SIZE_MATCH_FACTOR, id="or-greater-inches"),
        pytest.param(CUSHION_NARROW, "seat cushion 18 in wide", SIZE_MATCH_FACTOR, id="in-as-inches"),
        pytest.param(CUSHION_NARROW, "cushion given 2 in the clinic", 1.0, id="in-as-a-word"),
        pytest.param(BARRIER, "skin barrier 4 x 4 in", 1.0, id="area-sides-are-not-a-width"),
        pytest.param(LOCM_400, "contrast 300 mg/ml", SIZE_MISMATCH_FACTOR, id="other-concentration-yields"),
        pytest.param(SALINE_500, "normal saline 1000 ml", 1.0, id="other-volume-left-alone"),
        pytest.param(PAD_SMALL, "alginate 16 sq in", SIZE_MATCH_FACTOR, id="16-is-or-less"),
        pytest.param(PAD_MIDDLE, "alginate 16 sq in", SIZE_MISMATCH_FACTOR, id="16-is-not-more-than-16"),
        pytest.param(PAD_MIDDLE, "alginate 16 sq in or less", SIZE_MISMATCH_FACTOR, id="or-less-bound-below-range"),
        pytest.param(PAD_SMALL, "alginate 16 sq in or less", SIZE_MATCH_FACTOR, id="or-less-bound-inside"),
        pytest.param(PAD_MIDDLE, "alginate 48 sq in", SIZE_MATCH_FACTOR, id="48-is-less-or-equal-48"),
        pytest.param(PAD_LARGE, "alginate 48 sq in", SIZE_MISMATCH_FACTOR, id="48-is-not-more-than-48"),
        pytest.param(PAD_MIDDLE, "alginate over 16 sq in", SIZE_MATCH_FACTOR, id="over-bound-reaches-middle"),
        pytest.param(PAD_LARGE, "alginate over 16 sq in", SIZE_MATCH_FACTOR, id="over-bound-reaches-large"),
        pytest.param(PAD_SMALL, "alginate over 16 sq in", SIZE_MISMATCH_FACTOR, id="over-bound-excludes-16"),
        pytest.param(CUSHION_WIDE, "seat cushion 22 inches or wider", SIZE_MATCH_FACTOR, id="or-wider-bound"),
        pytest.param(CUSHION_NARROW, "seat cushion 22 inches wide", 1.0, id="22-is-not-less-than-22"),
        pytest.param(TENS_FOUR, "TENS 4 lead", SIZE_MATCH_FACTOR, id="four-leads-digits"),
        pytest.param(TENS_FOUR, "tens unit six leads", SIZE_MATCH_FACTOR, id="six-is-four-or-more"),
        pytest.param(TENS_TWO, "TENS unit four-lead", SIZE_MISMATCH_FACTOR, id="four-is-not-two"),
        pytest.param(TENS_TWO, "two lead tens", SIZE_MATCH_FACTOR, id="two-leads-words"),
        pytest.param(TENS_FOUR, "2 lead tens", SIZE_MISMATCH_FACTOR, id="two-is-not-four-or-more"),
        pytest.param(TENS_FOUR, "tens unit", 1.0, id="no-lead-count"),
    ],
)
def test_widths_bounds_and_exclusive_ranges(rec, question, factor):
    assert size_factor(rec, question_sizes(question)) == factor


MODEL_CODE = record("G0087", "Care man home care plan 60 m",
                    "Comprehensive care management home care plan oversight. For use only in a medicare-approved "
                    "cmmi model.")
REPLACEMENT = record("E0182", "Replace pump, alt press pad", "Pump for alternating pressure pad, for replacement only")
C_CODE = record("C1789", "Prosthesis, breast, imp", "Prosthesis, breast (implantable)")
SUPPLY = record("A9270", "Non-covered item or service", "Noncovered item or service")
OXYGEN_PURCHASE = record("E0430", "Oxygen system gas portable", "Portable gaseous oxygen system, purchase; includes "
                         "regulator")
BIOSIMILAR = record("Q5110", "Inj nivestym 1 mcg", "Injection, filgrastim-aafi, biosimilar, (nivestym), 1 microgram")
REFERENCE = record("J2506", "Inj pegfilgrastim excl bio",
                   "Injection, pegfilgrastim, excludes biosimilar, 0.5 mg")
PREFIXED = record("J1447", "Inj tbo filgrastim 1 microg", "Injection, tbo-filgrastim, 1 microgram")
HH_MAINTENANCE = record("G0159", "Hhc pt maint ea 15 min", "Services performed by a qualified physical therapist, in "
                        "the home health setting, in the establishment or delivery of a safe and effective physical "
                        "therapy maintenance program, each 15 minutes")
HH_TEACHING = record("G0495", "Rn care train/edu in hh", "Skilled services of a registered nurse (rn), in the training "
                     "and/or education of a patient or family member, in the home health or hospice setting, each 15 "
                     "minutes")
HH_OBSERVATION = record("G0493", "Rn care ea 15 min hh/hospice", "Skilled services of a registered nurse (rn) for the "
                        "observation and assessment of the patient's condition, each 15 minutes")
HH_DIRECT = record("G0299", "Hhs/hospice of rn ea 15 min", "Direct skilled nursing services of a registered nurse (rn) "
                   "in the home health or hospice setting, each 15 minutes")
HH_ASSISTANT = record("G0157", "Hhc pt assistant ea 15", "Services performed by a qualified physical therapist "
                      "assistant in the home health or hospice setting, each 15 minutes")
PIN_ADD_ON = record("G0024", "Pin srv add 30 min pr m", "Principal illness navigation services, additional 30 minutes "
                    "per calendar month (list separately in addition to g0023)")
PIN_PRIMARY = record("G0023", "Pin service 60m per month", "Principal illness navigation services by certified or "
                     "trained auxiliary personnel, 60 minutes per calendar month")
MODIFIER = record("GY", "Item or service statutorily excluded", "Item or service statutorily excluded", "MODIFIER")


@pytest.mark.parametrize(
    ("rec", "question", "demoted"),
    [
        pytest.param(MODEL_CODE, "care plan oversight home health", True, id="model-code-unasked"),
        pytest.param(MODEL_CODE, "care plan oversight in the CMMI model", False, id="model-named"),
        pytest.param(REPLACEMENT, "alternating pressure pad with pump", True, id="replacement-unasked"),
        pytest.param(REPLACEMENT, "replacement pump for pressure pad", False, id="replacement-asked"),
        pytest.param(C_CODE, "breast prosthesis silicone", True, id="c-code-unasked"),
        pytest.param(C_CODE, "breast implant hospital outpatient", False, id="c-code-opps"),
        pytest.param(OXYGEN_PURCHASE, "portable gaseous oxygen system", True, id="oxygen-purchase-unasked"),
        pytest.param(OXYGEN_PURCHASE, "purchase of a portable oxygen system", False, id="oxygen-purchase-asked"),
        pytest.param(BIOSIMILAR, "filgrastim 300 mcg", True, id="biosimilar-unasked"),
        pytest.param(BIOSIMILAR, "nivestym 300 mcg", False, id="biosimilar-product-named"),
        pytest.param(BIOSIMILAR, "filgrastim-aafi", False, id="biosimilar-suffix-named"),
        pytest.param(BIOSIMILAR, "filgrastim biosimilar", False, id="biosimilar-said"),
        pytest.param(REFERENCE, "pegfilgrastim 6 mg", False, id="reference-product-excludes-biosimilars"),
        pytest.param(PREFIXED, "filgrastim 300 mcg", True, id="usan-prefix-unsaid"),
        pytest.param(PREFIXED, "tbo-filgrastim 300 mcg", False, id="usan-prefix-said"),
        pytest.param(HH_MAINTENANCE, "physical therapy home health per 15 min", True, id="hh-purpose-unsaid"),
        pytest.param(HH_MAINTENANCE, "PT maintenance program in the home", False, id="hh-maintenance-said"),
        pytest.param(HH_TEACHING, "RN visit home health 15 min", True, id="hh-teaching-unsaid"),
        pytest.param(HH_TEACHING, "RN teaching insulin in the home", False, id="hh-teaching-said"),
        pytest.param(HH_TEACHING, "home health nurse training the family", False, id="hh-training-said"),
        pytest.param(HH_OBSERVATION, "skilled nursing home health RN", True, id="hh-observation-unsaid"),
        pytest.param(HH_OBSERVATION, "RN observation and assessment at home", False, id="hh-observation-said"),
        pytest.param(HH_DIRECT, "skilled nursing home health RN", False, id="hh-direct-code-kept"),
        pytest.param(HH_ASSISTANT, "physical therapy home health each 15 minutes", True, id="assistant-unsaid"),
        pytest.param(HH_ASSISTANT, "PT assistant home health visit", False, id="assistant-said"),
        pytest.param(HH_ASSISTANT, "PTA visit in the home", False, id="pta-said"),
        pytest.param(PIN_ADD_ON, "principal illness navigation", True, id="add-on-unasked"),
        pytest.param(PIN_ADD_ON, "PIN additional 30 minutes", False, id="add-on-additional"),
        pytest.param(PIN_ADD_ON, "PIN add-on code", False, id="add-on-said"),
        pytest.param(PIN_ADD_ON, "each extra 30 min of navigation", False, id="add-on-each"),
        pytest.param(PIN_PRIMARY, "principal illness navigation", False, id="primary-kept"),
        pytest.param(SUPPLY, "statutory exclusion modifier", True, id="asks-for-a-modifier"),
        pytest.param(SUPPLY, "non-covered item", False, id="no-modifier-asked"),
        pytest.param(MODIFIER, "statutory exclusion modifier", False, id="the-modifier-kept"),
    ],
)
def test_priors_that_yield_unless_the_question_asks(rec, question, demoted):
    assert (prior_of(rec, question=question) < 1.0) is demoted


def test_a_non_modifier_yields_by_its_factor_only():
    assert prior_of(SUPPLY, question="statutory exclusion modifier") == NOT_A_MODIFIER_FACTOR


@pytest.mark.parametrize(
    ("left", "right", "meet"),
    [
        pytest.param("spinal applications", "spine", True, id="spinal-spine"),
        pytest.param("renal", "kidney", True, id="renal-kidney"),
        pytest.param("yearly", "annual", True, id="yearly-annual"),
        pytest.param("spinal", "knee", False, id="other-body-part"),
    ],
)
def test_body_part_adjectives_and_yearly_meet_their_words(left, right, meet):
    assert (set(tokenize(left)) & set(tokenize(right)) != set()) is meet
