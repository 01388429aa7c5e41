"""The chat's release questions: what changed between releases, and MUE/PTP answers for a date of service.

`Router._fees_hook` calls `answer_changes_question` and `answer_dated_edits_question` before the fee-schedule and
edits answers. Each returns None when the question is not theirs:
- changes: "what changed in the MUE this quarter", "PTP edits added for 96413", "PFS changes", "new HCPCS codes
  this year" (a change word and a table word). NCCI and PFS from the kept releases (edits/changes.py); HCPCS from
  the imported HCPCS file's add and termination dates (one release holds them all).
- dated MUE/PTP: a date of service (typed, "DOS 3/15/2026", or the request's) with "MUE" and one code, or two
  codes with PTP/NCCI/bundling words: answered from the release in force on that date (edits/history.py), naming
  it, and saying when the date is outside the loaded releases.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from assistant.chat.dates import find_date_of_service
from assistant.contract import Answer, CodeLine
from assistant.edits.changes import ChangesError, compare, report_markdown
from assistant.edits.history import EditsHistory, EditsOnDate
from assistant.edits.models import describe_modifier_indicator
from assistant.edits.releases import quarter_of

_CHANGE = re.compile(r"\bwhat(?:'s| has| is)? changed\b|\bchanges?\b|\b(?:new|added|deleted|removed|terminated)\b",
                     re.I)
_KIND = (("ptp-oph", re.compile(r"outpatient hospital PTP|\bPTP\b.*\bfacility\b", re.I)),
         ("mue-oph", re.compile(r"outpatient hospital MUE|\bMUE\b.*\bfacility\b", re.I)),
         ("ptp", re.compile(r"\bPTP\b|\bNCCI edits?\b|procedure[- ]to[- ]procedure", re.I)),
         ("mue", re.compile(r"\bMUEs?\b|medically unlikely", re.I)),
         ("pfs", re.compile(r"\bPFS\b|physician fee schedule|\bRVUs?\b|relative value", re.I)),
         ("hcpcs", re.compile(r"\bHCPCS\b", re.I)))
_YEAR = re.compile(r"\b(?:in|for|during)\s+(20\d\d)\b|\b(20\d\d)\b")
PAGE = 50


def _kind(text: str) -> str | None:
    return next((kind for kind, pattern in _KIND if pattern.search(text)), None)


def _edits_path(router: Any) -> Path | None:
    path = getattr(getattr(router, "edits", None), "path", None)
    return Path(path) if path is not None else None


def answer_changes_question(parsed: Any, context: Any, router: Any) -> Answer | None:
    """The changes report a question asks for, or None when it does not ask for one."""
    text: str = getattr(parsed, "text", "") or ""
    kind = _kind(text)
    if kind is None or not _CHANGE.search(text) or re.search(r"\bscrub\b|\bclaim\b", text, re.I):
        return None
    codes = [code.upper() for code in getattr(parsed, "codes", []) or []]
    if len(codes) > 1 or (codes and not re.search(r"\b(?:added|deleted|removed|new|chang\w*)\b", text, re.I)):
        return None
    if kind == "hcpcs":
        return _hcpcs_answer(text, router, context)
    path = _edits_path(router)
    if path is None:
        return None
    newer = None
    if re.search(r"\bthis quarter\b", text, re.I):
        newer = quarter_of(date.today())
    try:
        report = compare(path, kind, None, newer, code=codes[0] if codes else None, page_size=PAGE)
    except ChangesError as error:
        if newer is not None:  # the current quarter's release is not loaded: compare the last two, say so
            try:
                report = compare(path, kind, code=codes[0] if codes else None, page_size=PAGE)
            except ChangesError:
                return _answer(f"**I cannot compare releases:** {error}.", codes, [], context)
            context.warnings.append(f"The {newer} release is not loaded; compared the last two loaded releases.")
        else:
            return _answer(f"**I cannot compare releases:** {error}.", codes, [], context)
    if re.search(r"\badded\b|\bnew\b", text, re.I) and codes:
        report.rows = [row for row in report.rows if row.change == "added"]
    citation = f"CMS {report.label} releases {report.older} and {report.newer} (as imported)"
    more = (f"\n\nAll rows: `python -m assistant changes {kind} --from '{report.older}' --to '{report.newer}'"
            f"{' --code ' + codes[0] if codes else ''}`.")
    return _answer(report_markdown(report) + more, codes, [citation], context)


def _hcpcs_answer(text: str, router: Any, context: Any) -> Answer:
    year_match = _YEAR.search(text)
    year = int(year_match.group(1) or year_match.group(2)) if year_match else date.today().year
    if re.search(r"\blast year\b", text, re.I):
        year = date.today().year - 1
    ended = bool(re.search(r"\b(?:deleted|removed|terminated|discontinued)\b", text, re.I))
    records = list(router.corpus) if getattr(router, "corpus", None) is not None else []
    retired = getattr(getattr(router, "corpus", None), "retired", None)  # terminated codes the corpus keeps aside
    if ended and isinstance(retired, dict):
        records += list(retired.values())
    field = "terminated_on" if ended else "added_on"
    found = sorted(
        (record for record in records if getattr(record, "system", "") == "HCPCS"
         and getattr(record, field, None) is not None and getattr(record, field).year == year),
        key=lambda record: (getattr(record, field), record.code),
    )
    dated = [record for record in records if getattr(record, "system", "") == "HCPCS"
             and getattr(record, "added_on", None) is not None]
    what = "terminated" if ended else "added"
    if not dated:
        return _answer("**No HCPCS add or termination dates are loaded.** Import the CMS HCPCS file (`python -m "
                       "assistant import hcpcs FILE`): its ADD DT and TERM DT list the codes added and ended.",
                       [], [], context)
    lines = [f"**HCPCS Level II codes {what} in {year}: {len(found):,}** (CMS HCPCS file as imported)."]
    if found:
        lines += ["", "| code | date | title |", "|---|---|---|"]
        lines += [f"| {record.code} | {getattr(record, field).isoformat()} | {record.title} |"
                  for record in found[:PAGE]]
        if len(found) > PAGE:
            lines.append(f"\nFirst {PAGE} of {len(found):,}.")
    else:
        latest = max(record.added_on for record in dated)
        lines.append(f"The newest add date in the loaded file is {latest.isoformat()}: import a newer HCPCS file for "
                     f"codes {what} after it.")
    return _answer("\n".join(lines), [record.code for record in found[:PAGE]],
                   ["CMS HCPCS Level II file (ADD DT, TERM DT)"], context)


def _answer(text: str, codes: list[str], citations: list[str], context: Any) -> Answer:
    return Answer(route="edits", answer=text, codes=[CodeLine(code=code) for code in codes], citations=citations,
                  warnings=list(getattr(context, "warnings", [])))


# --- MUE and PTP for a date of service --------------------------------------------------------------------------
_MUE = re.compile(r"\bMUEs?\b|medically unlikely", re.I)
_PTP = re.compile(r"\bPTP\b|\bNCCI\b|\bbundl|\btogether\b|column 2", re.I)


def answer_dated_edits_question(parsed: Any, context: Any, router: Any) -> Answer | None:
    """An MUE or PTP answer from the release in force on the date of service, or None (no date, or not one)."""
    text: str = getattr(parsed, "text", "") or ""
    typed = find_date_of_service(text)
    day = typed.day if typed is not None else getattr(context, "date_of_service", None)
    path = _edits_path(router)
    codes = [code.upper() for code in getattr(parsed, "codes", []) or []]
    if day is None or path is None or re.search(r"\bscrub\b|\bclaim\b|\bx\s*\d|\bunits?\b", text, re.I):
        return None
    setting = getattr(context, "setting", "professional") or "professional"
    history = EditsHistory(path)
    when = f"date of service {day.isoformat()}" + (f" (read from '{typed.words}')" if typed else "")
    if len(codes) == 1 and _MUE.search(text):
        entry, choice = history.mue_on(codes[0], day, setting)
        if choice.release is None:
            return _outside(codes, choice.note, context)
        head = f"**{codes[0]}, {when}: "
        body = (f"MUE {entry.value} (MAI {entry.mai}: {entry.mai_meaning})**" if entry is not None
                else "no MUE in this release**")
        text_out = f"{head}{body}\n\nFrom the {_label('mue', setting)} {choice.release.quarter} release " \
                   f"({choice.release.source}), the release in force on that date."
        return _dated(text_out, codes, choice.note, context, entry.citation if entry else None)
    if len(codes) == 2 and _PTP.search(text):
        found = history.ptp_on(codes[0], codes[1], day, setting)
        if found.choice.release is None:
            return _outside(codes, found.choice.note, context)
        release = found.choice.release
        if found.edit is None:
            body = f"**{codes[0]} and {codes[1]}, {when}: no PTP edit in the {release.quarter} release.**"
        else:
            edit = found.edit
            state = "" if found.in_force else f" The row's own dates: {found.row_dates}; it does not apply that day."
            body = (f"**{edit.column1} / {edit.column2}, {when}: modifier indicator {edit.modifier_indicator}** "
                    f"({describe_modifier_indicator(edit.modifier_indicator)}); {edit.rationale}.{state}"
                    + (f" (row dates: {found.row_dates})" if found.in_force and found.row_dates else ""))
        body += (f"\n\nFrom the {_label('ptp', setting)} {release.quarter} release ({release.source}), the release "
                 "in force on that date.")
        return _dated(body, codes, found.choice.note, context, found.edit.citation if found.edit else None)
    return None


def _label(kind: str, setting: str) -> str:
    return ("outpatient hospital " if setting == "facility" else "practitioner ") + kind.upper() + " table"


def _outside(codes: list[str], note: str, context: Any) -> Answer:
    answer = _answer(f"**No release in force on that date is loaded:** {note}.", codes, [], context)
    answer.warnings.append(note)
    return answer


def _dated(text: str, codes: list[str], note: str, context: Any, citation: str | None) -> Answer:
    answer = _answer(text + (f"\n\n_{note}._" if note else ""), codes, [citation] if citation else [], context)
    if note:
        answer.warnings.append(note)
    return answer


def dated_store(text: str, store: Any) -> tuple[Any, date | None]:
    """The store to scrub a claim with: as it stood on the date of service typed in `text` (EditsOnDate), or the
    store itself when no date is typed."""
    typed = find_date_of_service(text)
    if typed is None or store is None or getattr(store, "path", None) is None:
        return store, None
    return EditsOnDate(store, typed.day), typed.day
