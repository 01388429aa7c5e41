"""Codes typed in free text: CPT/HCPCS found exactly; ICD-10-CM only in its dotted form."""

import pytest

from assistant.corpus.codes import find_codes, find_icd10_codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("what is 96369", ["96369"], id="cpt"),
        pytest.param("CPT 96370? and j1559", ["96370", "J1559"], id="cpt-and-lowercase-hcpcs"),
        pytest.param("subq 2.5 hours", [], id="decimal-is-not-a-code"),
        pytest.param("B12 1000mcg", [], id="dose-is-not-a-code"),
        pytest.param("0591T and 3008F", ["0591T", "3008F"], id="category-iii-and-ii"),
        pytest.param("96369 96369", ["96369"], id="no-duplicates"),
    ],
)
def test_find_codes(text: str, expected: list[str]):
    assert find_codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("what is K92.2", ["K92.2"], id="dotted"),
        pytest.param("e11.65 and I10", ["E11.65"], id="undotted-i10-is-not-claimed"),
        pytest.param("J1559 100 mg", [], id="hcpcs-is-not-icd10"),
    ],
)
def test_find_icd10_codes(text: str, expected: list[str]):
    assert find_icd10_codes(text) == expected


# --- issue 12 item 1: every code shape with its span -------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from assistant.corpus.codes import find_code_spans, find_modifiers, find_ndcs, normalize_ndc  # noqa: E402


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("what is 96369", [("96369", "cpt")], id="cpt"),
        pytest.param("J9271 for keytruda", [("J9271", "hcpcs")], id="hcpcs"),
        pytest.param("0591T", [("0591T", "category_iii")], id="category-iii"),
        pytest.param("3008F", [("3008F", "category_ii")], id="category-ii"),
        pytest.param("0001U", [("0001U", "pla")], id="pla"),
        pytest.param("96372x6", [("96372", "cpt")], id="times-sign-glued"),
        pytest.param("what is 96369.", [("96369", "cpt")], id="sentence-period"),
        pytest.param("12345.6 mg", [], id="decimal-not-a-code"),
        pytest.param("what is modifier 59", [("59", "modifier")], id="modifier-word-before"),
        pytest.param("mod -25 on the visit", [("25", "modifier")], id="mod-hyphen"),
        pytest.param("59 modifier on 96413", [("59", "modifier"), ("96413", "cpt")], id="modifier-word-after"),
        pytest.param("modifiers 25 and 59", [("25", "modifier"), ("59", "modifier")], id="modifier-list"),
        pytest.param("99214-25", [("99214", "cpt"), ("25", "modifier")], id="modifier-on-code"),
        pytest.param("96413-59-XU", [("96413", "cpt"), ("59", "modifier"), ("XU", "modifier")], id="modifier-chain"),
        pytest.param("J9271-JZ", [("J9271", "hcpcs"), ("JZ", "modifier")], id="jz-on-drug"),
        pytest.param("what does JW mean", [("JW", "modifier")], id="distinct-modifier-alone"),
        pytest.param("what does jw mean", [("JW", "modifier")], id="distinct-modifier-lowercase"),
        pytest.param("modifier for discarded drug", [], id="modifier-word-without-code"),
        pytest.param("give it po at 1030", [], id="lowercase-po-is-by-mouth"),
        pytest.param("zofran 8 mg PO", [], id="capital-po-alone-is-by-mouth"),
        pytest.param("IV push in RT arm", [], id="rt-alone-is-a-side-not-a-modifier"),
        pytest.param("RT modifier on 73030", [("RT", "modifier"), ("73030", "cpt")], id="rt-in-modifier-context"),
        pytest.param("73030-RT", [("73030", "cpt"), ("RT", "modifier")], id="rt-on-a-code"),
        pytest.param("is TC billable", [("TC", "modifier")], id="tc-in-capitals"),
        pytest.param("GA ABN on file", [("GA", "modifier")], id="ga-in-capitals"),
        pytest.param("25 units of heparin", [], id="number-without-modifier-context"),
        pytest.param("NDC 00006-3026-02", [("00006-3026-02", "ndc")], id="ndc-5-4-2"),
        pytest.param("NDC 0006-3026-02", [("00006-3026-02", "ndc")], id="ndc-4-4-2"),
        pytest.param("NDC 00006-326-02", [("00006-0326-02", "ndc")], id="ndc-5-3-2"),
        pytest.param("NDC 00006-3026-2", [("00006-3026-02", "ndc")], id="ndc-5-4-1"),
        pytest.param("00006302602 at 10:30", [("00006-3026-02", "ndc")], id="ndc-11-digit"),
        pytest.param("call 555-123-4567", [], id="phone-number-not-ndc"),
    ],
)
def test_find_code_spans(text: str, expected: list[tuple[str, str]]):
    assert [(span.code, span.kind) for span in find_code_spans(text)] == expected


def test_spans_point_at_the_text():
    text = "bill 99214-25 and NDC 0006-3026-02"
    for span in find_code_spans(text):
        assert text[span.start:span.end] == span.surface
        assert span.surface.upper().replace("-", "") in span.code.replace("-", "") or span.kind == "ndc"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("0006-3026-02", "00006-3026-02", id="4-4-2"),
        pytest.param("00006-326-02", "00006-0326-02", id="5-3-2"),
        pytest.param("00006-3026-2", "00006-3026-02", id="5-4-1"),
        pytest.param("00006-3026-02", "00006-3026-02", id="5-4-2"),
        pytest.param("00006302602", "00006-3026-02", id="11-digit"),
        pytest.param("0006302602", None, id="10-digit-bare-is-ambiguous"),
        pytest.param("006-3026-02", None, id="9-digits"),
    ],
)
def test_normalize_ndc(text: str, expected: str | None):
    assert normalize_ndc(text) == expected


def test_find_modifiers_and_ndcs():
    text = "99214-25, 96372, modifier 59, NDC 0006-3026-02 and 00006302602"
    assert find_modifiers(text) == ["25", "59"]
    assert find_ndcs(text) == ["00006-3026-02"]
    assert find_codes(text) == ["99214", "96372"]


@given(
    labeler=st.integers(0, 99999), product=st.integers(0, 9999), package=st.integers(0, 99),
    form=st.sampled_from(["5-4-2", "4-4-2", "5-3-2", "11"]),
    template=st.sampled_from(["{}", "NDC {}", "ndc {} 10 mL", "give {} at 09:30", "{}, J9271 x200"]),
)
def test_an_ndc_is_never_a_cpt_code(labeler: int, product: int, package: int, form: str, template: str):
    if form == "5-4-2":
        ndc = f"{labeler:05d}-{product:04d}-{package:02d}"
    elif form == "4-4-2":
        ndc = f"{labeler % 10000:04d}-{product:04d}-{package:02d}"
    elif form == "5-3-2":
        ndc = f"{labeler:05d}-{product % 1000:03d}-{package:02d}"
    else:
        ndc = f"{labeler:05d}{product:04d}{package:02d}"
    text = template.format(ndc)
    spans = find_code_spans(text)
    assert [s.kind for s in spans if s.start <= text.index(ndc) < s.end] == ["ndc"]
    assert all(s.kind != "cpt" for s in spans)


@given(st.text(alphabet=st.sampled_from(list("0123456789-JjWwXxUuMmOoDdIiFfEeRr .,:")), max_size=60))
def test_spans_never_overlap_and_point_at_the_text(text: str):
    spans = find_code_spans(text)
    for span in spans:
        assert text[span.start:span.end] == span.surface
        assert span.code == span.code.upper()
    for first, second in zip(spans, spans[1:], strict=False):
        assert first.end <= second.start
