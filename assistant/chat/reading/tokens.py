"""The tokenizer: typed tokens with their character spans in the question as typed.

One left-to-right scan, no rewriting of the text: every token keeps `start`/`end` into the original question, so
what the reader reports can always be shown as the words the coder typed. Number words are composed over the
word tokens ("one hundred ten" -> 110, "forty-five" -> 45, "twenty one" -> 21), longest run first, so "five" is
never read inside "forty-five" (issue 10: 144 of 198 spellings of 1-99 were misread by ordered text rewrites).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chat.reading.vocabulary import COUNT_WORDS, ONES, SCALES, TENS
from assistant.corpus.codes import find_code_spans
from assistant.units.limits import MAX_NUMBER, number_too_long

# kind: num | frac | clock | word | unit | code | punct
Kind = str


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text (lower-cased), its span in the question and, for numbers, its value."""

    kind: Kind
    text: str
    start: int
    end: int
    value: float | None = None
    words: bool = False  # a number spelled in words
    glued: bool = False  # no space before this token (a unit glued to its number: "90min", "2h30")

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


_SAME_LENGTH = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
                              "\u00a0": " ", "\t": " ", "\r": " ", "\n": " ", "\u00d7": "x"})


def lower_same_length(text: str) -> str:
    """The text lower-cased with dashes unified, character for character, so spans stay valid in the original."""
    low = text.lower()
    if len(low) == len(text):
        return low.translate(_SAME_LENGTH)
    out = []
    for char in text:
        low = char.lower()
        if len(low) != 1:
            low = char
        if low in "\u2013\u2014\u2212\u2010\u2011":
            low = "-"
        elif low in "\u00a0\t\r\n":
            low = " "
        elif low == "\u00d7":
            low = "x"
        out.append(low)
    return "".join(out)


_TOKEN = re.compile(
    r"(?P<clock>\d{1,2}:[0-5]\d(?:\s?(?:[ap]\.?m\.?|[ap])(?![a-z]))?"
    r"|(?<![\d.])\d{1,2}\s?[ap]\.?m\.?(?![a-z])"
    r"|(?<![\d.])(?:[01]\d|2[0-3])[0-5]\dh(?![a-z])"
    r"|\bnoon\b|\bmidnight\b)"
    r"|(?P<unit>(?<![a-z])(?:mg|mcg|ug|µg|gm|g|units?|iu|u|ml|cc)/(?:kg|m2|m²|m\^2)(?![a-z0-9])|m²|m\^2|(?<=[\d\s])m2(?![a-z0-9])"
    r"|w/o|e/m|e&m|sub-q|sub-cut"
    r"|b/l|y/o)"
    r"|(?P<frac>(?<![\d.])\d+\s*/\s*\d+(?![\d/]))"
    # A name with digits glued after its letters ("B12", "D5W", "A1c", "q4h", "COVID19") is one word, never a number:
    # "B12 injection" once read as 12 injections. Not "x2" (a count) and not after a digit ("2h30" is a duration).
    r"|(?P<name>(?<![a-z0-9.])(?!x\d+(?![a-z]))[a-z]+\d+[a-z0-9]*)"
    r"|(?P<num>(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?|(?<!\d)\.\d+)"
    r"|(?P<half>[½¼¾])"
    r"|(?P<word>[a-zµ]+(?:'[a-z]+)?)"
    r"|(?P<punct>[-+*/,;:&()?!=@<>x.])"
)
_HALVES = {"½": 0.5, "¼": 0.25, "¾": 0.75}


def _code_spans(text: str, low: str) -> list[tuple[int, int, str]]:
    """Where each code sits in the text: `assistant/corpus/codes.py` is the one reader of code shapes (CPT, HCPCS,
    Category II/III, modifiers in context, NDCs), used through its public functions."""
    return [(span.start, span.end, span.code) for span in find_code_spans(text)
            if not _an_amount(low, span.start, span.end)]


_AMOUNT_AFTER = re.compile(r"\.\d|\s*(?:mg|g|mcg|units?|ml|cc|iu|min|mins|minutes?|hrs?|hours?)\b")


def _an_amount(low: str, start: int, end: int) -> bool:
    """A code-shaped number that is an amount: "-10.5 mg" after a code is a dose, not modifier 10; "10000 units"."""
    shape = low[start:end]
    return shape.isdigit() and bool(_AMOUNT_AFTER.match(low, end))


def tokenize(text: str) -> tuple[str, list[Token]]:
    """The lower-cased text (same length) and its tokens, number words composed."""
    low = lower_same_length(text)
    codes = _code_spans(text, low)
    tokens: list[Token] = []
    position = 0
    for start, end, code in [*codes, (len(low), len(low), "")]:
        for match in _TOKEN.finditer(low, position, start):
            kind = match.lastgroup or "punct"
            if kind == "name":
                kind = "word"
            glued = match.start() > 0 and not low[match.start() - 1].isspace()
            value: float | None = None
            if kind == "num":  # past 14 digits: no value, never inf and an OverflowError later (issue 24)
                value = None if number_too_long(match.group(0)) else float(match.group(0).replace(",", ""))
            elif kind == "half":
                kind, value = "num", _HALVES[match.group(0)]
            tokens.append(Token(kind, match.group(0), match.start(), match.end(), value, glued=glued))
        if code:
            tokens.append(Token("code", code, start, end))
        position = max(position, end)
    return low, compose_number_words(_unglue_codes(tokens), low)


_UNIT_AFTER_CODE = frozenset({"mg", "g", "mcg", "units", "unit", "ml", "cc", "min", "mins", "minutes", "hours",
                              "hrs", "iu", "u"})


def _unglue_codes(tokens: list[Token]) -> list[Token]:
    """A five-digit 'code' followed by a dose or time unit is an amount ("10000 units" of heparin), not a CPT code."""
    out = list(tokens)
    for i, token in enumerate(out):
        if token.kind == "code" and token.text.isdigit() and i + 1 < len(out) and out[i + 1].text in _UNIT_AFTER_CODE:
            out[i] = Token("num", token.text, token.start, token.end, float(token.text))
    return out


def _number_word(token: Token) -> bool:
    return token.kind == "word" and (token.text in ONES or token.text in TENS or token.text in SCALES)


def compose_number_words(tokens: list[Token], low: str = "") -> list[Token]:
    """Runs of number words become one number token: "one hundred and ten" -> 110, "forty-five" -> 45.

    Grammar (longest run wins): [ONES|TENS[-ONES]] (hundred [and] [TENS[-ONES]|ONES])? and the same before
    "thousand"; "a hundred" = 100. A word that does not fit ends the run; the run's value is what it read so far.
    """
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "word" and token.text in COUNT_WORDS:
            out.append(Token("num", token.text, token.start, token.end, float(COUNT_WORDS[token.text]), words=True))
            i += 1
            continue
        starts_with_a = token.text in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1].text in SCALES
        if not (_number_word(token) and token.text not in SCALES) and not starts_with_a:
            out.append(token)
            i += 1
            continue
        total, current, j, last = 0, 0, i, i
        expect_ones_after_tens = False
        if starts_with_a:
            current, j = 1, i + 1
        while j < len(tokens):
            word = tokens[j]
            text = word.text
            if text == "-" and expect_ones_after_tens and j + 1 < len(tokens) and tokens[j + 1].text in ONES \
                    and 0 < ONES[tokens[j + 1].text] < 10 and word.start == tokens[j - 1].end:
                j += 1
                continue
            if text == "and" and j + 1 < len(tokens) and _number_word(tokens[j + 1]) \
                    and tokens[j + 1].text not in SCALES and j > i and tokens[j - 1].text in SCALES:
                j += 1
                continue
            if word.kind != "word":
                break
            if text in ONES:
                after_tens = current % 100 >= 20 and current % 10 == 0 and expect_ones_after_tens
                after_scale = current % 100 == 0 and (current == 0 or tokens[last].text in SCALES)
                if after_tens and 0 < ONES[text] < 10 or after_scale:
                    current += ONES[text]
                else:
                    break
                expect_ones_after_tens = False
            elif text in TENS:
                if current % 100 == 0 and (current == 0 or tokens[last].text in SCALES):
                    current += TENS[text]
                    expect_ones_after_tens = True
                else:
                    break
            elif text == "hundred" and 0 < current < 100 and tokens[last].text not in SCALES:
                current *= 100
                expect_ones_after_tens = False
            elif text == "thousand" and 0 < current < 1000 and tokens[last].text != "thousand":
                total += current * 1000
                current = 0
                expect_ones_after_tens = False
            else:
                break
            last = j
            j += 1
        value = total + current
        first, final = tokens[i], tokens[last]
        text = low[first.start:final.end] if low else " ".join(t.text for t in tokens[i:last + 1])
        # "million million ...": past 14 digits no value (float() would overflow), as for digits (issue 24)
        out.append(Token("num", text, first.start, final.end, float(value) if value < MAX_NUMBER else None,
                         words=True, glued=first.glued))
        i = last + 1
    return out
