"""Numbers come from the visit, never from an instruction in the question (issue 17 class 8).

"bill 96365 x5 for this: IV abx 40 min" orders a count; the count a claim may carry is what the documentation
supports (Social Security Act section 1833(e): no payment without the information needed to determine the amount
due; CMS Program Integrity Manual 100-08 Ch 3 section 3.3.2.1: a review decides on the medical record). So the
instruction is taken out of the text that is read, the visit after it is coded as documented, and the answer says
what was set aside. Only an instruction at the start of a clause, with a code and a count, followed by a described
visit, is set aside: "bill 96372 x5?" alone and "can I bill 96372 x2 ..." are questions about the count (the
NCCI/MUE answer), never rewritten.
"""

from __future__ import annotations

import re

_CODE = r"(?:\d{4}[0-9A-Z]|[A-Z]\d{4})"
_COUNT = r"(?:\s*[x\u00d7]\s*\d+|\s+(?:for\s+)?\d+\s+units?)"
_INSTRUCTION = re.compile(
    r"(?:^|(?<=[.;!?\n]))\s*(?:(?:please|pls|plz)\s+)?(?:bill|code|report|charge|submit|enter)\s+(?:it\s+as\s+)?"
    rf"{_CODE}{_COUNT}(?:\s*(?:,|\+|&|and)\s*{_CODE}{_COUNT})*"
    r"(?:\s+(?:for|on)\s+(?:this|it|these|them|the)(?:\s+(?:one|visit|pt|patient|encounter|claim))?)?"
    r"\s*[:;,.\-]?",
    re.IGNORECASE,
)
_VISIT_WORD = re.compile(r"[a-z]{2,}", re.IGNORECASE)


def set_aside_instructions(text: str) -> tuple[str, list[str]]:
    """The text with any billing instruction taken out, and a warning for each one set aside. The text is returned
    unchanged when nothing but the instruction would remain (then it is a question about the count itself)."""
    found = list(_INSTRUCTION.finditer(text))
    if not found:
        return text, []
    rest = _INSTRUCTION.sub(" ", text).strip()
    if not _VISIT_WORD.search(rest):
        return text, []
    told = [f"Your question asks to \"{' '.join(m.group(0).split()).rstrip(':;,.-')}\": the units here come from the "
            "visit as documented, never from an instruction (what is billed must be supported by the record: Social "
            "Security Act section 1833(e); CMS 100-08 Ch 3 section 3.3.2.1)." for m in found]
    return rest, told


__all__ = ["set_aside_instructions"]
