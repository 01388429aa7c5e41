"""Relations between the administrations of one encounter (issue 17 class 4; encounters.md A4, A5, A8).

- A mixture (`mixed_with`): drugs mixed in one syringe or bag are ONE administration carrying several drugs; each
  drug keeps its own HCPCS line (ASCO via AAPC forum 14684). Never a second push (96375) for the second drug.
- A carrier (`carrier_of`): the fluid a drug was given in or carried by is incidental, never hydration (NCCI-XI B.5).
- An included step (`included_in`): a flush that belongs to an administration is part of it (CPT drug
  administration notes; a port flush alone is 96523, not coded here).
- Concurrent (`concurrent_with`): drugs said to run at the same time on one line share a range; the lower-ranked one
  is the concurrent infusion (+96368, once per encounter).
- Piggyback (`piggyback_on`): a drug piggybacked into a running fluid keeps its own range; the fluid's minutes under
  it are the drug's, not hydration (the engine's drug-free hydration rule).

A mixture member, a carrier and an included flush become items of kind `PART`: they stay in the timeline with the
reason they are not coded alone, and no IV, injection or hydration rule codes them.
"""

from __future__ import annotations

from assistant.units.encounter import sources as src
from assistant.units.encounter.models import Administration
from assistant.units.encounter.reading import Item, Reading


def _timeless(adm: Administration) -> bool:
    return adm.start is None and adm.stop is None and adm.minutes is None


def _range(adm: Administration) -> dict[str, object]:
    return {"start": adm.start, "stop": adm.stop, "minutes": adm.minutes, "day": adm.day}


def share_ranges(administrations: list[Administration]) -> tuple[list[Administration], list[str]]:
    """Concurrent drugs and the drugs of one mixture share one range: an administration with no time of its own
    takes its partner's (either way round). Two different times for one mixture are asked, never chosen."""
    out = list(administrations)
    questions: list[str] = []
    for number, adm in enumerate(administrations):
        partner = adm.concurrent_with if adm.concurrent_with is not None else adm.mixed_with
        if partner is None:
            continue
        here, other = out[number], out[partner]
        if _timeless(here) and not _timeless(other):
            out[number] = here.model_copy(update=_range(other))
        elif _timeless(other) and not _timeless(here):
            out[partner] = other.model_copy(update=_range(here))
        elif adm.mixed_with is not None and not _timeless(here) and _range(here) != _range(other):
            questions.append(f"{adm.substance} was mixed with {other.substance} in one syringe or bag, but the two "
                             "have different times: give the one time of the mixture.")
    return out, questions


def relate(reading: Reading, questions: list[str]) -> None:
    """Apply the relations to the read items: parts explained, a mixture coded by its highest-ranked drug,
    concurrent pairs linked, piggybacks noted. Adds the notes, warnings and sources each relation rests on."""
    reading.questions.extend(questions)
    items = reading.items
    for item in items:
        found = item.adm.part_of()
        if found is not None:
            _explain_part(item, found[0], items[found[1]], reading)
    for host in items:
        members = [i for i in items if i.adm.mixed_with == host.index]
        if members:
            _mixture(host, members, reading)
    for item in items:
        if item.adm.concurrent_with is not None:
            _concurrent(item, items[item.adm.concurrent_with], reading)
        if item.adm.piggyback_on is not None:
            fluid = items[item.adm.piggyback_on]
            item.notes.append(f"piggybacked into {fluid.name}: it keeps its own time; the {fluid.name} minutes under "
                              "it are not hydration (NCCI-XI)")
            reading.citations.append(src.HYDRATION_CONCURRENT)


def _mixture(host: Item, members: list[Item], reading: Reading) -> None:
    """One administration carrying several drugs, coded by its highest-ranked drug (chemotherapy > therapeutic, the
    order of the hierarchy); every drug keeps its own HCPCS line (the line book counts each dose)."""
    top = min([host, *members], key=lambda i: i.rank if i.category is not None else (9, 9))
    if top is not host and top.category is not None and host.category is not None:
        host.category = top.category
        host.notes.append(f"coded as {top.category} administration for {top.name} in the mixture")
    names = " + ".join(i.name for i in [host, *members])
    for member in members:
        member.notes.append(f"not coded alone: mixed with {host.name}, one administration (ASCO via AAPC forum "
                            "14684); its drug line stays")
    host.adm = host.adm.model_copy(update={"substance": f"{names} (one mixture)"})
    reading.citations.append(src.MIXTURE)


def _explain_part(item: Item, relation: str, host: Item, reading: Reading) -> None:
    if relation == "carrier_of":
        item.notes.append(f"not reported: the fluid that carried {host.name} is incidental, not hydration "
                          "(NCCI-XI B.5)")
        reading.citations.append(src.CARRIER)
        outside = _minutes_outside(item, host)
        if outside > 30:
            reading.warnings.append(
                f"{item.name} ran {outside} minutes outside {host.name}'s own time. As its carrier it is not "
                "reported; if that time was hydration ordered for its own sake (medically necessary), give it as "
                "hydration with its times and its drug-free minutes are coded.")
    elif relation == "included_in":
        item.notes.append(f"not reported: part of {host.name}'s administration (a flush is included: CPT drug "
                          "administration notes)")
        reading.citations.append(src.INCLUDED)


def _minutes_outside(fluid: Item, drug: Item) -> int:
    if None in (fluid.start, fluid.end, drug.start, drug.end):
        return 0
    assert fluid.start is not None and fluid.end is not None and drug.start is not None and drug.end is not None
    return max(drug.start - fluid.start, 0) + max(fluid.end - drug.end, 0)


def _concurrent(item: Item, other: Item, reading: Reading) -> None:
    """The words say the two ran at the same time: the lower-ranked drug infusion is the concurrent one (96368);
    a push or a fluid keeps its own rule (hydration is never concurrent: it is simply not reported under a drug)."""
    pair = (item, other)
    if any(i.kind != "infusion" or i.category not in ("chemotherapy", "therapeutic") for i in pair):
        return
    if (item.adm.site or "").casefold() != (other.adm.site or "").casefold() and item.adm.site and other.adm.site:
        return  # two access sites: not one line (a second initial service, not a concurrent one)
    if None not in (item.start, item.end, other.start, other.end):
        assert item.start is not None and item.end is not None and other.start is not None and other.end is not None
        if item.start >= other.end or other.start >= item.end:
            reading.questions.append(f"{item.name} and {other.name} are said to run at the same time, but their times "
                                     "do not overlap: which is right?")
            return
    second = item if item.rank >= other.rank else other
    first = other if second is item else item
    second.concurrent_with = first.index
    second.notes.append(f"ran at the same time as {first.name} on the same line, as documented")
    reading.citations.append(src.SHARED_RANGE)
