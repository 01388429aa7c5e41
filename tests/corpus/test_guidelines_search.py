"""The article search (assistant/retrieval/guideline_search.py): phrasings by word set, what names an article."""

from __future__ import annotations

import pytest

from assistant.corpus.guidelines import Article, GuidelineSource
from assistant.retrieval.guideline_search import GuidelineIndex


def _article(article_id: str, title: str, phrasings: list[str], codes: list[str] | None = None) -> Article:
    return Article(
        id=article_id, title=title, topic="test", codes=codes or [], examples=["an example"],
        answer="A paragraph in our own words that answers the question for this test.",
        rule="The rule as applied, for this test.", payers="CPT and Medicare agree.", phrasings=phrasings,
        sources=[GuidelineSource(kind="primary", text="Medicare Claims Processing Manual 100-04 Ch. 12")],
    )


INDEX = GuidelineIndex([
    _article("keep-open", "Keep-open fluid", ["kvo", "keep vein open"], ["96360"]),
    _article("midpoint", "The midpoint time rule", ["midpoint rule", "time rule"]),
    _article("met-or-exceeded", "E/M time met or exceeded", ["does the midpoint apply to e/m", "e/m time"]),
    _article("subq", "Subcutaneous infusion", ["subq infusion", "96369"], ["96369", "96370"]),
])

SEARCHES = [
    pytest.param("is KVO billable", "keep-open", "kvo", id="one-rare-word-names-its-article"),
    pytest.param("does the midpoint rule apply to office e/m time?", "met-or-exceeded",
                 "does the midpoint apply to e/m", id="words-in-any-order-longest-phrasing-first"),
    pytest.param("what's the time rule", "midpoint", "time rule", id="two-word-phrasing"),
    pytest.param("when can I bill 96369", "subq", None, id="a-code-ranks-but-does-not-name"),
]


@pytest.mark.parametrize(("question", "article_id", "phrase"), SEARCHES)
def test_search_ranks_and_names(question: str, article_id: str, phrase: str | None):
    hits = INDEX.search(question)
    assert hits and hits[0].article.id == article_id
    assert hits[0].phrase == phrase


def test_a_code_the_article_concerns_is_reported():
    hits = INDEX.search("when can I bill 96369")
    assert hits and hits[0].codes == ("96369",)


@pytest.mark.parametrize("question", ["", "the and of", "zzz qqq"], ids=["empty", "stop-words", "unknown-words"])
def test_no_specific_word_finds_nothing(question: str):
    assert INDEX.search(question) == []


@pytest.mark.parametrize(("articles", "names"), [(3, True), (4, False)], ids=["rare-word-names", "common-word-not"])
def test_a_one_word_phrasing_names_only_when_few_articles_share_it(articles: int, names: bool):
    index = GuidelineIndex([_article(f"a{n}", f"Article number {n}", ["infusion", f"phrase {n}"])
                            for n in range(articles)])
    hits = index.search("infusion")
    assert (bool(hits) and hits[0].phrase == "infusion") is names
