"""The router's hook for diagnosis, coverage and place-of-service questions (issue 18).

`Router.answer` calls `diagnosis_hook` before the edits, units and look-up routes. It answers, first that applies:
1. a place-of-service question ("POS 19", "what is POS 22", "POS for telehealth in the patient's home")
2. a coverage question ("is J1439 covered for D50.9 in Texas", "which diagnoses cover 93880 in Florida")
3. an ICD-10-CM code typed without a CPT/HCPCS code -> the diagnosis look-up
4. words asking for a diagnosis code without a CPT/HCPCS code -> the diagnosis search
and returns None for everything else (a procedure question, a units question), which the router answers as before.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.chat.coverage import coverage_hook
from assistant.chat.diagnosis import (
    asks_for_diagnosis,
    diagnosis_lookup_answer,
    diagnosis_search_answer,
    typed_diagnosis_codes,
)
from assistant.chat.pos import pos_answer
from assistant.contract import Answer

_RULE_QUESTION = re.compile(r"\brules?\b|\bvs\.?\b|\bversus\b|\bdifference\b", re.IGNORECASE)


def diagnosis_hook(router: Any, parsed: Any, context: Any) -> Answer | None:
    """The answer for a diagnosis, coverage or POS question, or None when the question is none of those."""
    text = parsed.text
    if parsed.has_quantity:
        return None

    # "POS 10 vs 02, what's the rule" asks the telehealth rule (the guideline article), not one code's card.
    pos = None if _RULE_QUESTION.search(text) else pos_answer(text)
    if pos is not None:
        return _with_warnings(pos, context)

    coverage = coverage_hook(router, parsed, context)
    if coverage is not None:
        return _with_warnings(coverage, context)
    if parsed.codes:
        return None  # a procedure code: look-up, edits or units as before (the diagnosis stays in the trail)
    codes = typed_diagnosis_codes(text)
    if codes:
        return _with_warnings(diagnosis_lookup_answer(codes), context)
    if asks_for_diagnosis(text):
        return _with_warnings(diagnosis_search_answer(text, data_dir=getattr(router, "data_dir", None)), context)
    return None


def _with_warnings(answer: Answer, context: Any) -> Answer:
    answer.warnings.extend(getattr(context, "warnings", ()))
    return answer
