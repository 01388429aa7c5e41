"""The lexical ranker: BM25 (rank-bm25) over each record's title, lay terms, official descriptor and code, with a
coder-aware tokenizer.

Dense embeddings of a general-purpose model miss coders' shorthand ("subq", "SCIG", "NS bolus", "ther ex") and
brand names ("rocephin", "keytruda"); exact word matches on the lay terms catch them. The official descriptor
(the CMS HCPCS long description, once imported) is indexed too: CMS's short descriptions are abbreviated ("Admin
influenza virus vac"), the long ones carry the words coders type (issue 12 item 6). The tokenizer folds the
spellings coders use for the same word: "sub-q", "sub q", "Sub-Q" and "subq" all become `subq`; plurals and case
do not matter; codes stay whole; CMS abbreviations ("inj", "admin") meet the words they stand for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rank_bm25 import BM25Okapi

from assistant.corpus.records import CodeRecord
from assistant.retrieval.asked_kinds import FABRICATION_TAIL
from assistant.retrieval.coder_names import extra_lay_terms

# Words that say nothing about which code is meant. "code", "cpt" and "bill" appear in nearly every question.
STOPWORDS = frozenset(
    [
        "a", "an", "the", "of", "for", "to", "in", "on", "at", "by", "and", "or", "with", "without", "is", "are", "was",
        "be", "been", "what", "whats", "which", "how", "do", "does", "did", "i", "we", "you", "my", "our", "me", "us",
        "it", "its", "this", "that", "there", "code", "codes", "coding", "cpt", "hcpcs", "bill", "billing", "billed",
        "report", "reported", "use", "used", "should", "can", "could", "would", "please", "tell", "need", "give", "get",
        "find", "number",
    ]
)

# Coders' abbreviations folded to one spelling on both sides (question and record), after plural folding.
ABBREVIATIONS: dict[str, str] = {
    "eval": "evaluation", "reeval": "reevaluation", "min": "minute", "mins": "minute", "hr": "hour", "hrs": "hour",
    "addl": "additional", "add'l": "additional", "subcut": "subq", "subcutaneou": "subq", "chemotherapy": "chemo",
    "psych": "psychiatric", "w": "with",
    # CMS short-description abbreviations (HCPCS Level II file) and coders' words for the same thing.
    "inj": "injection", "admin": "administration", "vac": "vaccine", "vacc": "vaccine", "flu": "influenza",
    "im": "intramuscular", "neb": "nebulizer", "cath": "catheter", "hosp": "hospital", "scrn": "screening",
    "stim": "stimulation", "trach": "tracheostomy", "supp": "supply", "suppl": "supply", "wc": "wheelchair",
    "whlchr": "wheelchair", "sys": "system", "elec": "electric", "cc": "ml",
    # CMS short descriptions of the hearing-aid V codes ("Hearing aid, digit, bin, bte"; "Hearing aid, prog, mon").
    "digit": "digital", "bin": "binaural", "binau": "binaural", "binaur": "binaural", "mon": "monaural",
    "monau": "monaural", "prog": "programmable",
    # Coders say "machine" for what CMS descriptors call a "device" ("CPAP machine" = E0601 "... (cpap) device").
    "machine": "device",
    # Ambulance mileage is billed "per statute mile" (A0425, A0435, A0436): "mileage" and "miles" mean mile.
    "mileage": "mile",
    # Coders name the body part where CMS descriptors use its adjective ("bone growth stimulator spine" = E0748
    # "osteogenesis stimulator ..., spinal applications"; "kidney" = renal, "heart" = cardiac).
    "spinal": "spine", "renal": "kidney", "cardiac": "heart", "ocular": "eye", "nasal": "nose",
    "pulmonary": "lung", "hepatic": "liver",
    # CMS descriptors say "annual" for once-a-year services (G0446 "annual, face-to-face intensive behavioral
    # therapy", G0438/G0439 annual wellness visit); coders type "yearly" or "annually".
    "yearly": "annual", "annually": "annual",
}

# Tokens that state an amount rather than name a thing: a dose ("200 mg"), a volume ("1000 ml"), a count. A
# question's dose is rarely the code's billing unit (Keytruda 200 mg bills J9271 per 1 mg), so these words count
# for less in BM25 than the words naming the drug or the service.
QUANTITY_WORDS = frozenset(
    ["mg", "mcg", "g", "gm", "gram", "kg", "ml", "cc", "unit", "iu", "l", "liter", "litre", "dose", "vial", "mgkg",
     "mgm2", "m2", "meq", "mmol", "million", "per", "each", "up"]
)
QUANTITY_WEIGHT = 0.3

# A lay term counts as a whole phrase from one word on: a one-word lay term is a name ("rocephin", "keytruda",
# "subq") that a question containing it means, however common the question's other words are. Single-word terms
# must have this many characters (two-letter shorthand like "IG" or "SC" is left to BM25).
MIN_PHRASE_WORDS = 1
MIN_SINGLE_WORD_CHARS = 4
# A short title is a name too ("Apligraf", "Lightweight wheelchair"): titles of up to this many words are matched
# whole like lay terms.
MAX_TITLE_PHRASE_WORDS = 3
# A one-word lay term or a short title counts as a name only when one of its words is specific: found in at most
# NAME_MAX_RECORDS records and at most NAME_MAX_SHARE of the corpus ("rocephin", "apligraf"; not "pump", "shot",
# "chemo", which many records share). Lay terms of two or more words were written as phrases and always count.
NAME_MAX_RECORDS = 12
NAME_MAX_SHARE = 0.05
# The official descriptor adds its distinct words not already in the title or lay terms, at most this many (the
# first ones: a descriptor states what the code is first, then lists inclusions). Some CMS long descriptions run
# to 400 words; BM25's length normalisation would otherwise bury those records.
DESCRIPTOR_WORDS = 32

# Words, allowing inner joiners: "sub-q", "e/m", "port-a-cath", "ringer's", "0.9".
_WORD = re.compile(r"[0-9a-z]+(?:[-/'.][0-9a-z]+)*")
_JOINERS = re.compile(r"[-/'.]")

# Negation scope. CMS descriptors tell siblings apart by what they lack: "foam dressing ... without adhesive
# border" (A6209) vs "with any size adhesive border" (A6212), "non-emergency transport" (A0426) vs "emergency
# transport" (A0427), "non-compounded" (J7613) vs "compounded" (J7610). Counting the words after "without" as
# matches ranks the record a question rules out. So a word after a negator, up to the next comma, semicolon,
# colon, bracket or "with", becomes `NEGATED + word` (on both sides: "catheter without latex" still meets the
# record that says "without latex"), and "non-X" yields `NEGATED + x` besides its joined form.
NEGATORS = frozenset(["without", "w/o"])
# "not", "no" and a separate "non" negate only the next word: "not otherwise specified", "not meeting criteria for
# high risk" (G0121 is still about high risk, as a screening for those who are not), "no side rails", "non pneumatic
# walking boot" (like "non-pneumatic": the boot is still a walking boot, L4387).
SHORT_NEGATORS = frozenset(["not", "no", "non"])
NEGATED = "no_"
_SCOPE_END = re.compile(r"[,;:()\[\]]")


def _stem(token: str) -> str:
    """Fold English plurals and -ing so "infusions" meets "infusion" and "minutes" meets "minute"; codes stay
    whole."""
    if any(ch.isdigit() for ch in token) or len(token) < 4:
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("sses", "xes", "ches", "shes")):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    if len(token) >= 7 and token.endswith("ing"):  # "strengthening" meets "strengthen", "walking" meets "walk"
        return token[:-3]
    if len(token) >= 6 and token.endswith("ated"):  # "lactated" meets "lactate" (J7120 "Ringers lactate")
        return token[:-1]
    return token


# CMS writes some multi-word phrases as abbreviations in one descriptor and in full in its sibling ("Hearing aid,
# digital, binaural, bte" V5261 beside "Hearing aid, monaural, behind the ear" V5060). The full phrase is folded to
# the abbreviation on both sides before tokenizing, so either spelling meets both records. Longest first.
PHRASE_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b{phrase}\b"), abbreviation) for phrase, abbreviation in (
        ("completely in (?:the )?canal", "cic"), ("behind (?:the )?ear", "bte"), ("in (?:the )?canal", "itc"),
        ("in (?:the )?ear", "ite"), ("receiver in (?:the )?canal", "ric"),
        # DME MAC LCD L33718 "Positive Airway Pressure (PAP) Devices": CPAP, bi-level and auto devices are all PAP
        # devices, and their supplies (A7030-A7039) are "used with positive airway pressure device".
        ("positive airway pressure", "pap"),
        # Air ambulance: CMS says "rotary wing" and "fixed wing" (A0430/A0431, A0435/A0436; 100-02 Ch. 10 s. 10.4);
        # coders say helicopter and airplane.
        ("helicopters?", "rotary wing"), ("(?:air)?planes?|jets?", "fixed wing"),
        # Hearing aids are "monaural" or "binaural" (HCPCS V5030-V5267); coders and patients say one ear or both.
        ("(?:one|single|1) ear", "monaural"), ("(?:both|two|2) ears", "binaural"),
        # A hospital bed with electric height, head and foot is "total electric" (E0265/E0266, E0296/E0297; LCD
        # L33820); coders also say full electric.
        ("full[- ]electric", "total electric"),
    )
) + tuple(
    # Orthoses by the joints they cross: CMS's descriptors spell them out ("lumbar-sacral orthosis", "knee ankle
    # foot orthosis") and abbreviate them in the short titles ("Lso", "Kafo"); coders type the abbreviation (DME MAC
    # LCDs L33790 "Spinal Orthoses: TLSO and LSO" and L33686 "Ankle-Foot/Knee-Ankle-Foot Orthosis" name them so). The
    # spelled-out name keeps its words and gains its abbreviation, so "LSO flexible OTS" finds L0628, whose title says
    # "Lumbar flexible".
    (re.compile((rf"(?<!{longer}[- ])" if longer else "") + rf"{phrase.replace(' ', '[- ]')}\b"),
     rf"\g<0> {abbreviation}")
    for longer, phrase, abbreviation in (  # not inside the longer name that ends the same way
        (None, "cervical thoracic lumbar sacral orthosis", "ctlso"),
        ("cervical", "thoracic lumbar sacral orthosis", "tlso"), ("thoracic", "lumbar sacral orthosis", "lso"),
        (None, "sacroiliac orthosis", "sio"), (None, "hip knee ankle foot orthosis", "hkafo"),
        ("hip", "knee ankle foot orthosis", "kafo"), ("knee", "ankle foot orthosis", "afo"),
        (None, "knee orthosis", "ko"), (None, "shoulder elbow wrist hand finger orthosis", "sewhfo"),
        (None, "shoulder elbow wrist hand orthosis", "sewho"),
        ("shoulder", "elbow wrist hand finger orthosis", "ewhfo"), ("shoulder", "elbow wrist hand orthosis", "ewho"),
        ("elbow", "wrist hand finger orthosis", "whfo"), ("elbow", "wrist hand orthosis", "who"),
        ("wrist", "hand finger orthosis", "hfo"), (None, "elbow orthosis", "eo"),
    )
)
# CMS writes small counts both ways ("foley type, three way" A4346; "3-way indwelling foley catheter" A4355; "two
# piece"; "2 lead"): a number word also yields its digit, on both sides.
NUMBER_WORDS: dict[str, str] = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                                "eight": "8", "nine": "9", "ten": "10"}
# A word that also names its kind: a coder's "CPAP mask" or "CPAP tubing" means the PAP supply (L33718 above).
ALSO_MEANS: dict[str, str] = {"cpap": "pap", "bipap": "pap", "apap": "pap"}


def tokenize(text: str) -> list[str]:
    """Lower-cased, plural-folded tokens of `text`, without stop words.

    A joined word yields its joined form and its parts of two or more characters ("sub-q" -> subq, sub;
    "port-a-cath" -> portacath, port, cath), and a lone letter after a word joins it ("sub q" -> subq), so the
    spellings coders type meet the ones in the lay terms.
    """
    tokens: list[str] = []
    previous: str | None = None
    negated = one_word = False
    last_end = 0
    lowered = text.casefold()
    for pattern, abbreviation in PHRASE_ABBREVIATIONS:
        lowered = pattern.sub(abbreviation, lowered)
    for match in _WORD.finditer(lowered):
        word = match.group(0)
        if negated and (_SCOPE_END.search(lowered, last_end, match.start()) or word == "with"):
            negated = False
        last_end = match.end()
        if word in NEGATORS or word in SHORT_NEGATORS:  # opens a negation scope; the negator is not a token
            negated = True
            one_word = word in SHORT_NEGATORS
            previous = None
            continue
        if word.startswith("non-") and len(word) > 4:  # "non-esrd": the joined form and the negated rest
            rest = word[4:].replace("-", "")
            tokens.append(_stem(word.replace("-", "")))
            tokens.append(NEGATED + ABBREVIATIONS.get(_stem(rest), _stem(rest)))
            previous = None
            continue
        if re.fullmatch(r"\d+(?:\.\d+)+", word):  # a decimal number ("2.5", "0.9") stays one token
            forms = [word]
        elif "'" in word:  # a possessive or contraction: "ringer's" -> ringers (-> ringer)
            forms = [word.replace("'", "")]
        elif _JOINERS.search(word):
            parts = [part for part in _JOINERS.split(word) if part]
            joined = "".join(parts)
            forms = [joined] + [part for part in parts if len(part) >= 2]
        else:
            forms = [word]
            if len(word) == 1 and word.isalpha() and previous is not None and not previous.isdigit():
                forms = [previous + word]  # "sub q" -> "subq", "e m" -> "em"
        for form in forms:
            stemmed = _stem(form)
            stemmed = ABBREVIATIONS.get(stemmed, stemmed)
            if stemmed not in STOPWORDS and (len(stemmed) > 1 or stemmed.isdigit()):
                tokens.append(NEGATED + stemmed if negated else stemmed)
                if stemmed in ALSO_MEANS:
                    tokens.append(NEGATED + ALSO_MEANS[stemmed] if negated else ALSO_MEANS[stemmed])
                if stemmed in NUMBER_WORDS:  # "three way" (A4346) meets "3-way" (A4355): the digit as well
                    tokens.append(NEGATED + NUMBER_WORDS[stemmed] if negated else NUMBER_WORDS[stemmed])
        if negated and one_word and word not in STOPWORDS:
            negated = False
        previous = word if word not in STOPWORDS else None
    return tokens


@lru_cache(maxsize=16384)
def tokens(text: str) -> tuple[str, ...]:
    """`tokenize`, remembered: the ranking rules read the same descriptors and question for every candidate of every
    search (a descriptor tokenized once, not once per search)."""
    return tuple(tokenize(text))


@dataclass(frozen=True)
class LexicalMatch:
    """One record the lexical ranker found: its position in the corpus, its score, and why it matched."""

    index: int
    score: float
    why: str


@dataclass(frozen=True)
class LexicalRankings:
    """The two lexical rankings of a question, best first.

    `bm25`: BM25 over title + lay terms + code. `phrase`: records with a lay term whose every word is in the
    question, longest such lay term first (a coder's whole phrase, "second subq pump" or "established level 5",
    says more than the same words scattered); ties keep BM25 order. `score` is the BM25 score or the phrase length.
    """

    bm25: list[LexicalMatch]
    phrase: list[LexicalMatch]


class LexicalIndex:
    """BM25 over title + lay terms + code of every record, plus whole-lay-term matching. Inverted indexes let a
    query touch only records sharing a word with it (BM25 gives the others zero anyway): fast at 100,000 records."""

    def __init__(
        self, records: Sequence[CodeRecord], more_names: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        """`more_names`: more lay terms by code for the lexical side only (the crosswalk's product names,
        `product_names.crosswalk_names`)."""
        self.records: list[CodeRecord] = list(records)
        documents: list[list[str]] = []
        self._title_tokens: list[frozenset[str]] = []
        self._lay_tokens: list[list[tuple[str, frozenset[str]]]] = []
        self._postings: dict[str, list[int]] = {}
        # Every lay term (and short title) as a phrase: (record position, text, its distinct words, where);
        # words -> phrase ids.
        self._phrases: list[tuple[int, str, int, str]] = []
        self._phrase_postings: dict[str, list[int]] = {}
        candidates: list[tuple[int, str, frozenset[str], str]] = []
        extra = extra_lay_terms()  # coders' names no CMS record carries ("hoyer lift", "AWV"): coder_names.py
        for position, record in enumerate(self.records):
            # A short title's "Cpap" stands for the whole PAP family: CMS's long descriptor of A7030 says "used with
            # positive airway pressure device". As a record's word it is the family ("pap") alone, so "CPAP tubing"
            # is not drawn to a mask titled "Cpap full face mask" by a second, rarer word (issue 22); a descriptor
            # that defines the acronym ("(cpap) device", E0601) keeps it (`descriptor_acronyms`).
            title = [token for token in tokenize(record.title) if token not in ALSO_MEANS]
            more = (*extra.get(record.code, ()), *(more_names.get(record.code, ()) if more_names else ()))
            lay = [(term, frozenset(tokenize(term))) for term in (*record.lay_terms, *more)]
            code = [record.code.casefold()]
            # A defined acronym is a BM25 word, not a whole name: "CPAP full face mask" must still find the mask.
            lay_words = [token for _, terms in lay for token in sorted(terms)] + descriptor_acronyms(record)
            document = title + lay_words + _descriptor_words(record, set(title) | set(lay_words)) + code
            documents.append(document)
            self._title_tokens.append(frozenset(title))
            self._lay_tokens.append(lay)
            for token in set(document):
                self._postings.setdefault(token, []).append(position)
            names = [(term, terms, "lay terms") for term, terms in lay]
            if 0 < len(set(title)) <= MAX_TITLE_PHRASE_WORDS:
                names.append((record.title, frozenset(title), "title"))
            for term, terms, where in names:
                if len(terms) >= MIN_PHRASE_WORDS and (
                        len(terms) > 1 or len(next(iter(terms), "")) >= MIN_SINGLE_WORD_CHARS):
                    candidates.append((position, term, terms, where))
        name_limit = max(2, min(NAME_MAX_RECORDS, int(NAME_MAX_SHARE * len(self.records))))
        for position, term, terms, where in candidates:
            written_phrase = where == "lay terms" and len(terms) > 1
            if written_phrase or any(len(self._postings.get(token, ())) <= name_limit for token in terms):
                phrase_id = len(self._phrases)
                self._phrases.append((position, term, len(terms), where))
                for token in terms:
                    self._phrase_postings.setdefault(token, []).append(phrase_id)
        # rank-bm25 wants a non-empty corpus; an empty one simply finds nothing.
        self._bm25: BM25Okapi | None = BM25Okapi(documents) if documents else None
        # rank-bm25 fits the statistics (idf with its epsilon floor, average length); its scorer loops in Python
        # over every candidate record, ~50 ms for a common word at 100,000 records. The same formula runs here
        # vectorised over per-word posting arrays (a test checks the scores equal rank-bm25's get_scores).
        self._tf_postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._length_norm = np.zeros(0)
        if self._bm25 is not None:
            bm25 = self._bm25
            doc_len = np.asarray(bm25.doc_len, dtype=float)
            self._length_norm = bm25.k1 * (1 - bm25.b + bm25.b * doc_len / bm25.avgdl)
            for token, positions in self._postings.items():
                ids = np.asarray(positions, dtype=np.int64)
                tf = np.asarray([bm25.doc_freqs[position][token] for position in positions], dtype=float)
                self._tf_postings[token] = (ids, tf)

    def bm25_scores(self, tokens: list[str], weights: list[float] | None = None) -> np.ndarray:
        """BM25 (Okapi, rank-bm25's parameters and idf) of every record for `tokens`; zero for records sharing
        no word with them. Repeated tokens count again, as in rank-bm25. `weights` scales each token's part
        (default 1: exactly rank-bm25's score)."""
        scores = np.zeros(len(self.records))
        if self._bm25 is None:
            return scores
        k1 = self._bm25.k1
        for position, token in enumerate(tokens):
            posting = self._tf_postings.get(token)
            if posting is None:
                continue
            ids, tf = posting
            idf = self._bm25.idf.get(token) or 0.0
            weight = weights[position] if weights is not None else 1.0
            scores[ids] += weight * idf * (tf * (k1 + 1) / (tf + self._length_norm[ids]))
        return scores

    def joined_words(self, tokens: Sequence[str]) -> list[str]:
        """Two adjacent question words that records write as one word: "CPAP chin strap" is A7036's "chinstrap",
        "wheel chair" a "wheelchair", "foot rest" a "footrest". The joined word is one more question word, so the
        record that spells it as one word is not outranked by every record sharing one half ("chin cup")."""
        said = set(tokens)  # "two-way" is already "twoway", "two" and "way"
        return [first + second for first, second in zip(tokens, tokens[1:], strict=False)
                if first.isalpha() and second.isalpha() and first + second in self._tf_postings
                and first + second not in said]

    def search(
        self, query: str, k: int = 30, allowed: Callable[[CodeRecord], bool] | None = None
    ) -> list[LexicalMatch]:
        """The best `k` records for `query` by BM25 (only those sharing a word with it), best first."""
        return self.rank(query, k, allowed).bm25

    def rank(
        self, query: str, k: int = 30, allowed: Callable[[CodeRecord], bool] | None = None
    ) -> LexicalRankings:
        """The best `k` records for `query` by BM25 and by whole lay terms (see `LexicalRankings`)."""
        tokens = tokenize(query)
        if self._bm25 is None or not tokens:
            return LexicalRankings([], [])
        tokens = [*tokens, *self.joined_words(tokens)]
        query_tokens = frozenset(tokens)
        scores = self.bm25_scores(tokens, [QUANTITY_WEIGHT if _is_quantity(token) else 1.0 for token in tokens])
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) == 0:
            return LexicalRankings([], [])
        if allowed is None and len(candidates) > k:  # only the top k need sorting
            candidates = np.sort(candidates[np.argpartition(-scores[candidates], k - 1)[:k]])
        # Best first; equal scores keep corpus order (a stable sort of the negated scores).
        ordered = candidates[np.argsort(-scores[candidates], kind="stable")]
        bm25: list[LexicalMatch] = []
        for position in ordered.tolist():
            if len(bm25) == k:
                break
            if allowed is None or allowed(self.records[position]):
                bm25.append(LexicalMatch(position, float(scores[position]), self._explain(position, query_tokens)))

        # Whole lay terms: count, per phrase, how many of its distinct words the question has.
        seen_words: dict[int, int] = {}
        for token in query_tokens:
            for phrase_id in self._phrase_postings.get(token, ()):
                seen_words[phrase_id] = seen_words.get(phrase_id, 0) + 1
        longest: dict[int, tuple[int, str, str]] = {}
        for phrase_id, count in seen_words.items():
            position, term, size, where = self._phrases[phrase_id]
            if (count == size and size > longest.get(position, (0, "", ""))[0]
                    and (allowed is None or allowed(self.records[position]))):
                longest[position] = (size, term, where)
        by_phrase = sorted(longest, key=lambda position: (-longest[position][0], -scores[position], position))
        phrase = [LexicalMatch(position, float(longest[position][0]),
                               f"matched '{longest[position][1]}' in its {longest[position][2]}")
                  for position in by_phrase[:k]]
        return LexicalRankings(bm25, phrase)

    def _explain(self, position: int, query_tokens: frozenset[str]) -> str:
        """One plain line: the lay term (or title words, or code) the question shares with the record."""
        record = self.records[position]
        if record.code.casefold() in query_tokens:
            return f"its code {record.code} is in your question"
        best_term, best_overlap = None, 0
        for term, terms in self._lay_tokens[position]:
            overlap = len(terms & query_tokens)
            # Prefer the lay term sharing the most words; on a tie, the one with fewest extra words.
            if overlap > best_overlap or (overlap == best_overlap and overlap and len(term) < len(best_term or "")):
                best_term, best_overlap = term, overlap
        title_words = sorted(self._title_tokens[position] & query_tokens)
        if best_term is not None and best_overlap >= len(title_words):
            return f"matched '{best_term}' in its lay terms"
        if title_words:
            return "matched " + ", ".join(f"'{word}'" for word in title_words) + " in its title"
        return "shares words with your question"


_QUANTITY = re.compile(r"\d[\d.]*[a-z]*\d*")  # "200", "2.5", "200mg", "1g", "5mgkg"
_CPT_SHAPE = re.compile(r"\d{4}[0-9ftu]")  # a typed CPT code is a name, not an amount


def _is_quantity(token: str) -> bool:
    """A number or a dose ("200", "2.5", "200mg") or a unit or amount word ("mg", "ml", "units"), not a code."""
    if token in QUANTITY_WORDS:
        return True
    return bool(_QUANTITY.fullmatch(token)) and not _CPT_SHAPE.fullmatch(token)


def _descriptor_words(record: CodeRecord, known: set[str]) -> list[str]:
    """The official descriptor's first DESCRIPTOR_WORDS distinct words that the title and lay terms lack."""
    if not record.official_descriptor:
        return []
    words: list[str] = []
    for token in tokenize(record.official_descriptor):
        if token not in known:
            known.add(token)
            words.append(token)
            if len(words) == DESCRIPTOR_WORDS:
                break
    # A long orthosis descriptor's closing fabrication class counts however long the descriptor runs (asked_kinds).
    tail = FABRICATION_TAIL.search(record.official_descriptor)
    if tail is not None:
        words.extend(token for token in tokenize(tail.group(0)) if token not in known)
    return words



# "Continuous positive airway pressure (cpap) device" (E0601): a descriptor that defines an acronym in brackets
# right after the words it abbreviates makes the acronym that record's name, as coders type it ("CPAP machine").
# Only a bracketed word whose letters are the initials of the words just before it counts (joining words like "of"
# may be skipped), so "(hikma)" or "(1 piece)" are not acronyms.
_ACRONYM = re.compile(r"((?:[a-z]+[\s-]+){2,8})\(([a-z]{3,6})\)", re.IGNORECASE)
_ACRONYM_SKIP = frozenset(["of", "and", "the", "for", "in", "on", "to", "a", "an", "or"])


def descriptor_acronyms(record: CodeRecord) -> list[str]:
    """Acronyms the record's official descriptor defines ("(cpap)" after "continuous positive airway pressure")."""
    found: list[str] = []
    for match in _ACRONYM.finditer(record.official_descriptor or ""):
        acronym = match.group(2).casefold()
        words = [word.casefold() for word in re.split(r"[\s-]+", match.group(1)) if word]
        initials = [word[0] for word in words if word not in _ACRONYM_SKIP]
        if "".join(initials[-len(acronym):]) == acronym:
            found.append(acronym)
    return found

