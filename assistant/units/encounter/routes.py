"""The parts of an encounter outside the IV hierarchy's add-on chain: drug-free hydration time, injections,
subcutaneous infusions, intralesional/intrathecal chemotherapy and pump starts. Mixed into the engine's coder.
"""

from __future__ import annotations

from assistant.units import calculate_minutes
from assistant.units.encounter import sources as src
from assistant.units.encounter.lines import Book
from assistant.units.encounter.models import Encounter
from assistant.units.encounter.reading import DAY, DEVICE_KINDS, Item


def further_hour_units(minutes: int) -> int:
    """Units of an 'each additional hour' code for time beyond a first hour reported elsewhere: more than 30
    minutes beyond each full hour (CPT time rule): 31-90 minutes -> 1, 91-150 -> 2."""
    return 0 if minutes < 31 else 1 + (minutes - 31) // 60


class OtherRoutes:
    """Methods the coder shares; `encounter`, `items`, `book` and `facility` are set by the coder."""

    encounter: Encounter
    items: list[Item]
    book: Book
    facility: bool

    def drug_free_hydration(self, hydration: list[Item], drugs: list[Item]) -> int:
        """Hydration minutes with no drug service running; overlapped hydration is not reported (NCCI Ch. XI)."""
        busy = sorted((d.start, d.end if d.end is not None else d.start) for d in drugs
                      if d.start is not None and not d.adm.pump)
        total = 0
        for h in hydration:
            if h.minutes is None:
                continue
            if h.start is None or h.end is None:
                if any(d.kind == "infusion" for d in drugs):
                    # Hydration during a drug infusion is not reported, before or after it is: ask, never guess.
                    h.counted = 0
                    h.notes.append("not counted: no clock times, so its overlap with the drug infusion is unknown")
                    self.book.warn(
                        f"The {h.name} minutes ({h.minutes}) are not added in: say whether it ran during the drug "
                        "infusion (then it is not reported) or before or after it (then +96361 for its own time), "
                        "or give its start and stop times."
                    )
                    self.book.cite(src.HYDRATION_CONCURRENT)
                    continue
                h.counted = h.minutes
                if drugs:
                    self.book.warn(f"{h.name} has no clock times: assumed it did not run during a drug push.")
                total += h.minutes
                continue
            free, cursor = 0, h.start
            for start, end in busy:
                if end <= cursor or start >= h.end:
                    continue
                if start > cursor:
                    free += start - cursor
                cursor = max(cursor, end)
            if cursor < h.end:
                free += h.end - cursor
            h.counted = free
            total += free
            names = sorted({d.name for d in drugs if d.start is not None and d.start < h.end
                            and (d.end if d.end is not None else d.start) > h.start})
            if free == 0 and names:
                h.notes.append(f"not reported: it overlaps {', '.join(names)}")
                self.book.cite(src.HYDRATION_CONCURRENT)
            elif names and free < h.minutes:
                h.notes.append(f"{free} drug-free minutes counted (overlap with {', '.join(names)} removed)")
                self.book.cite(src.HYDRATION_CONCURRENT)
            split = any(
                d.kind == "infusion" and d.start is not None and d.end is not None
                and h.start < d.start and d.end < h.end
                for d in drugs
            )
            if split:
                self.book.warn(
                    f"{h.name} ran before and after a drug infusion: the segments are added (CPT Assistant Jun 2007); "
                    "a payer has refused this (AAPC forum 196971): flagged.",
                    unconfirmed=True,
                )
                self.book.cite(src.HYDRATION_SPLIT)
        return total

    # --- everything else --------------------------------------------------------------------------------------

    def code_other(self, item: Item) -> None:
        if item.kind in DEVICE_KINDS:
            return  # a port flush, an on-body injector, a further SC pump set-up: devices.py codes them
        chemo = item.category == "chemotherapy"
        if item.kind == "injection":
            code = ("96402" if item.hormonal else "96401") if chemo else "96372"
            why = (f"{code}: {item.name} {'hormonal ' if item.hormonal else ''}antineoplastic SC/IM injection" if chemo
                   else f"96372: {item.name} SC/IM injection (one per injection)")
            self.book.add(code, 1, why, src.CHEMO_INJECTION if chemo else src.INJECTION, [item.index], item.day)
        elif item.kind == "sc_infusion":
            first = not any(c.startswith("96369") or c.startswith("96372") for i in self.items for c in i.codes
                            if i.kind == "sc_infusion")
            if first:
                minutes = min(item.minutes or 1, DAY)
                for code, units in calculate_minutes("subq_infusion", minutes, self.encounter.payer):
                    why = f"{code}: subcutaneous infusion of {item.name}, {item.minutes} minutes"
                    self.book.add(code, units, why, src.SUBQ, [item.index], item.day)
                    item.codes.append(code)
            else:
                self.book.add("96371", 1, f"96371: a further pump set-up with new site(s) ({item.name})", src.SUBQ,
                              [item.index], item.day)
                item.codes.append("96371")
        elif chemo and item.kind in ("intralesional", "intrathecal"):
            code = "96405" if item.kind == "intralesional" else "96450"
            self.book.add(code, 1, f"{code}: {item.kind} chemotherapy ({item.name})", src.CHEMO_OTHER_ROUTES,
                          [item.index], item.day)
            if code == "96405":
                self.book.warn("96405 covers up to 7 lesions; more lesions take 96406.")
        else:
            item.notes.append(f"not coded here: {item.kind} administration of a non-chemotherapy drug has its own "
                              "procedure codes")
            return
        item.billed = True
        if not item.codes:
            item.codes.append(self.book.lines[-1].code)

    def code_pump(self, item: Item) -> None:
        if item.minutes is not None and item.minutes <= 8 * 60:
            item.adm = item.adm.model_copy(update={"pump": False})
            self.book.warn(f"{item.name}: 96416 is only for a pump infusion of more than 8 hours; this one "
                           f"({item.minutes} minutes) is coded by its time.")
            return
        if item.category == "chemotherapy":
            if any("96416" in c for i in self.items for c in i.codes):
                item.notes.append("not reported: 96416 is reported once (MUE 1)")
                return
            self.book.add("96416", 1, f"96416: {item.name} prolonged infusion started with a pump (the time on the "
                          "pump adds no hourly units)", src.CHEMO_PUMP, [item.index], item.day)
            item.codes.append("96416")
            item.billed = True
        elif self.facility:
            self.book.add("C8957", 1, f"C8957: {item.name} prolonged non-chemotherapy infusion started with a pump",
                          src.NON_CHEMO_PUMP, [item.index], item.day)
            self.book.warn("C8957 (hospital outpatient non-chemotherapy pump start) is UNCONFIRMED in a stored primary "
                           "source: check the OPPS addendum.", unconfirmed=True)
            item.codes.append("C8957")
            item.billed = True
        else:
            item.notes.append("not coded: no professional code for a non-chemotherapy pump start is stored")
