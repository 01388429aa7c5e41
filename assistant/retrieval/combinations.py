"""A combination product yields to the single drug the question names (issue 22, product codes vs the generic).

CMS codes a fixed combination apart from each of its drugs: "albuterol, up to 2.5 mg and ipratropium bromide, up to
0.5 mg" (J7620) beside albuterol (J7613) and ipratropium (J7644); "trastuzumab, 10 mg and hyaluronidase-oysk"
(J9356) beside trastuzumab (J9355); "ampicillin sodium/sulbactam sodium" (J0295) beside ampicillin (J0290) (CMS
HCPCS Level II descriptors; each product has its own code, 100-04 Ch. 17 s. 20). The combination's record carries
every drug's name, so a question naming one of them finds both. When the question names some of the combination's
drugs but not all, and none of the combination's own product names ("duoneb", "unasyn", "herceptin hylecta"), the
combination counts COMBINATION_FACTOR.
"""

from __future__ import annotations

import re

from assistant.corpus.records import CodeRecord
from assistant.retrieval.lexical import NEGATED, tokens
from assistant.retrieval.routes import DRUG_FORM_WORD, first_drug_word

COMBINATION_FACTOR = 0.7
# A further drug of the combination: the word after "/" or "and" (not a number, not a word that only describes).
_JOINED = re.compile(r"(?:/|\band\s+)([a-z][a-z-]{3,})", re.IGNORECASE)
_NOT_A_DRUG = frozenset({
    "other", "technique", "conveyance", "supplies", "implants", "implant", "normal", "water", "pneumatic",
    "electrical", "electric", "adolescents", "pediatric", "older", "suppository", "powder", "von",
})
_MIN_PREFIX = 5


def combination_drugs(record: CodeRecord) -> list[str]:
    """The drugs a J-code combination names, first one first ("albuterol", "ipratropium"); [] for one drug."""
    descriptor = record.official_descriptor or ""
    if not record.code.startswith("J") or not descriptor:
        return []
    body = re.sub(r"\([^)]*\)", " ", DRUG_FORM_WORD.sub("", descriptor).split(";")[0])  # "(gamunex-c/...)": products
    first = first_drug_word(body)
    if first is None:
        return []
    drugs = [first]
    for match in _JOINED.finditer(body):
        word = match.group(1).casefold()
        if word not in _NOT_A_DRUG:
            drugs.append(word)
    names = {_molecule(drug) for drug in drugs}
    return drugs if len(names) > 1 else []


def _molecule(word: str) -> str:
    """"hyaluronidase-oysk" is hyaluronidase: the four-letter suffix only tells products apart."""
    return re.sub(r"-[a-z]{4}$", "", word)


def _names(asked: set[str], drug: str) -> bool:
    molecule = _molecule(drug)
    return molecule in asked or any(len(word) >= _MIN_PREFIX and molecule.startswith(word) for word in asked)


def combination_factor(record: CodeRecord, question: str) -> float:
    """COMBINATION_FACTOR when the question names some but not all of the record's combined drugs and none of its
    product names; else 1.0."""
    drugs = combination_drugs(record)
    if not drugs:
        return 1.0
    asked = {token.removeprefix(NEGATED) for token in tokens(question)}
    named = [drug for drug in drugs if _names(asked, drug)]
    if not named or len(named) == len(drugs):
        return 1.0
    text = question.casefold()
    molecules = {_molecule(drug) for drug in drugs}
    for term in record.lay_terms:
        term = term.casefold()
        if len(term) < 4 or any(molecule in term for molecule in molecules):
            continue  # a name made of the drugs' own names is not the product's name
        if re.search(rf"\b{re.escape(term)}\b", text):
            return 1.0  # the product's own name ("duoneb", "unasyn", "herceptin hylecta")
    return COMBINATION_FACTOR
