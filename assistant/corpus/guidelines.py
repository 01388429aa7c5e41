"""Guideline articles: the coding rules in our own words, one typed record per article (corpus/guidelines/*.yaml).

An article answers a rule question ("what is the 8 minute rule", "can I bill an E/M with 96372"): a one-paragraph
answer, the rule as the units engine applies it, the codes it concerns, worked examples, what payers differ on,
its sources typed like the engine's (`assistant.units.sources`: primary first, never only secondary), the
phrasings coders use, and, for the rules the engine applies, the families and encounter rules it explains and
their thresholds as data (a test compares them with the engine's tables, so the article cannot drift).

Every problem names the file, the line, the article and the field, like the code corpus loader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.corpus.loader import CorpusError
from assistant.units.registry import TIME_RULES
from assistant.units.sources import AUTHORITATIVE, SourceKind

GUIDELINES_DIRNAME = "guidelines"
"""The folder under the corpus directory holding the articles (the code loader skips it)."""

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^(?:\d{5}|\d{4}[FTU]|[A-Z]\d{4}|[A-Z0-9]{2})$")
Payer = Literal["cpt", "medicare", "both"]


class GuidelineSource(BaseModel):
    """One source of an article, typed like the engine's citations."""

    model_config = ConfigDict(extra="forbid")

    kind: SourceKind
    text: str = Field(min_length=10)


class Threshold(BaseModel):
    """A number the article states that the engine's table must hold: `code` starts at `at` minutes (a band's
    minimum, or an add-on's first unit) and, for an add-on, one more unit every `every` minutes."""

    model_config = ConfigDict(extra="forbid")

    family: str
    payer: Payer = "both"
    variant: list[str | bool] | None = None  # the table's variant values ("new"; "initial"; true), when it has them
    code: str
    at: int = Field(ge=1)
    every: int | None = Field(None, ge=1)

    @property
    def payers(self) -> tuple[str, ...]:
        return ("cpt", "medicare") if self.payer == "both" else (self.payer,)


class Article(BaseModel):
    """One guideline article."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = Field(min_length=5, max_length=120)
    topic: str = Field(min_length=3)
    answer: str = Field(min_length=40, description="One paragraph: the short answer a coder reads first.")
    rule: str = Field(min_length=20, description="The rule as the engine (or a coder) applies it.")
    codes: list[str] = Field(default_factory=list)
    examples: list[str] = Field(min_length=1)
    payers: str = Field(min_length=10, description="What CPT payers and Medicare differ on (or that they agree).")
    sources: list[GuidelineSource] = Field(min_length=1)
    phrasings: list[str] = Field(min_length=2, description="How coders ask it, in their words.")
    families: list[str] = Field(default_factory=list, description="Units-engine families this article explains.")
    encounter_rules: list[str] = Field(default_factory=list, description="Encounter rules (their source names).")
    thresholds: list[Threshold] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case words joined by hyphens, e.g. 'medicare-8-minute-rule'")
        return value

    @field_validator("codes")
    @classmethod
    def _code_shapes(cls, value: list[str]) -> list[str]:
        codes = [str(code).strip().upper() for code in value]
        bad = [code for code in codes if not _CODE.match(code)]
        if bad:
            raise ValueError(f"not a CPT, HCPCS or modifier code: {', '.join(bad)}")
        return codes

    @field_validator("phrasings")
    @classmethod
    def _phrasings(cls, value: list[str]) -> list[str]:
        return [phrase.strip() for phrase in value if phrase.strip()]

    @model_validator(mode="after")
    def _primary_first(self) -> Article:
        # The answer lists primary sources first: a secondary source never comes before an authoritative one, and
        # an article never rests on secondary sources alone (assistant.units.sources.is_authoritative).
        if self.sources[0].kind not in AUTHORITATIVE:
            raise ValueError("sources: the first source must be primary, cpt or contractor (primary sources first)")
        seen_other = False
        for source in self.sources:
            if source.kind not in AUTHORITATIVE:
                seen_other = True
            elif seen_other:
                raise ValueError(f"sources: '{source.text[:40]}...' ({source.kind}) comes after a secondary source")
        return self

    @property
    def primary_sources(self) -> list[GuidelineSource]:
        return [source for source in self.sources if source.kind in AUTHORITATIVE]


class _LineMap(dict):
    line: int = 0
    key_lines: dict[str, int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader whose mappings remember their lines (for errors) and refuse duplicate keys."""


def _construct(loader: _Loader, node: yaml.MappingNode) -> Iterator[_LineMap]:
    data = _LineMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in data.key_lines:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key_node.value}'",
                                                        key_node.start_mark)
            data.key_lines[key_node.value] = key_node.start_mark.line + 1
    data.update(loader.construct_mapping(node, deep=True))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct)


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError(path, f"cannot read the file: {error}") from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise CorpusError(path, f"not valid YAML: {error.problem or error}",
                          line=mark.line + 1 if mark is not None else None) from error


def _articles_of_file(path: Path) -> list[tuple[Article, int]]:
    document = _read(path)
    if not isinstance(document, list) or not document:
        raise CorpusError(path, "the file should be a non-empty YAML list of articles (each starting '- id: ...')",
                          line=1)
    articles = []
    for index, raw in enumerate(document):
        label = str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") else f"#{index + 1} (no id)"
        if not isinstance(raw, _LineMap):
            raise CorpusError(path, f"article #{index + 1} should be a mapping of fields")
        try:
            article = Article.model_validate(dict(raw))
        except ValidationError as error:
            problem = error.errors()[0]
            loc = tuple(problem.get("loc", ()))
            field = ".".join(str(part) for part in loc) or "sources"
            message = problem["msg"]
            if problem.get("type") == "extra_forbidden":
                message = "unknown field (allowed: " + ", ".join(Article.model_fields) + ")"
            first = loc[0] if loc and isinstance(loc[0], str) else None
            line = raw.key_lines.get(first, raw.line) if first else raw.line
            raise CorpusError(path, message, line=line, record=label, field=field) from error
        articles.append((article, raw.line))
    return articles


class Guidelines:
    """The loaded articles, by id, in file order."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles: list[Article] = list(articles)
        self._by_id = {article.id: article for article in self.articles}

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def for_family(self, family: str) -> list[Article]:
        return [article for article in self.articles if family in article.families]

    def topics(self) -> list[str]:
        return list(dict.fromkeys(article.topic for article in self.articles))


def load_guidelines(directory: Path) -> Guidelines:
    """Every article of every `*.yaml` file in `directory` (sorted), validated; ids unique across files, families
    known to the units registry. Raises `CorpusError` naming the file, line, article and field."""

    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(directory, "the guidelines directory does not exist")
    articles: list[Article] = []
    where: dict[str, tuple[Path, int]] = {}
    for path in sorted(directory.glob("*.yaml")):
        for article, line in _articles_of_file(path):
            if article.id in where:
                first, first_line = where[article.id]
                raise CorpusError(path, f"id {article.id!r} is already used in {first}, line {first_line}",
                                  line=line, record=article.id, field="id")
            unknown = [f for f in [*article.families, *(t.family for t in article.thresholds)] if f not in TIME_RULES]
            if unknown:
                raise CorpusError(path, f"unknown family {unknown[0]!r} (known: {', '.join(TIME_RULES)})",
                                  line=line, record=article.id, field="families")
            where[article.id] = (path, line)
            articles.append(article)
    if not articles:
        raise CorpusError(directory, "no guideline articles found (*.yaml)")
    return Guidelines(articles)
