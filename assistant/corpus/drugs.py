"""The drug dictionary: brand and generic names -> HCPCS drug codes, NDCs -> codes with package units, and the
administration category of a drug (issue 12 item 2; issue 11 uses the category).

Built from the corpus (`corpus.drugs`, lazy and cached): every drug record's lay terms, which the loader fills
from our bundled YAML (curated), the NDC-HCPCS crosswalk's drug names (brand or generic, `import ndc`) and the
generic names read from the public HCPCS descriptors (`import hcpcs`). Names are matched as whole words, longest
first ("heparin lock flush" before "heparin"), hyphens and spaces alike ("solu-medrol" = "solu medrol" =
"solumedrol").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from assistant.corpus.codes import find_code_spans, normalize_ndc
from assistant.corpus.drug_forms import ESTERS, SALTS
from assistant.corpus.drug_names import DRUG_NAMES
from assistant.corpus.drug_qualifiers import by_dose_kind, by_indication, narrow
from assistant.corpus.records import CodeRecord


class DrugSources(Protocol):
    """What the dictionary is built from (`assistant.corpus.loader.Corpus`): current and retired records, and the
    imported crosswalk NDCs."""

    records: list[CodeRecord]
    retired: Mapping[str, CodeRecord]
    ndcs: Mapping[str, list[NdcInfo]]

AdministrationCategory = Literal["chemotherapy", "hormonal_antineoplastic", "therapeutic"]

# --- names from HCPCS descriptors ----------------------------------------------------------------------------

_DESCRIPTOR_LEAD = re.compile(r"^(?:injection|inj|infusion|intravenous infusion)\b[ ,.]*", re.IGNORECASE)
_DOSE_TAIL = re.compile(
    r"\b(?:per\s+|up\s+to\s+)?\d[\d,.]*\s*(?:mg|mcg|g|gm|gram|grams|ml|cc|units?|iu|i\.u\.|meq|mci|millicuries?|"
    r"micrograms?|milligrams?|million|billion)\b.*$", re.IGNORECASE,
)
_QUALIFIERS = re.compile(
    r"\b(?:not otherwise specified|not otherwise classified|excludes? biosimilar|biosimilar|for intravenous use|"
    r"for intramuscular use|for subcutaneous use|for intravenous or subcutaneous use|non-lyophilized|lyophilized|"
    r"preservative[- ]free|e\.g\.,?|powder|solution|liquid|extended[- ]release|sterile)\b", re.IGNORECASE,
)
# Words that are never a drug's name on their own (they would match ordinary questions).
_NOT_NAMES = frozenset({
    "injection", "drug", "drugs", "water", "saline", "sodium", "iron", "oxygen", "test", "dose", "kit", "each",
    "unit", "units", "vial", "hcl", "acetate", "sulfate", "chloride", "phosphate", "hydrochloride", "citrate",
    "unclassified", "other", "immune globulin", "vaccine", "factor", "human", "recombinant", "oral", "supply",
    "contrast", "tablet", "capsule", "dextrose", "insulin", "the", "and", "or", "of", "per", "in", "a",
})


def _clean_name(text: str) -> str:
    text = _QUALIFIERS.sub(" ", text)
    text = re.sub(r"[\s,;:]+$", "", " ".join(text.split()))
    return text.strip(" ,;:-").casefold()


# Words in a descriptor's parentheses that name a maker or a source, not a drug ("heparin sodium (pfizer)",
# "antivenin (equine)"): as a drug name they would match ordinary words ("I hope ...").
_MAKER_WORDS = frozenset({
    "pfizer", "hikma", "accord", "apotex", "baxter", "endo", "exela", "mylan", "sandoz", "teva", "xellia",
    "fresenius", "amneal", "sagent", "hospira", "meitheal", "gland", "eugia", "civica", "zydus", "cipla", "avet",
    "slayback", "hope", "maia", "par", "nexus", "amphastar", "baxalta", "viatris", "novaplus", "almaject", "armas",
    "bluepoint", "jiangsu", "qilu", "hainan", "shilpa", "sun", "reddy", "reddys", "dr", "biocon", "celltrion",
    "braun", "auromedics", "therapeutically", "instillation",
    "equine", "ovine", "porcine", "bovine", "human", "synthetic", "recombinant", "generic", "brand",
})


def generic_names(descriptor: str, makers: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Drug names in a public HCPCS long descriptor: "Injection, pembrolizumab, 1 mg" -> ["pembrolizumab"];
    "Injection, immune globulin (hizentra), 100 mg" -> ["immune globulin", "hizentra"] ("immune globulin"
    alone is then dropped as too general). A parenthesis naming a maker or source ("(pfizer)", "(equine)", or a
    word of `makers`, e.g. the crosswalk's labeler names) is not a drug name. Returns lower-case names, never dose
    words."""
    text = _DESCRIPTOR_LEAD.sub("", descriptor.strip())
    head = text.split(",")[0] if "," in text else text
    names: list[str] = []
    for inner in re.findall(r"\(([^()]*)\)", head):
        name = _clean_name(inner)
        if not set(_tokens(name)) & (_MAKER_WORDS | set(makers)):
            names.append(name)
    head = re.sub(r"\([^()]*\)", " ", head)
    names.append(_clean_name(_DOSE_TAIL.sub("", head)))
    kept: list[str] = []
    for name in names:
        if len(name) < 4 or name in _NOT_NAMES or not re.search(r"[a-z]{4}", name) or re.fullmatch(r"[\d\W]+", name):
            continue
        if name.split()[0] in ("for", "with", "in", "and", "or", "per", "of"):
            continue  # "(for depot suspension)" describes a form, it names no drug
        if len(name.split()) > 5 or name in kept or "unclassified" in name or "not otherwise" in name or (
            set(_tokens(name)) & {"therapeutically", "instillation", "braun", "auromedics"}
        ):
            continue
        kept.append(name)
    return kept


def brand_aliases(name: str) -> list[str]:
    """A crosswalk drug name and the forms coders type: "Kenalog-40" -> ["kenalog-40", "kenalog"];
    "Medrol (Pak)" -> ["medrol (pak)", "medrol"]."""
    base = " ".join(name.split()).casefold()
    aliases = [base]
    stripped = re.sub(r"\s*\([^()]*\)\s*", " ", base).strip()
    stripped = re.sub(r"[-\s]\d+(?:\.\d+)?$", "", stripped).strip()  # a strength suffix: Kenalog-40
    if stripped and stripped != base and len(stripped) >= 4 and stripped not in _NOT_NAMES:
        aliases.append(stripped)
    return aliases


# --- matching --------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+")
_RANGE_FOLLOWS = re.compile(r"\s*[-\u2013:]\s*\d")  # "NS 1000-1100", "NS 1000:": a clock range or time, not a bag size
_DOSE_WORDS = frozenset({"mg", "mcg", "g", "gm", "gram", "grams", "ml", "cc", "unit", "units", "u", "iu", "meq",
                         "milligram", "milligrams", "microgram", "micrograms", "l", "mgs"})


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


@dataclass(frozen=True)
class DrugMention:
    """A drug named in text: its span, the words as typed, and the codes the name fits (current codes first).
    `typo_of` is the dictionary name a mistyped word was read as ("zofrn" -> "zofran"), else None."""

    start: int
    end: int
    surface: str
    candidates: list[CodeRecord] = field(default_factory=list)
    typo_of: str | None = None


def _without_salt(name: str) -> str | None:
    """The name without the salt or form words that end it ("vincristine sulfate" -> "vincristine": `SALTS`), or
    None."""
    words = name.casefold().split()
    stripped = list(words)
    while len(stripped) > 1 and stripped[-1] in SALTS:
        stripped.pop()
    return " ".join(stripped) if stripped != words else None


# Typo tolerance (issue 17): a word of five letters or more that is one edit (a letter added, dropped, changed, or
# two swapped) from exactly one dictionary name of five letters or more is read as that name, and the mention says
# so. Ordinary words of coders' questions are never read as a mistyped drug.
_TYPO_MIN = 5
_TYPO_STOP = frozenset({
    "after", "again", "later", "hours", "units", "times", "total", "start", "started", "stopped", "pushes", "bolus",
    "drips", "fluid", "fluids", "saline", "hydration", "infusion", "office", "clinic", "facility", "hospital",
    "medicare", "commercial", "patient", "minutes", "second", "third", "first", "before", "during", "while",
    "where", "which", "their", "there", "given", "dose", "doses", "vials", "vial", "single", "multi", "flush",
    "line", "lines", "pump", "pumps", "center", "sites", "shots", "injections", "chemo", "push", "route", "daily",
    "weekly", "month", "under", "other", "another", "same", "drug", "drugs", "order", "orders", "about", "would",
    "could", "should", "report", "billed", "bill", "codes", "coded", "visit", "visits", "level", "infused",
    "running", "concurrent", "sequential", "separate", "primary", "reason", "morning", "evening", "night",
})


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def _typo_index(keys: Iterable[str]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for key in keys:
        if len(key) >= _TYPO_MIN and key.isalpha():
            for variant in _deletions(key):
                index.setdefault(variant, set()).add(key)
    return index


def _one_edit(a: str, b: str) -> bool:
    """Damerau (optimal string alignment) distance of at most 1."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@dataclass(frozen=True)
class NdcInfo:
    """One NDC of the crosswalk: the HCPCS code it is billed with and how many billing units one package holds."""

    ndc: str
    hcpcs_code: str
    drug_name: str
    labeler: str
    hcpcs_dosage: str
    package_size: float | None
    package_quantity: float | None
    bill_units: float | None
    bill_units_per_package: float | None
    source: str


# --- administration category (issue 11: which administration codes a drug takes) -------------------------------

# HCPCS J9000-J9999 is the chemotherapy-drug range of the HCPCS file ("chemotherapy drugs"); antineoplastics are
# administered with 96401-96549 (NCCI Policy Manual Ch XI; Noridian JE A, quoted in ../shared/notes/encounters.md
# A7). Hormonal antineoplastics take 96402 (encounters.md A7: leuprolide J9217, fulvestrant J9395, goserelin J9202).
_HORMONAL_ANTINEOPLASTIC: dict[str, str] = {
    "J9217": "leuprolide acetate (depot), 7.5 mg",
    "J9395": "fulvestrant, 25 mg",
    "J9202": "goserelin acetate implant, 3.6 mg",
    # Derived: the same drug as J9217 (leuprolide acetate for cancer), billed per 1 mg.
    "J9218": "leuprolide acetate, per 1 mg",
}
# Drugs outside J9 whose administration is chemotherapy/complex: "some specific monoclonal antibody agents, and
# certain biologic response modifiers" (Noridian JE A; CMS Transmittal 129, 2004; encounters.md A7); infliximab and
# natalizumab as complex for Medicare (CR 13468). Matched on the generic name in the code's descriptor.
_COMPLEX_BIOLOGICS = ("rituximab", "trastuzumab", "bevacizumab", "pembrolizumab", "infliximab", "natalizumab",
                      # Liposomal doxorubicin (Q2049, Q2050 in the HCPCS file) is the same antineoplastic as J9000
                      # doxorubicin HCl, in another form: chemotherapy administration like it (NCCI Ch XI).
                      "doxorubicin")
# Named as not chemotherapy (encounters.md A7): leucovorin/levoleucovorin (CPT Assistant May 2007 via HCPro),
# leuprolide J1950, denosumab (AmeriHealth list), antiemetics (LCD L37205 CHEMO-001).
_THERAPEUTIC_CODES = frozenset({"J0640", "J0641", "J0642", "J1950", "J0897"})
CATEGORY_SOURCES: dict[str, str] = {
    "chemotherapy": "HCPCS J9000-J9999 antineoplastic drugs / monoclonal antibodies used in cancer therapy: "
                    "NCCI Policy Manual Ch XI; Noridian JE A; CMS Transmittal 129 (2004); CR 13468",
    "hormonal_antineoplastic": "Hormonal antineoplastic (96402): AAPC Oncology Alert, AmeriHealth list, via "
                               "encounters.md A7 (leuprolide J9217, fulvestrant J9395, goserelin J9202)",
    "therapeutic": "Not an antineoplastic: therapeutic/prophylactic/diagnostic administration (96360-96379); "
                   "encounters.md A7 (leucovorin, leuprolide J1950, denosumab, antiemetics)",
}


class DrugDictionary:
    """Names -> drug codes, NDCs -> codes, and administration categories, over one corpus."""

    def __init__(self, records: Iterable[CodeRecord], ndcs: Mapping[str, list[NdcInfo]] | None = None) -> None:
        self._records: dict[str, CodeRecord] = {}
        self._trie: dict[str, dict] = {}
        self.names: dict[str, list[CodeRecord]] = {}
        self.sources: dict[str, str] = {}  # a name from the sourced brand table -> its source
        for record in records:
            if not self._is_drug(record):
                continue
            self._records[record.code] = record
            for term in record.lay_terms:
                self._add(term, record)
        # Names derived from the files (issue 17: a substance is a name the dictionary knows): the generic names of
        # each public HCPCS descriptor, each name without its salt ("bleomycin sulfate" -> "bleomycin"), and the
        # sourced brand names and abbreviations of `drug_names.DRUG_NAMES` for a generic the records name.
        for record in list(self._records.values()):
            derived = generic_names(record.official_descriptor) if record.official_descriptor else []
            for term in [*record.lay_terms, *derived]:
                for name in (term, _without_salt(term)):
                    if name and name not in _NOT_NAMES and len(name) >= 4:
                        self._add(name, record)
        self._fold_esters()
        for row in DRUG_NAMES:
            owners = self.names.get(" ".join(_tokens(row.generic)), [])
            for record in list(owners):
                for name in row.names:
                    self._add(name, record)
                    self.sources[" ".join(_tokens(name))] = row.source
        self._typos = _typo_index(key for key in self.names if " " not in key)
        self.ndcs: Mapping[str, list[NdcInfo]] = ndcs if ndcs is not None else {}
        self._by_code: dict[str, list[NdcInfo]] | None = None  # hcpcs code -> its NDCs, built on first use
        for bucket in self.names.values():
            bucket.sort(key=lambda r: (r.terminated_on is not None, r.code))

    def _fold_esters(self) -> None:
        """An ester names its molecule too, like a salt ("triamcinolone acetonide", "triamcinolone hexacetonide" ->
        "triamcinolone": `drug_forms.ESTERS`), but only a molecule name the files already use ("triamcinolone" of
        J7683): the ester's codes then stand beside the molecule's other codes, and the typed route and product form
        choose (`drug_forms`: a form not named yields; the NOS code is what a dose alone means). A molecule the files
        never name bare ("testosterone": only its esters have codes) stays unknown: the ester must be said."""
        for key, records in list(self.names.items()):
            words = key.split()
            if len(words) > 1 and words[-1] in ESTERS and (molecule := " ".join(words[:-1])) in self.names:
                for record in records:
                    self._add(molecule, record)

    @staticmethod
    def _is_drug(record: CodeRecord) -> bool:
        return record.system == "HCPCS" and (record.billing_unit is not None or record.family == "drugs")

    def _add(self, term: str, record: CodeRecord) -> None:
        tokens = _tokens(term)
        if not tokens:
            return
        variants = [tuple(tokens)]
        if len(tokens) > 1 and re.search(r"[a-z]-[a-z]", term.casefold()):
            variants.append(("".join(tokens),))  # "solu-medrol" typed as "solumedrol"
        for variant in variants:
            key = " ".join(variant)
            bucket = self.names.setdefault(key, [])
            if record not in bucket:
                bucket.append(record)
            node = self._trie
            for token in variant:
                node = node.setdefault(token, {})
            node[""] = key  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def records(self) -> list[CodeRecord]:
        """Every drug record the dictionary knows."""
        return list(self._records.values())

    def candidates(self, name: str) -> list[CodeRecord]:
        """The codes a name fits (exact, any case, hyphens as spaces), current codes first."""
        return list(self.names.get(" ".join(_tokens(name)), []))

    def find(self, text: str) -> list[DrugMention]:
        """Drug names in `text`, longest match at each position, whole words only, in order of appearance; an NDC
        of the imported crosswalk is a mention too (its HCPCS code(s) as candidates).

        A name that ends in a number ("Kenalog-40", "depo-medrol 80") is not taken when that number is the dose
        ("kenalog 40 mg") or starts a clock range or time ("NS 1000-1100" is NS from 10:00 to 11:00, not the
        1000 cc bag): the shorter name is used and the number stays for the dose or the time.
        """
        spans = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text.casefold())]
        mentions: list[DrugMention] = []
        index = 0
        while index < len(spans):
            node = self._trie
            matches: list[tuple[int, str]] = []
            probe = index
            while probe < len(spans) and spans[probe][2] in node:
                node = node[spans[probe][2]]
                if "" in node:
                    matches.append((probe, node[""]))  # type: ignore[arg-type]
                probe += 1
            while matches and spans[matches[-1][0]][2].isdigit() and (
                    self._dose_follows(spans, matches[-1][0]) or _RANGE_FOLLOWS.match(text, spans[matches[-1][0]][1])):
                matches.pop()
            if not matches:
                typed = spans[index][2]
                key = self.typo(typed)
                if key is not None:
                    start, end = spans[index][0], spans[index][1]
                    mentions.append(DrugMention(start, end, text[start:end], list(self.names[key]), typo_of=key))
                index += 1
                continue
            last, key = matches[-1]
            start, end = spans[index][0], spans[last][1]
            mentions.append(DrugMention(start, end, text[start:end], list(self.names[key])))
            index = last + 1
        return sorted([*mentions, *self._ndc_mentions(text)], key=lambda mention: mention.start)

    def typo(self, word: str) -> str | None:
        """The one dictionary name (five letters or more) `word` is a one-edit typo of, or None."""
        if len(word) < _TYPO_MIN or not word.isalpha() or word in _TYPO_STOP or word in self.names:
            return None
        found = {key for variant in _deletions(word) for key in self._typos.get(variant, ())
                 if _one_edit(word, key)}
        return found.pop() if len(found) == 1 else None

    def _ndc_mentions(self, text: str) -> list[DrugMention]:
        """An NDC typed in the text names its drug: the crosswalk's HCPCS code(s) are the candidates."""
        if not self.ndcs:
            return []
        mentions = []
        for span in find_code_spans(text):
            if span.kind != "ndc":
                continue
            codes = dict.fromkeys(row.hcpcs_code for row in self.ndc(span.code) if row.hcpcs_code in self._records)
            if codes:
                mentions.append(DrugMention(span.start, span.end, span.surface, [self._records[c] for c in codes]))
        return mentions

    @staticmethod
    def _dose_follows(spans: list[tuple[int, int, str]], position: int) -> bool:
        return position + 1 < len(spans) and spans[position + 1][2] in _DOSE_WORDS

    def resolve(self, candidates: list[CodeRecord], words: str = "") -> list[CodeRecord]:
        """The candidates a count can use: terminated codes give way to current ones (then to their replacement);
        then the typed qualifiers choose (`narrow`)."""
        current = [r for r in candidates if r.terminated_on is None]
        if not current:
            replaced = [self._records.get(code) for r in candidates for code in r.replaced_by]
            current = [r for r in replaced if r is not None] or list(candidates)
        return narrow(current, words)

    def ndc(self, ndc: str) -> list[NdcInfo]:
        """The crosswalk rows of an NDC in any of its shapes (4-4-2, 5-3-2, 5-4-1, 5-4-2, 11 digits): usually one,
        several when CMS maps the NDC to several codes (J0881/J0882); empty when unknown."""
        normal = normalize_ndc(ndc)
        return list(self.ndcs.get(normal, [])) if normal else []

    def packages(self, code: str) -> list[NdcInfo]:
        """The crosswalk NDCs billed with `code` (their package sizes and bill units per package)."""
        code = code.strip().upper()
        if self._by_code is None:
            index: dict[str, list[NdcInfo]] = {}
            for rows in self.ndcs.values():
                for info in rows:
                    index.setdefault(info.hcpcs_code, []).append(info)
            self._by_code = index
        return list(self._by_code.get(code, []))

    def by_strength(self, candidates: list[CodeRecord], dose: float | None, unit: str | None,
                    name: str = "", words: str = "") -> list[CodeRecord]:
        """Codes one brand fits, narrowed by the strength given (rules.md "One brand, several codes": strength,
        route and indication decide): when the dose is a container the crosswalk lists for exactly one of them
        (Lupron Depot 3.75 mg is only J1950's; 22.5 mg only J9217's), that code; otherwise all of them (asked).
        A generic name a descriptor carries is never narrowed: a dose is drawn from any vial ("methylprednisolone
        80 mg" may be the acetate or the sodium succinate, whatever vials the crosswalk lists). The ESRD indication
        typed in `words` and the dose's unit kind narrow first (`drug_qualifiers.by_indication`, `by_dose_kind`)."""
        candidates = by_indication(candidates, words)  # "non-ESRD" / "ESRD" typed (drug_qualifiers)
        if len(candidates) < 2 or dose is None or not unit:
            return candidates
        candidates = by_dose_kind(candidates, unit)  # units vs micrograms: epoetin alfa vs beta (drug_qualifiers)
        if name and any(name.casefold() in (r.official_descriptor or r.title).casefold() for r in candidates):
            return candidates
        fits = [r for r in candidates
                if any(abs(size - dose) < 1e-6 and size_unit.casefold() == unit.casefold()
                       for size, size_unit in self.container_amounts(r.code))]
        return fits if len(fits) == 1 else candidates

    def container_amounts(self, code: str) -> list[tuple[float, str]]:
        """The amounts one container (vial, syringe) of `code` holds, in its billing unit, from the crosswalk:
        `billunits` (billing units per item) x the code's billing unit ("J9271": [(100.0, "mg")] for the 4 mL
        Keytruda vial of 100 billing units of 1 mg). Sorted, without duplicates; empty when not known. The JW/JZ
        arithmetic (assistant/units/drugs.py waste_lines) takes one of them as the container size."""
        record = self._records.get(code.strip().upper())
        if record is None or record.billing_unit is None:
            return []
        unit = record.billing_unit
        sizes = {
            round(info.bill_units * unit.quantity, 6)
            for info in self.packages(code)
            if info.bill_units is not None and info.bill_units > 0
        }
        return [(size, unit.unit) for size in sorted(sizes)]

    def administration_category(self, code: str) -> AdministrationCategory | None:
        """How a drug's administration is coded: chemotherapy/complex, hormonal antineoplastic (96402) or
        therapeutic; None for a code that is not a drug we know. Defaults only: Medicare contractors may not
        downcode on the drug alone (TDL 12397), so answers carry CATEGORY_SOURCES[category] as a caveat."""
        code = code.strip().upper()
        record = self._records.get(code)
        if code in _HORMONAL_ANTINEOPLASTIC:
            return "hormonal_antineoplastic"
        if code in _THERAPEUTIC_CODES:
            return "therapeutic"
        if re.fullmatch(r"J9\d{3}", code):
            return "chemotherapy"
        if record is None:
            return None
        text = " ".join((record.official_descriptor or "", record.title, *record.lay_terms)).casefold()
        if any(name in text for name in _COMPLEX_BIOLOGICS):
            return "chemotherapy"
        return "therapeutic"


def build_dictionary(corpus: DrugSources) -> DrugDictionary:
    """The dictionary of a corpus: its drug records (current and retired) and the imported crosswalk NDCs."""
    return DrugDictionary([*corpus.records, *corpus.retired.values()], corpus.ndcs)
