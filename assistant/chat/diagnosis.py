"""Diagnosis answers: ICD-10-CM look-ups with a verdict, and diagnosis search by description (issue 18 item 1-2).

A question asks for a diagnosis when it names an ICD-10-CM code ("what is E11.9", "E11.65?") or asks for one in
words ("ICD-10 for type 2 diabetes", "dx code for DM2 with CKD 3", "diagnosis code for UTI"). Those questions
search only the ICD-10-CM index (`assistant/retrieval/diagnoses.py`), never the procedure index, so a diagnosis
question never answers with a CPT or HCPCS code; a procedure question never reaches this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from assistant.chat.reading.text import escape_user_text
from assistant.contract import Answer, CodeLine, ReadingStep
from assistant.corpus.codes import find_icd10_codes
from assistant.corpus.icd10 import SOURCE, DiagnosisVerdict, code_set
from assistant.retrieval.diagnoses import diagnosis_index

# Words that ask for a diagnosis code: "ICD-10 for", "ICD 10 code", "ICD-10-CM", "dx code", "diagnosis code",
# "diagnosis for", "diag code".
_ASKS_FOR_DIAGNOSIS = re.compile(
    r"\b(?:icd[- ]?10(?:[- ]?cm)?|icd|dx|diag|diagnosis|diagnoses|diagnostic code)\b(?:\s+codes?)?"
    r"|\bwhat\s+(?:diagnosis|dx)\b",
    re.IGNORECASE,
)
# A three-character category typed alone ("what is I10", "ICD-10 J45") is read only after a diagnosis word: a bare
# "B12" or "A1c" is a vitamin or a lab, not a category.
_CATEGORY = re.compile(r"(?<![\w.])([A-Z]\d[0-9A-Z])(?![\w.])")
# U codes (U07.1 COVID-19, U09.9) are ICD-10-CM codes that corpus.codes.find_icd10_codes leaves out.
_U_CODE = re.compile(r"(?<![\w.])(U\d[0-9A-Z]\.[0-9A-Z]{1,4})(?![\w.])", re.IGNORECASE)
NOTE_LIMIT = 6


def asks_for_diagnosis(text: str) -> bool:
    """True when the words ask for a diagnosis (ICD-10-CM) code rather than a procedure code."""
    return bool(_ASKS_FOR_DIAGNOSIS.search(text))


def typed_diagnosis_codes(text: str) -> list[str]:
    """ICD-10-CM codes typed in `text`: dotted ones always, a bare category ("I10") only after a diagnosis word
    (or when the whole question is that code) and only when it is a category of the code set."""
    codes = find_icd10_codes(text) + [m.group(1).upper() for m in _U_CODE.finditer(text)]
    if asks_for_diagnosis(text) or re.fullmatch(r"\W*(?:what\s+is\s+)?\w{3}\W*", text, re.IGNORECASE):
        for match in _CATEGORY.finditer(text):
            candidate = match.group(1).upper()
            if candidate not in codes and code_set().lookup(candidate).status != "invalid":
                codes.append(candidate)
    return list(dict.fromkeys(codes))


def _notes_block(verdict: DiagnosisVerdict) -> list[str]:
    notes = verdict.notes
    parts: list[str] = []
    if notes.excludes1:
        shown = "; ".join(notes.excludes1[:NOTE_LIMIT]) + (" ..." if len(notes.excludes1) > NOTE_LIMIT else "")
        parts.append(f"**Excludes1** (never coded together with this code, Guidelines I.A.12.a): {shown}")
    if notes.code_first:
        parts.append(f"**Code first:** {notes.code_first}")
    if notes.use_additional:
        parts.append(f"**Use additional code:** {notes.use_additional}")
    if notes.code_also:
        parts.append(f"**Code also:** {notes.code_also}")
    if notes.excludes2:
        shown = "; ".join(notes.excludes2[:NOTE_LIMIT]) + (" ..." if len(notes.excludes2) > NOTE_LIMIT else "")
        parts.append(f"**Excludes2** (not part of this condition; both may be coded, I.A.12.b): {shown}")
    return [p.replace("\n", "; ") for p in parts]


def _section(verdict: DiagnosisVerdict) -> tuple[str, str, list[CodeLine]]:
    """(lead line, Markdown section, code lines) for one verdict."""
    code = verdict.code
    if verdict.status == "billable":
        lead = f"{code}: {verdict.description}. A billable ICD-10-CM code."
        body = [f"### {code}: {verdict.description}",
                f"A billable (valid for claims) ICD-10-CM code; parent {verdict.parent}.", *_notes_block(verdict)]
        return lead, "\n\n".join(body), [CodeLine(code=code, description=verdict.description)]
    if verdict.status == "not_billable":
        lead = (f"{code}: {verdict.description}. Not billable: a {verdict.level} with "
                f"{verdict.billable_count:,} billable codes under it; report one of them.")
        body = [f"### {code}: {verdict.description}",
                f"Not billable: an ICD-10-CM {verdict.level} with {verdict.billable_count:,} billable codes under it "
                "(a code is billable only at its last level, Guidelines I.B.1)."]
        if verdict.seventh_characters:
            sevenths = "; ".join(f"{char} {meaning}" for char, meaning in verdict.seventh_characters)
            body.append("**A 7th character is required** (Guidelines I.A.5; fill empty positions with the "
                        f"placeholder X, I.A.4): {sevenths}.")
        rows = ["| Code | What it is |", "|---|---|"]
        rows += [f"| {c} | {d} |" for c, d in verdict.billable_children]
        more = verdict.billable_count - len(verdict.billable_children)
        body.append("\n".join(rows) + (f"\n\n... and {more:,} more." if more > 0 else ""))
        body.extend(_notes_block(verdict))
        return lead, "\n\n".join(body), [CodeLine(code=c, description=d) for c, d in verdict.billable_children]
    nearest = f" The nearest valid code above it is {verdict.nearest}." if verdict.nearest else ""
    lead = f"{escape_user_text(code)} is not a valid ICD-10-CM code in the FY2026 (April 2026) code set."
    body = (f"### {escape_user_text(code)}\n\nNot in the FY2026 ICD-10-CM code set (April 1, 2026 update).{nearest} "
            "Only this release is loaded, so a code deleted or added in another fiscal year cannot be told apart.")
    return lead, body, []


def diagnosis_lookup_answer(codes: Sequence[str]) -> Answer:
    """A verdict for each typed ICD-10-CM code: billable, not billable (with its billable codes and the 7th
    character when one is required) or invalid, with the notes that change how it is coded."""
    codes_set = code_set()
    verdicts = [codes_set.lookup(code) for code in codes]
    leads, sections, lines, warnings = [], [], [], []
    for verdict in verdicts:
        lead, section, code_lines = _section(verdict)
        leads.append(lead)
        sections.append(section)
        lines.extend(code_lines)
        if verdict.status == "invalid":
            warnings.append(lead)
    text = "**" + " ".join(leads) + "**\n\n" + "\n\n".join(sections)
    text += f"\n\n_Source: {codes_set.source}._"
    return Answer(route="lookup", answer=text, codes=lines, citations=[codes_set.source], warnings=warnings)


def diagnosis_search_answer(question: str, k: int = 5, data_dir: Path | None = None) -> Answer:
    """The ICD-10-CM codes whose description, inclusion terms or coders' abbreviations match the question (the
    index is cached in `data_dir`)."""

    hits = diagnosis_index(data_dir).search(question, k=k)
    source = SOURCE
    if not hits:
        return Answer(route="search", answer="**No ICD-10-CM code matches those words.** Try the condition's name "
                      "as written in the record (for example *type 2 diabetes with hyperglycemia*).",
                      warnings=["No ICD-10-CM code matched."], citations=[source])
    rows = ["| Code | What it is | Why |", "|---|---|---|"]
    rows += [f"| {h.code} | {h.description} | {h.why} |" for h in hits]
    text = (f"**Best match: {hits[0].code}: {hits[0].description}.** Check the record for the detail each code "
            "needs (type, site, laterality, episode) before you pick one.\n\n" + "\n".join(rows)
            + "\n\nLook a code up (*what is " + hits[0].code + "*) for its excludes and code-first notes."
            + f"\n\n_Source: {source}._")
    return Answer(route="search", answer=text, codes=[CodeLine(code=h.code, description=h.description) for h in hits],
                  citations=[source])


def diagnosis_reading_steps(text: str) -> list[ReadingStep]:
    """ICD-10-CM codes in a procedure question ("96413 for C50.911") kept in the reading trail."""
    return [ReadingStep(kind="diagnosis", text=code, value=f"ICD-10-CM diagnosis {code}")
            for code in find_icd10_codes(text)]
