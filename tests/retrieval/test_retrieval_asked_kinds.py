"""Issue 22, fifth pass: what a question says about the kind of code it wants (asked_kinds.py), pad sides and weight
capacities as sizes (sizes.py), joined words and orthosis abbreviations on the lexical side (lexical.py)."""

from __future__ import annotations

import pytest

from assistant.corpus.records import CodeRecord
from assistant.retrieval.asked_kinds import (
    CUSTOM_FABRICATED,
    CUSTOM_FITTED,
    OFF_THE_SHELF,
    OTHER_FABRICATION_FACTOR,
    OTHER_LETTER_FACTOR,
    OTHER_UNIT_FACTOR,
    asked_fabrication,
    asked_letter,
    asked_note,
    billing_unit_factor,
    billing_units,
    code_letter_factor,
    fabrication_factor,
    read_asked,
    record_fabrication,
)
from assistant.retrieval.lexical import LexicalIndex, tokenize
from assistant.retrieval.sizes import SIZE_MATCH_FACTOR, SIZE_MISMATCH_FACTOR, question_sizes, size_factor


def record(code: str, descriptor: str, title: str | None = None, system: str = "HCPCS") -> CodeRecord:
    return CodeRecord(code=code, system=system, family="hcpcs", title=title or descriptor[:28], lay_terms=[],
                      description="A record made for a retrieval rule test, in our own words.",
                      official_descriptor=descriptor)


@pytest.mark.parametrize(
    ("question", "letter"),
    [
        pytest.param("what is the J code for zofran", "J", id="J-code"),
        pytest.param("crisis psychotherapy G-code", "G", id="G-hyphen"),
        pytest.param("chemo IV push q code", "Q", id="lower-case-q"),
        pytest.param("suture anchor device C codes", "C", id="plural"),
        pytest.param("is there an A code for this dressing", "A", id="an-A-code"),
        pytest.param("A codes for dressings", "A", id="A-codes"),
        pytest.param("A code for zofran?", None, id="sentence-starting-with-the-article"),
        pytest.param("I code this as 96372", None, id="I-is-no-section"),
        pytest.param("don't code the flush", None, id="contraction-is-no-section"),
        pytest.param("is there a code for a dressing", None, id="article-a-is-not-A"),
        pytest.param("what code for zofran", None, id="no-letter"),
        pytest.param("ICD code for diabetes", None, id="ICD-is-not-a-letter"),
        pytest.param("bar code scanner", None, id="word-ending-in-a-letter"),
    ],
)
def test_asked_letter(question, letter):
    assert asked_letter(question) == letter


@pytest.mark.parametrize(
    ("code", "letter", "factor"),
    [
        pytest.param("J2405", "J", 1.0, id="same-section"),
        pytest.param("96374", "J", OTHER_LETTER_FACTOR, id="CPT-when-J-asked"),
        pytest.param("Q0162", "J", OTHER_LETTER_FACTOR, id="other-section"),
        pytest.param("96374", None, 1.0, id="nothing-asked"),
    ],
)
def test_code_letter_factor(code, letter, factor):
    system = "HCPCS" if code[0].isalpha() else "CPT"
    assert code_letter_factor(record(code, "Some service", system=system), letter) == factor


LSO_OTS = record("L0648", "Lumbar-sacral orthosis, sagittal control, with rigid anterior and posterior panels, "
                 "prefabricated, off-the-shelf")
LSO_FITTED = record("L0631", "Lumbar-sacral orthosis, sagittal control, with rigid anterior and posterior panels, "
                    "prefabricated item that has been trimmed, bent, molded, assembled, or otherwise customized to fit "
                    "a specific patient by an individual with expertise")
LSO_CUSTOM = record("L0632", "Lumbar-sacral orthosis, sagittal control, with rigid anterior and posterior panels, "
                    "custom fabricated")
CANE = record("E0100", "Cane, includes canes of all materials, adjustable or fixed, with tip")


@pytest.mark.parametrize(
    ("rec", "fabrication"),
    [
        pytest.param(LSO_OTS, OFF_THE_SHELF, id="off-the-shelf"),
        pytest.param(LSO_FITTED, CUSTOM_FITTED, id="customized-to-fit"),
        pytest.param(LSO_CUSTOM, CUSTOM_FABRICATED, id="custom-fabricated"),
        pytest.param(CANE, None, id="no-class"),
    ],
)
def test_record_fabrication(rec, fabrication):
    assert record_fabrication(rec) == fabrication


@pytest.mark.parametrize(
    ("question", "fabrication"),
    [
        pytest.param("LSO sagittal control OTS", OFF_THE_SHELF, id="OTS"),
        pytest.param("knee brace off the shelf", OFF_THE_SHELF, id="off-the-shelf-words"),
        pytest.param("elbow orthosis custom fitted", CUSTOM_FITTED, id="custom-fitted"),
        pytest.param("prefab knee brace custom-fit", CUSTOM_FITTED, id="custom-fit"),
        pytest.param("custom fabricated KAFO", CUSTOM_FABRICATED, id="custom-fabricated"),
        pytest.param("custom molded AFO", CUSTOM_FABRICATED, id="custom-molded"),
        pytest.param("knee brace", None, id="none-said"),
        pytest.param("lots of patients", None, id="lowercase-ots-inside-a-word"),
    ],
)
def test_asked_fabrication(question, fabrication):
    assert asked_fabrication(question) == fabrication


@pytest.mark.parametrize(
    ("rec", "question", "factor"),
    [
        pytest.param(LSO_FITTED, "LSO sagittal control rigid panels OTS", OTHER_FABRICATION_FACTOR, id="fitted-vs-OTS"),
        pytest.param(LSO_OTS, "LSO sagittal control rigid panels OTS", 1.0, id="OTS-asked"),
        pytest.param(LSO_OTS, "LSO custom fabricated", OTHER_FABRICATION_FACTOR, id="OTS-vs-custom"),
        pytest.param(LSO_FITTED, "LSO sagittal control", 1.0, id="none-asked-left-alone"),
        pytest.param(CANE, "cane OTS", 1.0, id="record-without-class"),
    ],
)
def test_fabrication_factor(rec, question, factor):
    assert fabrication_factor(rec, asked_fabrication(question)) == factor


@pytest.mark.parametrize(
    ("text", "units"),
    [
        pytest.param("RN nursing care in the home per hour", {"60 min"}, id="per-hour"),
        pytest.param("Services of home health aide, each 15 minutes", {"15 min"}, id="each-15-minutes"),
        pytest.param("Hyperbaric oxygen under pressure, full body chamber, per 30 minute interval", {"30 min"},
                     id="per-30-minute-interval"),
        pytest.param("Nursing care, in the home, by registered nurse, per diem", {"day"}, id="per-diem"),
        pytest.param("home aide hourly", {"60 min"}, id="hourly"),
        pytest.param("care management per calendar month", {"month"}, id="calendar-month"),
        pytest.param("Blood glucose test strips, per 50 strips", set(), id="a-package-is-not-time"),
        pytest.param("nursing care 2 hours", set(), id="a-duration-is-not-a-unit"),
    ],
)
def test_billing_units(text, units):
    assert billing_units(text) == units


RN_PER_HOUR = record("S9123", "Nursing care, in the home; by registered nurse, per hour")
RN_PER_DIEM = record("T1030", "Nursing care, in the home, by registered nurse, per diem")
RN_NO_UNIT = record("G0490", "Face-to-face home health nursing visit by a rural health clinic")


@pytest.mark.parametrize(
    ("rec", "question", "factor"),
    [
        pytest.param(RN_PER_DIEM, "RN home nursing per hour", OTHER_UNIT_FACTOR, id="other-unit"),
        pytest.param(RN_PER_HOUR, "RN home nursing per hour", 1.0, id="same-unit"),
        pytest.param(RN_NO_UNIT, "RN home nursing per hour", 1.0, id="record-names-no-unit"),
        pytest.param(RN_PER_DIEM, "RN home nursing", 1.0, id="question-names-no-unit"),
    ],
)
def test_billing_unit_factor(rec, question, factor):
    assert billing_unit_factor(rec, billing_units(question)) == factor


FOAM_SMALL = record("A6209", "Foam dressing, wound cover, sterile, pad size 16 sq. in. or less, without adhesive "
                    "border")
FOAM_MIDDLE = record("A6210", "Foam dressing, wound cover, sterile, pad size more than 16 sq. in. but less than or "
                     "equal to 48 sq. in., without adhesive border")
POV_STANDARD = record("K0800", "Power operated vehicle, group 1 standard, patient weight capacity up to and including "
                      "300 pounds")
POV_HEAVY = record("K0801", "Power operated vehicle, group 1 heavy duty, patient weight capacity 301 to 450 pounds")
BARIATRIC_BED = record("E0303", "Hospital bed, heavy duty, extra wide, with weight capacity greater than 350 pounds, "
                       "but less than or equal to 600 pounds, with any type side rails, with mattress")
TORQUE = record("A6451", "Moderate compression bandage, elastic, knitted/woven, load resistance of 1.25 to 1.34 foot "
                "pounds at 50% maximum stretch, width greater than or equal to 3 inches and less than 5 inches")


@pytest.mark.parametrize(
    ("rec", "question", "factor"),
    [
        pytest.param(FOAM_MIDDLE, "foam dressing 6x6 without border", SIZE_MATCH_FACTOR, id="6x6-is-36-sq-in"),
        pytest.param(FOAM_SMALL, "foam dressing 6x6 without border", SIZE_MISMATCH_FACTOR, id="6x6-not-16-or-less"),
        pytest.param(FOAM_SMALL, "foam dressing 4 x 4 in", SIZE_MATCH_FACTOR, id="4-by-4-is-16"),
        pytest.param(FOAM_MIDDLE, "foam dressing 4x4", SIZE_MISMATCH_FACTOR, id="4x4-not-more-than-16"),
        pytest.param(FOAM_SMALL, "foam dressing 4x4 or smaller", SIZE_MATCH_FACTOR, id="sides-as-a-bound"),
        pytest.param(FOAM_SMALL, "96372 x 6", 1.0, id="a-code-times-units-is-no-pad"),
        pytest.param(POV_STANDARD, "POV scooter group 1 up to 300 lbs", SIZE_MATCH_FACTOR, id="up-to-300-lbs"),
        pytest.param(POV_HEAVY, "POV scooter group 1 up to 300 lbs", SIZE_MISMATCH_FACTOR, id="not-301-to-450"),
        pytest.param(POV_HEAVY, "scooter for a 350 lb patient", SIZE_MATCH_FACTOR, id="350-lb-in-301-to-450"),
        pytest.param(POV_STANDARD, "scooter for a 300 pound patient", SIZE_MATCH_FACTOR, id="boundary-300-included"),
        pytest.param(POV_STANDARD, "scooter for a 301 pound patient", SIZE_MISMATCH_FACTOR, id="boundary-301-over"),
        pytest.param(POV_HEAVY, "scooter for a 301 pound patient", SIZE_MATCH_FACTOR, id="boundary-301-heavy"),
        pytest.param(BARIATRIC_BED, "hospital bed for 350 lb patient", SIZE_MISMATCH_FACTOR,
                     id="boundary-350-excluded"),
        pytest.param(BARIATRIC_BED, "hospital bed for 351 lb patient", SIZE_MATCH_FACTOR, id="just-over-350"),
        pytest.param(TORQUE, "bandage for 300 lb patient", 1.0, id="foot-pounds-are-not-a-weight"),
        pytest.param(POV_HEAVY, "POV group 1 heavy duty", SIZE_MATCH_FACTOR, id="group-1-matches"),
        pytest.param(POV_HEAVY, "POV group 2 heavy duty", SIZE_MISMATCH_FACTOR, id="group-2-is-not-group-1"),
        pytest.param(POV_HEAVY, "POV group 1 up to 300 lbs", SIZE_MISMATCH_FACTOR,
                     id="one-exclusive-mismatch-outweighs-a-match"),
        pytest.param(POV_STANDARD, "POV group I up to 300 lbs", SIZE_MATCH_FACTOR, id="roman-group"),
        pytest.param(POV_HEAVY, "diabetes education group class", 1.0, id="a-group-class-has-no-number"),
    ],
)
def test_sides_and_weights(rec, question, factor):
    assert size_factor(rec, question_sizes(question)) == factor


def test_two_by_a_volume_is_not_a_pad():
    assert [size.dimension for size in question_sizes("2 x 500 ml normal saline")] == ["volume"]


@pytest.mark.parametrize(
    ("text", "has", "lacks"),
    [
        pytest.param("Lumbar-sacral orthosis, flexible", "lso", "tlso", id="lso"),
        pytest.param("thoracic-lumbar-sacral orthosis", "tlso", "lso", id="tlso-not-lso"),
        pytest.param("knee ankle foot orthosis", "kafo", "afo", id="kafo-not-afo"),
        pytest.param("ankle foot orthosis", "afo", "kafo", id="afo"),
        pytest.param("elbow wrist hand finger orthosis", "ewhfo", "whfo", id="ewhfo-not-whfo"),
    ],
)
def test_orthosis_abbreviations(text, has, lacks):
    words = tokenize(text)
    assert has in words and lacks not in words


@pytest.fixture(scope="module")
def pap_index() -> LexicalIndex:
    return LexicalIndex([
        record("A7036", "Chinstrap used with positive airway pressure device", "Pos airway press chinstrap"),
        record("E2324", "Power wheelchair accessory, chin cup for chin control interface", "Chin cup interface"),
        record("A4338", "Indwelling catheter; foley type, two-way latex with coating", "Indwelling catheter latex"),
        record("L0628", "Lumbar-sacral orthosis, flexible, provides lumbo-sacral support, posterior extends from "
                        "sacrococcygeal junction to t-9 vertebra, produces intracavitary pressure to reduce load on "
                        "the intervertebral discs, includes straps, closures, may include stays, shoulder straps, "
                        "pendulous abdomen design, prefabricated, off-the-shelf", "Lso flex no ri stays pre ots"),
    ])


def test_joined_words(pap_index):
    assert pap_index.joined_words(["pap", "chin", "strap"]) == ["chinstrap"]
    assert pap_index.rank("CPAP chin strap").bm25[0].index == 0  # the chinstrap, not the chin cup
    # "two-way" already yields "twoway": joining "two" and "way" again would count it twice
    assert pap_index.joined_words(list(tokenize("foley two-way latex"))) == []


def test_long_orthosis_descriptor_keeps_its_class(pap_index):
    match = pap_index.rank("LSO off the shelf").bm25[0]
    assert match.index == 3 and pap_index.bm25_scores(["shelf"])[3] > 0


@pytest.mark.parametrize(
    ("rec", "question", "note"),
    [
        pytest.param(record("J2405", "Injection, ondansetron hydrochloride, per 1 mg"), "J code for zofran",
                     "you asked for a J code", id="letter"),
        pytest.param(LSO_OTS, "LSO OTS", "it is the off-the-shelf orthosis you named", id="fabrication"),
        pytest.param(RN_PER_HOUR, "RN home nursing per hour", "it is billed per hour, as you said", id="per-hour"),
        pytest.param(record("G0156", "Services of home health/hospice aide, each 15 minutes"),
                     "home health aide each 15 min", "it is billed each 15 min, as you said", id="each-15"),
        pytest.param(RN_PER_DIEM, "RN home nursing per hour", None, id="other-unit-no-note"),
        pytest.param(LSO_FITTED, "LSO OTS", None, id="other-class-no-note"),
    ],
)
def test_asked_note(rec, question, note):
    assert asked_note(rec, read_asked(question)) == note


@pytest.mark.parametrize(
    ("text", "has"),
    [
        pytest.param("foley type, three way for continuous irrigation", "3", id="three-is-3"),
        pytest.param("two piece drainable pouch", "2", id="two-is-2"),
        pytest.param("hearing aid for one ear", "monaural", id="one-ear"),
        pytest.param("hearing aids, both ears", "binaural", id="both-ears"),
        pytest.param("full electric hospital bed", "total", id="full-electric"),
    ],
)
def test_spellings_that_meet(text, has):
    assert has in tokenize(text)


def test_a_negated_number_word_stays_negated():
    assert "2" not in tokenize("no two piece")
