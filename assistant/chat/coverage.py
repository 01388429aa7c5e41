"""Coverage answers from the MCD billing articles (issue 18 item 2).

"is J1439 covered for D50.9 in Texas": the billing articles of Texas's MAC that list J1439, whether D50.9 is in a
covered group or on the non-covered list, the group's rule text, article number, title, version and dates.
"which diagnoses cover 93880 in Florida": the covered diagnoses of each such article, 25 a page ("page 2").
"Not listed in any article for this MAC" is said as that, never as "not covered": a national coverage
determination (NCD), the LCD itself or no written policy at all may apply (mcd.md; CMS Program Integrity Manual
100-08 Ch. 13 Sec. 13.1.3: billing articles carry the coding, LCDs the coverage).
The state comes from the question's words, else the request (`AskRequest.state`), else `ASSISTANT_DEFAULT_STATE`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from assistant.chat.diagnosis import diagnosis_reading_steps
from assistant.chat.reading.text import escape_user_text
from assistant.contract import Answer, CodeLine
from assistant.corpus.codes import find_icd10_codes

IMPORT_HINT = "`python -m assistant import mcd PATH` (the MCD 'current article' download, zip or folder)"
PAGE_SIZE = 25
MCD_SOURCE = "CMS Medicare Coverage Database (MCD) downloads: billing and coding articles"

STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky",
    "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "VI": "Virgin Islands", "GU": "Guam", "AS": "American Samoa", "MP": "Northern Mariana Islands",
}
_STATE_NAMES = {name.casefold(): abbrev for abbrev, name in STATES.items()}
_STATE_NAME = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(_STATE_NAMES, key=len, reverse=True))
                         + r")\b", re.IGNORECASE)
# A two-letter abbreviation counts only in capitals after "in"/"for"/a comma ("covered in TX"): "in" or "me" in
# lower case are words.
_STATE_ABBREV = re.compile(r"(?:\bin|\bfor|,)\s+([A-Z]{2})\b")

# "cover" alone is also a bundling word ("does 96365 cover the hydration"): it asks for coverage only after a
# diagnosis word ("which diagnoses cover 93880").
_PAYABLE = re.compile(r"\bpayable\b", re.IGNORECASE)
_ASKS_COVERAGE = re.compile(r"\b(?:covered|coverage|lcd|ncd|medical(?:ly)? necess\w*)\b"
                            r"|\b(?:diagnos\w*|dx|icd[\w-]*)\b.{0,40}\b(?:covers?|support(?:s|ed)?)\b", re.IGNORECASE)
_ASKS_LIST = re.compile(r"\b(?:which|what|list|all)\b.{0,30}\b(?:diagnos\w*|dx|icd(?:-?10)?(?: codes?)?)\b"
                        r"|\bcovered (?:diagnos\w*|dx|icd)", re.IGNORECASE)
_ASKS_DIAGNOSES_FOR_CODE = re.compile(r"\b(?:icd(?:-?10)?|dx|diagnos[ie]s)\s+codes?\b.{0,40}\b(?:for|with|go)\b",
                                     re.IGNORECASE)
_PAGE = re.compile(r"\bpage\s+(\d{1,4})\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def state_in(text: str) -> str | None:
    """The state a question names ("in Texas", "for TX"), as its two-letter abbreviation."""
    match = _STATE_NAME.search(text)
    if match:
        return _STATE_NAMES[match.group(1).casefold()]
    for abbreviation in _STATE_ABBREV.findall(text):
        if abbreviation in STATES:
            return abbreviation
    return None


def asks_coverage(text: str) -> bool:
    """Coverage words, or "payable" beside a typed diagnosis ("is J1439 payable for D50.9"): "payable" alone asks
    the fee schedule's status or a payment rule ("is 99211 payable with a drug administration"), not an article."""
    if _PAYABLE.search(text) and find_icd10_codes(text):
        return True
    return bool(_ASKS_COVERAGE.search(text))


def plain(paragraph: str) -> str:
    """An MCD group paragraph (HTML) as one plain line."""
    return " ".join(_TAG.sub(" ", html.unescape(html.unescape(paragraph or ""))).split())


def _dx(code: str) -> str:
    """A bare ICD-10-CM code from the store with its dot ("D509" -> "D50.9"); ranges keep their dash."""
    return "-".join(part if len(part) <= 3 or "." in part else f"{part[:3]}.{part[3:]}" for part in code.split("-"))


def _dates(match: Any) -> str:
    ends = f", ends {match.ends}" if match.ends else ""
    return f"version {match.version}, effective {match.effective or 'date not in the file'}{ends}"


def _article_heading(match: Any) -> str:
    lcds = f"; related LCD {', '.join(f'L{n}' for n in match.lcds)}" if match.lcds else ""
    return (f"### {match.number}: {match.title}\n\n{', '.join(match.contractors) or 'contractor not in the file'}; "
            f"{_dates(match)}{lcds}.")


def _not_loaded() -> Answer:
    message = f"The Medicare coverage tables (MCD) are not loaded: import them with {IMPORT_HINT}"
    return Answer(route="lookup", answer=f"**{message}.**", warnings=[message])


def _ask_state(code: str) -> Answer:
    message = (f"Which state (or MAC)? Coverage of {code} depends on the Medicare contractor for the state where the "
               "service is given: add it to the question (*in Texas*), choose it in the chat, or set "
               "ASSISTANT_DEFAULT_STATE")
    return Answer(route="help", answer=f"**{message}.**", warnings=[message])


def coverage_answer(store: Any, code: str, state: str, diagnosis: str | None) -> Answer:
    """Is `code` covered for `diagnosis` in `state`: each billing article of the state's MAC listing the code."""
    where = _place(store, state)
    matches = store.articles_for_code(code, state, diagnosis)
    citations = [MCD_SOURCE]
    if not matches:
        lead = (f"{code} is not listed in any billing article for this MAC ({where}). That is not 'not covered': a "
                "national coverage determination (NCD), an LCD without a billing article, or no written policy may "
                "apply; the claim is then decided on medical necessity in the record")
        return Answer(route="lookup", answer=f"**{lead}.**", codes=[CodeLine(code=code)], warnings=[lead],
                      citations=citations)
    sections = []
    statuses = []
    for match in matches:
        parts = [_article_heading(match)]
        if match.code_rule:
            parts.append(f"**{code} is in HCPCS/CPT group {match.code_group}:** {plain(match.code_rule)}")
        if diagnosis:
            status = match.diagnosis_status
            statuses.append(status)
            if status == "covered":
                parts.append(f"**{diagnosis}: in covered Group {match.diagnosis_group}.** "
                             f"{plain(match.group_rule) or 'The group has no paragraph in the file.'}")
            elif status == "non-covered":
                parts.append(f"**{diagnosis}: on the non-covered list (group {match.diagnosis_group}).** "
                             f"{plain(match.group_rule)}")
            else:
                parts.append(f"**{diagnosis}: not listed in this article** (neither covered nor non-covered): "
                             "that is not a statement that it is not covered; the article does not list it.")
        sections.append("\n\n".join(parts))
        citations.append(f"MCD billing article {match.number} v{match.version}: {match.title}")
    if diagnosis:
        lead = _lead(code, diagnosis, where, matches, statuses)
    else:
        lead = (f"{code} is listed in {len(matches)} billing article(s) for {where}. Ask *which diagnoses cover "
                f"{code}* for the covered list.")
    warnings = [lead] if diagnosis and "covered" not in statuses else []
    codes = [CodeLine(code=code, description=matches[0].title)]
    if diagnosis:
        codes.append(CodeLine(code=diagnosis, description=statuses[0] if statuses else ""))
    return Answer(route="lookup", answer=f"**{lead}**\n\n" + "\n\n".join(sections) + f"\n\n_Source: {MCD_SOURCE}._",
                  codes=codes, citations=citations, warnings=warnings)


def _lead(code: str, diagnosis: str, where: str, matches: Sequence[Any], statuses: Sequence[str]) -> str:
    articles = ", ".join(m.number for m in matches)
    if "covered" in statuses:
        covered = [m for m in matches if m.diagnosis_status == "covered"]
        rule = " Read the group's rule below: it may require a second code." if any(
            re.search(r"\bgroup\s+\d+\b.*\bgroup\s+\d+\b", plain(m.group_rule), re.IGNORECASE) for m in covered) else ""
        return (f"{code} with {diagnosis} in {where}: covered: listed in a covered group of "
                f"{', '.join(m.number for m in covered)}.{rule}")
    if "non-covered" in statuses:
        return f"{code} with {diagnosis} in {where}: not covered: on the non-covered list of {articles}."
    return (f"{code} with {diagnosis} in {where}: {diagnosis} is not listed in the billing article(s) that list {code} "
            f"({articles}). Not listed is not the same as not covered, but these articles do not support it.")


def covered_list_answer(store: Any, code: str, state: str, page: int) -> Answer:
    """The covered diagnoses of each billing article of the state's MAC listing `code`, one page at a time."""
    matches = store.articles_for_code(code, state)
    where = _place(store, state)
    if not matches:
        return coverage_answer(store, code, state, None)
    sections, codes = [], [CodeLine(code=code, description=matches[0].title)]
    offset = (max(page, 1) - 1) * PAGE_SIZE
    last_page = 1
    for match in matches:
        listing = store.covered_diagnoses(match, offset=offset, limit=PAGE_SIZE)
        pages = max(1, -(-listing.total // PAGE_SIZE))
        last_page = max(last_page, pages)
        rows = ["| Diagnosis | Group | Description |", "|---|---|---|"]
        rows += [f"| {_dx(c)} | {g} | {d} |" for c, g, d in listing.rows]
        codes.extend(CodeLine(code=_dx(c), description=d) for c, _, d in listing.rows)
        groups = [f"- Group {g}: {plain(p)}" for g, p in listing.groups.items() if p]
        shown = (f"{listing.offset + 1}-{listing.offset + len(listing.rows)} of {listing.total}" if listing.rows
                 else f"none on page {page} ({listing.total} in all)")
        sections.append("\n\n".join([_article_heading(match), f"Covered diagnoses {shown} (page {page} of {pages}):",
                                     "\n".join(rows), *(["**Group rules:**\n" + "\n".join(groups)] if groups else [])]))
    more = f" Ask *page {page + 1}* for more." if page < last_page else ""
    lead = f"Diagnoses that cover {code} in {where}, from {len(matches)} billing article(s).{more}"
    citations = [MCD_SOURCE, *(f"MCD billing article {m.number} v{m.version}" for m in matches)]
    return Answer(route="lookup", answer=f"**{lead}**\n\n" + "\n\n".join(sections) + f"\n\n_Source: {MCD_SOURCE}._",
                  codes=codes, citations=citations)


def resolve_state(text: str, context: Any, store: Any = None) -> str | None:
    """Where the coverage applies: a state the words name, else a MAC the words name ("for Novitas", "NGS"), else
    the request's or the default state (which may itself be a MAC's name). A state abbreviation or a MAC name."""
    found = state_in(text)
    if found is None and store is not None:
        found = store.mac_in(text)
    if found is not None:
        return found
    requested = getattr(context, "state", None)
    if not requested:
        return None
    named = state_in(f"in {requested.strip()}") or state_in(requested)
    if named is None and store is not None and requested.strip().upper() not in STATES:
        named = store.mac_in(requested) or requested
    return named or requested.strip().upper()


def _place(store: Any, where: str) -> str:
    """"Texas (Novitas Solutions, Inc. (04112))", or the MAC's name when the question named a MAC."""
    contractors = "; ".join(store.contractors(where)) or "no contractor in the file"
    return f"{STATES[where]} ({contractors})" if where in STATES else contractors


def coverage_hook(router: Any, parsed: Any, context: Any) -> Answer | None:
    """A coverage answer when the question asks about coverage of a procedure code, else None."""
    text = parsed.text
    # "which diagnoses cover 93880", "is J1439 covered for D50.9", and "what dx codes go with 93880": the
    # diagnoses that go with a procedure code are the billing articles' lists.
    if not parsed.codes or not (asks_coverage(text) or _ASKS_DIAGNOSES_FOR_CODE.search(text)):
        return None
    store = getattr(router, "coverage", None)
    if store is None or not store.loaded:
        return _not_loaded()
    code = parsed.codes[0]
    state = resolve_state(text, context, store)
    if state is None:
        return _ask_state(code)
    if not store.contractors(state):
        message = (f"No Medicare contractor in the imported MCD tables covers '{escape_user_text(state)}': name a US "
                   "state (*in Texas*, *TX*) or a MAC (*Novitas*, *Noridian*)")
        return Answer(route="help", answer=f"**{message}.**", warnings=[message])
    diagnoses = find_icd10_codes(text)
    if diagnoses and not _ASKS_LIST.search(text):
        return coverage_answer(store, code, state, diagnoses[0])
    page_match = _PAGE.search(text)
    return covered_list_answer(store, code, state, int(page_match.group(1)) if page_match else 1)


def coverage_lines(store: Any, codes: Sequence[str], diagnoses: Sequence[str], state: str | None) -> list[str]:
    """One coverage line per (procedure code, diagnosis) for a units, encounter or scrub answer that carries a
    diagnosis, when the MCD tables are loaded and a state is known; [] otherwise."""
    if store is None or not store.loaded or not state or not diagnoses:
        return []
    lines = []
    for code in codes:
        for diagnosis in diagnoses:
            matches = store.articles_for_code(code, state, diagnosis)
            if not matches:
                lines.append(f"Coverage: {code} is not listed in any billing article for this MAC ({state}); not the "
                             "same as not covered.")
                continue
            statuses = {m.number: m.diagnosis_status for m in matches}
            lines.append(f"Coverage ({state}): {code} with {diagnosis}: " + "; ".join(
                f"{status} in {number}" for number, status in statuses.items()) + ".")
    return lines


def add_diagnosis_context(answer: Answer, text: str, router: Any, context: Any) -> None:
    """A diagnosis typed next to a procedure ("96413 for C50.911") is kept in the reading trail, and a units,
    encounter or scrub answer carrying one gets a coverage line per code when the MCD tables are loaded."""

    steps = diagnosis_reading_steps(text)
    if not steps:
        return
    known = {(step.kind, step.text) for step in answer.reading}
    answer.reading.extend(step for step in steps if (step.kind, step.text) not in known)
    if answer.route not in ("units", "edits"):
        return
    procedures = [line.code for line in answer.codes if line.units]
    store = getattr(router, "coverage", None)
    lines = coverage_lines(store, procedures, [s.text for s in steps],
                           resolve_state(text, context, store if store is not None and store.loaded else None))
    answer.warnings.extend(lines)
