"""Code-range priors of the fused ranking: rules as data (issue 12 item 6, "code families do not crowd each other
out"). Each prior scales a record's fused score; `reason` says why and names the source. A cue in the question can
lift a prior: the question asks for exactly that kind of code ("what does JW mean", "the old code").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.corpus.drug_forms import ORAL_WORDS
from assistant.corpus.records import CodeRecord


@dataclass(frozen=True)
class RankPrior:
    """A code range whose records yield to others in the fused ranking: the fused score is multiplied by `factor`.
    Rules as data: `pattern` matches the whole code and `system` (if set) the record's system; `unless` is a cue
    in the question that lifts the prior (the question asks for exactly this kind of code); `reason` says why."""

    pattern: re.Pattern[str]
    factor: float
    reason: str
    system: str | None = None
    unless: re.Pattern[str] | None = None
    typed_code_lifts: bool = False  # the record's own code typed as a word, as written ("JW", not "jw"), lifts it

    def applies(self, record: CodeRecord, question: str) -> bool:
        if self.system is not None and record.system != self.system:
            return False
        if not self.pattern.fullmatch(record.code):
            return False
        if self.typed_code_lifts and re.search(rf"(?<![\w-]){re.escape(record.code)}(?![\w-])", question):
            return False
        return self.unless is None or not self.unless.search(question)


# A question that names a payer other than Medicare: codes Medicare does not accept (S, H, T) are then meant.
_NOT_MEDICARE = r"commercial|private|bcbs|blue\s+cross|medicaid|non[- ]medicare"

RANK_PRIORS: tuple[RankPrior, ...] = (
    RankPrior(
        re.compile(r"G[89]\d{3}|M1\d{3}|\d{4}F"), 0.35,
        "quality-data codes: HCPCS G8000-G9999 and M1000-M1999 and CPT Category II (####F) report quality measures "
        "for MIPS and pay nothing (CMS MIPS quality measure specifications; CPT Category II introduction), so a "
        "question naming a service or drug means the billable code",
    ),
    RankPrior(
        re.compile(r"S\d{4}"), 0.7,
        "S codes are temporary national codes for private payers and Medicaid; Medicare does not accept them (CMS "
        "HCPCS Level II coding procedures, 'Temporary National Codes (Non-Medicare)'), so an equal Medicare code "
        "comes first; a question naming a private payer, Medicaid or the S section lifts this",
        unless=re.compile(rf"\b(?:{_NOT_MEDICARE}|s[- ]?codes?)\b", re.IGNORECASE),
    ),
    RankPrior(
        re.compile(r"[HT]\d{4}"), 0.7,
        "H and T codes are national codes established for state Medicaid agencies (H: mental health and substance "
        "use services; T: other Medicaid services); Medicare does not accept them (CMS HCPCS Level II coding "
        "procedures), so an equal Medicare code comes first; a question naming Medicaid, a waiver program, a "
        "private payer or the H or T section lifts this",
        unless=re.compile(rf"\b(?:{_NOT_MEDICARE}|waiver|[ht][- ]?codes?)\b", re.IGNORECASE),
    ),
    RankPrior(
        re.compile(r"C\d{4}"), 0.8,
        "C codes are reported only by hospital outpatient departments under OPPS (CMS HCPCS Level II coding "
        "procedures, 'C codes ... for OPPS': devices with pass-through status, new technology services), so a "
        "question that names no hospital outpatient setting means the code any setting reports",
        system="HCPCS",
        unless=re.compile(r"\b(?:opps|hopd|outpatient|hospital|facility|asc|pass[- ]through|c[- ]?codes?)\b",
                          re.IGNORECASE),
    ),
    RankPrior(
        re.compile(r"[A-Z0-9]{2}"), 0.8,
        "modifiers qualify a code on a claim line; a question about a service or a supply means the code itself, "
        "unless it asks about a modifier (the word, or a modifier typed in capitals: 'what does JW mean'). Only "
        "0.8 (was 0.5): a question may describe a modifier by its meaning without the word ('routine notice waiver "
        "of liability' is GU, 'split shared visit' FS)",
        system="MODIFIER",
        unless=re.compile(r"\bmod(?:ifier)?s?\b", re.IGNORECASE),
        typed_code_lifts=True,
    ),
)


@dataclass(frozen=True)
class QualifierPrior:
    """A descriptor qualifier that restricts a code to a setting or a product the question must state: a record whose
    official descriptor matches `descriptor` counts `factor` unless the question matches `unless`. Sibling codes
    share every other word ("Injection, darbepoetin alfa, 1 microgram" for ESRD on dialysis or not), so without a
    cue the general sibling comes first."""

    descriptor: re.Pattern[str]
    factor: float
    reason: str
    unless: re.Pattern[str]

    named_lifts: bool = False  # the descriptor's captured name (group 1) typed in the question lifts the prior
    only_when: re.Pattern[str] | None = None  # the prior applies only to a question that says this

    def applies(self, record: CodeRecord, question: str) -> bool:
        match = self.descriptor.search(record.official_descriptor or "")
        if match is None or self.unless.search(question):
            return False
        if self.only_when is not None and not self.only_when.search(question):
            return False
        named = match.group(1) if self.named_lifts and match.groups() else None
        return not (named and re.search(rf"\b{re.escape(named)}\b", question, re.IGNORECASE))


# The words that say a drug was taken by mouth: the reader's route words (corpus/drug_forms.py), and the forms CMS's
# oral descriptors add ("buprenorphine/naloxone, oral" films, sublingual tablets).
ORAL_SAID = re.compile(rf"{ORAL_WORDS}|\b(?:caps?|pills?|film|sublingual)\b", re.IGNORECASE)
NEVER = re.compile(r"(?!)")

QUALIFIER_PRIORS: tuple[QualifierPrior, ...] = (
    QualifierPrior(
        re.compile(r"\bfor (?:esrd|dialysis)\b|\besrd on dialysis\b", re.IGNORECASE), 0.7,
        "ESRD/dialysis-only siblings (J0882, Q0139, A4772 ...) are billed by dialysis facilities for ESRD patients "
        "(Medicare Claims Processing Manual 100-04 Ch. 8, ESRD claims); a question that names neither ESRD nor "
        "dialysis means the general (non-ESRD) code",
        re.compile(r"\b(?:esrd|dialy[sz]\w*|renal failure|kidney failure|hemodialysis)\b", re.IGNORECASE),
    ),
    QualifierPrior(
        re.compile(r"(?<!non-)(?<!non )\bcompounded\b", re.IGNORECASE), 0.7,
        "compounded inhalation drugs have their own HCPCS codes beside the FDA-approved final products (HCPCS "
        "J7604-J7699 descriptors: 'compounded product' vs 'fda-approved final product, non-compounded'); a question "
        "that does not say compounded means the FDA-approved product",
        re.compile(r"\bcompound\w*", re.IGNORECASE),
    ),
    QualifierPrior(
        re.compile(r"\bnot therapeutically equivalent to\b", re.IGNORECASE), 0.5,
        "CMS gives a 505(b)(2) product that is 'not therapeutically equivalent to' the reference drug its own code "
        "(HCPCS descriptors, e.g. J2471 vs J2470; CMS ASP pricing files list them apart); the generic name alone "
        "means the reference code",
        re.compile(r"\b(?:not therapeutically|505\s*\(?b\)?|hikma|fresenius|baxter|sandoz|accord|teva)\b",
                   re.IGNORECASE),
    ),
    QualifierPrior(
        # Not a product: what the molecule is or comes from ("(g-csf)" J1442, "(human)", "(recombinant)",
        # "(ovine)", "(vitamin k)") or a restriction ("(only for use as hiv treatment)").
        re.compile(r"^injection, [^,(]+\((?!non-|for |nos\b|noc\b|g-csf|gm-csf|human|recombinant|ovine|bovine|"
                   r"porcine|equine|vitamin|only |preservative)([a-z][a-z -]{2,})\)", re.IGNORECASE), 0.7,
        "a product-specific drug code names its product in brackets ('Injection, midazolam (seizalam), 1 mg' J2253 "
        "beside 'midazolam hydrochloride, per 1 mg' J2250; CMS HCPCS Level II descriptors and the ASP NDC-HCPCS "
        "crosswalk assign each product its code); a question naming only the molecule means the code without a "
        "product, and a question naming the product lifts this",
        NEVER,
        named_lifts=True,
    ),
    QualifierPrior(
        re.compile(r"\b(?:preservative[- ]free|extended[- ]release|sustained[- ]release|long[- ]acting|liposom\w*|"
                   r"microspheres?)\b(?:[^(]*\(([a-z][a-z -]{2,})\))?", re.IGNORECASE), 0.7,
        "a product form CMS codes apart from the plain drug ('triamcinolone acetonide, preservative free' J3300 and "
        "'..., extended-release, microsphere formulation' J3304 beside 'triamcinolone acetonide, NOS' J3301; "
        "liposomal irinotecan J9205 beside J9206; CMS HCPCS Level II descriptors): a question naming the drug "
        "without its form means the plain product, and saying the form (or the product's bracketed name) lifts this",
        re.compile(r"\b(?:preservative[- ]free|pf|p\.f\.|extended|xr|er|xl|sustained|sr|long[- ]acting|depot|"
                   r"liposom\w*|microspheres?)\b", re.IGNORECASE),
        named_lifts=True,
    ),
    QualifierPrior(
        re.compile(r"^(?:[a-z]+ ){0,2}(?:tray|kit)s?\b", re.IGNORECASE), 0.8,
        "a tray or kit is coded apart from the item it holds ('insertion tray with drainage bag with indwelling "
        "catheter, foley type' A4314 beside the catheter itself, A4338; 'tracheostomy care kit' A4629; CMS HCPCS "
        "Level II descriptors A4310-A4316, A4354); a question naming the item without a tray or kit means the item",
        re.compile(r"\b(?:tray|kit|set|pack|package)s?\b", re.IGNORECASE),
    ),
    QualifierPrior(
        re.compile(r",\s*oral\b|\boral,|^oral\b", re.IGNORECASE), 0.6,
        "an oral drug code (J8498-J8999, Q0162-Q0181, S0119 ...: 'dexamethasone sodium phosphate, oral, 0.25 mg' J8540 "
        "beside the injection J1100) is for a drug taken by mouth, billed only in narrow Medicare benefits (oral "
        "anti-cancer and anti-emetic drugs, Social Security Act 1861(s)(2)(Q)/(T); 100-04 Ch. 17 s. 80); a question "
        "naming the drug without saying oral means the drug given in the office, by injection or infusion",
        ORAL_SAID,
    ),
    QualifierPrior(
        re.compile(r"^(?:injection|infusion)\b", re.IGNORECASE), 0.6,
        "the mirror of the oral prior: a question that says the drug was taken by mouth ('oral antiemetic "
        "granisetron 1 mg', 'ondansetron 8 mg PO') means the oral code (Q0162-Q0181, J8498-J8999; 100-04 Ch. 17 s. "
        "80), not the injection that shares the drug's name",
        NEVER, only_when=ORAL_SAID,
    ),
    QualifierPrior(
        re.compile(r"\b(?:cmmi|innovation center)\b|\bdemonstration\b", re.IGNORECASE), 0.7,
        "a code CMS created for one CMS Innovation Center (CMMI) model or demonstration ('... for use only in a "
        "medicare-approved cmmi model' G0076-G0087, G0519-G0531; Social Security Act s. 1115A) is billed only by "
        "the model's participants: a question that names no model means the general code ('care plan oversight "
        "home health' is G0181, not the model's G0087)",
        re.compile(r"\b(?:cmmi|innovation|model|demonstration|demo|guide|aco)\b", re.IGNORECASE),
    ),
    QualifierPrior(
        re.compile(r"\breplacement\b", re.IGNORECASE), 0.8,
        "a replacement part or refill for equipment the patient owns is coded apart from the item ('pump for "
        "alternating pressure pad, for replacement only' E0182 beside the pad with pump E0181; 'replacement pad' "
        "A4640; CMS HCPCS Level II descriptors; 100-02 Ch. 15 s. 110.2 repairs and replacement of beneficiary-owned "
        "DME): a question naming the item without saying replacement means the item",
        re.compile(r"\b(?:replac\w*|spare|refill|repair)\b", re.IGNORECASE),
    ),
    QualifierPrior(
        re.compile(r"\boxygen system, purchase\b|\bgas system, purchase\b", re.IGNORECASE), 0.7,
        "Medicare pays oxygen equipment as a monthly rental, never as a purchase (42 CFR 414.226; 100-04 Ch. 20 "
        "s. 30.6): 'portable gaseous oxygen system, rental' E0431 beside '..., purchase' E0430 (CMS HCPCS Level II "
        "descriptors); a question that does not say purchase means the rental code",
        re.compile(r"\b(?:purchas\w*|buy|bought|owned|own)\b", re.IGNORECASE),
    ),
    QualifierPrior(
        re.compile(r"^(?=.*(?<!excludes )\bbiosimilar\b).*?\(([a-z][a-z -]{2,})\)", re.IGNORECASE), 0.8,
        "each biosimilar has its own Q code by product ('filgrastim-aafi, biosimilar, (nivestym)' Q5110 beside "
        "'filgrastim (g-csf), excludes biosimilars' J1442; CMS HCPCS Level II Q5101 onwards, Social Security Act "
        "s. 1847A(b)(8)); a question naming the molecule alone means the reference product's code, and naming the "
        "product, its four-letter suffix or 'biosimilar' lifts this",
        re.compile(r"\bbiosimilars?\b|\b[a-z]+-[a-z]{4}\b", re.IGNORECASE),
        named_lifts=True,
    ),
    QualifierPrior(
        re.compile(r"^injection, (tbo|ado|fam|ziv)-", re.IGNORECASE), 0.7,
        "a USAN prefix names a different product from the molecule it prefixes: tbo-filgrastim (J1447) is not "
        "filgrastim (J1442), ado-trastuzumab emtansine (J9354) and fam-trastuzumab deruxtecan (J9358) are not "
        "trastuzumab (J9355), ziv-aflibercept (J9400) is not aflibercept (J0178) (USAN naming; CMS HCPCS Level II "
        "descriptors); a question without the prefix means the plain molecule",
        NEVER,
        named_lifts=True,
    ),
    QualifierPrior(
        re.compile(r"\bin the (?:establishment or )?delivery of a safe and effective\b|\bin the training and/or "
                   r"education of\b|\bfor (?:the )?observation and assessment of\b|\bfor management and evaluation "
                   r"of the plan of care\b", re.IGNORECASE), 0.7,
        "home health visits are reported per 15 minutes by discipline (G0151-G0153, G0299/G0300), and CMS gives a "
        "visit made for one named purpose its own code: a maintenance therapy program (G0159-G0161, G2168/G2169; "
        "100-02 Ch. 7 s. 40.2.2), observation and assessment (G0493/G0494; s. 40.1.2.1), management and evaluation "
        "of the care plan (G0162; s. 40.1.2.2), teaching and training (G0495/G0496; s. 40.1.2.3; 100-04 Ch. 10 "
        "s. 40.2); a question that names no purpose means the discipline's own code",
        re.compile(r"\b(?:maint\w*|train\w*|educat\w*|teach\w*|observ\w*|assess\w*|manag\w*|evaluat\w*|"
                   r"plan of care)\b", re.IGNORECASE),
    ),
    QualifierPrior(
        re.compile(r"\btherapist assistant\b", re.IGNORECASE), 0.8,
        "services by a physical or occupational therapist assistant have their own codes (G0157/G0158, G2168/G2169 "
        "beside the therapist's G0151/G0152; CMS HCPCS Level II descriptors) and their own payment (modifiers CQ/CO, "
        "Social Security Act s. 1834(v)); a question that names no assistant means the therapist's code",
        re.compile(r"\b(?:assistants?|pta|ota|cota)\b", re.IGNORECASE),
    ),
    QualifierPrior(
        re.compile(r"^(?!injection\b).*?(?:not otherwise (?:specified|classified)|\bno[sc]\b|\bunspecified\b)",
                   re.IGNORECASE), 0.8,
        "a not-otherwise-specified/classified code is for an item no specific code describes (CMS HCPCS Level II "
        "coding procedures, miscellaneous codes), so a specific sibling the words name comes first ('apligraf' "
        "Q4101 before 'skin substitute, NOS' Q4100). Drug NOS codes are left alone: 'pemetrexed, NOS' (J9305) is the "
        "code for every product not named in its own code",
        re.compile(r"\b(?:nos|noc|not otherwise|unlisted|unclassified|unspecified|miscellaneous|misc)\b",
                   re.IGNORECASE),
    ),
)
@dataclass(frozen=True)
class PayerPrior:
    """A code for one kind of payer, named so in its title ("... (CPT payers)", "... for Medicare"), yields when
    the question names the other payer: where CPT and Medicare use different codes for one service, the payer word
    chooses the code (issue 22; the same payer difference as modifier 95 vs GT)."""

    title: re.Pattern[str]
    other_payer: re.Pattern[str]
    factor: float
    reason: str

    def applies(self, record: CodeRecord, question: str) -> bool:
        return bool(self.title.search(record.title)) and bool(self.other_payer.search(question))


_MEDICARE = re.compile(r"\b(?:medicare|mcr)\b", re.IGNORECASE)
PAYER_PRIORS: tuple[PayerPrior, ...] = (
    PayerPrior(
        re.compile(r"\bCPT payers?\b", re.IGNORECASE), _MEDICARE, 0.6,
        "Medicare pays its own G code where CPT has one for the service: prolonged E/M time is G2212 (office; CMS "
        "fact sheet of 11 January 2021: Medicare does not accept 99417) and G0316-G0318 (hospital, nursing "
        "facility, home; CY 2023 PFS final rule CMS-1770-F) instead of CPT 99417/99418 (rules.md s. 5, "
        "encounters.md B3); a question naming Medicare means the Medicare code",
    ),
    PayerPrior(
        re.compile(r"\bfor Medicare\b|,\s*Medicare$", re.IGNORECASE),
        re.compile(r"\b(?:commercial|private (?:payer|insurance|plan)|cpt payers?|non-?medicare)\b", re.IGNORECASE),
        0.6,
        "a code CMS created for Medicare alone (G2212, G0316-G0318, G0283 for unattended e-stim) is not the code "
        "other payers take: a question naming a commercial or CPT payer means the CPT code (rules.md s. 5; "
        "encounters.md B3 and the 97014/G0283 note)",
    ),
)
# The mirror of the modifier prior: a question that asks for a modifier ("statutory exclusion modifier", "used DME
# modifier") means a modifier record, not the supply or service whose words it shares (A9270 "non-covered item or
# service" beside GY). A code typed in the question is still looked up first (retriever), so "modifier 25 on 99213"
# keeps 99213.
NOT_A_MODIFIER_FACTOR = 0.5
ASKS_FOR_MODIFIER = re.compile(r"\bmod(?:ifier)?s?\b", re.IGNORECASE)
# A code CMS terminated (HCPCS term_dt before today) yields to current codes sharing its words: valid only for
# older dates of service (CMS HCPCS Level II file, TERM_DT field).
TERMINATED_FACTOR = 0.35
# ... unless the question asks for the old code: then a terminated code is what it means, and it is not demoted.
ASKS_FOR_OLD_CODE = re.compile(
    r"\b(?:old|older|former|previous|terminated|deleted|discontinued|retired|expired|ended)\b"
    r"(?:\W+\w+){0,2}?\W+(?:codes?|hcpcs|j-?codes?)\b|\bterminated\b|\bbefore\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)


# A HCPCS add-on code is reported only with its primary code (its descriptor says "list separately in addition to"
# the primary; CMS MLN "Medicare Add-on Codes" and the NCCI add-on code edit tables): a question naming the service
# without saying it is an additional unit of it means the primary code ("principal illness navigation" is G0023,
# not the "additional 30 minutes" G0024). Bundled CPT add-ons are left to their lay terms ("each additional hour").
ADD_ON_FACTOR = 0.7
ADD_ON_DESCRIPTOR = re.compile(r"\(list separately in addition to\b|^each additional\b|\badditional \d+ minutes\b",
                               re.IGNORECASE)
ASKS_FOR_ADD_ON = re.compile(
    r"\b(?:add(?:itional|'?l)?|add[- ]?ons?|extra|second|2nd|another|each|subsequent|prolonged|beyond|more than|"
    r"over|after the first)\b", re.IGNORECASE)


def prior_of(
    record: CodeRecord, today: date | None = None, *, terminated_wanted: bool = False, question: str = ""
) -> float:
    """How much a record's fused score counts (1.0 for most): see RANK_PRIORS and TERMINATED_FACTOR."""
    factor = 1.0
    for prior in RANK_PRIORS:
        if prior.applies(record, question):
            factor *= prior.factor
    for qualifier in QUALIFIER_PRIORS:
        if qualifier.applies(record, question):
            factor *= qualifier.factor
    for payer in PAYER_PRIORS:
        if payer.applies(record, question):
            factor *= payer.factor
    if record.system != "MODIFIER" and ASKS_FOR_MODIFIER.search(question):
        factor *= NOT_A_MODIFIER_FACTOR
    if record.system == "HCPCS" and ADD_ON_DESCRIPTOR.search(record.official_descriptor or "") \
            and not ASKS_FOR_ADD_ON.search(question):
        factor *= ADD_ON_FACTOR
    terminated = record.terminated_on is not None and record.terminated_on < (today or date.today())
    if terminated and not terminated_wanted:
        factor *= TERMINATED_FACTOR
    return factor
