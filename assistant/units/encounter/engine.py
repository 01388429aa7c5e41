"""`code_encounter`: code every administration of one visit together (issue 11 item 2).

Order of work: read the items (reading.py); resolve overlaps between drug infusions; choose one initial service per
vascular access site (facility hierarchy, or the professional's primary reason); code the further infusions,
concurrent infusion, pushes, drug-free hydration, injections and the other routes; then drug lines, add-on, MUE and
PTP checks (lines.py). Each rule's source is in sources.py and is quoted on the line it produced.
"""

from __future__ import annotations

from assistant.units import MueLookup, calculate_minutes
from assistant.units.encounter import sources as src
from assistant.units.encounter.devices import DEVICE_KINDS, code_devices
from assistant.units.encounter.lines import Book
from assistant.units.encounter.models import Encounter, EncounterResult, PtpLookup, TimelineRow
from assistant.units.encounter.reading import DAY, PART, Item, read_items
from assistant.units.encounter.relations import relate, share_ranges
from assistant.units.encounter.routes import OtherRoutes, further_hour_units
from assistant.units.limits import Kind, in_range, out_of_range_text

INITIAL_NAMES = {
    ("chemotherapy", "infusion"): "96413",
    ("chemotherapy", "push"): "96409",
    ("therapeutic", "infusion"): "96365",
    ("therapeutic", "push"): "96374",
    ("hydration", "infusion"): "96360",
}


def _clock(minute: int | None) -> str:
    if minute is None:
        return "?"
    return f"{(minute % DAY) // 60:02d}:{minute % 60:02d}"


def _blocks(item: Item, minutes: int) -> list[tuple[int, int]]:
    """(day, minutes) blocks: one continuous run up to 24 hours, dated on its start date; longer runs are split
    into 24-hour blocks, each dated on the date it starts (CPM4 §230.2 line-item dates; encounters.md A9).

    At most 7 blocks: `code_encounter` refuses minutes past the service range first (units/limits.py, issue 24:
    99999999999 minutes made this loop grow the server to 4 GB)."""
    blocks: list[tuple[int, int]] = []
    offset = 0
    while minutes > 0:
        length = min(minutes, DAY)
        start = (item.start + offset) if item.start is not None else item.adm.day * DAY + offset
        blocks.append((start // DAY, length))
        minutes -= length
        offset += length
    return blocks


class _Coder(OtherRoutes):
    def __init__(self, encounter: Encounter, items: list[Item], book: Book) -> None:
        self.encounter = encounter
        self.items = items
        self.book = book
        self.facility = encounter.setting == "facility"
        self.concurrent_reported = False
        self.single_candidate = True

    # --- time -------------------------------------------------------------------------------------------------

    def _hours(self, item: Item, minutes: int, first: str, further: str, family: str, why: str, cite: str,
               modifiers: tuple[str, ...] = ()) -> None:
        """A first-hour code (or a sequential one) plus its own further hours, split into 24-hour blocks."""
        blocks = _blocks(item, minutes)
        if len(blocks) > 1 or (item.start is not None and item.end is not None and item.end // DAY != item.day):
            self.book.warn(
                f"{item.name} runs past midnight: its hours are counted over the continuous run (24-hour blocks past "
                "a day), each line dated when its block starts. Which date takes which hours is UNCONFIRMED "
                "(encounters.md A9): check the payer's instructions.",
                unconfirmed=True,
            )
            self.book.cite(src.DATES)
        day, length = blocks[0]
        pairs = calculate_minutes(family, length, self.encounter.payer) if first in ("96365", "96413", "96360") \
            else (((first, 1),) + ((further, further_hour_units(length - 60)),) if length > 60 else ((first, 1),))
        for code, units in pairs:
            if units <= 0:
                continue
            code_why = why if code == first else f"{item.name}: its own further hour(s) ({length} minutes in all)"
            self.book.add(code, units, code_why, cite, [item.index], day, modifiers if code == first else ())
            item.codes.append(f"{code} x{units}" if units > 1 else code)
        for day, length in blocks[1:]:
            units = further_hour_units(length)
            self.book.add(further, units, f"{item.name}: further hours on a later date ({length} minutes)", src.DATES,
                          [item.index], day)
            if units:
                item.codes.append(f"{further} x{units} (day {day + 1})")
        item.billed = True

    # --- overlap ----------------------------------------------------------------------------------------------

    def resolve_overlaps(self, infusions: list[Item]) -> None:
        """Concurrent (inside another drug's run) vs partly overlapping (the earlier drug's time ends where the
        later one starts: Medlearn 2022-01-31, E8)."""
        timed = sorted((i for i in infusions if i.start is not None and i.end is not None),
                       key=lambda i: (i.start, -(i.end or 0), i.index))
        for item in infusions:
            item.counted = item.minutes
        for position, later in enumerate(timed):
            if later.concurrent_with is not None:
                continue  # documented as concurrent (relations.py): already linked
            for earlier in timed[:position]:
                if earlier.concurrent_with is not None or earlier.end is None or later.start is None:
                    continue
                assert later.end is not None and earlier.start is not None
                if later.start >= earlier.end:
                    continue
                if later.end <= earlier.end:
                    later.concurrent_with = earlier.index
                    later.notes.append(f"ran inside {earlier.name}'s infusion ({_clock(earlier.start)}-"
                                       f"{_clock(earlier.end)}): concurrent")
                    break
                trimmed = later.start - earlier.start
                if trimmed <= 15:
                    earlier.concurrent_with = later.index
                    earlier.notes.append(f"ran almost entirely alongside {later.name}: concurrent")
                else:
                    earlier.counted = min(earlier.counted or trimmed, trimmed)
                    earlier.notes.append(f"its time ends where {later.name} starts ({trimmed} minutes counted; "
                                         "the overlap counts once)")
                    self.book.cite(src.PARTIAL_OVERLAP)

    # --- the initial service ----------------------------------------------------------------------------------

    def choose_initial(self, candidates: list[Item]) -> Item:
        def order(item: Item) -> tuple[int, int, int, int]:
            return (*item.rank, item.start if item.start is not None else DAY * 1000, item.index)

        best = min(candidates, key=order)
        if self.facility:
            self.book.cite(src.HIERARCHY_FACILITY, src.ONE_INITIAL_FACILITY)
            return best
        self.book.cite(src.PRIMARY_PROFESSIONAL, src.ONE_INITIAL_PROFESSIONAL)
        primary = self.encounter.primary
        chosen = next((c for c in candidates if c.index == primary), None)
        if primary is not None and chosen is None:
            named = next((i.name for i in self.items if i.index == primary), f"administration {primary + 1}")
            self.book.warn(f"The primary reason named ({named}) is not an IV infusion or push here, so it is not an "
                           "initial IV code; the initial IV service is chosen by the hierarchy.")
        if chosen is not None:
            has_chemo_infusion = any(c.category == "chemotherapy" and c.kind == "infusion" for c in candidates)
            if best.category == "chemotherapy" and (
                chosen.category != "chemotherapy" or (chosen.kind == "push" and has_chemo_infusion)
            ):
                self.book.warn(
                    f"{chosen.name} was named the primary reason, but the chemotherapy codes have no further-service "
                    f"code without their own initial: {best.name} is coded as the initial service."
                )
                return best
            return chosen
        others = sorted({INITIAL_NAMES.get((c.category or "", c.kind), "") for c in candidates} - {""})
        if len(candidates) > 1 and primary is None:
            alternative = next((c for c in candidates if c is not best), None)
            if alternative is not None:
                alt_code = INITIAL_NAMES.get((alternative.category or "", alternative.kind), "")
                self.book.warn(
                    f"Professional: the initial service is the primary reason for the encounter, which was not stated; "
                    f"assumed {best.name} by the facility hierarchy. If {alternative.name} was the primary reason, "
                    f"it would be the initial service ({alt_code}) instead"
                    + (f" (initial codes here: {', '.join(others)})." if len(others) > 1 else ".")
                )
        return best

    # --- IV coding per access site ----------------------------------------------------------------------------

    def code_site(self, items: list[Item], modifiers: tuple[str, ...], all_drug_iv: list[Item]) -> None:
        infusions = [i for i in items if i.kind == "infusion" and i.is_drug_iv]
        pushes = [i for i in items if i.kind == "push" and i.is_drug_iv]
        hydration = [i for i in items if i.category == "hydration" and i.kind == "infusion" and not i.adm.keep_open]
        self.resolve_overlaps(infusions)
        candidates = [i for i in infusions if i.concurrent_with is None] + pushes
        hydration_minutes = self.drug_free_hydration(hydration, all_drug_iv)
        if not candidates:
            if hydration and hydration_minutes >= 31:
                first = min(hydration, key=lambda i: (i.start if i.start is not None else 0, i.index))
                self.book.cite(src.HYDRATION_INITIAL)
                why = f"initial: hydration is the only IV service ({hydration_minutes} minutes)"
                first_day = first.day
                billed: list[str] = []
                for code, units in calculate_minutes("hydration", min(hydration_minutes, DAY), self.encounter.payer):
                    self.book.add(code, units, why if code == "96360" else f"hydration's further hours "
                                  f"({hydration_minutes} minutes)", src.HYDRATION_INITIAL,
                                  [h.index for h in hydration], first_day, modifiers if code == "96360" else ())
                    billed.append(f"{code} x{units}" if units > 1 else code)
                if hydration_minutes > DAY:
                    later = further_hour_units(hydration_minutes - DAY)
                    self.book.add("96361", later, "hydration past 24 hours", src.DATES, [h.index for h in hydration],
                                  first_day + 1)
                    billed.append(f"96361 x{later} (day {first_day + 2})")
                for h in hydration:
                    if h.counted:
                        h.billed = True
                        h.codes.append(" + ".join(billed) + (" (hydration time added)" if len(hydration) > 1 else ""))
            elif hydration:
                for h in hydration:
                    if h.counted:
                        h.notes.append(f"not reported: {hydration_minutes} minutes of hydration in all, under 31")
                self.book.cite(src.HYDRATION_INITIAL)
            return
        initial = self.choose_initial(candidates)
        self.single_candidate = len(candidates) == 1
        self.code_initial(initial, modifiers)
        for item in sorted(infusions, key=lambda i: (i.start if i.start is not None else DAY * 1000, i.index)):
            if item is not initial:
                self.code_infusion(item, initial, infusions)
        self.code_pushes(pushes, initial, infusions)
        if hydration and hydration_minutes:
            units = further_hour_units(hydration_minutes)
            if units:
                self.book.add("96361", units, f"secondary hydration: {hydration_minutes} drug-free minutes after a "
                              f"different initial service ({initial.name})", src.HYDRATION_SECONDARY,
                              [h.index for h in hydration if h.counted], min(h.day for h in hydration))
                for h in hydration:
                    if h.counted:
                        h.billed = True
                        h.codes.append("96361")
                if any(i.category == "chemotherapy" for i in self.items):
                    self.book.warn("Hydration before or after chemotherapy is reported only when medically necessary "
                                   "(e.g. dehydration, nephrotoxicity); hydration the drug's label requires is part "
                                   "of the drug service (NCCI Ch. XI).")
                    self.book.cite(src.HYDRATION_CHEMO)
            else:
                for h in hydration:
                    if h.counted:
                        h.notes.append(f"not reported: {hydration_minutes} drug-free minutes in all, under 31")

    def code_initial(self, item: Item, modifiers: tuple[str, ...]) -> None:
        if self.facility:
            reason = "facility hierarchy: chemotherapy > therapeutic > hydration, infusion > push > injection"
        elif self.encounter.primary == item.index:
            reason = "professional: the primary reason for the encounter"
        elif self.single_candidate:
            reason = "professional: the only initial-type service of the encounter"
        else:
            reason = "professional: assumed the primary reason, see the warning"
        item.notes.append("initial service")
        minutes = item.counted or item.minutes or 0
        if item.kind == "infusion" and item.category == "chemotherapy":
            self._hours(item, minutes, "96413", "96415", "chemo_infusion",
                        f"96413 initial: chemotherapy infusion of {item.name}, {minutes} minutes ({reason})",
                        src.CHEMO_HOURS, modifiers)
        elif item.kind == "infusion":
            self._hours(item, minutes, "96365", "96366", "iv_infusion",
                        f"96365 initial: infusion of {item.name}, {minutes} minutes ({reason})", src.IV_HOURS,
                        modifiers)
        else:
            code = "96409" if item.category == "chemotherapy" else "96374"
            self.book.add(code, 1, f"{code} initial: IV push of {item.name} ({reason})",
                          src.CHEMO_PUSH if code == "96409" else src.PUSHES, [item.index], item.day, modifiers)
            item.codes.append(code)
            item.billed = True

    def code_infusion(self, item: Item, initial: Item, infusions: list[Item]) -> None:
        minutes = item.counted or item.minutes or 0
        if item.concurrent_with is not None:
            other = next(i for i in infusions if i.index == item.concurrent_with)
            if self.concurrent_reported:
                item.notes.append("not reported: 96368 is reported once per encounter")
                self.book.cite(src.CONCURRENT)
                return
            if item.category == "chemotherapy" and other.category == "chemotherapy":
                self.book.warn(f"{item.name} and {other.name}: two chemotherapy drugs at once on one line have no "
                               "stored coding source (UNCONFIRMED); coded 96368 here, check the payer's policy.",
                               unconfirmed=True)
            self.concurrent_reported = True
            self.book.add("96368", 1, f"96368: {item.name} ran at the same time as {other.name} (concurrent, once "
                          "per encounter)", src.CONCURRENT, [item.index], item.day)
            item.codes.append("96368")
            item.billed = True
            return
        earlier = [i for i in infusions if i is not item and i.key == item.key and i.concurrent_with is None
                   and (i.start or 0, i.index) < (item.start or 0, item.index)]
        if item.category == "chemotherapy":
            if initial.category != "chemotherapy" or initial.kind != "infusion":
                item.notes.append("not reported: a sequential chemotherapy infusion (96417) needs 96413")
                return
            if earlier:
                self.book.warn(f"{item.name} was infused again: a repeat infusion of the same chemotherapy drug has "
                               "no stored source (UNCONFIRMED); coded as a sequential infusion.", unconfirmed=True)
            if minutes > 90:
                self.book.warn(src.CHEMO_SEQUENTIAL_HOURS + ".", unconfirmed=True)
            self._hours(item, minutes, "96417", "96415", "chemo_infusion",
                        f"96417: sequential infusion of a new chemotherapy drug ({item.name} after {initial.name}, "
                        f"{minutes} minutes)", src.CHEMO_SEQUENTIAL)
            return
        if earlier:
            units = 1 + further_hour_units(max(minutes - 60, 0))
            self.book.warn(f"{item.name} was infused again: CPT (as quoted) reports +96366 for a repeat infusion of "
                           "the same drug; one source codes 96376 (UNCONFIRMED conflict).", unconfirmed=True)
            self.book.add("96366", units, f"96366: {item.name} infused again ({minutes} minutes)",
                          src.SAME_DRUG_INFUSION, [item.index], item.day)
            item.codes.append("96366")
            item.billed = True
            return
        self._hours(item, minutes, "96367", "96366", "iv_infusion",
                    f"96367: sequential infusion of a new drug ({item.name} after {initial.name}, {minutes} minutes)",
                    src.SEQUENTIAL)

    def code_pushes(self, pushes: list[Item], initial: Item, infusions: list[Item]) -> None:
        seen: list[Item] = [initial] + [i for i in infusions if i is not initial]
        for item in sorted(pushes, key=lambda i: (i.start if i.start is not None else -1, i.index)):
            if item is initial:
                continue
            same = [s for s in seen if s.key == item.key and s is not item]
            seen.append(item)
            if item.category == "chemotherapy":
                if same:
                    item.notes.append("not reported: the same chemotherapy drug pushed again has no stored source "
                                      "(UNCONFIRMED)")
                    self.book.warn(f"{item.name} pushed again: no stored rule for a repeat chemotherapy push "
                                   "(UNCONFIRMED); not coded, check the payer.", unconfirmed=True)
                    continue
                self.book.add("96411", 1, f"96411: chemotherapy push of a further drug ({item.name})", src.CHEMO_PUSH,
                              [item.index], item.day)
                item.codes.append("96411")
                item.billed = True
                continue
            if not same:
                self.book.add("96375", 1, f"96375: IV push of a new drug ({item.name}, after the initial "
                              f"{initial.name})", src.PUSHES, [item.index], item.day)
                item.codes.append("96375")
                item.billed = True
                continue
            if not self.facility:
                item.notes.append("not reported: 96376 (same drug again) is reported by facilities only")
                self.book.cite(src.PUSH_96376_FACILITY)
                continue
            gaps = [abs(item.start - (s.end if s.end is not None and s.end <= item.start else s.start or 0))
                    for s in same if item.start is not None and s.start is not None]
            if not gaps:
                self.book.questions.append(f"When were the two {item.name} pushes given? The same drug again counts "
                                           "(+96376) only more than 30 minutes after the first.")
                continue
            if min(gaps) <= 30:
                item.notes.append(f"not reported: the same drug again within 30 minutes ({min(gaps)} minutes)")
                continue
            self.book.add("96376", 1, f"96376: {item.name} pushed again {min(gaps)} minutes later (facility)",
                          src.PUSHES, [item.index], item.day)
            item.codes.append("96376")
            item.billed = True


def _site_groups(items: list[Item]) -> list[list[Item]]:
    iv = [i for i in items if i.is_iv and not i.adm.pump and not i.adm.keep_open and i.category is not None]
    sites: list[str] = []
    for item in iv:
        site = (item.adm.site or "").strip().casefold()
        if site and site not in sites:
            sites.append(site)
    if len(sites) < 2:
        return [iv]
    top = min(iv, key=lambda i: (*i.rank, i.start if i.start is not None else 0, i.index))
    top_site = (top.adm.site or "").strip().casefold() or sites[0]
    ordered = [top_site] + [s for s in sites if s != top_site]
    groups: list[list[Item]] = [[] for _ in ordered]
    for item in iv:
        site = (item.adm.site or "").strip().casefold() or top_site
        groups[ordered.index(site)].append(item)
    return [g for g in groups if g]


def code_encounter(
    encounter: Encounter,
    mue_lookup: MueLookup | None = None,
    ptp_lookup: PtpLookup | None = None,
) -> EncounterResult:
    """Code one encounter: lines with why and source, the timeline, warnings, questions (then no lines)."""
    refused = _out_of_range(encounter)
    if refused:  # a number no one documented: said, never counted (bounded work, issue 24)
        return EncounterResult(setting=encounter.setting, payer=encounter.payer, questions=refused)
    administrations, asked = share_ranges(encounter.administrations)  # issue 17 class 4: shared ranges
    reading = read_items(administrations)
    relate(reading, asked)
    book = Book(payer=encounter.payer, warnings=list(reading.warnings), questions=list(reading.questions),
                citations=list(dict.fromkeys(reading.citations)), unconfirmed=reading.unconfirmed)
    items = reading.items
    if not book.questions:
        coder = _Coder(encounter, items, book)
        for item in items:
            if item.adm.pump and item.kind == "infusion":
                coder.code_pump(item)
        for item in items:
            if item.adm.keep_open:
                item.notes.append("not reported: fluid to keep the line open is not hydration")
                book.cite(src.KEEP_OPEN)
        all_drug_iv = [i for i in items if i.is_drug_iv]
        groups = _site_groups(items)
        for position, group in enumerate(groups):
            modifiers: tuple[str, ...] = ()
            if position:
                modifiers = ("XU",) if encounter.payer == "medicare" else ("59",)
                book.warn(
                    f"A second initial service at a separate vascular access site ({group[0].adm.site}) takes modifier "
                    f"{modifiers[0]} (59, XE, XS, XP or XU by payer)"
                    + ("." if encounter.setting == "facility" else
                       ", and only when separate sites are medically necessary (e.g. the protocol requires them)."),
                )
                book.cite(src.ONE_INITIAL_PROFESSIONAL if encounter.setting == "professional"
                          else src.ONE_INITIAL_FACILITY)
            coder.code_site(group, modifiers, all_drug_iv)
        for item in items:
            if not item.is_iv and item.kind != PART and item.category is not None:
                coder.code_other(item)
        code_devices(items, book)  # port flush, on-body injector, further SC pump set-up (issue 17)
        book.drop_orphan_add_ons()
        if encounter.setting == "professional" and any("96360" <= line.code <= "96379" for line in book.lines):
            book.warn("Professional claim: 96360-96379 are reported by the physician only when the practice gave the "
                      "service (e.g. in the office); given in a hospital facility, the facility reports them.")
            book.cite(src.PHYSICIAN_IN_FACILITY)
        book.drug_lines(encounter.administrations)
        book.check_mue(mue_lookup)
        book.check_ptp(ptp_lookup)
    questions = book.questions
    timeline = [_row(item) for item in items]
    return EncounterResult(
        setting=encounter.setting,
        payer=encounter.payer,
        lines=[] if questions else book.lines,
        timeline=timeline,
        warnings=book.warnings,
        questions=questions,
        citations=book.citations,
        edits=book.edits,
        unconfirmed=book.unconfirmed,
    )


def _out_of_range(encounter: Encounter) -> list[str]:
    """What is outside the sane ranges of units/limits.py (the count of administrations, each one's minutes, day
    and dose, and the minutes of the whole encounter), one sentence each; [] when all is in range."""
    administrations = encounter.administrations
    if not in_range("administrations", len(administrations)):
        return [out_of_range_text("administrations", f"{len(administrations):,} administrations")]
    problems: list[str] = []
    for number, adm in enumerate(administrations, start=1):
        checks: list[tuple[Kind, float | None, str]] = [
            ("service_minutes", adm.minutes, f"{adm.minutes} minutes"),
            ("day", adm.day, f"day {adm.day}"),
            ("dose", adm.dose, f"a dose of {adm.dose:g}" if adm.dose is not None else ""),
            ("dose", adm.billing_quantity, f"a billing unit of {adm.billing_quantity:g}"
             if adm.billing_quantity is not None else ""),
        ]
        problems.extend(f"administration {number} ({adm.substance[:40]}): {out_of_range_text(kind, shown)}"
                        for kind, value, shown in checks if value is not None and not in_range(kind, value))
    total = sum(abs(adm.minutes or 0) for adm in administrations)
    if not problems and not in_range("visit_minutes", total):
        problems.append(out_of_range_text("visit_minutes", f"{total:,} minutes in all"))
    return problems


def _row(item: Item) -> TimelineRow:
    if item.codes:
        coded = ", ".join(item.codes)
        if item.notes:
            coded += f" ({'; '.join(item.notes)})"
    elif item.notes:
        coded = "; ".join(item.notes)
    else:
        coded = "not coded (see the questions)"
    return TimelineRow(
        index=item.index,
        substance=item.name,
        route=item.kind if item.kind in DEVICE_KINDS else item.adm.route,  # "port flush", "on body injector"
        category=item.category,
        day=item.day,
        start=_clock(item.start) if item.start is not None else None,
        stop=_clock(item.end) if item.end is not None else None,
        minutes=item.minutes,
        counted_minutes=item.counted,
        coded=coded,
        codes=[c.split()[0] for c in item.codes],
    )

