"""Visit cues of issue 17 as a closed vocabulary: the words that state the primary reason for a professional visit,
a port flush, an on-body injector and a further subcutaneous pump set-up. Read from a service's own words.

Sources of the rules these cues trigger (the encounter engine codes them, `assistant/units/encounter`):
- primary reason: CPT, the initial code is "the key or primary reason for the encounter ... irrespective of the
  temporal order" (AAPC Onc Alert 171590; ../shared/notes/encounters.md A2);
- port flush: 96523 only as the day's only service (encounters.md A8);
- on-body injector: 96377 (CMS billing article A54682);
- further pump set-up: +96371 for a later extra pump set-up with new sites (rules.md 1).
"""

from __future__ import annotations

import re

from assistant.chat.reading.vocabulary import PORT_FLUSH_VERB

# "(primary reason)", "main reason for the visit", "reason for visit": the service whose words say it.
_REASON = re.compile(r"\b(?:primary|main|chief|principal|key)\s+reason\b|\breason\s+for\s+(?:the\s+)?"
                     r"(?:visit|encounter|appt|appointment)\b", re.I)
# "pt came in for toradol IVP", "here for IV abx": the reason is what the next words name.
_CAME_FOR = re.compile(r"\b(?:came|comes|come|presented|presents|here|seen|scheduled)\s+(?:in\s+)?for\s+", re.I)
_SERVICE_WORDS = re.compile(r"^(?:(?:her|his|their|the|a|an|scheduled|weekly|daily|monthly)\s+)*"
                            r"(?:iv\b|ivp\b|ivpb\b|im\b|sc\b|subq\b|infusion|injection|push|chemo|hydration|fluids|"
                            r"abx|antibiotics?)", re.I)
_BEFORE_NEGATION = re.compile(r"\b(?:not|no|unclear|unknown|undocumented|unsure|n/a|which)\b[^,;()]{0,20}$", re.I)
_AFTER_NEGATION = re.compile(r"^[^,;()]{0,20}\b(?:not|unclear|unknown|undocumented|unsure)\b", re.I)

_PORT = r"(?:port|port-?a-?cath|mediport|power\s?port|implanted\s+port)"
_FLUSH = PORT_FLUSH_VERB
_PORT_FLUSH = re.compile(rf"\b{_PORT}\s+(?:was\s+)?{_FLUSH}\b|\b{_FLUSH}\s+(?:of\s+)?"
                         rf"(?:(?:the|her|his|their|pt'?s|patient'?s)\s+)?{_PORT}\b", re.I)
_ON_BODY = re.compile(r"\bon[- ]?body(?:\s+injector)?\b|\bonpro\b", re.I)
_SETUP = re.compile(r"\b(?:second|2nd|third|3rd|another|additional|extra|new)\s+(?:sc\s+|subq\s+)?pump\b"
                    r"|\b(?:second|2nd|additional|another|new)\s+(?:pump\s+)?set[- ]?up\b"
                    r"|\bpump\s+(?:set[- ]?up\s+|re-?sited\s+)?again\b", re.I)
_NEGATED = re.compile(r"\b(?:no|not|without|w/o|never)\s+(?:a\s+|an\s+|the\s+)?$", re.I)


def _stated(pattern: re.Pattern[str], words: str) -> re.Match[str] | None:
    """The first match of `pattern` in `words` that no negation word right before it cancels."""
    for match in pattern.finditer(words):
        if not _NEGATED.search(words[:match.start()][-12:]):
            return match
    return None


def states_primary_reason(words: str, drug: str | None = None) -> bool:
    """The service's words state that it was the primary reason for the visit ("toradol IVP (primary reason)",
    "pt came in for toradol IVP"); "primary reason not documented" and "which was the primary reason?" do not."""
    for match in _REASON.finditer(words):
        if not _BEFORE_NEGATION.search(words[:match.start()]) and not _AFTER_NEGATION.search(words[match.end():]):
            return True
    for match in _CAME_FOR.finditer(words):
        after = words[match.end():]
        if _BEFORE_NEGATION.search(words[:match.start()]):
            continue
        if (drug and after.casefold().startswith(drug.casefold())) or _SERVICE_WORDS.match(after):
            return True
    return False


def port_flush(words: str) -> bool:
    """The words name a flush (irrigation) of an implanted port ("port flush", "flushed the port")."""
    return _stated(_PORT_FLUSH, words) is not None


def on_body_injector(words: str) -> bool:
    """The words name an on-body injector ("on-body injector applied", "Neulasta Onpro")."""
    return _stated(_ON_BODY, words) is not None


def added_pump_setup(words: str) -> bool:
    """The words name a further pump set-up ("second pump set up with new sites", "another pump"); sites placed
    at the first set-up ("2 sites") are not one."""
    return _stated(_SETUP, words) is not None


def visit_service(words: str) -> bool:
    """A port flush or an on-body injector: a service the encounter engine codes even with no drug route."""
    return port_flush(words) or on_body_injector(words)


__all__ = ["added_pump_setup", "on_body_injector", "port_flush", "states_primary_reason", "visit_service"]
