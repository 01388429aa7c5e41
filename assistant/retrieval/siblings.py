"""Siblings one phrase apart, and which phrase decides between them (issue 22 item 4).

CMS tells sibling codes apart by a phrase of their descriptors, one comma-separated part: "with mattress" /
"without mattress" (E0260 / E0261), "ultralightweight" / "lightweight" / "heavy duty" wheelchairs (K0005 / K0003 /
K0006), "per statute mile" / "transport, one way" (A0436 / A0431), "rotary wing" / "fixed wing", "prefabricated,
off-the-shelf" / "custom fabricated". The lexical side matches these phrases when the question says them (the
tokenizer's negation scope keeps "without mattress" apart from "with mattress"). When the question says none of
them, the ranking cannot know which sibling is meant, so the answer says which phrase decides between the top codes
instead of picking silently (`deciding_note`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from assistant.corpus.records import CodeRecord
from assistant.retrieval import asked_kinds
from assistant.retrieval.lexical import NEGATED, tokens
from assistant.retrieval.sizes import Size, question_sizes, size_factor

# Two descriptors are siblings when they share at least this share of their comma-separated parts, and each has at
# most MAX_DIFFERENT parts the other lacks.
MIN_SHARED_PARTS = 0.4
MAX_DIFFERENT = 5
# A one-part descriptor is compared word by word only when short ("Lightweight wheelchair").
MAX_SHORT_WORDS = 5
# A deciding phrase longer than this is cut in the note.
MAX_PHRASE_CHARS = 60
# How many of the top hits are compared with the first.
TOP = 3
_PARTS = re.compile(r"\s*[,;]\s*")


class _Hit(Protocol):
    code: str
    record: CodeRecord


def descriptor_parts(record: CodeRecord) -> list[str]:
    """The comma-separated parts of the record's official descriptor (or title), lower case, spacing folded."""
    text = record.official_descriptor or record.title
    return [" ".join(part.split()).casefold() for part in _PARTS.split(text) if part.strip()]


def _words(part: str) -> set[str]:
    """A part's words as the tokenizer reads them, a negated word also by its bare form ("no_mattress" -> mattress)."""
    return {token.removeprefix(NEGATED) for token in tokens(part)}


def deciding_parts(first: CodeRecord, other: CodeRecord) -> tuple[list[str], list[str]] | None:
    """What only `first` says and what only `other` says, when the two are siblings; else None. Siblings share at
    least half their comma-separated parts and differ in at most MAX_DIFFERENT; a one-part descriptor ("Lightweight
    wheelchair" / "Ultralightweight wheelchair") is compared word by word the same way."""
    mine, theirs = descriptor_parts(first), descriptor_parts(other)
    if not mine or not theirs:
        return None
    if len(mine) == 1 and len(theirs) == 1:
        mine, theirs = mine[0].split(), theirs[0].split()
        if max(len(mine), len(theirs)) > MAX_SHORT_WORDS:
            return None
    only_mine = [part for part in mine if part not in theirs]
    only_theirs = [part for part in theirs if part not in mine]
    shared = len(mine) - len(only_mine)
    if not (only_mine or only_theirs) or shared / max(len(mine), len(theirs)) < MIN_SHARED_PARTS:
        return None
    if len(only_mine) > MAX_DIFFERENT or len(only_theirs) > MAX_DIFFERENT:
        return None
    return only_mine, only_theirs


def _said(parts: list[str]) -> str:
    text = ", ".join(parts) or "nothing more"
    return text if len(text) <= MAX_PHRASE_CHARS else text[:MAX_PHRASE_CHARS - 3].rstrip(" ,") + "..."


def _says_any(asked: set[str], words: set[str]) -> bool:
    """The question has one of the words, or the start of one ("ultralight" for "ultralightweight")."""
    return bool(asked & words) or any(
        len(mine) >= 5 and word.startswith(mine) for mine in asked for word in words)


def deciding_note(question: str, hits: Sequence[_Hit]) -> str | None:
    """One sentence naming the phrase that decides between the first hit and each sibling among the top hits, when
    the question says none of the words of those phrases; None when it does, or when the top hits are not siblings.
    """
    if len(hits) < 2:
        return None
    asked = asked_words(question)
    wanted, kinds = question_sizes(question), asked_kinds.read_asked(question)
    first = hits[0]
    pairs: list[str] = []
    for hit in hits[1:TOP]:
        parts = deciding_parts(first.record, hit.record)
        if parts is None:
            continue
        only_first, only_other = parts
        words = set().union(*(_words(part) for part in (*only_first, *only_other)))
        if not words or _says_any(asked, words) or _decided(first.record, hit.record, wanted, kinds):
            continue  # the question names a deciding word or size: the ranking already used it
        pairs.append(f"'{_said(only_first)}' ({first.code}) or '{_said(only_other)}' ({hit.code})")
    if not pairs:
        return None
    return ("Your question does not say which of these it is: " + "; ".join(pairs)
            + ". Check the item: the first is listed first only because its other words fit better.")


def _decided(first: CodeRecord, other: CodeRecord, wanted: list[Size], kinds: asked_kinds.AskedKinds) -> bool:
    """The question's size ("6x6" is 36 sq in), orthosis class ("OTS"), billing unit ("per hour") or section letter
    ("J code") fits the first record better than the other: the question did say which it is."""
    return (size_factor(first, wanted) > size_factor(other, wanted)
            or asked_kinds.asked_factor(first, kinds) > asked_kinds.asked_factor(other, kinds))


# A sibling that lacks something the question never mentions ("hospital bed ... without side rails" E0290-E0297
# beside "with any type side rails" E0250-E0266; "ostomy pouch, closed; without barrier attached" A4418 beside
# "with barrier attached" A4416) is the narrower case: CMS describes the usual item by what it has and the other
# by what it lacks. When the question names none of the missing thing's words, the sibling that has it comes first.
UNSTATED_EXCLUSION_FACTOR = 0.85
_EXCLUSION = re.compile(r"(?<!or )\bwithout\b([^,;()]*)", re.IGNORECASE)


def asked_words(question: str) -> set[str]:
    """The question's words as the tokenizer reads them, negated ones by their bare form."""
    return {token.removeprefix(NEGATED) for token in tokens(question)}


def unstated_exclusion_factor(record: CodeRecord, question: str | set[str]) -> float:
    """UNSTATED_EXCLUSION_FACTOR when the record's descriptor excludes something ("without side rails") whose words
    the question never says; 1.0 otherwise (or when it says them: "no side rails", "with rails"). `question` may be
    given as its `asked_words` (computed once per search)."""
    descriptor = record.official_descriptor or ""
    if "without" not in descriptor.casefold():
        return 1.0
    asked = asked_words(question) if isinstance(question, str) else question
    for match in _EXCLUSION.finditer(descriptor):
        words = _words(match.group(1))
        if words and not _says_any(asked, words):
            return UNSTATED_EXCLUSION_FACTOR
    return 1.0


# A sibling whose descriptor says the opposite of what the question states: "semi-electric hospital bed with
# mattress" against E0261 "..., without mattress", or "hospital bed without side rails" against E0260 "..., with
# any type side rails". The tokenizer drops "with", so BM25 cannot see "with mattress" contradict "without
# mattress" (it sees "mattress" in both) and the dense side barely can: the question's own "with"/"without" phrase
# decides between CMS's with/without siblings, stronger than an unstated exclusion.
STATED_OPPOSITE_FACTOR = 0.6
_WITH = re.compile(r"\b(?:with\b|w/(?!o\b))(?!\s*or\s+without\b)\s*([^,;()]*)", re.IGNORECASE)
_WITHOUT = re.compile(r"(?:\bwithout\b|\bw/o\b|\bno\b)\s*([^,;()]*)", re.IGNORECASE)
_OTHER_THAN = re.compile(r"\bother than\b\s*([^,;()]*)", re.IGNORECASE)
_FILLER = frozenset({"a", "an", "the", "any", "type", "all", "types"})
_AND = re.compile(r"\s+(?:and|&)\s+|\s*\+\s*", re.IGNORECASE)
_PHRASE_WORDS = 3  # the words right after "with"/"without" that name the thing (not the rest of the sentence)


# Words CMS uses to tell siblings apart that are each other's opposite: the question saying one and the record the
# other (without the first) is a stated opposite ("low osmolar contrast" against Q9962 "high osmolar contrast
# material"; "binaural" against V5060 "hearing aid, monaural"; "portable" against "stationary" oxygen; "standard"
# walker against E0148 "walker, heavy duty"; "rental" against "purchase"; "individual" against "group session" (G0108/
# G0109 DSMT, G0447/G0473 obesity counseling); a "fixed height" bed against "variable height" (E0250 / E0255) (CMS
# HCPCS Level II descriptors).
OPPOSITES: tuple[tuple[str, str], ...] = (
    ("low", "high"), ("monaural", "binaural"), ("analog", "digital"), ("disposable", "reusable"),
    ("adult", "pediatric"), ("portable", "stationary"), ("standard", "heavy"), ("rental", "purchase"),
    ("manual", "power"), ("individual", "group"), ("fixed", "variable"), ("liquid", "gaseous"),
)


def _names_the_opposite(asked: set[str], record_words: list[str]) -> bool:
    have = set(record_words)
    for one, other in OPPOSITES:
        for mine, theirs in ((one, other), (other, one)):
            if mine in asked and theirs not in asked and theirs in have and mine not in have:
                return True
    return False


def _phrases(pattern: re.Pattern[str], text: str) -> list[set[str]]:
    """The things each "with"/"without" names: "with side rails and mattress" names side rails and mattress."""
    found = []
    for match in pattern.finditer(text):
        for part in _AND.split(match.group(1)):
            named = [word for word in part.split() if word.casefold() not in _FILLER][:_PHRASE_WORDS]
            words = _words(" ".join(named))
            if words:
                found.append(words)
    return found


def stated_opposite_factor(record: CodeRecord, question: str) -> float:
    """STATED_OPPOSITE_FACTOR when the question says "with X" and the record's descriptor "without X", or the
    question rules X out ("without X", "no X", "non-X") and the descriptor has X ("with X", "wheeled" for "no
    wheels"); else 1.0."""
    descriptor = record.official_descriptor or ""
    if not descriptor:
        return 1.0
    # "walker, no wheels" against "walker, folding, wheeled": what the question rules out, the record has.
    excluded = {token.removeprefix(NEGATED) for token in tokens(question) if token.startswith(NEGATED)}
    plain = {token for token in tokens(descriptor) if not token.startswith(NEGATED)}
    if excluded and _says_any(excluded, plain):
        return STATED_OPPOSITE_FACTOR
    # "CPM machine for knee" against E0936 "... for use other than knee": CMS's "other than X" sibling excludes
    # what the question names (E0747 "other than spinal applications", E0114 crutches "other than wood").
    if "other than" in descriptor.casefold():
        said = {token for token in tokens(question) if not token.startswith(NEGATED)}
        if any(said & words for words in _phrases(_OTHER_THAN, descriptor)):
            return STATED_OPPOSITE_FACTOR
    if _names_the_opposite(asked_words(question), tokens(descriptor)):
        return STATED_OPPOSITE_FACTOR
    if "with" not in descriptor.casefold():
        return 1.0
    said_with = _phrases(_WITH, question)
    said_without = _phrases(_WITHOUT, question)
    if not said_with and not said_without:
        return 1.0
    has_without = _phrases(_EXCLUSION, descriptor)
    has_with = _phrases(_WITH, descriptor)
    for stated, opposite in ((said_with, has_without), (said_without, has_with)):
        if any(mine & theirs for mine in stated for theirs in opposite):
            return STATED_OPPOSITE_FACTOR
    return 1.0
