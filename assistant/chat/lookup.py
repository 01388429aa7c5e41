"""Look-ups with a verdict for every code shape (issue 12 items 1-3).

`lookup_answer(codes, corpus, retriever, edits, context)` answers "what is X" for each X typed:
- a code we have a record of: its card (our description, the official descriptor when imported, billing unit, MUE);
- a HCPCS Level II code the HCPCS file lists as terminated: the dates and its replacement (the file's
  cross-reference, else the sourced table in assistant/corpus/replacements.py);
- a CPT code number we have no record of but the CMS NCCI tables list: what CMS data knows (MUE, MAI, PTP edits),
  and that its descriptor needs the organisation's CPT licence (`import cpt`): never AMA text;
- a modifier (25, 59, JW, XU ...): its card from the modifiers corpus (ours for CPT, the CMS text for Level II);
- an NDC: the HCPCS code it is billed with and the billing units in one package (the CMS NDC-HCPCS crosswalk);
- anything else: an explicit "not a valid code" verdict with `codes: []`; near codes only from the same range, in
  the text, never as if they were the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from assistant.chat import answers
from assistant.chat.fees_chat import pfs_card
from assistant.contract import Answer, CodeLine
from assistant.corpus.codes import normalize_ndc
from assistant.corpus.records import CodeRecord
from assistant.corpus.replacements import replacement_for
from assistant.edits import SETTINGS, ClaimEdits, EditsTables

NCCI_MODIFIER_SOURCE = "NCCI Policy Manual for Medicare Services, Ch I section E (modifiers and modifier indicators)"
_BYPASS_MODIFIERS = ("59", "XE", "XS", "XP", "XU")
CPT_LICENCE_HINT = "its descriptor needs your CPT licence: `python -m assistant import cpt FILE`"


class LookupCorpus(Protocol):
    """What a look-up needs of the corpus (assistant.corpus.loader.Corpus)."""

    records: list[CodeRecord]

    def get(self, code: str) -> CodeRecord | None: ...

    def add_ons_of(self, code: str) -> list[CodeRecord]: ...


class LookupRetriever(Protocol):
    """What a look-up needs of the retriever: the exact record of a code, never by embedding."""

    def lookup(self, code: str) -> CodeRecord | None: ...


# What a look-up needs of the NCCI store: the one setting-aware look-up's protocol (assistant/edits/lookup.py).
LookupEdits = EditsTables


class Context(Protocol):
    """The route context (assistant.chat.router.RouteContext): payer, setting and notes to pass on."""

    payer: str
    setting: str
    warnings: list[str]
    notes: list[str]


def _kind(code: str) -> str:
    text = code.strip().upper()
    if normalize_ndc(text) is not None or (len(text) > 7 and text.replace("-", "").isdigit()):
        return "ndc"
    if len(text) == 2:
        return "modifier"
    if len(text) == 5 and text[0].isalpha():
        return "hcpcs"
    return "cpt"


def _tables(edits: Any, setting: str) -> ClaimEdits:
    """The claim setting's NCCI tables (the one setting-aware look-up); an unknown setting reads the practitioner
    tables, as a professional claim."""
    return ClaimEdits(edits, setting if setting in SETTINGS else "professional")  # type: ignore[arg-type]


def _mue(edits: Any, code: str, setting: str) -> Any:
    return _tables(edits, setting).mue(code)


def _mue_loaded(edits: Any, setting: str) -> bool:
    return _tables(edits, setting).loaded("mue")


def _ptp_counts(edits: Any, code: str, setting: str) -> tuple[int, int] | None:
    """(active, deleted) PTP edits of the setting's table that name `code`; None when that table is not loaded."""
    return _tables(edits, setting).ptp_count(code)


def _quarter(edits: Any, kind: str, setting: str) -> str | None:
    return _tables(edits, setting).release(kind)  # type: ignore[arg-type]


def _mue_text(mue: Any) -> str:
    meaning = getattr(mue, "mai_meaning", "") or mue.mai_description
    return f"MUE {mue.value}, MAI {mue.mai} ({meaning})"


def _near_in_range(code: str, corpus: LookupCorpus, k: int = 5) -> list[CodeRecord]:
    """Up to `k` codes of the same range, closest first: for HCPCS Level II the same letter and first digit (J0xxx),
    for CPT the same first three digits (963xx), same shape."""
    target = code.strip().upper()
    head = target[:2] if target[:1].isalpha() else target[:3]
    ranked = []
    for record in corpus.records:
        other = record.code
        if other == target or len(other) != len(target) or other[: len(head)] != head or record.system == "MODIFIER":
            continue
        if other[-1].isalpha() != target[-1].isalpha():
            continue
        digits_a, digits_b = "".join(c for c in other if c.isdigit()), "".join(c for c in target if c.isdigit())
        ranked.append((abs(int(digits_a or 0) - int(digits_b or 0)), other, record))
    ranked.sort(key=lambda row: row[:2])
    return [row[2] for row in ranked[:k]]


def _card(record: CodeRecord, corpus: LookupCorpus, edits: Any, setting: str, context: Any = None
          ) -> tuple[str, list[str]]:
    """A record's card and its citations (the router's card layout, plus the verdict line)."""
    mue = _mue(edits, record.code, setting) if record.system != "MODIFIER" else None
    citations = list(record.sources)
    if mue is not None:
        citations.append(mue.citation)
    if record.system == "MODIFIER":
        return _modifier_card(record), citations
    section = answers.lookup_section(record, corpus.add_ons_of(record.code), mue, _mue_loaded(edits, setting))
    counts = _ptp_counts(edits, record.code, setting)
    if counts is not None and sum(counts):
        active, deleted = counts
        quarter = _quarter(edits, "ptp", setting) or "quarter unknown"
        section += (f"\n\n**NCCI PTP:** {active} active edit{'s name' if active != 1 else ' names'} {record.code} "
                    f"({quarter}{f'; {deleted} deleted' if deleted else ''}); ask with the other code to see one.")
    fees, fee_citations = _pfs_card(edits, record.code, context)
    if fees:  # issue 19: status, global, PC/TC, bilateral and assistant indicators of the PFS release in force
        section, citations = f"{section}\n\n{fees}", [*citations, *fee_citations]
    verdict = _verdict_line(record, corpus)
    return (f"{verdict}\n\n{section}" if verdict else section), citations


def _pfs_card(edits: Any, code: str, context: Any) -> tuple[str, list[str]]:
    return pfs_card(edits, code, getattr(context, "date_of_service", None))


def _verdict_line(record: CodeRecord, corpus: LookupCorpus) -> str:
    if record.terminated_on is not None:
        return _terminated_text(record, corpus)
    if record.system == "HCPCS" and record.added_on is not None:
        return f"**Verdict:** a valid HCPCS Level II code, in the CMS file since {record.added_on:%Y-%m-%d}."
    return ""


def _terminated_text(record: CodeRecord, corpus: LookupCorpus) -> str:
    lines = [f"**Verdict: {record.code} is a terminated code**: the CMS HCPCS file ends it on "
             f"{record.terminated_on:%Y-%m-%d} (valid only for earlier dates of service)."]
    replacement = replacement_for(record.code)
    for new in record.replaced_by:
        target = corpus.get(new)
        what = f"{new} ({target.title})" if target is not None else new
        unit = ""
        if target is not None and target.billing_unit is not None:
            unit = f", billed per {target.billing_unit.quantity:g} {target.billing_unit.unit}"
        lines.append(f"**Bill instead:** {what}{unit}.")
    if replacement is not None:
        lines.append(f"{replacement.note[:1].upper()}{replacement.note[1:]} (source: {replacement.source}).")
    elif record.replaced_by:
        lines.append("(Replacement from the CMS HCPCS file's cross-reference field.)")
    else:
        lines.append("The CMS file names no replacement for it: search for the service to find the current code.")
    return "\n\n".join(lines)


def _modifier_card(record: CodeRecord) -> str:
    parts = [f"### Modifier {record.code}: {record.title.split(': ', 1)[-1]}", record.description]
    if record.official_descriptor and record.official_descriptor not in record.description:
        parts.append(f"**Official descriptor** ({record.official_source or 'CMS HCPCS file'}): "
                     f"{record.official_descriptor}")
    if record.code in _BYPASS_MODIFIERS:
        parts.append("**NCCI PTP edits:** it bypasses an edit only when the pair's modifier indicator is 1; "
                     "indicator 0 pairs are never paid together, and for an E/M the modifier is 25, not 59 "
                     f"({NCCI_MODIFIER_SOURCE}).")
    if record.sources:
        parts.append("**Sources:**\n" + "\n".join(f"- {source}" for source in record.sources))
    return "\n\n".join(parts)


def _ndc_block(ndc: str, corpus: Any) -> tuple[str, list[CodeLine], list[str]]:
    drugs = getattr(corpus, "drugs", None)
    rows = drugs.ndc(ndc) if drugs is not None else []
    normal = normalize_ndc(ndc) or ndc
    if not rows:
        if not getattr(corpus, "ndcs", None):
            return (f"**NDC {normal}: I can't check it**: the CMS NDC-HCPCS crosswalk is not imported "
                    "(`python -m assistant import ndc FILE`).", [], [])
        return (f"**NDC {normal}: not in the CMS NDC-HCPCS crosswalk** that is loaded, so I can't name its HCPCS "
                "code or billing quantity. Check the NDC (11 digits, 5-4-2) or the payer's crosswalk.", [], [])
    lines, codes, citations = [], [], []
    for row in rows:
        record = corpus.get(row.hcpcs_code)
        title = record.title if record is not None else row.hcpcs_code
        package = ""
        if row.package_size is not None and row.package_quantity is not None:
            package = f" (crosswalk package size {row.package_size:g}, quantity {row.package_quantity:g})"
        quantity = (f"one package = **{row.bill_units_per_package:g} billing units** of {row.hcpcs_code}"
                    if row.bill_units_per_package is not None else "billing units per package not given")
        lines.append(f"**NDC {normal}** ({row.drug_name}, {row.labeler}): bill with **{row.hcpcs_code}** "
                     f"({title}; {row.hcpcs_dosage.lower()} a unit); {quantity}{package}.")
        codes.append(CodeLine(code=row.hcpcs_code, description=title))
        citations.append(row.source)
    if len(rows) > 1:
        lines.append("CMS maps this NDC to more than one code: the right one depends on the use (see each "
                     "descriptor).")
    lines.append("On the claim the NDC goes in 11-digit 5-4-2 form with its own quantity and unit (837P loop 2410: "
                 "LIN03, CTP04/CTP05; Palmetto GBA JM B).")
    return "\n\n".join(lines), codes, citations


def _not_found(code: str, corpus: Any, edits: Any, setting: str) -> tuple[str, list[str]]:
    """The verdict for a code with no record: what the CMS tables know, or "not a valid code"."""
    kind = _kind(code)
    citations: list[str] = []
    if kind == "modifier":
        if "hcpcs" not in (getattr(corpus, "imported", {}) or {}):
            return (f"**Modifier {code}: unknown**: our modifiers corpus has the common CPT and Level II modifiers; "
                    "the other Level II modifiers come with the CMS HCPCS file (`python -m assistant import hcpcs "
                    "FILE`).", citations)
        return (f"**Modifier {code}: not a modifier I know.** It is neither in our modifiers corpus nor in the "
                "imported CMS HCPCS file. Check the two characters (for example 25, 59, JW, XU).", citations)
    terminated = getattr(corpus, "terminated", None)
    retired = terminated(code) if callable(terminated) else None
    if retired is not None:
        return _terminated_text(retired, corpus) + "\n\n" + _descriptor_line(retired), [*retired.sources]
    mue = _mue(edits, code, setting)
    counts = _ptp_counts(edits, code, setting)
    if mue is not None or (counts is not None and sum(counts) > 0):
        quarter = _quarter(edits, "mue", setting) or _quarter(edits, "ptp", setting) or "quarter unknown"
        facts = []
        if mue is not None:
            facts.append(_mue_text(mue))
            citations.append(mue.citation)
        if counts is not None:
            active, deleted = counts
            facts.append(f"{active} active PTP edit{'s' if active != 1 else ''}"
                         + (f" ({deleted} deleted)" if deleted else ""))
        if kind == "hcpcs":
            imported = (getattr(corpus, "imported", {}) or {}).get("hcpcs")
            where = f"the imported {imported}" if imported else "the bundled corpus (the HCPCS file is not imported)"
            why = ("D codes are CDT dental codes, whose descriptors the ADA licenses" if code.startswith("D") else
                   "it may be newer than that release: import the current HCPCS file for its descriptor")
            facts.append(f"it is not in {where}; {why}")
            return f"**{code}: a HCPCS code in the CMS NCCI tables, {quarter}**; " + "; ".join(facts) + ".", citations
        licensed = (getattr(corpus, "licensed_descriptors", None) or {}).get(code)
        if licensed:
            facts.append(f"descriptor from your licensed CPT file: {licensed}")
            citations.append(str((getattr(corpus, "imported", {}) or {}).get("cpt", "licensed CPT file")))
        else:
            facts.append(CPT_LICENCE_HINT)
        return f"**{code}: a CPT code in the CMS NCCI tables, {quarter}**; " + "; ".join(facts) + ".", citations
    if kind == "cpt" and code.endswith("F") and "cpt" not in (getattr(corpus, "imported", {}) or {}):
        # Category II (performance measurement) codes are never in the NCCI MUE/PTP tables: their absence says
        # nothing about validity.
        return (f"**{code}: unknown**: a Category II (performance measurement) code shape; these codes are not in "
                "the CMS NCCI tables, so only a licensed CPT file can confirm it (`python -m assistant import cpt "
                "FILE`).", citations)
    near = _near_in_range(code, corpus)
    near_text = (" Codes of the same range: " + ", ".join(f"{r.code} ({r.title})" for r in near) + ".") if near else ""
    checked = []
    imported = getattr(corpus, "imported", {}) or {}
    if kind == "hcpcs" and "hcpcs" in imported:
        checked.append(f"the {imported['hcpcs']} (current and terminated codes)")
    if _mue_loaded(edits, setting):
        checked.append(f"the CMS NCCI MUE table ({_quarter(edits, 'mue', setting) or 'quarter unknown'})")
    if counts is not None:
        checked.append("the NCCI PTP table")
    if kind == "cpt" and "cpt" in imported:
        checked.append("your licensed CPT file")
    if not checked:
        hint = ("import the CMS HCPCS file (`python -m assistant import hcpcs FILE`)" if kind == "hcpcs" else
                "import the CMS MUE/PTP tables or your licensed CPT file (`python -m assistant import cpt FILE`)")
        return (f"**{code}: unknown**: it is not in the bundled corpus, and the data that could tell whether it is "
                f"valid is not loaded: {hint}.{near_text}", citations)
    return (f"**{code}: not a valid code** as far as the CMS data here knows: it is not in our corpus nor in "
            f"{', '.join(checked)}. Check the number.{near_text}", citations)


_IN_NCCI_TABLES = re.compile(r"\*\*\S+: a (?:CPT|HCPCS) code in the CMS NCCI tables")


def _descriptor_line(record: CodeRecord) -> str:
    if record.official_descriptor:
        return f"**Official descriptor** ({record.official_source or 'CMS HCPCS file'}): {record.official_descriptor}"
    return ""


def lookup_answer(
    codes: Sequence[str], corpus: LookupCorpus, retriever: LookupRetriever | None, edits: LookupEdits | None,
    context: Context | None = None,
) -> Answer:
    """The look-up answer for every code typed (CPT, HCPCS, modifiers, NDCs), each with a verdict.

    `codes` lists CPT/HCPCS codes, modifiers ("59", "JW") and NDCs in any shape, in the order typed. Found codes
    go in `codes` (and so do the HCPCS codes an NDC is billed with); an invalid or unknown code never does.
    """
    setting = getattr(context, "setting", "professional") or "professional"
    blocks: list[str] = []
    lines: list[CodeLine] = []
    citations: list[str] = []
    warnings: list[str] = []
    verdicts: list[str] = []
    seen: set[str] = set()
    for raw in codes:
        code = raw.strip().upper()
        if not code or code in seen:
            continue
        seen.add(code)
        if _kind(code) == "ndc":
            text, ndc_lines, ndc_citations = _ndc_block(code, corpus)
            blocks.append(text)
            lines.extend(line for line in ndc_lines if line.code not in {c.code for c in lines})
            citations.extend(ndc_citations)
            verdicts.append(f"NDC {normalize_ndc(code) or code}")
            continue
        record = retriever.lookup(code) if retriever is not None else corpus.get(code)
        if record is None:
            record = corpus.get(code)
        if record is not None:
            text, record_citations = _card(record, corpus, edits, setting, context)
            blocks.append(text)
            citations.extend(record_citations)
            lines.append(CodeLine(code=record.code, description=record.title))
            label = f"Modifier {record.code}" if record.system == "MODIFIER" else record.code
            state = " (terminated)" if record.terminated_on else ""
            verdicts.append(f"{label}: {record.title.split(': ', 1)[-1]}{state}")
            continue
        text, found_citations = _not_found(code, corpus, edits, setting)
        fees, fee_citations = _pfs_card(edits, code, context)
        if fees and "not a valid code" not in text:  # issue 19: the fee schedule knows the code
            text, found_citations = f"{text}\n\n{fees}", [*found_citations, *fee_citations]
        blocks.append(text)
        citations.extend(found_citations)
        if _IN_NCCI_TABLES.match(text):
            # A code the CMS tables know is a real code: it belongs in `codes` (only invalid/unknown ones never do).
            lines.append(CodeLine(code=code, description="a code in the CMS NCCI tables (its descriptor needs the "
                                  "CPT licence file or the current HCPCS file)"))
        lead = text.split("**")[1] if text.startswith("**") else code
        verdicts.append(lead.rstrip(".:"))
        if "not a valid code" in text or ": unknown" in text:
            warnings.append(f"{code}: " + ("not a valid code." if "not a valid code" in text else
                                           "unknown: the data that could tell is not loaded."))
    if not blocks:
        return Answer(route="lookup", answer="I did not find a code in your message.", codes=[])
    lead = "**" + "; ".join(verdicts) + ".**" if len(verdicts) > 1 else ""
    answer = "\n\n".join(part for part in (lead, *blocks) if part)
    if context is not None:
        warnings.extend(context.warnings)
    unique_citations = list(dict.fromkeys(citations))
    return Answer(route="lookup", answer=answer, codes=lines, citations=unique_citations, warnings=warnings)
