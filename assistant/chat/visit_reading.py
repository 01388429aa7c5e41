"""One reading of a question's visit per answer: the services the reader finds (tokens, relations, encounter
services), shared by every step of the answer that needs them.

The router's encounter hooks, the units route and the answer's reading trail all need the services of the question.
Reading is deterministic, so reading again gave the same answer, but it did the work two or three times per question
and left the trail free to describe a reading the engine did not use. A `VisitReading` lives on the answer's
`RouteContext` (a new one per `Assistant.ask`), so it is scoped to one answer and holds only what that answer read:
nothing is kept between answers, nothing is shared between answers running at once, nothing grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.chat.reading.question import ParsedQuestion
from assistant.chat.reading.services import DrugFinder, Service, read_services


@dataclass
class VisitReading:
    """The services read for one answer, by the reading's two inputs: the question's words and the drug finder.
    One answer reads one text; two when a numbered rule name is re-read without its number (guidelines_chat:
    "the 8 minute rule for 38 minutes" is counted as "for 38 minutes", the trail shows the words as typed)."""

    read: dict[tuple[str, DrugFinder], tuple[Service, ...]] = field(default_factory=dict)

    def services(self, parsed: ParsedQuestion, drugs: DrugFinder) -> list[Service]:
        """The services of `parsed`, read on the first call and the same ones after (a new list each time: a caller
        that edits its list leaves the others' alone; `Service` is frozen)."""
        key = (parsed.text, drugs)
        found = self.read.get(key)
        if found is None:
            found = self.read[key] = tuple(read_services(parsed.text, drugs))
        return list(found)


__all__ = ["VisitReading"]
