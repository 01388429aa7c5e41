"""Markdown answers with their structured fields. Deterministic: the same inputs give the same text.

Every answer starts with one direct line ("Report 96369 x1 and 96370 x1."), then the details a coder checks:
a table of codes, the rule applied with the rule set named ("CPT rules" or "Medicare rules"), the sources and
the warnings. Text typed by the user is escaped before it is echoed (no raw HTML from a question).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.chat.reading.text import escape_user_text
from assistant.contract import Answer, CodeLine
from assistant.units import FAMILY_NAMES as _UNITS_FAMILY_NAMES

EXAMPLE_QUESTIONS = (
    "how do I code 2.5 hours subq",
    "what is 96369",
    "code for chemo push",
    "critical care 110 minutes medicare",
    "ceftriaxone 1 g how many units",
    "can I bill 96360 and 96365 together",
    "what is the 8 minute rule",
)

# How each units-engine family is named in an answer: from the units family registry (RULES declares each family
# once there, `assistant.units.FAMILY_NAMES`), never a second hard-coded list.
FAMILY_NAMES: dict[str, str] = dict(_UNITS_FAMILY_NAMES)

# The team's research notes (rules.md, encounters.md, mcd.md ...) are where a rule was compiled, not a source a coder
# can open: answers cite the primary source they name and never the note's id (issue 20 item 3).
_NOTE_ID = re.compile(r"[;,]?\s*\b(?:rules|encounters|mcd|stack)\.md(?:\s+(?:[A-Z]?\d+[a-z]?)(?:/[A-Z]?\d+[a-z]?)*)?")


def public_citation(text: str) -> str:
    """`text` without internal note ids: "OPPS C8957 (encounters.md A8; UNCONFIRMED)" -> "OPPS C8957
    (UNCONFIRMED)", "CPT via AAPC (encounters.md A1): ..." -> "CPT via AAPC: ..."."""
    if ".md" not in text:
        return text
    cleaned = _NOTE_ID.sub("", text)
    cleaned = re.sub(r"\(\s*[;,]\s*", "(", cleaned)
    cleaned = re.sub(r"\s*\(\s*\)", "", cleaned)
    cleaned = re.sub(r"\[\s*\]", "", cleaned)
    return re.sub(r" +([:;,.)])", r"\1", cleaned).strip()


def rule_set_name(payer: str) -> str:
    """The name of the rules used, as the answer states it."""
    return "Medicare rules" if payer == "medicare" else "CPT rules"


def setting_name(setting: str) -> str:
    return "facility setting" if setting == "facility" else "professional setting"


def format_minutes(minutes: int) -> str:
    """150 -> '150 minutes (2 h 30 min)'."""
    if minutes < 60:
        return f"{minutes} minutes"
    hours, rest = divmod(minutes, 60)
    return f"{minutes} minutes ({hours} h {rest} min)" if rest else f"{minutes} minutes ({hours} h)"


def _join_codes(lines: Sequence[CodeLine]) -> str:
    # Every billable line as it goes on the claim, modifiers included ("J9271 x150 and J9271-JW x50"): copying the
    # headline must never drop a JW/JZ line (issue 20 item 2; 100-04 Ch. 17 section 40, MM13056).
    parts = [f"{line.billed} x{line.units}" for line in lines]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def report_lead(lines: Sequence[CodeLine]) -> str:
    """The first line of a units answer: "**Report 96369 x1 and 96370 x1.**"."""
    return f"**Report {_join_codes(lines)}.**"


def codes_line(lines: Sequence[CodeLine]) -> str:
    """The billable lines as one clean line to paste into a claim screen: "96369 x1, 96370 x1" (the chat's
    "Copy codes" button); empty when no line has units."""
    return ", ".join(f"{line.billed} x{line.units}" for line in lines if line.units)


def code_table(lines: Sequence[CodeLine]) -> str:
    """The billable lines as the units answers' table: Code (with modifiers) | Units | What it is."""
    return _table(lines, with_units=True)


def restate_codes(answer: Answer, before: Sequence[CodeLine]) -> None:
    """After lines were changed or added to a units answer (a JW line, a JZ modifier), say them again where the
    answer said the old ones: the lead and the rows of the code table. Other text is left as it is."""
    text = answer.answer
    old_lead = report_lead(before)
    if before and old_lead in text:
        text = text.replace(old_lead, report_lead([line for line in answer.codes if line.units]), 1)
    for line in answer.codes:
        old = next((b for b in before if b.code == line.code and b.units == line.units), None)
        row = f"| {line.billed} | {line.units} | {cell(line.description)} |"
        if old is not None:
            text = text.replace(f"| {old.billed} | {old.units} |", f"| {line.billed} | {line.units} |", 1)
            continue
        base = line.code.split("-")[0]
        rows = text.split("\n")
        at = max((i for i, r in enumerate(rows) if r.startswith(f"| {base}")), default=None)
        if at is not None:
            rows.insert(at + 1, row)
            text = "\n".join(rows)
    answer.answer = text


def _table(lines: Sequence[CodeLine], with_units: bool) -> str:
    if with_units:
        rows = ["| Code | Units | What it is |", "|---|---|---|"]
        rows += [f"| {line.billed} | {line.units} | {cell(line.description)} |" for line in lines]
    else:
        rows = ["| Code | What it is |", "|---|---|"]
        rows += [f"| {line.code} | {cell(line.description)} |" for line in lines]
    return "\n".join(rows)


# The characters that would end a table cell, start Markdown emphasis, a link, a heading or an HTML tag.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")


def cell(text: object) -> str:
    """Text as one Markdown table cell (or list item): whitespace runs and line breaks become one space, and the
    characters Markdown would read (pipe, emphasis, link, heading, HTML) are backslash-escaped, so a description,
    a reason or the user's own words never break the table. The one escaping function of every answer."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def bullets(title: str, items: Iterable[str]) -> str:
    items = [item for item in items if item]
    if not items:
        return ""
    return f"**{title}:**\n" + "\n".join(f"- {item}" for item in items)


def dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def compose(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block).strip() + "\n"


# --------------------------------------------------------------------------------------------------------
# units
# --------------------------------------------------------------------------------------------------------


def units_answer(
    results: Sequence[Any],
    descriptions: dict[str, str],
    summary: str,
    extra_warnings: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> Answer:
    """The answer for one or more units-engine results (a time family and, with a dose, its drug line).

    `codes` holds exactly the billable lines (units above zero) in engine order; a service below its minimum
    gives no lines and a lead saying why.
    """
    lines: list[CodeLine] = []
    for result in results:
        for line in result.lines:
            if line.units and line.units > 0:
                lines.append(CodeLine(code=line.code, units=int(line.units),
                                      description=descriptions.get(line.code) or line.title))
    payer = results[0].payer
    rules = rule_set_name(payer)
    if lines:
        lead = report_lead(lines)
    else:
        reasons = [r.not_billable_reason for r in results if getattr(r, "not_billable_reason", None)]
        lead = "**Nothing billable for this time.** " + (" ".join(reasons) if reasons else "")
    time_line = ""
    anesthesia = next((r for r in results if getattr(r, "anesthesia_time_units", None) is not None), None)
    if anesthesia is not None:
        # 100-04 Ch. 12 s50: the anesthesia claim line carries the minutes, not units; never show them as units.
        minutes = anesthesia.minutes
        time_units = anesthesia.anesthesia_time_units
        base = getattr(anesthesia, "anesthesia_base_units", None)
        total = getattr(anesthesia, "anesthesia_total_units", None)
        sum_text = (f"{base:g} base + {time_units:.1f} time = **{total:.1f} units**" if base is not None
                    and total is not None else "add the procedure's base units")
        time_line = (f"**Anesthesia time units: {time_units:.1f}** ({minutes} minutes / 15, rounded to one "
                     f"decimal); {sum_text}.")
        anesthesia_codes = {line.code for line in anesthesia.lines}
        minute_lines = [line for line in lines if line.code in anesthesia_codes]
        if minute_lines:
            others = [line for line in lines if line.code not in anesthesia_codes]
            lead = (f"**Report {', '.join(line.code for line in minute_lines)} with {minutes} minutes of anesthesia "
                    "time** (the claim line's quantity is minutes)"
                    + (f", and {_join_codes(others)}." if others else "."))
        elif not lines:
            lead = f"**Anesthesia time units: {time_units:.1f}.**"
    table_lines = [line for line in lines if anesthesia is None or line.code not in {x.code for x in anesthesia.lines}]
    rule_lines = [f"**Rule applied ({rules}):** {public_citation(r.rule)}" for r in results if r.rule]
    citations = dedupe(public_citation(c) for r in results for c in r.citations)
    warnings = dedupe([*(public_citation(w) for r in results for w in r.warnings), *extra_warnings])
    if any(getattr(r, "unconfirmed", False) for r in results) and not any("unconfirmed" in w.lower() for w in warnings):
        warnings.append("This rule is UNCONFIRMED in a primary source: check it before you bill.")
    text = compose(
        lead,
        f"_{summary}, {rules}._" if summary else f"_{rules}._",
        *notes,
        _table(table_lines, with_units=True) if table_lines else "",
        time_line,
        "\n\n".join(rule_lines),
        bullets("Sources", citations),
        bullets("Warnings", warnings),
    )
    return Answer(route="units", answer=text, codes=lines, citations=citations, warnings=warnings)


def units_problem_answer(problems: Sequence[Any], extra_warnings: Sequence[str] = ()) -> Answer:
    """A units question that cannot be counted as asked: route `units`, no codes, the reason in answer and warnings.

    Each problem is a typed reading `Problem` (worded here by `problem_text`) or an already coder-readable sentence
    (any user text in it escaped).
    """
    problems = dedupe(problem_text(problem) for problem in problems)
    lead = "**I can't count units for this as asked:** " + "; ".join(problems) + "."
    lead = lead.replace("..", ".")
    text = compose(lead, "Ask again with the documented time or dose, for example: *subq 150 minutes*.")
    return Answer(route="units", answer=text, codes=[], warnings=dedupe([*problems, *extra_warnings]))


# --------------------------------------------------------------------------------------------------------
# lookup
# --------------------------------------------------------------------------------------------------------


def _mue_sentence(entry: Any) -> str:
    quarter = f", {entry.quarter}" if getattr(entry, "quarter", None) else ""
    rationale = f"; rationale: {entry.rationale}" if getattr(entry, "rationale", None) else ""
    mai = f"MAI {entry.mai}" + (f" ({entry.mai_description})" if getattr(entry, "mai_description", None) else "")
    return f"MUE {entry.value} ({mai}{rationale}; CMS NCCI MUE table{quarter})."


def lookup_section(record: Any, add_ons: Sequence[Any], mue: Any | None, mue_loaded: bool) -> str:
    """One code's card: title, our description, the official descriptor when imported, add-on links and MUE."""
    parts = [f"### {record.code}: {record.title}", record.description]
    if record.official_descriptor:
        parts.append(f"**Official descriptor** ({record.official_source or 'imported file'}): "
                     f"{record.official_descriptor}")
    if record.add_on_to:
        parts.append(f"**Add-on code:** reported only with {', '.join(record.add_on_to)}.")
    if add_ons:
        parts.append("**Add-on codes reported with it:** " + ", ".join(f"{a.code} ({a.title})" for a in add_ons) + ".")
    if record.billing_unit is not None:
        bu = record.billing_unit
        parts.append(f"**Billing unit:** one unit = {bu.quantity:g} {bu.unit}.")
    if mue is not None:
        parts.append("**" + _mue_sentence(mue).replace(" (", "** (", 1))
    elif mue_loaded:
        parts.append("**MUE:** no MUE listed for this code in the imported table.")
    else:
        parts.append("**MUE:** the MUE table is not loaded (`python -m assistant import mue PATH`).")
    if record.sources:
        parts.append(bullets("Sources", record.sources))
    return "\n\n".join(parts)


def lookup_answer(records: Sequence[Any], sections: Sequence[str], missing: Sequence[str], near: Sequence[Any],
                  mue_citations: Sequence[str]) -> Answer:
    """Found codes first (in the order typed), then the not-found ones with near matches."""
    codes = [CodeLine(code=r.code, description=r.title) for r in records]
    blocks: list[str] = []
    warnings: list[str] = []
    if records:
        first = records[0]
        lead = f"**{first.code}: {first.title}.**" if len(records) == 1 else (
            "**" + "; ".join(f"{r.code}: {r.title}" for r in records) + ".**")
        blocks.append(lead)
        blocks.extend(sections)
    if missing:
        message = f"Code{'s' if len(missing) > 1 else ''} {', '.join(missing)} not found in the corpus."
        warnings.append(message)
        near_text = ""
        if near:
            near_text = " Near matches: " + ", ".join(f"{r.code} ({r.title})" for r in near) + "."
            codes.extend(CodeLine(code=r.code, description=r.title) for r in near if r.code not in
                         {c.code for c in codes})
        blocks.insert(0 if not records else len(blocks), f"**{message}**{near_text}")
    citations = dedupe([*(s for r in records for s in r.sources), *mue_citations])
    return Answer(route="lookup", answer=compose(*blocks), codes=codes, citations=citations, warnings=warnings)


# --------------------------------------------------------------------------------------------------------
# edits
# --------------------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------------------
# search and help
# --------------------------------------------------------------------------------------------------------


def search_answer(hits: Sequence[Any], notes: Sequence[str] = ()) -> Answer:
    """Ranked codes with one line each on why they fit."""
    if not hits:
        return help_answer("I found no code that fits your question.")
    codes = [CodeLine(code=h.code, description=h.record.title) for h in hits]
    lead = f"**Closest codes: {', '.join(h.code for h in hits[:3])}.**"
    rows = ["| # | Code | What it is | Why it fits |", "|---|---|---|---|"]
    for rank, hit in enumerate(hits, start=1):
        add_on = f" (add-on to {', '.join(hit.record.add_on_to)})" if hit.record.add_on_to else ""
        rows.append(f"| {rank} | {hit.code} | {cell(hit.record.title)}{add_on} | {cell(hit.why)} |")
    tip = "Ask with a time or dose (for example *subq 150 minutes*) to get units, or type a code for its details."
    citations = dedupe(s for h in hits[:1] for s in h.record.sources)
    return Answer(route="search", answer=compose(lead, *notes, "\n".join(rows), tip), codes=codes,
                  citations=citations)


def help_answer(reason: str = "") -> Answer:
    """An answer that explains what the assistant can do, with example questions."""
    lead = f"{reason}\n\n" if reason else ""
    examples = "\n".join(f"- {q}" for q in EXAMPLE_QUESTIONS)
    return Answer(route="help", answer=f"{lead}Ask me about codes, units and edits, for example:\n\n{examples}\n")


def error_answer() -> Answer:
    """An unexpected failure: a short apology, never a traceback."""
    return Answer(route="error", answer="Sorry, something went wrong while answering. Please try again or rephrase "
                                        "the question; the problem has been logged.")


def echo(text: str, limit: int = 80) -> str:
    """User text shortened and escaped for echoing."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return escape_user_text(text)


# How each typed reading problem (assistant/chat/reading/problems.py) is said to the coder: issue 10 item 7.
_PROBLEM_WORDING: dict[str, str] = {
    "patient_age": "how old is the patient ('{surface}')? Moderate sedation is 99151 (99155 by another physician) "
                   "for a patient under 5 and 99152 (99156) at 5 or older (CPT moderate sedation guidelines)",
    "negative_duration": "a service can't last {surface}: time must be a positive duration",
    "decimal_comma": "I can't tell whether '{surface}' uses a decimal comma or a thousands comma: type the amount "
                     "without a comma (for example 1.5 g or 1500 mg)",
    "unread_sum": "I can't read the sum '{surface}': give the total time (for example 75 minutes)",
    "unread_fraction": "I can't read the fraction '{surface}': give the documented time in minutes (for example "
                       "75 minutes)",
    "duration_range": "'{surface}' is a range, not a duration: give the documented time (for example 150 minutes)",
    "unread_number": "I can't tell what the number {surface} is here (it is next to a time, dose or count word I "
                     "could not pair it with): say it with its unit (for example {surface} minutes or {surface} mg)",
    "nonpositive_dose": "a dose can't be {surface}: give the amount given, a positive number (for example 4 mg)",
    "nonpositive_count": "a count can't be {surface}: give how many were given, a positive number",
    "multiplied_dose": "I can't tell whether '{surface}' is one dose or several: give the total dose given (for "
                       "example 8 mg)",
    "same_start_end": "the start and end times are the same ({surface}): give the time the service started and the "
                      "time it ended",
    "end_before_start": "the end time is before the start time ({surface}): check the times; if the service ran past "
                        "noon or midnight, add am/pm (for example 11pm to 2am) or give the minutes",
    "excluded_all": "the excluded time ({surface}) is all of the time or more: give the time to count",
    "out_of_range": "{surface} is outside the range this assistant counts ({limit}): check the documented number",
    "too_long": "{surface} is longer than a day (24 hours): time is counted per date of service, check the "
                "documented minutes",
    "repeat_push_gap": "a repeat push of the same drug is reported (+96376, facility only) only when it comes more "
                       "than {gap} minutes after the first: how long after the first push was it given?",
    "body_size": "the dose {surface} needs the patient's {what}: give it once (for example 82 kg) or the total dose",
    "unclear_exclusion": "I can't tell which time to count around '{surface}': give the time of the service itself "
                         "(for example 90 minutes)",
    "part_of_time": "'{surface}' is part of the time, but which part to count is unclear: give the time of the "
                    "service itself (for example 90 minutes)",
    "unowned_time": "I can't tell which service '{surface}' is for: give each service's time separately (for "
                    "example: chemo infusion 2 hours; hydration 1 hour)",
    "time_of_other_service": "the time given ({surface}) is for another service than the one counted: give each "
                             "service's time separately (for example: chemo infusion 2 hours; hydration 1 hour)",
    "bare_number": "I can't tell what {surface} is (minutes, hours or a dose): ask again with the unit (for example "
                   "{surface} minutes)",
}


def problem_text(problem: Any) -> str:
    """The sentence a coder reads for a typed reading problem (its words escaped); a plain string passes through."""
    if isinstance(problem, str):
        return problem
    template = _PROBLEM_WORDING.get(problem.kind, "I could not read '{surface}'")
    return template.format(surface=escape_user_text(problem.surface), **problem.detail)


def not_counted_answer(question: str, typed_time: str, hits: Sequence[Any], warnings: Sequence[str] = ()) -> Answer:
    """A time for a service we have no units rule for (issue 10 item 4): never another family's rule, no units.

    The nearest codes are offered as a search (units empty), so the coder can look the service up.
    """
    what = echo(question)
    lines = [CodeLine(code=hit.code, units=None, description=hit.record.title) for hit in hits]
    text = compose(
        f"I can't count units for this service: *{what}* does not name a service whose time rule I have "
        f"(I never apply another service's rule to a time{f' like {typed_time}' if typed_time else ''}).",
        "Codes that may fit, as a search (check each one's time rule in its descriptor):\n\n" + _table(lines, False)
        if lines else "",
    )
    return Answer(route="search", answer=text, codes=lines, warnings=[
        "No units counted: the service named has no time rule here; no other family's rule was borrowed.",
        *warnings])
