"""The guideline articles (corpus/guidelines): the bundled set, and the loader's errors naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.guidelines import GUIDELINES_DIRNAME, load_guidelines
from assistant.corpus.loader import CorpusError, load_records
from assistant.settings import REPO_ROOT
from assistant.units.sources import AUTHORITATIVE

BUNDLED = REPO_ROOT / "corpus" / GUIDELINES_DIRNAME
GUIDELINES = load_guidelines(BUNDLED)

# The topics issue 23 lists, each with the id of an article that covers it.
TOPICS = [
    ("cpt midpoint time rule", "cpt-time-rule-midpoint"), ("medicare 8-minute rule", "medicare-8-minute-rule"),
    ("drug administration hierarchy", "drug-admin-hierarchy-facility"),
    ("one initial per encounter", "one-initial-per-encounter"), ("sequential", "sequential-infusion"),
    ("concurrent", "concurrent-infusion"), ("hydration", "hydration-with-other-drugs"), ("pushes", "iv-push"),
    ("96376", "push-96376-facility-only"), ("physician vs facility", "physician-vs-facility-drug-admin"),
    ("port flush", "port-flush"), ("KVO", "kvo-keep-open"), ("chemotherapy", "chemo-infusion-timing"),
    ("complex biologics", "chemo-complex-biologics"), ("JW/JZ", "jw-jz-modifiers"),
    ("drug units", "drug-units-rounding"),
    ("modifier 25", "modifier-25"), ("modifier 59", "modifier-59"), ("X{EPSU}", "x-modifiers"),
    ("50", "modifier-50-bilateral"), ("RT/LT", "rt-lt-modifiers"), ("26/TC", "modifier-26-tc"),
    ("76/77", "modifiers-76-77"), ("91", "modifier-91"), ("GA/ABN", "abn-ga-modifier"), ("GY/GZ", "gy-gz-modifiers"),
    ("telehealth modifiers", "telehealth-modifiers"), ("telehealth POS", "telehealth-pos"),
    ("NCCI basics", "ncci-ptp-basics"), ("PTP indicators", "ptp-modifier-indicators"), ("MUE", "mue-basics"),
    ("MAI", "mue-mai"), ("medically unlikely vs policy", "mue-policy-vs-clinical"),
    ("E/M time vs MDM", "em-time-vs-mdm"),
    ("prolonged services", "prolonged-services-office"), ("critical care", "critical-care-time"),
    ("psychotherapy with E/M", "psychotherapy-with-em"), ("care management", "ccm-requirements"),
    ("moderate sedation", "moderate-sedation-time"), ("global surgery", "global-surgery-periods"),
    ("incident-to", "incident-to"), ("split/shared", "split-shared-visits"),
    ("99211 with drug administration", "99211-with-drug-administration"), ("add-on codes", "add-on-codes"),
]


def test_at_least_80_articles_with_unique_ids():
    ids = [article.id for article in GUIDELINES]
    assert len(ids) >= 80
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("topic", "article_id"), TOPICS, ids=[t for t, _ in TOPICS])
def test_every_topic_of_the_issue_has_its_article(topic: str, article_id: str):
    assert GUIDELINES.get(article_id) is not None, f"no article for {topic}"


@pytest.mark.parametrize("article", GUIDELINES.articles, ids=lambda a: a.id)
def test_article_is_complete_and_cites_a_primary_source_first(article):
    assert article.sources[0].kind in AUTHORITATIVE
    assert article.examples and len(article.phrasings) >= 2


def test_code_loader_skips_the_guideline_folder():
    codes = load_records(REPO_ROOT / "corpus")
    assert codes and not any(record.code == "medicare-8-minute-rule" for record in codes)


GOOD = """- id: sample-rule
  title: A sample rule
  topic: time rules
  answer: A sample paragraph answering the rule question in our own words, long enough.
  rule: The rule as the engine applies it.
  examples: ["one example"]
  payers: CPT and Medicare agree here.
  sources:
    - {kind: primary, text: "Medicare Claims Processing Manual 100-04 Ch. 12 §30.5"}
  phrasings: ["sample rule", "the sample"]
"""

BAD_FILES = [
    pytest.param(GOOD.replace("  title: A sample rule\n", ""), "field 'title'", 1, id="missing-title"),
    pytest.param(GOOD.replace("id: sample-rule", "id: Sample Rule"), "field 'id'", 1, id="id-not-a-slug"),
    pytest.param(GOOD + "  colour: red\n", "field 'colour': unknown field", 1, id="unknown-field"),
    pytest.param(GOOD.replace("kind: primary", "kind: secondary"), "primary sources first", 1,
                 id="secondary-source-first"),
    pytest.param(GOOD.replace("kind: primary", "kind: official"), "field 'sources.0.kind'", 1,
                 id="unknown-source-kind"),
    pytest.param(GOOD.replace('examples: ["one example"]', "examples: []"), "field 'examples'", 1, id="no-examples"),
    pytest.param(GOOD + '  codes: ["9636"]\n', "field 'codes'", 1, id="bad-code-shape"),
    pytest.param(GOOD + "  families: [subq]\n", "unknown family 'subq'", 1, id="unknown-family"),
    pytest.param("id: sample\n", "YAML list of articles", 1, id="not-a-list"),
    pytest.param("- id: [unclosed\n", "not valid YAML", None, id="invalid-yaml"),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD_FILES)
def test_a_bad_article_names_the_file_line_and_field(tmp_path: Path, text: str, message: str, line: int | None):
    path = tmp_path / "topic.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_guidelines(tmp_path)
    assert "topic.yaml" in str(caught.value) and message in str(caught.value)
    if line is not None:
        assert caught.value.line is not None and caught.value.line >= line


def test_a_good_article_loads(tmp_path: Path):
    (tmp_path / "topic.yaml").write_text(GOOD, encoding="utf-8")
    loaded = load_guidelines(tmp_path)
    assert [article.id for article in loaded] == ["sample-rule"]


def test_an_id_used_twice_names_both_places(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"b\.yaml.*already used in .*a\.yaml, line 1"):
        load_guidelines(tmp_path)


def test_a_missing_folder_or_an_empty_one_is_an_error(tmp_path: Path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_guidelines(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="no guideline articles"):
        load_guidelines(tmp_path)
