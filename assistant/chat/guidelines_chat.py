"""The guideline route: rule questions answered from our articles (issue 23 item 2).

- A rule question ("what is the 8 minute rule", "when can I use modifier 25", "is port flush billable with an
  infusion", "do I need an ABN") with nothing to count gets the article: its short answer first, then the rule,
  examples, what payers differ on, and its sources (primary first).
- With codes named ("can I bill 99211 with 96372 for Medicare"), the article plus the table facts for those codes
  from the NCCI store when it is loaded (the PTP edit between them and its modifier indicator, each code's MUE).
- A units question keeps its units answer and links the article that explains the rule it applied ("Why: ...");
  a rule question with a quantity ("what is the 8 minute rule for 38 minutes") gets the units and the article.

The router calls `answer_guideline_question` before its other routes and `link_units_answer` on a units answer;
both return quickly when the question is not theirs. Articles load once (`guideline_library`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from assistant.chat.edits_chat import answer_edits_question
from assistant.chat.parse import ParsedQuestion, parse_question
from assistant.contract import Answer, CodeLine
from assistant.corpus.codes import find_code_spans
from assistant.corpus.guidelines import GUIDELINES_DIRNAME, Article, Guidelines, load_guidelines
from assistant.corpus.records import CodeRecord
from assistant.corpus.replacements import replacement_for
from assistant.retrieval.guideline_search import GuidelineHit, GuidelineIndex
from assistant.retrieval.lexical import tokenize
from assistant.settings import REPO_ROOT
from assistant.units.guideline_links import FAMILY_ARTICLES

# Words that make a question ask for a rule rather than a count or a code's card (coders' phrasings).
RULE_CUES = re.compile(
    r"\b(?:what(?:'s| is| are| does| do)|whats|when (?:can|do|does|should|is|are|may|must|to)|can (?:i|we|you|the|a|an)"
    r"|may (?:i|we)|is (?:it|there|a|an|the)|are (?:they|there)|do (?:i|we|you) (?:need|have to)|does (?:it|the|a|an|"
    r"medicare)|how (?:does|do|is|are) .{0,40}(?:work|counted|calculated|billed|reported|apply|used|defined)"
    r"|should (?:i|we)|rules?|explain|difference|differences|vs\.?|versus|required|requirements?|allowed|billable"
    r"|payable|bundled|separately|ok to|okay to|guidelines?|mean|means|definition|define|policy|who can"
    r"|what counts|counts? as|considered|qualif\w*|how (?:do|should) (?:i|we|you) (?:calculate|pick|choose|use)"
    r"|how to|how many minutes|appeal|which date|be (?:billed|reported|used|coded)|is (?:that|this)"
    r"|which (?:one|service|is)|do (?:i|we|you) (?:use|count))\b"
    r"|^\s*(?:is|are|does|do|can|could|should|may|must|will)\b",
    re.IGNORECASE,
)
# A question that asks which code or modifier to use ("what is the professional component modifier", "code for a
# port flush") is a code search, not a rule question.
FINDS_A_CODE = re.compile(
    r"\b(?:code|codes|modifier|modifiers|cpt|hcpcs)\s+(?:for|to use)\s+\w"
    r"|\b(?:which|what)\s+(?:code|codes|modifier|modifiers|cpt|hcpcs)\b(?!.*\brules?\b)"
    r"|^\s*(?:what|which)\s+(?:is|are)\s+the\s+[\w/ -]{1,40}\s+modifier\s*\??\s*$",
    re.IGNORECASE,
)
_ICD10 = re.compile(r"^[a-z]\d{2}[0-9a-z]{0,4}$")  # a diagnosis code beside the procedure code ("96369 for K92.2")
_RULE_WORD = re.compile(r"\brules?\b", re.IGNORECASE)
# "is J1040 still valid / active / billable?": the code's own status is its look-up card (issue 17 class 9).
_CODE_STATUS = re.compile(r"\b(?:still|valid|active)\b", re.IGNORECASE)
# "what is 96372", "what does J1885 mean": the code's own card (the look-up), not an article.
_CODE_CARD = re.compile(r"^\s*(?:what(?:'s| is| does)?|define|explain)\s+(?:code\s+)?[^\s,]+\s*(?:mean)?"
                        r"(?:[,;]?\s*(?:for\s+)?(?:the\s+)?(?:facility|professional|hospital|hopd|office|medicare|mcr|"
                        r"cpt|commercial|claim))*\s*\??\s*$", re.IGNORECASE)
_DEFINITION = re.compile(r"^\s*(?:what(?:'s|s)?(?: is| are| does| do)?|tell me about|define|explain|describe)\b",
                         re.IGNORECASE)
# Words of a "what is CODE" question that ask for the code's card, not for a rule.
_CARD_WORDS = frozenset({"what", "whats", "doe", "add", "tell", "about", "mean", "modifier", "mod", "is", "definition",
                         "define", "description", "explain"})
MIN_SHARED_WORDS = 2  # without a whole coder phrasing, a hit must share this many specific words with the question
HOW_TO_BILL = re.compile(r"\bhow (?:do|should|can) (?:i|we|you) (?:bill|code|report)\b", re.IGNORECASE)
# Topics whose rules the NCCI tables apply to named codes: with codes named, the edits answer comes first ("do I
# need modifier 59 for 96413 and 96360" is the PTP edit and its modifier indicator).
EDITS_TOPICS = frozenset({"ncci", "modifiers"})
# Rule names with a number in them are names, not quantities: "the 8 minute rule" is not 8 minutes of therapy. Each
# is read as the service it names, so "what is the 8 minute rule for 38 minutes" counts 38 minutes of therapy.
RULE_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:8|eight)[- ]?min(?:ute)?s?[- ]rules?\b", re.IGNORECASE), "therapy"),
    (re.compile(r"\brule of (?:8s|8|eights?)\b", re.IGNORECASE), "therapy"),
)


class GuidelineRouter(Protocol):
    """What the route needs from the chat router (assistant.chat.router.Router)."""

    corpus: Any
    edits: Any


class UnitsRouter(GuidelineRouter, Protocol):
    """A router that also counts units (for a rule question with a quantity)."""

    def units_route(self, parsed: ParsedQuestion, context: Any) -> Answer: ...


@lru_cache(maxsize=4)
def _library(directory: str) -> tuple[Guidelines, GuidelineIndex]:
    guidelines = load_guidelines(Path(directory))
    return guidelines, GuidelineIndex(guidelines.articles)


def guidelines_dir(corpus_dir: Path | None = None) -> Path:
    """`corpus/guidelines` under the corpus directory (the bundled one by default)."""
    if corpus_dir is None:
        corpus_dir = REPO_ROOT / "corpus"
    return Path(corpus_dir) / GUIDELINES_DIRNAME


def guideline_library(corpus_dir: Path | None = None) -> tuple[Guidelines, GuidelineIndex]:
    """The loaded articles and their search index (loaded once per directory)."""
    return _library(str(guidelines_dir(corpus_dir)))


def is_rule_question(text: str) -> bool:
    """True when the words ask for a rule ("what is", "can I bill ... with", "is ... billable", "do I need")."""
    return RULE_CUES.search(text) is not None


def _asks_a_rule(parsed: ParsedQuestion) -> bool:
    """A rule cue; "how do I bill ..." only when no service to count is named ("IM injection how do I bill" is a
    units question, "how do I bill drug wastage with JW" a rule question)."""
    return is_rule_question(parsed.text) or (HOW_TO_BILL.search(parsed.text) is not None and parsed.family is None)


def finds_a_code(text: str) -> bool:
    """True for a question asking which code or modifier to use (a code search), unless it asks for a rule."""
    return FINDS_A_CODE.search(text) is not None and _RULE_WORD.search(text) is None


def names_only_codes(text: str) -> bool:
    """True when a definition question names codes or modifiers and nothing else specific ("what is modifier 59",
    "what is 96369"): the code's card answers it (lookup route), not an article. "Can G2211 be billed with modifier
    25" names only codes too, but asks a rule."""
    named = {span.code.casefold() for span in find_code_spans(text)}
    if not named or not _DEFINITION.search(text):
        return False
    rest = [t for t in tokenize(text) if t not in named and t not in _CARD_WORDS and not _ICD10.match(t)]
    return not rest


def _strong(hit: GuidelineHit) -> bool:
    """A whole coder phrasing, a named code the article concerns, or two specific shared words."""
    return hit.phrase is not None or bool(hit.codes) or len(hit.shared) >= MIN_SHARED_WORDS


def find_article(text: str, corpus_dir: Path | None = None) -> list[GuidelineHit]:
    """The articles for a question, best first ([] when none matches well enough)."""
    _, index = guideline_library(corpus_dir)
    hits = index.search(text, k=3)
    return hits if hits and _strong(hits[0]) else []


# --- answers ------------------------------------------------------------------------------------------------------


def _sources(article: Article) -> list[str]:
    return [source.text for source in article.sources]


def article_markdown(article: Article, related: list[Article] | None = None, facts: str = "") -> str:
    """The article as an answer: the short answer first, then the details (with `facts`, the named codes' table
    facts), then the sources (primary first), then related articles."""
    blocks = [
        f"**{article.answer.strip()}**",
        f"### {article.title}",
        f"**The rule:** {article.rule.strip()}",
        "**Examples:**\n" + "\n".join(f"- {example}" for example in article.examples),
        f"**CPT payers and Medicare:** {article.payers.strip()}",
    ]
    if article.codes:
        blocks.append("**Codes:** " + ", ".join(article.codes))
    if facts:
        blocks.append(facts)
    blocks.append("**Sources:**\n" + "\n".join(
        f"- {source.text}" + ("" if source.kind in ("primary", "cpt", "contractor")
                              or source.text.startswith(f"{source.kind}:") else f" ({source.kind})")
        for source in article.sources))
    if related:
        blocks.append("_Related: " + "; ".join(f"{a.title}" for a in related) + "._")
    return "\n\n".join(blocks) + "\n"


def _title(router: GuidelineRouter, code: str) -> str:
    record: CodeRecord | None = router.corpus.get(code) if router.corpus is not None else None
    return record.title if record is not None else ""


def status_facts(codes: list[str], router: GuidelineRouter) -> list[str]:
    """A named code that the CMS HCPCS file ends: its end date and what to bill instead (corpus records)."""
    facts = []
    for code in codes:
        record: CodeRecord | None = router.corpus.get(code) if router.corpus is not None else None
        if record is None and router.corpus is not None and hasattr(router.corpus, "terminated"):
            record = router.corpus.terminated(code)
        if record is None or record.terminated_on is None:
            continue
        instead = [*record.replaced_by]
        replacement = replacement_for(code)
        note = f" {replacement.note} (source: {replacement.source})." if replacement is not None else ""
        facts.append(f"{code} is terminated: the CMS HCPCS file ends it on {record.terminated_on:%Y-%m-%d}"
                     + (f"; bill instead {', '.join(instead)}" if instead else "; the file names no replacement")
                     + "." + note)
    return facts


def table_facts(codes: list[str], setting: str, router: GuidelineRouter) -> tuple[list[str], list[str]]:
    """The facts for the named codes: terminated codes and their replacements, the NCCI PTP edits between them and
    each code's MUE, with their citations; a note naming the import when the NCCI tables are not loaded."""
    store = router.edits
    facts: list[str] = status_facts(codes, router)
    citations: list[str] = []
    if store is None or not (store.loaded("mue", setting) or store.loaded("ptp", setting)):
        facts.append("The NCCI PTP and MUE tables are not loaded, so no table facts are shown: import them with "
                     "`python -m assistant import ptp FILE` and `python -m assistant import mue FILE`.")
        return facts, citations
    if len(codes) >= 2 and store.loaded("ptp", setting):
        edits = store.pairs(codes, setting=setting)
        if not edits:
            facts.append(f"No NCCI PTP edit pairs {', '.join(codes)} ({setting} table).")
        for edit in edits:
            if edit.deleted:
                facts.append(f"PTP {edit.column1}/{edit.column2}: edit deleted (indicator 9).")
            else:
                meaning = ("no modifier allows the pair" if edit.modifier_indicator == 0 else
                           "a modifier (59, XE, XS, XP, XU, or 25 for an E/M) may allow it when documented")
                facts.append(f"PTP {edit.column1} (column 1) / {edit.column2} (column 2): modifier indicator "
                             f"{edit.modifier_indicator}, {meaning}.")
            citations.append(f"CMS NCCI PTP table ({edit.source}, {edit.quarter or 'quarter unknown'})")
    if store.loaded("mue", setting):
        for code in codes:
            entry = store.mue(code, setting)
            if entry is None:
                facts.append(f"MUE {code}: none in the {setting} table.")
                continue
            facts.append(f"MUE {code}: {entry.value} (MAI {entry.mai}, {entry.mai_description}).")
            citations.append(entry.citation)
    return facts, list(dict.fromkeys(citations))


def guideline_answer(hits: list[GuidelineHit], codes: list[str], setting: str, router: GuidelineRouter) -> Answer:
    """The guideline route's answer: the best article, its table facts for the named codes, related articles."""
    article = hits[0].article
    citations = _sources(article)
    block = ""
    if codes:
        facts, fact_citations = table_facts(codes, setting, router)
        block = "**Table facts for " + ", ".join(codes) + ":**\n" + "\n".join(f"- {f}" for f in facts)
        citations.extend(fact_citations)
    text = article_markdown(article, [hit.article for hit in hits[1:]], block)
    lines = [CodeLine(code=code, description=_title(router, code)) for code in codes]
    return Answer(route="guideline", answer=text, codes=lines, citations=citations)


def without_rule_names(text: str) -> str:
    """`text` with each numbered rule name ("8 minute rule") replaced by the service it names ("therapy")."""
    for pattern, service in RULE_NAMES:
        text = pattern.sub(service, text)
    return text


# "is 96372 x5 allowed", "is 5 units of 96372 ok?", "6 units 96372": a unit count beside a code is an MUE question.
_UNITS_OF_A_CODE = re.compile(r"\b(?:x\s*\d+|\d+\s*(?:units?|u)\b)", re.IGNORECASE)


def units_of_a_code(text: str) -> bool:
    """A unit count typed beside a code (the edits answer's MUE question, issue 17 class 6)."""
    return bool(find_code_spans(text)) and bool(_UNITS_OF_A_CODE.search(text))


def answer_guideline_question(parsed: ParsedQuestion, context: Any, router: UnitsRouter) -> Answer | None:
    """The guideline answer for a rule question with nothing to count, or None (another route answers).

    A numbered rule name is re-read without its number: with no other quantity the article answers; with one
    ("the 8 minute rule for 38 minutes") the units are counted on the re-read question and the article leads."""
    if parsed.followup or parsed.earlier_texts:
        return None
    question = parsed.text
    if parsed.has_quantity:
        plain = without_rule_names(parsed.text)
        if plain == parsed.text:
            return None

        reread = parse_question(plain)
        if reread.has_quantity:
            return link_units_answer(router.units_route(reread, context), parsed, router)
        parsed = reread
    elif not _asks_a_rule(parsed) or names_only_codes(parsed.text) or finds_a_code(parsed.text):
        return None
    if parsed.codes and (_CODE_CARD.match(question) or
                         _CODE_STATUS.search(question) and not _RULE_WORD.search(question)):
        return None
    hits = find_article(question)
    if not hits:
        return None
    if parsed.codes and _edits_answer_first(hits[0], parsed):
        # The NCCI edits answer (edits_chat, as the router's edits hook gives it), naming the article; None lets
        # the router's own routes answer.

        edits = link_edits_answer(answer_edits_question(parsed, context, router), parsed)
        if edits is not None or len(parsed.codes) >= 2 and parsed.together:
            return edits  # None: the router's edits route answers the pair
    answer = guideline_answer(hits, list(parsed.codes), context.setting, router)
    answer.warnings.extend(context.warnings)
    return answer


def _edits_answer_first(hit: GuidelineHit, parsed: ParsedQuestion) -> bool:
    """With codes named, the NCCI table is the answer when the rule is a table rule ("what's the MUE for 96370",
    "can I bill 96372 and 99213 together" with no rule named); a payment rule ("is 99211 payable with 96372 for
    Medicare": no PTP edit, yet Medicare does not pay it) is answered by its article with the table facts."""
    if hit.article.topic in EDITS_TOPICS:
        return True
    # A pair the article itself concerns (99211 and 96372) is the article's rule; any other pair is the edit's.
    return len(parsed.codes) >= 2 and parsed.together and hit.phrase is None and len(hit.codes) < 2


def link_edits_answer(answer: Answer | None, parsed: ParsedQuestion) -> Answer | None:
    """An edits answer to a rule question names the article that explains the rule (one line, at the end)."""
    if answer is None or not is_rule_question(parsed.text):
        return answer
    hits = find_article(parsed.text)
    if hits:
        article = hits[0].article
        answer.answer = (answer.answer.rstrip("\n") + f"\n\n_Guideline: {article.title} (ask "
                         f"\"{article.phrasings[0]}\" for the rule and its sources)._\n")
    return answer


# --- units answers link their article -----------------------------------------------------------------------------


def _families_of(answer: Answer, router: GuidelineRouter) -> list[str]:
    families: list[str] = []
    for line in answer.codes:
        record = router.corpus.get(line.code) if router.corpus is not None else None
        family = None
        if record is not None:
            family = record.time_rule or ("drug_units" if record.billing_unit is not None else None)
        if family in FAMILY_ARTICLES and family not in families:
            families.append(family)
    return families


def link_units_answer(answer: Answer, parsed: ParsedQuestion, router: GuidelineRouter) -> Answer:
    """A units answer with a "Why:" line naming the article of each rule it applied; a rule question with a
    quantity ("what is the 8 minute rule for 38 minutes") also gets that article's short answer and sources."""
    if answer.route != "units":
        return answer
    guidelines, _ = guideline_library()
    linked = [guidelines.get(FAMILY_ARTICLES[family]) for family in _families_of(answer, router)]
    articles = [article for article in linked if article is not None]
    if is_rule_question(parsed.text):
        hits = find_article(parsed.text)
        if hits and hits[0].phrase is not None:
            asked = hits[0].article
            answer.answer = (f"**{asked.title}:** {asked.answer.strip()}\n\n" + answer.answer)
            answer.citations.extend(s for s in _sources(asked) if s not in answer.citations)
            articles = [asked, *(a for a in articles if a.id != asked.id)]
    if articles:
        answer.answer = answer.answer.rstrip("\n") + "\n\n" + "\n".join(
            f"_Why: {article.title} (ask \"{article.phrasings[0]}\" for the rule and its sources)._"
            for article in articles) + "\n"
    return answer
