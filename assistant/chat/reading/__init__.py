"""Reading a coder's question (issue 10): tokens with spans -> typed spans -> services, never guessing a number.

    from assistant.chat.reading import read, read_services
    read("critical care 1 hour 30").of(Duration)   # [Duration(surface="1 hour 30", minutes=90, ...)]
    read_services("zofran 4 mg IVP and toradol 30 mg IVP")  # two Service rows, each with its drug and dose

Modules: `tokens` (tokenizer, composed number words), `spans` (composition rules, typed spans, problems),
`services` (the `Service` rows), `cues` (family cues as data; RULES may append rows), `vocabulary` (closed word
lists), `switches` (payer, setting and other small switches), `timing` (which times count), `followup`,
`question` (`ParsedQuestion`), `problems` (typed problems), `trail` (the answer's reading trail).
"""

from assistant.chat.reading.problems import Problem
from assistant.chat.reading.services import Service, read_services
from assistant.chat.reading.spans import (
    BodySurfaceArea,
    ClockPoint,
    ClockRange,
    Code,
    Count,
    Dose,
    Duration,
    Negation,
    Reading,
    Route,
    Weight,
    read,
)

__all__ = [
    "BodySurfaceArea", "ClockPoint", "ClockRange", "Code", "Count", "Dose", "Duration", "Negation", "Problem",
    "Reading", "Route", "Service", "Weight", "read", "read_services",
]
