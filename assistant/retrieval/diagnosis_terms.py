"""Coders' abbreviations and lay words for diagnoses, expanded to the ICD-10-CM tabular list's own words.

Rules as data: each row is (abbreviation as typed, the tabular list's words it stands for, the category a bare
abbreviation means). The expansion is taken from that ICD-10-CM FY2026 category and its codes (source: the
CDC/NCHS tabular list shipped in simple-icd-10-cm), so the row can be checked against the code set; a test does
that for every row that names a category. The abbreviations are the clinical ones coders read in notes; one with
two common meanings is left out ("MS": multiple sclerosis or mitral stenosis; "PE": pulmonary embolism or physical
exam), and lay words ("cancer", "high blood pressure") are mapped to the tabular list's term.
"""

from __future__ import annotations

import re

DIAGNOSIS_ABBREVIATIONS: tuple[tuple[str, str, str], ...] = (
    # abbreviation, tabular words, category whose title holds the words and that a bare abbreviation means ("" for
    # words that qualify rather than name a condition: left, right, with, history ...)
    ("dm2", "type 2 diabetes mellitus", "E11"),
    ("t2dm", "type 2 diabetes mellitus", "E11"),
    ("dm ii", "type 2 diabetes mellitus", "E11"),
    ("niddm", "type 2 diabetes mellitus", "E11"),
    ("dm1", "type 1 diabetes mellitus", "E10"),
    ("t1dm", "type 1 diabetes mellitus", "E10"),
    ("iddm", "type 1 diabetes mellitus", "E10"),
    ("dm", "diabetes mellitus", ""),
    ("htn", "hypertension", "I10"),
    ("high blood pressure", "hypertension", "I10"),
    ("ckd", "chronic kidney disease", "N18"),
    ("esrd", "end stage renal disease", "N18.6"),
    ("aki", "acute kidney failure", "N17"),
    ("copd", "chronic obstructive pulmonary disease", "J44"),
    ("mdd", "major depressive disorder", "F32"),
    ("gad", "generalized anxiety disorder", "F41.1"),
    ("oa", "osteoarthritis", "M17"),
    ("ra", "rheumatoid arthritis", "M06"),
    ("uti", "urinary tract infection", "N39.0"),
    ("chf", "heart failure", "I50"),
    ("hf", "heart failure", "I50"),
    ("cad", "atherosclerotic heart disease of native coronary artery", "I25.1"),
    ("afib", "atrial fibrillation", "I48"),
    ("a-fib", "atrial fibrillation", "I48"),
    ("af", "atrial fibrillation", "I48"),
    ("mi", "myocardial infarction", "I21"),
    ("stemi", "ST elevation (STEMI) myocardial infarction", "I21"),
    ("nstemi", "non-ST elevation (NSTEMI) myocardial infarction", "I21.4"),
    ("dvt", "embolism and thrombosis of deep veins", "I82.4"),
    ("cva", "cerebral infarction", "I63"),
    ("tia", "transient cerebral ischemic attack", "G45.9"),
    ("gerd", "gastro-esophageal reflux disease", "K21"),
    ("bph", "benign prostatic hyperplasia", "N40"),
    ("adhd", "attention-deficit hyperactivity disorder", "F90"),
    ("ptsd", "post-traumatic stress disorder", "F43.1"),
    ("osa", "obstructive sleep apnea", "G47.33"),
    ("hld", "hyperlipidemia", "E78.5"),
    ("ibs", "irritable bowel syndrome", "K58"),
    ("sob", "shortness of breath", "R06.02"),
    ("cp", "chest pain", "R07.9"),
    ("n/v", "nausea with vomiting", "R11.2"),
    ("uri", "acute upper respiratory infection", "J06.9"),
    ("hx of", "personal history of", ""),
    ("hx", "history", ""),
    ("h/o", "personal history of", ""),
    ("cancer", "malignant neoplasm", ""),
    ("fx", "fracture", ""),
    ("lbp", "low back pain", "M54.5"),
    ("ida", "iron deficiency anemia", "D50"),
    ("hypothyroid", "hypothyroidism", "E03.9"),
    ("strep throat", "streptococcal pharyngitis", "J02.0"),
    ("strep", "streptococcus", ""),
    ("pna", "pneumonia", "J18"),
    ("ca", "malignant neoplasm", ""),
    ("sz", "convulsions", "R56.9"),
    ("ha", "headache", "R51.9"),
    ("l", "left", ""),
    ("r", "right", ""),
    ("lt", "left", ""),
    ("rt", "right", ""),
    ("bilat", "bilateral", ""),
    ("w/", "with", ""),
    ("w/o", "without", ""),
    ("unspec", "unspecified", ""),
    ("ob", "obstetric", ""),
    ("preg", "pregnancy", ""),
    ("hep c", "hepatitis C", "B18.2"),
    ("hiv", "human immunodeficiency virus [HIV] disease", "B20"),
    ("flu", "influenza", "J11"),
    ("covid", "COVID-19", "U07.1"),
    ("covid-19", "COVID-19", "U07.1"),
)

# Longest abbreviation first, whole words only ("dm" never inside "admit"; "w/o" before "w/").
_PATTERN = re.compile(
    r"(?<![\w/-])(" + "|".join(re.escape(a) for a, _, _ in sorted(DIAGNOSIS_ABBREVIATIONS, key=lambda r: -len(r[0])))
    + r")(?![\w-])",
    re.IGNORECASE,
)
_EXPANSIONS = {abbreviation: words for abbreviation, words, _ in DIAGNOSIS_ABBREVIATIONS}
_CATEGORIES = {abbreviation: category for abbreviation, _, category in DIAGNOSIS_ABBREVIATIONS}


def expand_abbreviations(text: str) -> tuple[str, list[tuple[str, str]]]:
    """`text` with each coders' abbreviation replaced by the tabular list's words, and the (typed, words) pairs
    that were expanded ("DM2 with CKD" -> "type 2 diabetes mellitus with chronic kidney disease")."""
    expanded: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        words = _EXPANSIONS[match.group(1).casefold()]
        expanded.append((match.group(1), words))
        return words

    return _PATTERN.sub(replace, text), list(dict.fromkeys(expanded))


def default_categories(text: str) -> list[str]:
    """The categories the abbreviations in `text` name by default ("HTN" -> I10, "CHF" -> I50): a coder's bare
    "HTN" is essential hypertension; words that qualify it ("pulmonary HTN") still win on their own matches."""
    return [_CATEGORIES[m.group(1).casefold()] for m in _PATTERN.finditer(text) if _CATEGORIES[m.group(1).casefold()]]
