"""The chat's edits answers: MUE checks in any phrasing, PTP pair questions, and claim-line scrubbing.

READ calls one hook early in `Router.answer` (after the help and refusal checks, before units and look-up):

    answer = answer_edits_question(parsed, context, self)
    if answer is not None:
        return answer

Contract of `answer_edits_question(parsed, context, router) -> Answer | None`:
- `parsed`: anything with `.text: str` (the question as typed, merged with earlier turns or not). Only the text is
  read: codes, units and modifiers are found here, so the reader's internals can change freely.
- `context`: anything with `.setting: str` ("professional" | "facility") and `.warnings: list[str]` (appended
  to the answer's warnings).
- `router`: anything with `.edits` (an `EditsStore` or None) and `.corpus` (`get(code)` -> a record with `.title`
  and `.add_on_to`, or None; iterable over records). `router.code_validity` (optional, `(code) -> str | None`, a
  reason when a code is invalid or terminated) is used by the scrubber when present.
- Returns None when the question is not an edits question: no code, or codes with no MUE/PTP/claim words, or
  per-code minutes or durations (a units question). Never raises for bad input.
- Returns an `Answer` with `route="edits"` for:
  1. claim-line scrubbing ("scrub 99214-25, 96372, J1885 x4, 36415"; or 2+ codes where one carries a modifier
     suffix or a unit count): every pair against PTP, each line against the MUE of the setting's table, add-ons
     without a primary, invalid codes; a verdict and a fix per line;
  2. an MUE check ("96372 x 6 units, over the MUE?", "is 6 units of 96372 over the MUE", "MUE J9271");
  3. a PTP pair question (2+ codes and billing-together words): each edit with its modifier indicator and
     whether a modifier can bypass it, and which (59 or XE/XS/XP/XU; 25 for an E/M, never 59).
  The answer names the table it used ("practitioner MUE table, 2026 Q2"). A facility question is answered only
  from the outpatient hospital tables: when they are not loaded the answer says so and never falls back to the
  practitioner table.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TextIO

from assistant.chat.answers import bullets, cell, compose, dedupe  # one Markdown toolkit for every answer
from assistant.chat.changes_chat import dated_store
from assistant.contract import Answer, CodeLine
from assistant.corpus.codes import find_codes
from assistant.corpus.loader import load_corpus
from assistant.edits import (
    FILENAME,
    SETTINGS,
    TABLE_LABELS,
    ClaimEdits,
    EditsStore,
    describe_mai,
    describe_modifier_indicator,
    table_for,
)
from assistant.edits.scrubber import (
    ClaimLine,
    ScrubResult,
    bypass_advice,
    claim_lines_from_json,
    derived_table_note,
    parse_claim_lines,
    scrub,
)
from assistant.units import MueLimit


class ParsedText(Protocol):
    """What the hook reads of the parsed question."""

    text: str


class EditsContext(Protocol):
    """What the hook reads of the route context."""

    setting: str
    warnings: list[str]


class EditsRouter(Protocol):
    """What the hook reads of the router."""

    edits: Any
    corpus: Any


_MUE_WORDS = re.compile(r"\bmues?\b|medically unlikely", re.IGNORECASE)
# "is 96368 x2 allowed", "is 6 units of 96372 ok?": units typed beside one code and asked about are an MUE question
# (issue 17 class 6).
_ASKS_LIMIT = re.compile(r"\b(?:allowed|ok|okay|too many|max\w*|limit|can (?:i|we) bill|billable|fine|pass)\b",
                         re.IGNORECASE)
_SCRUB_WORDS = re.compile(r"\bscrub\w*\b|\bclaim(?:\s+lines?)?\b|\bcheck (?:these|this|my) (?:lines|claim)\b",
                          re.IGNORECASE)
_TOGETHER = re.compile(
    r"\b(?:with|w/|same day|same-day|same date|same encounter|same visit|together|bundl\w*|ncci|ptp|edits?"
    r"|modifier|mod 59|xe|xs|xp|xu|along with|plus|column ?[12]|separately|unbundl\w*"
    r"|same (?:month|session|period|service period)|both)\b|\+|&|\bw/(?!o)",
    re.IGNORECASE,
)
# A duration in the question makes it a units question ("96365 with 96366, 90 minutes"), unless it names MUE/PTP.
_DURATION = re.compile(r"\b\d+(?:\.\d+)?\s*(?:min(?:ute)?s?|hours?|hrs?|h)\b", re.IGNORECASE)
_EXPLICIT_EDITS = re.compile(r"\bncci\b|\bptp\b|\bmues?\b|\bscrub", re.IGNORECASE)
# Units of one code: "96372 x 6", "96372 x6 units", "96372 6 units", "6 units of 96372", "6 x 96372".
_CODE = r"(?P<code>\d{5}|\d{4}[FTU]|[A-V]\d{4})"
_UNITS_AFTER = re.compile(_CODE + r"(?:-[A-Z0-9]{2})*\s*(?:[x×*]\s*(?P<n>-?\d+)|(?P<m>-?\d+)\s*units?\b)",
                          re.IGNORECASE)
_UNITS_BEFORE = re.compile(r"(?P<n>-?\d+)\s*(?:units?\s+(?:of\s+)?|[x×*]\s*)" + _CODE + r"(?![\w.])",
                           re.IGNORECASE)
_MODIFIER_SUFFIX = re.compile(r"(?<![\w.])(?:\d{5}|\d{4}[FTU]|[A-V]\d{4})-[A-Z0-9]{2}\b", re.IGNORECASE)


def answer_edits_question(parsed: ParsedText, context: EditsContext, router: EditsRouter) -> Answer | None:
    """The edits answer for the question, or None when it is not an edits question (see the module docstring)."""
    text = getattr(parsed, "text", "") or ""
    codes = find_codes(text)
    if not codes:
        return None
    setting = getattr(context, "setting", None) or "professional"
    if setting not in ("professional", "facility"):
        setting = "professional"
    explicit = bool(_EXPLICIT_EDITS.search(text))
    if _DURATION.search(text) and not explicit:
        return None
    answer: Answer | None = None
    if _is_claim(text, codes):
        answer = scrub_answer(text, setting, router)
    elif _MUE_WORDS.search(text) or len(codes) == 1 and _units_of(text) and _ASKS_LIMIT.search(text):
        answer = mue_answer(codes, _units_of(text), setting, router)
    elif len(codes) >= 2 and _TOGETHER.search(text):
        answer = ptp_answer(codes, setting, router, modifiers=_modifiers_of(text))
    if answer is not None:
        answer.warnings.extend(getattr(context, "warnings", []) or [])
    return answer


def _is_claim(text: str, codes: Sequence[str]) -> bool:
    if _SCRUB_WORDS.search(text):
        return True
    if len(codes) < 2:
        return False
    has_units = any(m for m in _UNITS_AFTER.finditer(text)) or bool(_UNITS_BEFORE.search(text))
    return bool(_MODIFIER_SUFFIX.search(text)) or (has_units and not _MUE_WORDS.search(text))


def _units_of(text: str) -> dict[str, int]:
    """Code -> units typed next to it (the last mention wins)."""
    units: dict[str, int] = {}
    for pattern in (_UNITS_BEFORE, _UNITS_AFTER):
        for match in pattern.finditer(text):
            number = match.group("n") if match.group("n") is not None else match.groupdict().get("m")
            if number is not None:
                units[match.group("code").upper()] = int(number)
    return units


def _modifiers_of(text: str) -> dict[str, tuple[str, ...]]:
    lines = parse_claim_lines(text, strict=False)
    return {line.code: line.modifiers for line in lines if line.modifiers}


def _title(router: EditsRouter, code: str) -> str:
    corpus = getattr(router, "corpus", None)
    record = corpus.get(code) if corpus is not None else None
    return record.title if record is not None else ""


def _store(router: EditsRouter) -> Any:
    return getattr(router, "edits", None)


def _tables(router: EditsRouter, setting: str) -> ClaimEdits:
    """The NCCI tables of the claim's setting: the one setting-aware look-up (assistant/edits/lookup.py)."""
    return ClaimEdits(_store(router), setting)  # type: ignore[arg-type]  # the callers pass a checked setting


def _not_loaded(kind: str, setting: str, codes: Sequence[str], router: EditsRouter) -> Answer:
    """The table the setting needs is not imported: say so, with the command; never another table's answer."""
    table = table_for(kind, setting)
    label = TABLE_LABELS[table]
    lines = [CodeLine(code=code, description=_title(router, code)) for code in codes]
    what = "MUE" if kind == "mue" else "PTP edits"
    other = ""
    if setting == "facility":
        other = (" The practitioner table applies to professional claims only, so I did not check a facility claim "
                 "against it.")
    text = compose(
        f"**The {label} is not loaded, so I can't check the {what} of {', '.join(codes)} for a {setting} claim.**"
        + other,
        f"Import it with `{EditsStore.import_hint(table)}`.",
        _codes_table(lines),
    )
    return Answer(route="edits", answer=text, codes=lines, warnings=[f"The {label} is not loaded."])


# --- setting-aware look-ups for the units and encounter routes ------------------------------------------------------
def mue_lookup_for(store: Any, setting: str) -> Callable[[str], Any] | None:
    """The units engine's MUE look-up (code -> `assistant.units.MueLimit` | None) from the table of `setting`
    (practitioner for "professional", outpatient hospital for "facility"), or None when that table is not loaded.
    Never the other setting's table: pair it with `edits_table_note(store, "mue", setting)` for the answer."""
    if setting not in SETTINGS:
        return None
    entries = ClaimEdits(store, setting).mue_lookup()  # type: ignore[arg-type]
    if entries is None:
        return None
    def lookup(code: str) -> Any:
        entry = entries(code)
        if entry is None:
            return None
        return MueLimit(code=entry.code, value=entry.value, mai=entry.mai,
                        mai_description=f"{entry.mai_description}; {entry.table_label}")

    return lookup


def ptp_lookup_for(store: Any, setting: str) -> Callable[[list[str]], list[Any]] | None:
    """Every PTP edit among a list of codes from the table of `setting` (the encounter engine's `ptp_lookup`), or
    None when that table is not loaded. Never the other setting's table."""
    if setting not in SETTINGS:
        return None
    return ClaimEdits(store, setting).ptp_lookup()  # type: ignore[arg-type]


def edits_table_note(store: Any, kind: str, setting: str) -> str | None:
    """A warning for an answer whose lines were not checked because the setting's table is not loaded (None when it
    is loaded, or when no table of that kind is loaded at all: the answers then say nothing about MUE/PTP)."""
    if setting not in SETTINGS or kind not in ("mue", "ptp"):
        return None
    return ClaimEdits(store, setting).not_loaded_note(kind)  # type: ignore[arg-type]


# --- MUE ---------------------------------------------------------------------------------------------------------
def mue_answer(codes: Sequence[str], units: dict[str, int], setting: str, router: EditsRouter) -> Answer:
    """Each code's MUE from the setting's table; units typed next to a code are checked against it."""
    tables = _tables(router, setting)
    if not tables.loaded("mue"):
        return _not_loaded("mue", setting, codes, router)
    blocks: list[str] = []
    leads: list[str] = []
    warnings: list[str] = []
    citations: list[str] = []
    lines: list[CodeLine] = []
    for code in codes:
        lines.append(CodeLine(code=code, description=_title(router, code)))
        given = units.get(code)
        if given is not None and given <= 0:
            leads.append(f"{code}: {given} units is not a unit count (it must be 1 or more)")
            warnings.append(f"{code}: {given} units can't be billed; a unit count is 1 or more.")
            continue
        entry = tables.mue(code)
        if entry is None:
            leads.append(f"{code}: no MUE in the {TABLE_LABELS[table_for('mue', setting)]}")
            blocks.append(f"### {code}\n- No MUE is listed for {code} in the imported "
                          f"{TABLE_LABELS[table_for('mue', setting)]}; the table sets no unit limit for it.")
            continue
        citations.append(entry.citation)
        if given is None:
            leads.append(f"{code}: MUE {entry.value} (MAI {entry.mai})")
        elif given > entry.value:
            leads.append(f"{code}: {given} units exceed the MUE of {entry.value}")
            warnings.append(f"{code}: {given} units exceed the MUE of {entry.value} (MAI {entry.mai}, "
                            f"{entry.table_label}, {entry.quarter or 'quarter unknown'}).")
        else:
            leads.append(f"{code}: {given} units are within the MUE of {entry.value}")
        blocks.append("\n".join([
            f"### {code}: MUE {entry.value}",
            f"- Table: {entry.table_label}, {entry.quarter or 'quarter unknown'} ({entry.source})",
            f"- MAI {entry.mai} ({entry.mai_description}): {describe_mai(entry.mai)}",
            f"- Rationale: {entry.rationale}" if entry.rationale else "",
            _mai_advice(entry.mai, given, entry.value),
        ]).rstrip())
    text = compose("**" + "; ".join(leads) + ".**", *blocks)
    return Answer(route="edits", answer=text, codes=lines, citations=dedupe(citations), warnings=warnings)


def _mai_advice(mai: int, given: int | None, value: int) -> str:
    """What to do about units above the MUE, by MAI (CMS MUE page and NCCI Policy Manual, chapter I, section V)."""
    if value == 0:
        return ("- An MUE of 0: CMS does not expect this code on this type of claim at all (for example a service "
                "only the facility reports); do not report it here.")
    if given is None or given <= value:
        return ""
    if mai == 1:
        return ("- What to do: a claim line edit; when more units were medically reasonable (e.g. another site or "
                "session), report them on separate lines with an appropriate modifier (such as 59, XE/XS/XP/XU, "
                "76, 77, 91 or an anatomic modifier) and documentation.")
    if mai == 2:
        return ("- What to do: an absolute (policy) limit for the date of service: units above it are not paid, "
                f"and an appeal does not change that. Report {value} at most.")
    return ("- What to do: a clinical limit for the date of service: units above it are denied, but may be paid "
            "on appeal with documentation of medical necessity.")


# --- PTP ---------------------------------------------------------------------------------------------------------
def ptp_answer(
    codes: Sequence[str], setting: str, router: EditsRouter, modifiers: dict[str, tuple[str, ...]] | None = None
) -> Answer:
    """Each PTP edit between the codes in the setting's table, the modifier indicator in plain words, whether a
    modifier can bypass it and which, and the MUE of each code from the same setting's table."""
    tables = _tables(router, setting)
    if not tables.loaded("ptp"):
        return _not_loaded("ptp", setting, codes, router)
    modifiers = modifiers or {}
    table_label = TABLE_LABELS[table_for("ptp", setting)]
    quarter = tables.release("ptp")
    lines = [CodeLine(code=code, description=_title(router, code)) for code in codes]
    edits = tables.pairs(codes)
    active = [edit for edit in edits if not edit.deleted]
    deleted = [edit for edit in edits if edit.deleted]
    blocks: list[str] = []
    citations: list[str] = []
    where = f"the {table_label}, {quarter}" if quarter else f"the imported {table_label}"
    if not active:
        blocks.append(f"**No PTP edit exists between {', '.join(codes)} in {where}.** They are not paired by NCCI; "
                      "other payer policies can still apply.")
        citations.append(f"CMS NCCI {table_label}, {quarter or 'quarter unknown'}")
    else:
        blocks.append("**NCCI PTP edit: " + "; ".join(
            f"{edit.column1} (column 1) and {edit.column2} (column 2), modifier indicator {edit.modifier_indicator}"
            for edit in active) + f" ({where}).**")
    for edit in [*active, *deleted]:
        detail = [
            f"### {edit.column1} / {edit.column2}" + (" (deleted edit)" if edit.deleted else ""),
            f"- Column 1 (the code that is paid): {edit.column1} {_title(router, edit.column1)}".rstrip(),
            f"- Column 2 (not paid with column 1 unless the indicator allows): "
            f"{edit.column2} {_title(router, edit.column2)}".rstrip(),
            f"- Modifier indicator {edit.modifier_indicator}: {describe_modifier_indicator(edit.modifier_indicator)}",
        ]
        if not edit.deleted:
            detail.append("- " + bypass_advice(edit, modifiers.get(edit.column2, ()) + modifiers.get(edit.column1, ())))
        if edit.rationale:
            detail.append(f"- Rationale: {edit.rationale}")
        detail.append(f"- Table: {edit.table_label}, {edit.quarter or 'quarter unknown'} ({edit.source})")
        blocks.append("\n".join(detail))
        citations.append(edit.citation)
    if active and any(edit.modifier_allowed for edit in active):
        citations.append("NCCI Policy Manual for Medicare Services, chapter I, section E (modifiers and modifier "
                         "indicators)")
    blocks.append(derived_table_note(tables.store, tables.table("ptp")))
    blocks.append(_codes_table(lines))
    if tables.loaded("mue"):
        notes = []
        for code in codes:
            entry = tables.mue(code)
            if entry is not None:
                notes.append(f"{code}: MUE {entry.value} (MAI {entry.mai}, {entry.mai_description}; "
                             f"{entry.table_label})")
        blocks.append(bullets("MUE", notes))
    return Answer(route="edits", answer=compose(*blocks), codes=lines, citations=dedupe(citations))


# --- scrubbing ---------------------------------------------------------------------------------------------------
def scrub_answer(text: str, setting: str, router: EditsRouter) -> Answer:
    """The claim lines typed in `text`, scrubbed as a whole (see assistant/edits/scrubber.py)."""
    typed = set(find_codes(text))  # the code finder knows NDCs, dates and ICD-10 codes are not procedure codes
    lines = [line for line in parse_claim_lines(text) if line.code in typed]
    if not lines:
        return Answer(route="edits", answer="**I found no claim line to check.** Type the lines as "
                      "`99214-25, 96372, J1885 x4, 36415`.\n", warnings=["No claim line found."])
    validity = getattr(router, "code_validity", None) or corpus_validity(getattr(router, "corpus", None))
    payer = "medicare" if re.search(r"\bmedicare\b", text, re.IGNORECASE) else None  # 99211 rule (issue 19)
    store, day = dated_store(text, _store(router))  # "DOS 2/10/2026": the releases in force that day (issue 19)
    result = scrub(lines, store, setting=setting, addons=corpus_addons(router), validity=validity,
                   payer=payer, day=day)
    if day is not None and hasattr(store, "notes"):
        result.notes.extend(store.notes(setting))
    return scrub_result_answer(result, router)


# Fewer HCPCS Level II records than this in the corpus: the CMS HCPCS file is not imported, so an unknown
# Level II code can't be called invalid (the bundled corpus holds about a hundred records).
HCPCS_IMPORTED_MIN_RECORDS = 1000
_LEVEL2 = re.compile(r"^[A-V]\d{4}$")


def corpus_validity(corpus: Any, today: date | None = None) -> Callable[[str], str | None]:
    """A validity callback from the corpus: a terminated code (HCPCS term_dt before today) names its replacement;
    a Level II code missing from an imported HCPCS file is not a valid code. CPT numbers are never called invalid
    (their list needs a CPT licence); None means "no problem known"."""
    today = today or date.today()
    records = list(corpus) if corpus is not None else []
    hcpcs_imported = sum(1 for r in records if getattr(r, "system", "") == "HCPCS") >= HCPCS_IMPORTED_MIN_RECORDS

    def validity(code: str) -> str | None:
        record = corpus.get(code) if corpus is not None else None
        if record is None:
            if hcpcs_imported and _LEVEL2.match(code):
                return "not a valid HCPCS Level II code (not in the imported CMS HCPCS file)"
            return None
        terminated = getattr(record, "terminated_on", None)
        if terminated is not None and terminated < today:
            replaced = list(getattr(record, "replaced_by", []) or [])
            instead = f"; bill {' or '.join(replaced)} instead" if replaced else ""
            return f"terminated {terminated.isoformat()} (CMS HCPCS file){instead}"
        return None

    return validity


class _ScrubRouter:
    """What the scrub needs of a router, for the CLI and the web API (no retriever, no model)."""

    def __init__(self, edits: Any, corpus: Any) -> None:
        self.edits = edits
        self.corpus = corpus
        self.code_validity = corpus_validity(corpus)


def scrub_lines(lines: Sequence[ClaimLine], setting: str, edits: Any, corpus: Any) -> ScrubResult:
    """Scrub parsed claim lines with the store and the corpus (add-ons from `add_on_to`, validity from HCPCS)."""
    router = _ScrubRouter(edits, corpus)
    return scrub(lines, edits, setting=setting, addons=corpus_addons(router), validity=router.code_validity)


def scrub_command(text: str | None, json_file: Path | None, setting: str | None, as_json: bool, settings: Any,
                  out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`python -m assistant scrub "99214-25, 96372, J1885 x4" [--json FILE] [--setting facility] [--output-json]`.

    Exit status: 0 every line passes, 1 a line needs a fix or would be denied (or could not be checked), 2 the
    input was not understood (the message says why)."""
    import json as json_module

    out, err = out or sys.stdout, err or sys.stderr
    if (text is None) == (json_file is None):
        err.write("scrub: give either the claim lines in quotes or --json FILE.\n")
        return 2
    try:
        if json_file is not None:
            lines = claim_lines_from_json(Path(json_file).read_text(encoding="utf-8"))
        else:
            lines = parse_claim_lines(text or "")
            if not lines:
                raise ValueError(f"no claim line found in {text!r}; type lines as \"99214-25, 96372, J1885 x4\"")
    except (OSError, ValueError) as error:
        err.write(f"scrub: {error}\n")
        return 2
    corpus = load_corpus(settings)
    store = EditsStore(settings.resolved_data_dir / FILENAME)
    result = scrub_lines(lines, setting or settings.default_setting, store, corpus)
    if as_json:
        out.write(json_module.dumps(result.as_dict(), indent=1) + "\n")
    else:
        out.write(scrub_result_answer(result, _ScrubRouter(store, corpus)).answer)
    return 0 if result.verdict == "pass" else 1


def corpus_addons(router: EditsRouter) -> dict[str, tuple[str, ...]]:
    """Add-on code -> its primaries, from the corpus records' `add_on_to`."""
    corpus = getattr(router, "corpus", None)
    if corpus is None:
        return {}
    return {record.code: tuple(record.add_on_to) for record in corpus if getattr(record, "add_on_to", None)}


def scrub_result_answer(result: ScrubResult, router: EditsRouter | None = None) -> Answer:
    """Markdown for a scrub result: the verdict, one table row per line with its problems and fix, sources."""
    title: Callable[[str], str] = (lambda code: _title(router, code)) if router is not None else (lambda code: "")
    rows = ["| # | Line | Verdict | Why | Fix |", "|---|---|---|---|---|"]
    for number, line in enumerate(result.lines, start=1):
        why = "; ".join(finding.message for finding in line.findings) or "no edit applies"
        rows.append(f"| {number} | {cell(line.line.display)} | {line.verdict} | {cell(why)} | {cell(line.fix)} |")
    lead = f"**{result.summary}**"
    text = compose(lead, "\n".join(rows), bullets("Notes", result.notes))
    codes = [CodeLine(code=line.line.code, units=line.line.units, description=title(line.line.code))
             for line in result.lines]
    warnings = [f"Line {number} ({line.line.display}): {line.fix}" for number, line in enumerate(result.lines, 1)
                if line.verdict != "pass"]
    return Answer(route="edits", answer=text, codes=codes, citations=list(result.citations), warnings=warnings)


# --- Markdown helpers --------------------------------------------------------------------------------------------
def _codes_table(lines: Sequence[CodeLine]) -> str:
    rows = ["| Code | What it is |", "|---|---|"]
    rows += [f"| {line.code} | {cell(line.description)} |" for line in lines]
    return "\n".join(rows)










__all__ = [
    "ClaimLine", "answer_edits_question", "corpus_validity", "edits_table_note", "mue_answer", "mue_lookup_for",
    "ptp_answer", "ptp_lookup_for", "scrub_answer", "scrub_command", "scrub_lines", "scrub_result_answer",
]
