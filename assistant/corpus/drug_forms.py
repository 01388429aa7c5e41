"""Routes and product forms that choose among the codes one drug name fits (issue 17 reading leftovers), as data.

Read from the public HCPCS Level II descriptors and the words typed, never from a drug's name alone:

- **route** (`ROUTE_FORMS`): a route the words state rules out the codes whose descriptor names a form that route
  cannot give. An injection (IM, IV, SQ, intra-articular, "injection", "shot") is never an inhalation solution, an
  oral drug or an eye, ear or skin product; a nebulized or inhaled drug is never an injection. Sources: CMS HCPCS
  Level II descriptors (each names its form: "Injection, ...", "..., inhalation solution, ... administered through
  dme", "..., oral, ..."); Medicare Claims Processing Manual 100-04 Ch. 17 s. 80 (oral drugs are their own codes,
  covered only as listed there); the DME MAC inhalation drug policy (J7604-J7699 are drugs given through a DME
  nebulizer). A route that rules out every code is said (`route_note`), never coded with another route's code;
- **product form** (`PRODUCT_FORMS`, `ESTERS`): a code CMS reserves for one form of the drug (preservative-free,
  extended-release, liposomal, compounded, an inhalation solution, or one ester: "triamcinolone hexacetonide" J3303)
  yields to the plain code when the words do not name that form; a form the words name keeps the codes that have it.
  When every code left names a form the words do not, the one "not otherwise specified" code is the one a dose
  alone means ("triamcinolone 40 mg IM" is J3301, "triamcinolone acetonide, not otherwise specified, 10 mg"; J3300
  preservative-free, J3302 diacetate, J3303 hexacetonide, J3304 extended-release need their word). The same rule
  ranks the search (`assistant/retrieval/priors.py`, "a product form CMS codes apart from the plain drug"). Still
  several -> asked, never the first.

The words a name ends with that fold to the molecule are declared here too (`SALTS`, `ESTERS`): the drug dictionary
reads "vincristine sulfate" also as "vincristine" and "triamcinolone hexacetonide" also as "triamcinolone".

Pure: the records' descriptors and the typed words only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.records import CodeRecord

_I = re.IGNORECASE


# The DME MAC inhalation drugs: HCPCS J7604-J7699 are given through a nebulizer (DME), whether or not the
# descriptor says "inhalation" ("Albuterol ... and ipratropium bromide ..., administered through dme", J7620).
_INHALATION_CODES = re.compile(r"J76(?:0[4-9]|[1-9]\d)")


def descriptor_of(record: CodeRecord) -> str:
    """The words a code's form is read from: its public descriptor and its title (an inhalation drug of J7604-J7699
    reads as one)."""
    inhaled = " (inhalation drug)" if _INHALATION_CODES.fullmatch(record.code) else ""
    return " ".join((record.official_descriptor or "", record.title)) + inhaled


# --- routes ----------------------------------------------------------------------------------------------------

# The forms a descriptor names (HCPCS Level II descriptors).
# "inhalation solution" (J7604-J7699), "for inhalation" (J2062); "other than inhalation drugs" (J7799) is none.
_INHALED_FORM = r"(?<!other than )\binhal\w*"
_ORAL_FORM = r"\boral\b"  # "Aprepitant, oral, 5 mg" (J8501), "Capecitabine, oral, 50 mg" (J8522)
_LOCAL_FORMS = r"\b(?:ophthalmic|otic|topical|vaginal|rectal|transdermal)\b"
_EYE_FORMS = r"\bintra(?:vitreal|ocular)\b"  # an eye injection or implant ("intravitreal implant" J7312)
_INJECTED_FORM = r"^\s*(?:injection|inj)\b|\b(?:infusion|intravenous|intramuscular|subcutaneous)\b"

# The words that state a route. Injection words that name no systemic route ("injection", "shot") may still be an
# eye injection; IM, IV, SQ and intra-articular may not.
_SYSTEMIC_WORDS = (r"\b(?:im|iv|ivp|ivpb|sq|sc|subq|sub-q|subcut\w*|subcutaneous(?:ly)?|intramuscular(?:ly)?|"
                   r"intravenous(?:ly)?|intra-?articular(?:ly)?|intra-?lesional(?:ly)?|push(?:ed)?|infusions?|"
                   r"infused|drip|bolus|piggyback)\b")
_INJECTION_WORDS = r"\b(?:injections?|injected|inj|shots?)\b"
INHALED_WORDS = (r"\b(?:neb|nebs|nebul[iy][sz](?:ed|er|ers|ation)|inhaled|inhalations?|inhaler|hhn|svn|"
                 r"aerosol(?:ized)?)\b")
ORAL_WORDS = r"\b(?:oral|orally|po|by mouth|tablets?|tabs?|capsules?|caps)\b"


@dataclass(frozen=True)
class RouteForms:
    """A route the words state (`typed`) and the descriptor forms it rules out (`excludes`); `kind` groups the rows
    of one route (two kinds typed: the words do not state one route, nothing is ruled out)."""

    kind: str
    label: str  # in an answer: "an injection (IM, IV, SQ)"
    typed: re.Pattern[str]
    excludes: re.Pattern[str]
    source: str


_SOURCE = ("CMS HCPCS Level II descriptors (each names its form); 100-04 Ch. 17 s. 80 (oral drugs); DME MAC "
           "inhalation drugs J7604-J7699 are given through a nebulizer")
ROUTE_FORMS: tuple[RouteForms, ...] = (
    RouteForms("injection", "an injection (IM, IV, SQ, intra-articular)", re.compile(_SYSTEMIC_WORDS, _I),
               re.compile("|".join((_INHALED_FORM, _ORAL_FORM, _LOCAL_FORMS, _EYE_FORMS)), _I), _SOURCE),
    RouteForms("injection", "an injection", re.compile(_INJECTION_WORDS, _I),
               re.compile("|".join((_INHALED_FORM, _ORAL_FORM, _LOCAL_FORMS)), _I), _SOURCE),
    RouteForms("inhalation", "nebulized or inhaled", re.compile(INHALED_WORDS, _I),
               re.compile("|".join((_INJECTED_FORM, _ORAL_FORM, _LOCAL_FORMS, _EYE_FORMS)), _I), _SOURCE),
    RouteForms("oral", "oral (PO)", re.compile(ORAL_WORDS, _I),
               re.compile("|".join((_INJECTED_FORM, _INHALED_FORM, _LOCAL_FORMS, _EYE_FORMS)), _I), _SOURCE),
)


def stated_routes(words: str) -> list[RouteForms]:
    """The route rows the words state, when they state one route (one kind); empty when none or two kinds."""
    rows = [row for row in ROUTE_FORMS if row.typed.search(words)]
    return rows if len({row.kind for row in rows}) == 1 else []


def by_route(candidates: list[CodeRecord], words: str) -> list[CodeRecord]:
    """The codes a stated route can give: a code whose descriptor names a form the route rules out is dropped.
    Empty when the route rules out every code (`route_note` says so); every candidate when no one route is
    stated."""
    rows = stated_routes(words)
    return [r for r in candidates if not any(row.excludes.search(descriptor_of(r)) for row in rows)]


def route_note(candidates: list[CodeRecord], words: str, drug: str = "") -> str:
    """Why no code is left when the stated route rules out every one ("capecitabine 500 mg IM": J8522 is oral), or
    "" when a code is left (or nothing was ruled out)."""
    rows = stated_routes(words)
    current = [r for r in candidates if r.terminated_on is None] or candidates
    if not current or not rows or by_route(current, words):
        return ""
    codes = ", ".join(f"{r.code} ({r.official_descriptor or r.title})" for r in current)
    named = f"'{drug}'" if drug else "This drug"
    return (f"{named} has no code given as {rows[0].label}: its HCPCS codes are {codes}. A code of another route "
            f"is never reported for it ({rows[0].source}): check the route, or name the product's code.")


# --- product forms ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProductForm:
    """A form CMS codes apart from the plain drug: the descriptor words (`descriptor`) and the words that name it
    (`typed`)."""

    name: str
    descriptor: re.Pattern[str]
    typed: re.Pattern[str]
    # Words that do not name the form but make it likely, so it does not yield (asked beside the plain code).
    kept_by: re.Pattern[str] | None = None
    said: bool = True  # a coder says this form (in the question that asks); else the product's name decides


# The words a name ends with that fold to the molecule, declared together. Salts and forms a descriptor adds after
# the drug's name: "bleomycin sulfate" is typed "bleomycin" (issue 17); the dictionary reads both names.
SALTS = frozenset({
    "sulfate", "sulphate", "hcl", "hydrochloride", "sodium", "disodium", "acetate", "phosphate", "citrate",
    "mesylate", "tartrate", "succinate", "lactate", "edisylate", "maleate", "besylate", "tromethamine", "calcium",
    "bromide", "injection", "liposomal", "liposome",
})
# Esters of one molecule CMS codes apart (HCPCS descriptors: triamcinolone acetonide J3300/J3301/J3304, diacetate
# J3302, hexacetonide J3303; haloperidol J1630 vs haloperidol decanoate J1631; fluphenazine hcl J2679 vs decanoate
# J2680; testosterone cypionate J1071, enanthate J3121, undecanoate J3145). The drug dictionary reads each as the
# molecule too ("triamcinolone"), like a salt (`assistant.corpus.drugs`); named, it keeps its own code.
ESTERS: tuple[str, ...] = ("acetonide", "diacetate", "hexacetonide", "decanoate", "cypionate", "enanthate",
                           "undecanoate", "valerate", "caproate", "pamoate", "palmitate", "lauroxil")

# The product forms of the search's rule (`assistant/retrieval/priors.py`), without "ER" (an emergency room).
PRODUCT_FORMS: tuple[ProductForm, ...] = (
    # An eye or a spinal site: preservative-free products are the ones for it (HCPCS J2274 "morphine sulfate,
    # preservative-free for epidural or intrathecal use"; FDA label of TRIESENCE, triamcinolone acetonide injectable
    # suspension for intravitreal use, preservative-free: J3300), so the plain code is not assumed there.
    ProductForm("preservative-free", re.compile(r"\bpreservative[- ]free\b", _I),
                re.compile(r"\b(?:preservative[- ]free|pf|p\.f\.)(?!\w)", _I),
                re.compile(r"\b(?:intra-?vitreal|intra-?ocular|ophthalmic|eye|epidural|intra-?thecal|spinal)\b", _I)),
    ProductForm("extended-release", re.compile(r"\b(?:extended[- ]release|microspheres?)\b", _I),
                re.compile(r"\b(?:extended[- ]release|xr|microspheres?)\b", _I)),
    ProductForm("liposomal", re.compile(r"\bliposom\w*", _I), re.compile(r"\bliposom\w*", _I)),
    ProductForm("compounded", re.compile(r"(?<!non-)(?<!non )\bcompounded\b", _I),
                re.compile(r"(?<!non-)(?<!non )\bcompound(?:ed)?\b", _I)),
    ProductForm("inhalation", re.compile(_INHALED_FORM, _I), re.compile(INHALED_WORDS, _I)),
    # An eye, ear or skin product ("Dexamethasone, lacrimal ophthalmic insert" J1096, "..., intravitreal implant"
    # J7312) beside the injection (J1100): the drug's name alone means the injection.
    ProductForm("eye, ear or skin", re.compile(_LOCAL_FORMS + "|" + _EYE_FORMS + r"|\blacrimal\b", _I),
                re.compile(r"\b(?:eyes?|ocular|ophthalmic|intra-?ocular|intra-?vitreal|lacrimal|ears?|otic|topical|"
                           r"vaginal|rectal|transdermal|patch)\b", _I)),
    # A 505(b)(2) product CMS codes apart "not therapeutically equivalent to" the reference drug (HCPCS descriptors,
    # e.g. midazolam in sodium chloride J2251 beside midazolam J2250; CMS ASP files list them apart).
    ProductForm("not therapeutically equivalent", re.compile(r"\bnot therapeutically equivalent\b", _I),
                re.compile(r"\bnot therapeutically equivalent\b|\b505\s*\(?b\)?", _I), said=False),
    # Co-formulated with hyaluronidase for subcutaneous use ("rituximab 10 mg and hyaluronidase" J9311 beside
    # rituximab J9312): the molecule alone means the intravenous product; a subcutaneous route makes it likely.
    ProductForm("with hyaluronidase", re.compile(r"\band hyaluronidase\b", _I), re.compile(r"\bhyaluronidase\b", _I),
                re.compile(r"\b(?:sq|sc|subq|sub-q|subcut\w*|subcutaneous(?:ly)?)\b", _I)),
    *(ProductForm(ester, re.compile(rf"\b{ester}\b", _I), re.compile(rf"\b{ester}\b", _I)) for ester in ESTERS),
)
_NOS = re.compile(r"\bnot otherwise specified\b|\bnos\b", _I)


def forms_of(record: CodeRecord) -> frozenset[str]:
    """The product forms a code's descriptor names."""
    text = descriptor_of(record)
    return frozenset(form.name for form in PRODUCT_FORMS if form.descriptor.search(text))


def by_form(candidates: list[CodeRecord], words: str) -> list[CodeRecord]:
    """The codes of the form the words name (see the module docstring): a form named keeps the codes that have it;
    a form not named yields to the codes without it (unless the words make it likely: `kept_by`); when every code
    left names a form the words do not, the one NOS code. Every candidate when nothing chooses (then asked)."""
    if len(candidates) < 2:
        return candidates
    marks = {r.code: forms_of(r) for r in candidates}
    typed = {form.name for form in PRODUCT_FORMS if form.typed.search(words)}
    likely = {form.name for form in PRODUCT_FORMS if form.kept_by is not None and form.kept_by.search(words)}
    most = max(len(marks[r.code] & typed) for r in candidates)
    kept = [r for r in candidates if len(marks[r.code] & typed) == most] if most else list(candidates)
    common = frozenset.intersection(*(marks[r.code] for r in kept))
    plain = [r for r in kept if not marks[r.code] - typed - likely - common]
    if plain:
        return plain
    nos = [r for r in kept if _NOS.search(r.official_descriptor or r.title)]
    if len(nos) != 1:
        return kept
    # Beside the NOS code stays a code that differs from it only by forms the words make likely (asked).
    base = marks[nos[0].code]
    return [r for r in kept if r is nos[0] or marks[r.code] - base - typed <= likely]


def form_hint(candidates: list[CodeRecord]) -> str:
    """The forms that split these codes, said with the question that asks which one (else "")."""
    unsaid = {form.name for form in PRODUCT_FORMS if not form.said}
    marks = {r.code: forms_of(r) - unsaid for r in candidates}
    if len(marks) < 2:
        return ""
    common = frozenset.intersection(*marks.values())
    parts = [f"{code}: {', '.join(sorted(forms - common))}" for code, forms in marks.items() if forms - common]
    return f" The HCPCS descriptors split this drug by form ({'; '.join(parts)}): say the form given." if parts else ""


__all__ = ["ESTERS", "INHALED_WORDS", "ORAL_WORDS", "PRODUCT_FORMS", "ROUTE_FORMS", "SALTS", "ProductForm",
           "RouteForms", "by_form", "by_route", "descriptor_of", "form_hint", "forms_of", "route_note",
           "stated_routes"]
