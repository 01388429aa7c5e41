"""The retriever over the bundled corpus: exact codes first, shorthand found, filters kept, plain reasons given."""

from __future__ import annotations

import pytest

from assistant.retrieval.lexical import tokenize


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("what is 96369", ["96369"], id="what-is-code"),
        pytest.param("CPT 96370?", ["96370"], id="cpt-prefix-question-mark"),
        pytest.param("j1559", ["J1559"], id="lowercase-hcpcs"),
        pytest.param("difference between 96372 and 96374", ["96372", "96374"], id="two-codes-in-order"),
        pytest.param("is 99292 an add-on to 99291", ["99292", "99291"], id="add-on-question"),
    ],
)
def test_typed_codes_come_first_in_the_order_typed(bundled_retriever, question, expected):
    hits = bundled_retriever.search(question, k=5)
    assert [hit.code for hit in hits[: len(expected)]] == expected
    assert all("is in your question" in hit.why for hit in hits[: len(expected)])
    assert hits[0].score > max((hit.score for hit in hits[len(expected):]), default=0)


def test_a_typed_code_not_in_the_corpus_falls_back_to_search(bundled_retriever):
    hits = bundled_retriever.search("what is 96399 subq", k=3)
    assert hits and all(hit.code != "96399" for hit in hits)
    assert all("is in your question" not in hit.why for hit in hits)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("code for a second subq pump at a new site", "96371", id="second-subq-pump-new-site"),
        pytest.param("NS bolus", "96360", id="ns-bolus"),
        pytest.param("chemo push", "96409", id="chemo-push"),
        pytest.param("hizentra", "J1559", id="hizentra-drug"),
        pytest.param("crit care first hour", "99291", id="crit-care-first-hour"),
        pytest.param("ther ex", "97110", id="ther-ex"),
        pytest.param("rocephin", "J0696", id="rocephin"),
        pytest.param("Sub-Q infusions", "96369", id="hyphen-plural-case"),
        pytest.param("level 5 established", "99215", id="whole-lay-term-other-order"),
        pytest.param("30 minute therapy session", "90832", id="whole-lay-term-beats-shared-words"),
    ],
)
def test_coders_shorthand_finds_the_code_first(bundled_retriever, question, expected):
    hits = bundled_retriever.search(question, k=3)
    assert hits[0].code == expected, [(hit.code, hit.why) for hit in hits]


def test_hits_are_ordered_unique_and_explained_in_one_line(bundled_retriever):
    hits = bundled_retriever.search("IV push of a second drug", k=5)
    assert len(hits) == 5
    assert len({hit.code for hit in hits}) == 5
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    for hit in hits:
        assert hit.record.code == hit.code
        assert hit.why and "\n" not in hit.why


@pytest.mark.parametrize(
    ("family", "system", "keep"),
    [
        pytest.param("chemotherapy", None, lambda r: r.family == "chemotherapy", id="corpus-family"),
        pytest.param("subq_infusion", None, lambda r: r.time_rule == "subq_infusion", id="units-family"),
        pytest.param(None, "HCPCS", lambda r: r.system == "HCPCS", id="system-hcpcs"),
        pytest.param("drug_administration", "CPT", lambda r: r.family == "drug_administration", id="family-and-system"),
    ],
)
def test_filters_keep_only_matching_records(bundled_retriever, family, system, keep):
    hits = bundled_retriever.search("pump infusion first hour", k=5, family=family, system=system)
    assert hits
    assert all(keep(hit.record) for hit in hits), [hit.code for hit in hits]


def test_filter_applies_to_typed_codes_too(bundled_retriever):
    hits = bundled_retriever.search("96369", k=3, family="chemotherapy")
    assert hits and "96369" not in [hit.code for hit in hits]  # the typed subq code is not a chemotherapy record
    assert all(hit.record.family == "chemotherapy" for hit in hits)


@pytest.mark.parametrize(
    "question",
    [pytest.param("", id="empty"), pytest.param("   \n\t", id="blank")],
)
def test_empty_questions_find_nothing(bundled_retriever, question):
    assert bundled_retriever.search(question) == []


def test_a_huge_question_is_answered_without_error(bundled_retriever):
    hits = bundled_retriever.search("subq infusion " * 5000, k=3)
    assert hits and hits[0].record.time_rule == "subq_infusion"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("96369", "96369", id="exact"),
        pytest.param(" j1559 ", "J1559", id="lowercase-spaces"),
        pytest.param("99999", None, id="unknown"),
        pytest.param("subq", None, id="not-a-code"),
    ],
)
def test_lookup_is_exact(bundled_retriever, code, expected):
    record = bundled_retriever.lookup(code)
    assert (record.code if record else None) == expected


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        pytest.param("96399", "963", id="cpt-same-prefix"),
        pytest.param("J1560", "J15", id="hcpcs-same-letter"),
        pytest.param("99293", "9929", id="next-to-critical-care"),
    ],
)
def test_near_codes_share_the_prefix_and_exclude_the_code(bundled_retriever, code, prefix):
    near = bundled_retriever.near_codes(code, k=5)
    assert near and len(near) <= 5
    assert code not in [record.code for record in near]
    assert near[0].code.startswith(prefix)
    system = "HCPCS" if code[0].isalpha() else "CPT"
    assert all(record.system == system for record in near)


@pytest.mark.parametrize("code", [pytest.param("hello", id="word"), pytest.param("", id="empty")])
def test_near_codes_of_garbage_is_empty(bundled_retriever, code):
    assert bundled_retriever.near_codes(code) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("sub-q", ["subq", "sub"], id="hyphen-joined-and-part"),
        pytest.param("Sub Q", ["sub", "subq"], id="space-letter-joins"),
        pytest.param("SUBQ Infusions", ["subq", "infusion"], id="case-and-plural"),
        pytest.param("what is 96369", ["96369"], id="stopwords-and-code"),
        pytest.param("E/M visits", ["em", "visit"], id="slash"),
        pytest.param("2.5 hours", ["2.5", "hour"], id="decimal"),
        pytest.param("ADLs and therapies", ["adl", "therapy"], id="plural-ies"),
        pytest.param("Ringer's lactate", ["ringer", "lactate"], id="apostrophe"),
        pytest.param("PT eval 30 mins", ["pt", "evaluation", "30", "minute"], id="abbreviations"),
    ],
)
def test_tokenizer_folds_coders_spellings(text, expected):
    assert tokenize(text) == expected


@pytest.mark.parametrize(
    ("small_filter", "enough"),
    [
        pytest.param(4096, 5, id="small-set-from-cached-vectors"),
        pytest.param(0, 1, id="large-set-cut-from-deeper-query"),
        pytest.param(0, 10_000, id="fallback-to-chroma-filter"),
    ],
)
@pytest.mark.parametrize(
    ("family", "system"),
    [pytest.param("chemotherapy", None, id="chemotherapy"), pytest.param("therapy", "CPT", id="therapy-cpt"),
     pytest.param(None, "HCPCS", id="hcpcs")],
)
def test_every_dense_filter_path_ranks_like_chromas_own_filter(
    bundled_retriever, monkeypatch, small_filter, enough, family, system
):
    from assistant.retrieval import retriever as retriever_module
    from assistant.retrieval.retriever import _where

    monkeypatch.setattr(retriever_module, "EXACT_SCAN", 0)  # the paths of a corpus too big to rank exactly
    monkeypatch.setattr(retriever_module, "SMALL_FILTER", small_filter)
    monkeypatch.setattr(retriever_module, "FILTER_ENOUGH", enough)
    question = "pump started for a long infusion"
    vector = bundled_retriever.store.embeddings.embed_query(question)
    reference = bundled_retriever._nearest(vector, 5, _where(family, system))
    ranking = bundled_retriever.dense_ranking(question, 5, family, system)
    # The cut-from-deeper path may keep fewer than asked (at least FILTER_ENOUGH), never in another order.
    assert ranking and ranking[:3] == reference[: min(3, len(ranking))]
    if enough > 1:
        assert len(ranking) == len(reference)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("subq pump second site", id="shorthand"),
        pytest.param("chemo infusion each additional hour", id="common"),
        pytest.param("hizentra hizentra 100 mg", id="repeated-word"),
        pytest.param("zzz unknown", id="no-match"),
    ],
)
def test_vectorised_bm25_equals_rank_bm25(bundled_retriever, question):
    import numpy as np

    lexical = bundled_retriever.lexical
    tokens = tokenize(question)
    assert np.allclose(lexical.bm25_scores(tokens), lexical._bm25.get_scores(tokens))
