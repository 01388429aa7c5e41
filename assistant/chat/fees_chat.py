"""Physician Fee Schedule questions in the chat: global period, 26/TC, bilateral (50), assistant at surgery,
co-surgeons and team surgery, "is X payable by Medicare", the national payment; ASP drug payment limits; "was
J9035 valid in 2024"; and Medicare's 99211-with-drug-administration rule.

`Router.answer` calls `release_and_fee_answer(parsed, context, router)` (changes_chat's hooks, then
`answer_fee_question`) before the edits hook. It reads only
`parsed.text`/`parsed.codes`, `context` (payer, setting, warnings, date_of_service) and `router.edits` (its
`.path` is the edits database, where the PFS releases are) and `router.corpus`. It returns None unless the
question names a code and fee-schedule words, and never for MUE/PTP/scrub questions (edits_chat answers those).

Every PFS answer names the release it used and, for a date of service outside the loaded releases, says so.
The indicator meanings and their sources are edits/fee_indicators.py. Descriptions of CPT codes are never shown.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from assistant.chat.changes_chat import answer_changes_question, answer_dated_edits_question
from assistant.chat.dates import find_date_of_service
from assistant.contract import Answer, CodeLine
from assistant.corpus.payment_limits import payment_limit
from assistant.edits.fee_indicators import INDICATORS, describe
from assistant.edits.fees import FeeEntry, FeeStore, fee_store_beside
from assistant.edits.releases import ReleaseChoice, quarter_of

IMPORT_HINT = "python -m assistant import pfs PPRRVU.csv (the CMS PFS Relative Value File, CSV as published)"
MEDICARE_NOTE = ("The fee schedule indicators are Medicare's (CMS PFS Relative Value File); other payers may "
                 "follow their own policies.")
EM_DRUG_RULE = ("Medicare does not pay 99211 on the same day as a drug administration service (96360-96549) by the "
                "same practitioner, even with modifier 25 (100-04 Ch. 12 s30.6.7); any other E/M the same day needs "
                "a significant, separately identifiable service documented and modifier 25 on the E/M (100-04 Ch. 12 "
                "s30.6.6; NCCI Policy Manual Ch. XI).")

_TOPICS: dict[str, re.Pattern[str]] = {
    "global": re.compile(r"\bglobal(?:\s+(?:period|days|surgery|package))?\b|post-?op(?:erative)? period", re.I),
    "pctc": re.compile(r"\b(?:26|TC)\b.*\b(?:26|TC)\b|\bPC/TC\b|professional component|technical component|"
                       r"\bmodifier (?:26|TC)\b|\bwith (?:a |the )?(?:26|TC)\b|\b(?:26|TC) modifier\b", re.I),
    "bilateral": re.compile(r"bilateral|\bmodifier 50\b|\b50 modifier\b|-50\b|\b50 (?:allowed|on)\b|both sides|"
                            r"\bRT/LT\b", re.I),
    "assistant": re.compile(r"assist(?:ant)?(?: at)? surg|assistant surgeon|\bmodifier (?:80|81|82|AS)\b|"
                            r"\b(?:80|81|82|AS) (?:modifier|allowed|on)\b", re.I),
    "co_surgeons": re.compile(r"co-?surg|\bmodifier 62\b|\b62 (?:modifier|allowed|on)\b", re.I),
    "team": re.compile(r"team surg|\bmodifier 66\b|\b66 (?:modifier|allowed|on)\b", re.I),
    "payable": re.compile(r"\bpayable\b|paid by medicare|does medicare (?:pay|cover)|covered by medicare|"
                          r"status (?:code|indicator)|\bPFS status\b", re.I),
    "payment": re.compile(r"national payment|payment (?:amount|rate)|fee schedule (?:amount|payment)|how much does "
                          r"medicare pay|\bRVUs?\b|allowable|reimburse", re.I),
    "pfs": re.compile(r"\bPFS\b|physician fee schedule|fee schedule indicator", re.I),
}
_PAYMENT_LIMIT = re.compile(r"payment limit|\bASP\b|average sales price", re.I)
_VALID_IN = re.compile(r"\b(?:valid|active|billable|in effect|exist)\w*\b.*\b(?:in|for|during)\s+(?P<year>20\d\d)\b",
                       re.I)
_EDITS_WORDS = re.compile(r"\bMUE\b|\bPTP\b|\bNCCI\b|medically unlikely|\bscrub|\bclaim:|\bbundl\w* with|"
                          r"\bunits?\b|\bx\s*\d", re.I)
_DRUG_ADMIN = re.compile(r"^(?:963[6-9]\d|964\d\d|965[0-4]\d)$")

def fee_store(edits: Any) -> FeeStore | None:
    """The PFS store beside the edits tables (the same SQLite file), or None without an edits store."""
    return fee_store_beside(edits)


def release_words(choice: ReleaseChoice) -> str:
    """ "PFS 2025 Q4 release (file)" for the release used."""
    release = choice.release
    return f"PFS {release.quarter} release ({release.source})" if release is not None else "no PFS release"


def _money(value: float | None) -> str:
    return "not priced in this setting (NA)" if value is None else f"${value:,.2f}"


def _indicator_line(entry: FeeEntry, column: str) -> str:
    label, _ = INDICATORS[column]
    value = getattr(entry, column)
    return f"**{label} {value}**: {describe(column, value).meaning}"


def _global_text(entry: FeeEntry) -> str:
    text = _indicator_line(entry, "global_days")
    if entry.global_days in ("010", "090", "000") and (entry.pre_op or entry.intra_op or entry.post_op):
        text += (f". Shares of the global package: pre-op {entry.pre_op:.0%}, intra-op {entry.intra_op:.0%}, "
                 f"post-op {entry.post_op:.0%} (for split care with modifiers 54/55/56).")
    return text


def _pctc_text(entry: FeeEntry, rows: list[FeeEntry]) -> str:
    text = _indicator_line(entry, "pctc")
    listed = [row.modifier for row in rows if row.modifier in ("26", "TC")]
    if entry.pctc == "1":
        return text + f". The file prices {entry.code}-26 and {entry.code}-TC" + (
            "" if set(listed) == {"26", "TC"} else f" (rows listed: {', '.join(listed) or 'none'})") + "."
    return text + f". Do not append 26 or TC to {entry.code}."


_BILATERAL_HOW = {
    "0": "Do not use modifier 50. A procedure done on both sides is not paid as bilateral.",
    "1": "Bill one line with modifier 50 and 1 unit. Medicare pays 150% of the fee schedule amount. Some payers "
         "want RT and LT on two lines instead; follow the payer.",
    "2": "Bill it once with no 50 and no RT/LT pair. The code already covers both sides, so no 150% applies.",
    "3": "Bill each side, on RT and LT lines or with 2 units. Each side is paid at 100%; no 150% rule.",
    "9": "Bilateral billing rules do not apply to this code.",
}


def _topic_text(topic: str, entry: FeeEntry, rows: list[FeeEntry]) -> str:
    if topic == "global":
        return _global_text(entry)
    if topic == "pctc":
        return _pctc_text(entry, rows)
    if topic == "bilateral":
        return (_indicator_line(entry, "bilateral") + ". " + _BILATERAL_HOW.get(entry.bilateral, "")
                + " (100-04 Ch. 12 s40.7)")
    if topic == "assistant":
        return (_indicator_line(entry, "assistant") + ". Physicians bill assistant at surgery with 80, 81 or 82; a "
                "PA, NP or CNS with AS. Medicare pays 16% of the surgeon's amount (13.6% with AS) when allowed.")
    if topic in ("co_surgeons", "team"):
        return _indicator_line(entry, topic)
    if topic == "payable":
        verdict = "Yes" if entry.payable else "No"
        return (f"**{verdict}: status {entry.status}**: {describe('status', entry.status).meaning}. Covered services "
                "still need to meet Medicare's coverage rules.")
    if topic == "payment":
        return _payment_text(entry, rows)
    return ""


def _payment_text(entry: FeeEntry, rows: list[FeeEntry]) -> str:
    lines = []
    for row in [entry, *[row for row in rows if row.modifier in ("26", "TC")]]:
        name = f"{row.code}-{row.modifier}" if row.modifier else row.code
        lines.append(
            f"- **{name}**: non-facility {_money(row.national_payment(False))} ({row.total_rvu(False):.2f} RVUs: work "
            f"{row.work_rvu:.2f} + PE {row.pe_nonfacility:.2f} + MP {row.mp_rvu:.2f}); facility "
            f"{_money(row.national_payment(True))} ({row.total_rvu(True):.2f} RVUs, PE {row.pe_facility:.2f}); "
            f"conversion factor ${row.conversion_factor:.4f}"
        )
    note = ("These are national amounts, unadjusted: total RVUs x the conversion factor, before the locality's "
            "GPCIs, multiple-procedure, bilateral or other reductions, sequestration and the patient's coinsurance.")
    if entry.status not in ("A", "R", "T"):
        note = f"Status {entry.status}: {describe('status', entry.status).meaning}; no fee schedule amount. " + note
    return "\n".join(lines) + "\n\n" + note


def pfs_card(edits: Any, code: str, day: date | None = None) -> tuple[str, list[str]]:
    """The PFS facts a look-up adds for `code` (status, global, PC/TC, bilateral, assistant), or ("", [])."""
    store = fee_store(edits)
    if store is None or not store.loaded:
        return "", []
    choice = store.choose(day)
    entry = store.fee(code, day=day)
    if entry is None:
        return "", []
    # Indicators that do not apply (9, XXX) are left out: a drug code's card would be all "does not apply".
    facts = [_indicator_line(entry, column) for column in ("status", "global_days", "pctc", "bilateral", "assistant")
             if column == "status" or getattr(entry, column) not in ("9", "XXX")]
    return (f"**Medicare PFS ({entry.quarter} release):** " + "; ".join(facts) + "." +
            (f" _{choice.note}._" if choice.note else "")), [entry.citation]


def _topics(text: str) -> list[str]:
    return [topic for topic, pattern in _TOPICS.items() if pattern.search(text)]


# A second service named in words beside one code ("with a drug administration", "same day as an injection").
_WITH_ANOTHER_SERVICE = re.compile(r"\b(?:with|same day|together|plus)\b", re.IGNORECASE)


def release_and_fee_answer(parsed: Any, context: Any, router: Any) -> Answer | None:
    """The router's one hook for issue 19: changes between releases, MUE/PTP for a date of service, then the fee
    schedule questions; None when the question is none of them."""

    for hook in (answer_changes_question, answer_dated_edits_question, answer_fee_question):
        answer = hook(parsed, context, router)
        if answer is not None:
            return answer
    return None


def answer_fee_question(parsed: Any, context: Any, router: Any) -> Answer | None:
    """The PFS / ASP / validity answer for a fee-schedule question, or None when the question is not one."""
    text: str = getattr(parsed, "text", "") or ""
    codes = [code.upper() for code in getattr(parsed, "codes", []) or []]
    if not codes or _EDITS_WORDS.search(text):
        return None
    typed = find_date_of_service(text)
    day = typed.day if typed is not None else getattr(context, "date_of_service", None)
    if (len(codes) >= 2 and "99211" in codes and any(_DRUG_ADMIN.match(code) for code in codes)
            # A Medicare rule: asked for Medicare (words or request); a CPT claim gets the PTP answer.
            and (getattr(context, "payer", None) == "medicare" or re.search(r"\b(?:medicare|mcr)\b", text, re.I))
            and re.search(r"payable|paid|bill|allowed|together|same day|with", text, re.I)):
        return _answer("**No (Medicare): 99211 is not paid with a drug administration service the same day.**\n\n"
                           + EM_DRUG_RULE, codes, ["100-04 Ch. 12 s30.6.7"], context)
    year = _VALID_IN.search(text)
    if year and len(codes) == 1:
        return _validity_answer(codes[0], int(year["year"]), router, context)
    if _PAYMENT_LIMIT.search(text) and len(codes) == 1:
        return _payment_limit_answer(codes[0], router, context)
    topics = _topics(text)
    if not topics or len(codes) != 1:
        return None
    if topics == ["payable"] and _WITH_ANOTHER_SERVICE.search(text):
        # "is 99211 payable with a drug administration": the status code would say "payable" while the pair is not
        # (100-04 Ch. 12 s30.6.7); the guideline article answers the combination.
        return None
    return _pfs_answer(codes[0], topics, day, typed.words if typed else None, router, context)


def _answer(text: str, codes: list[str], citations: list[str], context: Any, warnings: list[str] | None = None
            ) -> Answer:
    return Answer(route="lookup", answer=text, codes=[CodeLine(code=code) for code in codes], citations=citations,
                  warnings=[*(warnings or []), *getattr(context, "warnings", [])])


def _pfs_answer(code: str, topics: list[str], day: date | None, typed: str | None, router: Any, context: Any
                ) -> Answer:
    store = fee_store(router.edits)
    if store is None or not store.loaded:
        return _answer(f"**The Medicare Physician Fee Schedule is not loaded**, so I cannot tell the {code} "
                       f"indicators. Import it with: `{IMPORT_HINT}`.", [code], [], context)
    choice = store.choose(day)
    when = f" for date of service {day.isoformat()}" if day else ""
    if choice.release is None:
        loaded = ", ".join(release.quarter for release in store.releases())
        return _answer(f"**No PFS release in force{when} is loaded** ({choice.note}). Loaded: {loaded}.",
                       [code], [], context, [choice.note])
    entry = store.fee(code, day=day)
    if entry is None:
        return _answer(f"**{code} is not in the {release_words(choice)}**{when}: the Medicare fee schedule does not "
                       "list it (check the code, or the release for the date of service).", [code], [], context)
    rows = store.modifiers(code, day=day)
    if "pfs" in topics and len(topics) == 1:
        topics = ["payable", "global", "pctc", "bilateral", "assistant", "co_surgeons", "team", "payment"]
    body = [_topic_text(topic, entry, rows) for topic in topics if topic != "pfs"]
    head = f"**{code}, {release_words(choice)}{when}**"
    if typed:
        head += f" (read from '{typed}')"
    warnings = [choice.note] if choice.note else []
    payer_note = "" if getattr(context, "payer", "") == "medicare" else f"\n\n{MEDICARE_NOTE}"
    text = head + "\n\n" + "\n\n".join(part for part in body if part) + payer_note
    if choice.note:
        text += f"\n\n_{choice.note}._"
    citations = [entry.citation, *dict.fromkeys(describe(column, getattr(entry, column)).source
                                                for column in _COLUMNS_OF.get(topics[0], ()))]
    return _answer(text, [code], citations, context, warnings)


_COLUMNS_OF = {"global": ("global_days",), "pctc": ("pctc",), "bilateral": ("bilateral",),
               "assistant": ("assistant",), "co_surgeons": ("co_surgeons",), "team": ("team",),
               "payable": ("status",), "payment": ("status",)}


def _payment_limit_answer(code: str, router: Any, context: Any) -> Answer:
    data_dir = Path(getattr(router.edits, "path", ".")).parent if getattr(router, "edits", None) else None
    limit = payment_limit(data_dir, code) if data_dir is not None else None
    if limit is None:
        return _answer(f"**No Medicare payment limit for {code} is loaded.** The ASP payment-limit file lists Part B "
                       "drugs by quarter; import the current one with `python -m assistant import asp FILE`.",
                       [code], [], context)
    warnings = []
    quarter = re.search(r"Q([1-4])\D*(20\d\d)|(20\d\d)\D*Q([1-4])", limit.release or "")
    if quarter:
        loaded = f"{quarter[2] or quarter[3]} Q{quarter[1] or quarter[4]}"
        if loaded != quarter_of(date.today()):
            warnings.append(f"The loaded ASP file is for {loaded}; this quarter is {quarter_of(date.today())}: import "
                            "the current quarter's file for claims with dates of service now.")
    return _answer(
        f"**{code}: Medicare payment limit ${limit.amount:,.3f} per billing unit ({limit.dosage})**, "
        f"{limit.release or 'quarter not named in the file'} ASP file ({limit.file}). The limit is per HCPCS billing "
        "unit (ASP + 6% by statute, before sequestration); Medicare pays 80% of it after the deductible.",
        [code], [f"CMS ASP Medicare Part B drug payment limits, {limit.release or 'quarter unknown'} ({limit.file})"],
        context, warnings,
    )


def _validity_answer(code: str, year: int, router: Any, context: Any) -> Answer:
    corpus = router.corpus
    record = corpus.get(code)
    if record is None:
        retired = getattr(corpus, "terminated", None)
        record = retired(code) if callable(retired) else None
    cpt = code[:1].isdigit()
    if record is None and not cpt:
        return _answer(f"**{code}: not in the loaded code sets**, so I cannot tell whether it was valid in {year}. "
                       "Import the CMS HCPCS file (`python -m assistant import hcpcs FILE`).", [code], [], context)
    added, ended = getattr(record, "added_on", None), getattr(record, "terminated_on", None)
    start, end = date(year, 1, 1), date(year, 12, 31)
    if added is None and ended is None and cpt:
        return _answer(f"**{code} is a CPT code: its valid dates come from the AMA's yearly CPT release**, which the "
                       f"project does not ship, so I cannot say whether it was valid in {year}. Check the CPT "
                       "release for that year.", [code], [], context)
    if added is None and ended is None:
        return _answer(f"**{code}: the loaded data has no add or termination date for it**, so I cannot say whether "
                       f"it was valid in {year}. Import the CMS HCPCS file (`python -m assistant import hcpcs FILE`): "
                       "its ADD DT and TERM DT answer it.", [code], [], context)
    valid = (added is None or added <= end) and (ended is None or ended >= start)
    parts = []
    if added is not None:
        parts.append(f"added {added.isoformat()}")
    if ended is not None:
        parts.append(f"terminated {ended.isoformat()} (the last date of service it may be billed)")
    if valid and ((added is not None and added > start) or (ended is not None and ended < end)):
        verdict = f"Partly: valid for only part of {year}"
    else:
        verdict = "Yes" if valid else "No"
    return _answer(f"**{verdict}: {code} in {year}.** CMS HCPCS file: {', '.join(parts)}.", [code],
                   ["CMS HCPCS Level II file (ADD DT, TERM DT)"], context)
