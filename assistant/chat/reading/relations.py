"""Relations between the administrations of one visit (issue 17 class 4): what the words say about how drugs were
given together, read as typed relations between services.

- **mixed with**: "dex + zofran mixed in one syringe", "in one bag": one administration carrying several drugs.
- **carrier of**: "NS 1000-1030 as the carrier fluid for gemzar", "in 50 mL NS", "with NS as carrier": the fluid a
  drug was given in is its carrier, never hydration (NCCI-XI B.5).
- **piggybacked into**: "rocephin IVPB 0915-0945 piggybacked into the NS": the drug keeps its own range; the named
  fluid is a reference to the running line, never this drug's category.
- **concurrent with**: "with leucovorin running concurrently", "Y-site", "at the same time": the drugs share a range.
- **included in**: "NS flush", "port accessed" beside a drug administration: part of it (CPT drug administration
  notes), never a drug or hydration of its own.

Two steps around the service reader: `find_cues` reads the cue phrases (`vocabulary.RELATION_CUES`) and hides the
words that are only relations (the fluid a drug is diluted in, a flush, "piggybacked into the NS") from it, adding a
cut where a relation joins two services; `relate` then adds the fluids and flushes as their own services and links
every service to the one the words name. The encounter engine codes the relations (units/encounter/relations.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

from assistant.chat.reading.typed import ClockPoint, ClockRange, Duration, Negation, Reading, Route, Separator
from assistant.chat.reading.vocabulary import FLUID_WORDS, FLUSH_TAIL, RELATION_CUES, WITH_WORDS

DrugMentions = list[tuple[str, tuple[int, int], str | None]]


@dataclass(frozen=True)
class Relation:
    """A typed relation of one service to another of the same question (by its index in the services read)."""

    kind: str  # "mixed_with" | "carrier_of" | "piggybacked_into" | "concurrent_with" | "included_in"
    other: int
    cue: str  # the words that said so, as typed


@dataclass(frozen=True)
class Cue:
    kind: str  # a key of RELATION_CUES, or "carrier_self" / "piggyback_cut" / "with"
    span: tuple[int, int]
    words: str  # as typed
    fluid: str | None = None  # the fluid or flush named, as typed


@dataclass(frozen=True)
class Cues:
    found: tuple[Cue, ...]
    reading: Reading  # the question with the relation-only words hidden and the relation cuts added
    drugs: DrugMentions  # the drug mentions outside the hidden words


_PATTERNS = {kind: re.compile(r"(?<![\w/])(?:" + pattern + r")") for kind, pattern in RELATION_CUES.items()}
_FLUID = re.compile(r"(?<![\w/])" + FLUID_WORDS + r"(?![\w/])")
_FLUID_ONLY = re.compile(FLUID_WORDS + r"(?:\s+\d+)?")
_CARRIER_WORD = re.compile(r"\b(?:as\s+|is\s+|was\s+)?(?:the\s+|a\s+)?(?:carrier|vehicle)\b")
_WITH = re.compile(r"(?<![\w/])" + WITH_WORDS + r"\s+(?:the\s+)?")
_VERB = re.compile(r"\S+\s+")
_AS = re.compile(r"\s+(?:as|with)\s+(?:the\s+)?")
_FLUSH_TAIL = re.compile(r"\s+" + FLUSH_TAIL + "$")


def is_fluid(words: str | None) -> bool:
    """The words name a fluid (NS, LR, D5W ...), never a drug of the visit."""
    return bool(words) and bool(_FLUID_ONLY.fullmatch((words or "").strip().lower()))


@dataclass
class _Found:
    """The cues found so far, the words hidden from the service reader and the cuts added (one question)."""

    reading: Reading
    drugs: DrugMentions
    cues: list[Cue] = field(default_factory=list)
    hidden: list[tuple[int, int]] = field(default_factory=list)
    cuts: list[tuple[int, int]] = field(default_factory=list)

    def add(self, kind: str, span: tuple[int, int], hide: tuple[int, int] | None = None,
            fluid: tuple[int, int] | None = None, cut: bool = False) -> None:
        text = self.reading.text
        self.cues.append(Cue(kind, span, text[span[0]:span[1]].strip(), text[fluid[0]:fluid[1]] if fluid else None))
        if hide is not None:
            self.hidden.append(hide)
        if cut:
            self.cuts.append(hide or span)

    def taken(self, span: tuple[int, int]) -> bool:
        return any(a < span[1] and span[0] < b for a, b in self.hidden)

    @property
    def real(self) -> list[tuple[int, int]]:
        """The spans of the drugs named that are not fluids."""
        return [span for words, span, _c in self.drugs if not is_fluid(words)]


def find_cues(reading: Reading, drugs: DrugMentions) -> Cues:
    """The relation cues of a question, and the reading the service reader should see (see the module doc)."""
    low = reading.low
    if not any(p.search(low) for p in _PATTERNS.values()) and not _WITH.search(low):
        return Cues((), reading, _off_the_clock(reading, drugs))
    found = _Found(reading, drugs)
    parts = _parts(reading)
    for step in (_carriers, _piggybacks, _included, _diluents, _mixtures_and_concurrency, _with_a_drug):
        step(found, parts)
    if not found.cues:
        return Cues((), reading, _off_the_clock(reading, drugs))
    masked = _hide(reading, found.hidden, found.cuts)
    kept = [d for d in drugs if not any(a < d[1][1] and d[1][0] < b for a, b in found.hidden)]
    return Cues(tuple(found.cues), masked, _off_the_clock(masked, kept))


_BESIDE = re.compile(r"(?:with|via|through|in|using|on)\s")


def _carriers(found: _Found, parts: list[tuple[int, int]]) -> None:
    """"NS 1000-1030 as the carrier fluid for gemzar" (a cut: the part before carries the part after); "with NS as
    carrier" beside a drug (the fluid is that drug's carrier); "NS carrier 1000-1030" (the part's own fluid)."""
    low = found.reading.low
    for match in _PATTERNS["carrier_for"].finditer(low):
        found.add("carrier_for", match.span(), hide=match.span(), cut=True)
    for match in _PATTERNS["carrier"].finditer(low):
        if found.taken(match.span()):
            continue
        fluid = _FLUID.search(low, match.start(), match.end())
        part = _part_of(parts, match.start())
        if _BESIDE.match(low, match.start()) or any(part[0] <= a < match.start() or match.end() <= a < part[1]
                                                     for a, _b in found.real):
            found.add("carrier", match.span(), hide=match.span(), fluid=fluid.span() if fluid else None)
        else:
            word = _CARRIER_WORD.search(low, match.start(), match.end())
            found.add("carrier_self", match.span(), hide=(word.start(), match.end()) if word else match.span())


def _piggybacks(found: _Found, parts: list[tuple[int, int]]) -> None:
    """"piggybacked into the NS" (a reference to the running fluid, hidden) or "piggybacked into NS 0800-1000" (the
    fluid has its own time: a cut before it, so it is its own service)."""
    low = found.reading.low
    for match in _PATTERNS["piggyback"].finditer(low):
        verb = _VERB.match(low, match.start())
        start = verb.end() if verb else match.start()
        fluid = _FLUID.search(low, start, match.end())  # None for a line named by its place ("the primary")
        if _timed_after(found.reading, match.end()):
            fluid_start = fluid.start() if fluid is not None else match.end()
            found.add("piggyback_cut", (start, fluid_start), hide=(start, fluid_start), cut=True)
        else:
            found.add("piggyback", (start, match.end()), hide=(start, match.end()),
                      fluid=fluid.span() if fluid is not None else None)


def _included(found: _Found, parts: list[tuple[int, int]]) -> None:
    """A flush or a port access beside a drug or route elsewhere in the question (a flush alone is not hidden: it is
    its own question, 96523)."""
    low = found.reading.low
    routes = [s.span for s in found.reading.of(Route)]
    for kind in ("flush", "access"):
        for match in _PATTERNS[kind].finditer(low):
            start, end = match.span()
            outside = [a for a, b in [*found.real, *routes] if not (start <= a and b <= end)]
            negated = any(a < end and start < b for a, b in (n.scope for n in found.reading.of(Negation)))
            if found.taken(match.span()) or not outside or negated:  # "no port flush today": nothing to include
                continue
            named = start + len(_FLUSH_TAIL.sub("", low[start:end])) if kind == "flush" else end
            found.add(kind, match.span(), hide=match.span(), fluid=(start, named))


def _diluents(found: _Found, parts: list[tuple[int, int]]) -> None:
    """"zofran 4 mg over 20 min in 50 mL NS": a fluid after a drug in its part is the drug's diluent (its carrier);
    "hydration in NS" (no drug before it) is the service itself."""
    low = found.reading.low
    for match in _PATTERNS["diluent"].finditer(low):
        part = _part_of(parts, match.start())
        if found.taken(match.span()) or not any(part[0] <= a < match.start() for a, _b in found.real):
            continue
        fluid = _FLUID.search(low, match.start(), match.end())
        found.add("diluent", match.span(), hide=match.span(), fluid=fluid.span() if fluid else None)


def _mixtures_and_concurrency(found: _Found, parts: list[tuple[int, int]]) -> None:
    low = found.reading.low
    for match in _PATTERNS["mixture"].finditer(low):
        found.add("mixture", match.span(), hide=match.span())
        partner = _AS.match(low, match.end())
        if partner and any(a == partner.end() for a, _b in found.real):
            found.add("with", partner.span(), cut=True)  # "dex in the same bag as the carboplatin": two services
    for match in _PATTERNS["concurrent"].finditer(low):
        # "Y-site" is a place on the line, never a drug: hidden; the other words stay (they are separators too).
        found.add("concurrent", match.span(), hide=match.span() if "site" in match.group(0) else None)


def _with_a_drug(found: _Found, parts: list[tuple[int, int]]) -> None:
    """"oxaliplatin 0933-1215 with leucovorin (running concurrently)": a drug after "with" is its own service (its
    time shared when the words say so, else asked), never lost inside the first; after a fluid only when both sides
    have their own time ("NS 0900-1100 at KVO with vanco 0930-1030"): "NS with KCl" stays one service."""
    low, reading = found.reading.low, found.reading
    real = found.real
    for match in _WITH.finditer(low):
        part = _part_of(parts, match.start())
        if not any(a == match.end() for a, _b in real):
            continue
        drug_before = any(part[0] <= a and b <= match.start() for a, b in real)
        fluid_before = any(part[0] <= a and b <= match.start() for _w, (a, b), _c in found.drugs) \
            or _FLUID.search(low, part[0], match.start()) is not None
        if drug_before or fluid_before and _timed(reading, part[0], match.start()) \
                and _timed(reading, match.end(), part[1], True):
            found.add("with", match.span(), cut=True)


def _parts(reading: Reading) -> list[tuple[int, int]]:
    """The question cut at its separators (the parts the service reader starts from)."""
    bounds, start = [], 0
    for cut in reading.of(Separator):
        bounds.append((start, cut.span[0]))
        start = cut.span[1]
    bounds.append((start, len(reading.low)))
    return bounds


def _part_of(parts: list[tuple[int, int]], position: int) -> tuple[int, int]:
    return next((p for p in parts if p[0] <= position < p[1]), (position, position))


def _timed(reading: Reading, start: int, end: int, given: bool = False) -> bool:
    """A time of its own between start and end (with `given`: also a clock point or a push: "with zofran IVP")."""
    return any((isinstance(s, ClockRange | Duration) or given and (
        isinstance(s, ClockPoint) or isinstance(s, Route) and s.route == "iv_push"))
        and start <= s.span[0] and s.span[1] <= end for s in reading.spans)


def _timed_after(reading: Reading, position: int) -> bool:
    """A clock range or duration right after `position` (only spaces or a comma between)."""
    return any(isinstance(s, ClockRange | Duration) and s.span[0] >= position
               and not reading.low[position:s.span[0]].strip(" ,") for s in reading.spans)


def _hide(reading: Reading, hidden: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> Reading:
    """The reading with the hidden words blanked (same length: every span stays a span of the question), their
    tokens and spans dropped, and a cut (a separator) where a relation joins two services."""
    low = list(reading.low)
    for a, b in hidden:
        low[a:b] = " " * (b - a)

    def clear(span: tuple[int, int]) -> bool:
        return not any(a < span[1] and span[0] < b for a, b in [*hidden, *cuts])

    spans = [s for s in reading.spans if clear(s.span)]
    spans += [Separator(reading.text[a:b], (a, b), None) for a, b in cuts]
    spans.sort(key=lambda s: s.span)
    return Reading(reading.text, "".join(low), tuple(t for t in reading.tokens if clear(t.span)), tuple(spans),
                   reading.problems)


def _off_the_clock(reading: Reading, drugs: DrugMentions) -> DrugMentions:
    """A drug name never runs into a clock time ("NS 1000-1030" is NS from 10:00, not a product 'NS 1000')."""
    clocks = [s.span for s in reading.spans if isinstance(s, ClockRange | ClockPoint)]
    out: DrugMentions = []
    for words, (start, end), category in drugs:
        cut = min((a for a, b in clocks if start < a < end), default=None)
        if cut is not None:
            words = reading.text[start:cut].rstrip()
            end = start + len(words)
            if not words.strip():
                continue
        out.append((words, (start, end), category))
    return out


# --- relations between the services read ---------------------------------------------------------------------------


class ServiceLike(Protocol):
    """The fields of `services.Service` these relations read (a frozen dataclass: copies are made with `replace`)."""

    @property
    def span(self) -> tuple[int, int]: ...
    @property
    def drug(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def family(self) -> str | None: ...
    @property
    def minutes(self) -> int | None: ...
    @property
    def start(self) -> object: ...
    @property
    def relation(self) -> str | None: ...
    @property
    def relations(self) -> tuple[Relation, ...]: ...


S = TypeVar("S", bound=ServiceLike)
_BLANK = {"code": None, "minutes": None, "start": None, "end": None, "dose": None, "dose_unit": None, "count": None,
          "relation": None, "pump": None, "site": None, "codes": (), "negated": (), "weight_kg": None, "bsa_m2": None,
          "gap_minutes": None, "relations": ()}


def relate(services: list[S], cues: Cues) -> list[S]:
    """The services with the fluids, flushes and port access the cues name added as their own rows, and every
    relation the words state set on the service it belongs to."""
    if not cues.found or not services:
        return services
    template = services[0]
    read = list(services)
    extras: list[tuple[S, str, Cue]] = []
    for cue in cues.found:
        if cue.kind in ("diluent", "carrier") or cue.kind == "piggyback" and not any(_fluid(s) for s in read):
            fluid = replace(template, **_BLANK, family="hydration", route="iv_infusion", category="hydration",
                            drug=(cue.fluid or "fluid").strip(), words=cue.words, span=cue.span)
            extras.append((fluid, "carrier_of", cue))
        elif cue.kind == "flush":
            flush = replace(template, **_BLANK, family="hydration", route="iv_push", category="hydration",
                            drug=(cue.fluid or cue.words).strip(), words=cue.words, span=cue.span)
            extras.append((flush, "included_in", cue))
        elif cue.kind == "access":
            extras.append((replace(template, **_BLANK, family=None, route=None, category=None, drug=None,
                                   words=cue.words, span=cue.span), "included_in", cue))
    out = sorted([*read, *(e[0] for e in extras)], key=lambda s: s.span[0])
    index = {id(s): i for i, s in enumerate(out)}
    links: dict[int, list[Relation]] = {}

    def link(service: S | None, kind: str, other: S | None, cue: Cue) -> None:
        if service is not None and other is not None and service is not other:
            links.setdefault(index[id(service)], []).append(Relation(kind, index[id(other)], cue.words))

    drugs = [s for s in read if _drug(s)]
    for service, kind, cue in extras:
        link(service, kind, _containing(drugs, cue.span[0]) or _before(drugs, cue.span[0])
             or _after(drugs, cue.span[1]), cue)
    for cue in cues.found:
        here = _containing(read, cue.span[0])
        if cue.kind == "carrier_for":
            link(_before(read, cue.span[0]), "carrier_of", _after(read, cue.span[1]), cue)
        elif cue.kind == "carrier_self" and here is not None:
            link(here, "carrier_of", _after(drugs, here.span[1]) or _before(drugs, here.span[0]), cue)
        elif cue.kind == "piggyback" and here is not None and any(_fluid(s) for s in read):
            fluids = [s for s in read if _fluid(s) and s is not here]
            link(here, "piggybacked_into", _before(fluids, here.span[0]) or _after(fluids, here.span[1]), cue)
        elif cue.kind == "piggyback_cut":
            link(_before(read, cue.span[0]), "piggybacked_into", _after(read, cue.span[1]), cue)
        elif cue.kind == "mixture":
            _mixture(read, here or _before(read, cue.span[0]), cue, link)
        elif cue.kind == "concurrent":
            first = here or _after(read, cue.span[1]) or _before(read, cue.span[0])
            if first is not None and not any(r.kind == "concurrent_with" for r in links.get(index[id(first)], [])):
                others = [s for s in drugs if s is not first]
                link(first, "concurrent_with", _before(others, first.span[0]) or _after(others, first.span[1]), cue)
    return [_on_the_line(replace(s, relations=tuple(links[i])), out) if i in links else s for i, s in enumerate(out)]


# A drug with no route of its own given on another's line ("with leucovorin running concurrently", "dex + zofran in
# one syringe, IVP") is given the same way: the family of that route for its own category (CPT 96360-96379, 96401+).
_FAMILY_OF = {("iv_infusion", "chemotherapy"): "chemo_infusion", ("iv_push", "chemotherapy"): "chemo_push",
              ("iv_infusion", None): "iv_infusion", ("iv_push", None): "iv_push"}


def _on_the_line(service: S, out: list[S]) -> S:
    shared = next((out[r.other] for r in service.relations if r.kind in ("concurrent_with", "mixed_with")), None)
    route = getattr(shared, "route", None)
    if shared is None or getattr(service, "route", None) is not None or route not in ("iv_infusion", "iv_push"):
        return service
    category = "chemotherapy" if service.category == "chemotherapy" else None
    return replace(service, route=route, family=service.family or _FAMILY_OF[(route, category)])


def _mixture(read: list[S], here: S | None, cue: Cue, link: Callable[[S | None, str, S | None, Cue], None]) -> None:
    """The drugs of one mixture: the service the cue is in and the drugs listed right before it ("dex 10 mg + zofran
    4 mg mixed in one syringe"), or after it when it comes first; joined by "and", "+" or ",", none with a time of its
    own but the last. The first is the mixture's administration, the others are mixed with it."""
    if here is None:
        return
    at = read.index(here)
    members = [here] if _drug(here) else []
    j = at - 1
    while j >= 0 and _drug(read[j]) and read[j + 1].relation is None and read[j].minutes is None \
            and read[j].start is None:
        members.insert(0, read[j])
        j -= 1
    j = at + 1
    while len(members) < 2 and j < len(read) and _drug(read[j]) and read[j].relation is None:
        members.append(read[j])
        j += 1
    for member in members[1:]:
        link(member, "mixed_with", members[0], cue)


def _fluid(service: ServiceLike) -> bool:
    return service.category == "hydration" or service.family == "hydration"


def _drug(service: ServiceLike) -> bool:
    """A drug given (named, or a drug class such as "abx"), never a fluid."""
    if _fluid(service) or is_fluid(service.drug):
        return False
    return bool(service.drug) or service.category in ("therapeutic", "chemotherapy")


def _containing(services: list[S], position: int) -> S | None:
    return next((s for s in services if s.span[0] <= position < s.span[1]), None)


def _before(services: list[S], position: int) -> S | None:
    return next((s for s in reversed(services) if s.span[1] <= position), None)


def _after(services: list[S], position: int) -> S | None:
    return next((s for s in services if s.span[0] >= position), None)


__all__ = ["Cue", "Cues", "Relation", "find_cues", "is_fluid", "relate"]
