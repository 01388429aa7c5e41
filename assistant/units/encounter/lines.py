"""The line book: collects billable lines with their reasons and sources, merges repeats, and runs the checks
every coded encounter gets (add-on primaries, drug units, MUE, PTP).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.units import ADD_ON_PRIMARIES, MueLookup, UnitsError
from assistant.units.drugs import billing_units
from assistant.units.encounter import sources as src
from assistant.units.encounter.catalog import TITLES
from assistant.units.encounter.models import Administration, EncounterLine, Payer, PtpLookup


@dataclass(slots=True)
class Book:
    """Lines, warnings, citations and the unconfirmed flag of one coded encounter."""

    payer: Payer
    lines: list[EncounterLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    edits: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    unconfirmed: bool = False

    def cite(self, *citations: str) -> None:
        for citation in citations:
            if citation and citation not in self.citations:
                self.citations.append(citation)

    def warn(self, text: str, unconfirmed: bool = False) -> None:
        if text not in self.warnings:
            self.warnings.append(text)
        self.unconfirmed = self.unconfirmed or unconfirmed

    def add(
        self,
        code: str,
        units: int,
        why: str,
        citation: str,
        indexes: list[int],
        day: int = 0,
        modifiers: tuple[str, ...] = (),
    ) -> None:
        """Add a line, merged into an earlier one of the same code, date and modifiers."""
        if units <= 0:
            return
        self.cite(citation)
        for line in self.lines:
            if line.code == code and line.day == day and tuple(line.modifiers) == modifiers:
                line.units += units
                line.administrations = sorted(set(line.administrations) | set(indexes))
                if why not in line.why:
                    line.why = f"{line.why}; {why}"
                if citation not in line.citation:
                    line.citation = f"{line.citation}; {citation}"
                return
        self.lines.append(
            EncounterLine(
                code=code,
                units=units,
                why=why,
                citation=citation,
                administrations=sorted(set(indexes)),
                modifiers=list(modifiers),
                day=day,
                title=TITLES.get(code, ""),
                add_on_to=list(ADD_ON_PRIMARIES.get(code, ())),
            )
        )

    def drop_orphan_add_ons(self) -> list[EncounterLine]:
        """Remove add-ons none of whose primaries is reported (CMS Add-on Code file), with a warning each."""
        dropped: list[EncounterLine] = []
        while True:
            codes = {line.code for line in self.lines}
            orphan = next(
                (
                    line
                    for line in self.lines
                    if line.code in ADD_ON_PRIMARIES and not codes.intersection(ADD_ON_PRIMARIES[line.code])
                ),
                None,
            )
            if orphan is None:
                return dropped
            self.lines.remove(orphan)
            dropped.append(orphan)
            self.warn(
                f"{orphan.code} is not reported: it is an add-on to {', '.join(ADD_ON_PRIMARIES[orphan.code])}, and "
                "none of them is in this encounter. Check which service was the primary reason (professional)."
            )

    def drug_lines(self, administrations: list[Administration]) -> None:
        """A HCPCS line per drug code and date: dose / billing unit, rounded up (doses of one unit summed first)."""
        groups: dict[tuple[str, int], list[tuple[int, Administration]]] = {}
        for index, adm in enumerate(administrations):
            if adm.dose is None:
                continue
            if not adm.drug_code:
                self.warn(f"{adm.substance} {adm.dose:g} {adm.dose_unit or ''}: no HCPCS drug code is known, so no "
                          "drug line is counted; name the code.".replace("  ", " "))
                continue
            groups.setdefault((adm.drug_code.strip().upper(), adm.day), []).append((index, adm))
        for (code, day), members in groups.items():
            first = members[0][1]
            if first.billing_quantity is None or not first.billing_unit:
                self.warn(f"{code}: its billing unit is not known, so its units are not counted (see the ASP file).")
                continue
            units_of_dose = {adm.dose_unit for _, adm in members}
            try:
                if len(units_of_dose) == 1 and first.dose_unit:
                    total = sum(adm.dose or 0.0 for _, adm in members)
                    units = billing_units(total, first.dose_unit, first.billing_quantity, first.billing_unit)
                    dose_text = f"{total:g} {first.dose_unit}"
                else:
                    units = sum(
                        billing_units(adm.dose or 0.0, adm.dose_unit or "", first.billing_quantity, first.billing_unit)
                        for _, adm in members
                    )
                    dose_text = " + ".join(f"{adm.dose:g} {adm.dose_unit}" for _, adm in members)
            except UnitsError as error:
                self.warn(f"{code}: {error}")
                continue
            if any((adm.dose or 0) <= 0 for _, adm in members):
                self.warn(f"{code}: a dose must be more than 0; no drug line is counted.")
                continue
            per = f"{first.billing_quantity:g} {first.billing_unit}"
            why = f"{first.substance} {dose_text} at {per} per unit, rounded up"
            self.add(code, units, why, src.DRUG_UNITS, [i for i, _ in members], day)
            for line in self.lines:
                if line.code == code and not line.title:
                    line.title = f"{first.substance}, billed per {per}"
            if self.payer == "medicare":
                self.cite(src.JW_JZ)
                self.warn(
                    "Medicare Part B single-dose containers: report any discarded amount on its own line with JW, or "
                    "add JZ when nothing was discarded (never both; multi-dose vials take neither)."
                )

    def check_mue(self, mue_lookup: MueLookup | None) -> None:
        if mue_lookup is None:
            return
        totals: dict[tuple[str, int], int] = {}
        for line in self.lines:
            totals[(line.code, line.day)] = totals.get((line.code, line.day), 0) + line.units
        for (code, day), units in totals.items():
            limit = mue_lookup(code)
            if limit is not None and units > limit.value:
                when = f" on day {day + 1}" if day else ""
                self.warn(
                    f"{code} x{units}{when} is over its MUE of {limit.value} "
                    f"(MAI {limit.mai}: {limit.mai_description})."
                )
                self.cite(src.MUE)

    def check_ptp(self, ptp_lookup: PtpLookup | None) -> None:
        if ptp_lookup is None or len(self.lines) < 2:
            return
        codes = sorted({line.code for line in self.lines})
        for pair in ptp_lookup(codes):
            if pair.modifier_indicator == 9:
                continue
            indicator = pair.modifier_indicator
            meaning = "never reported together" if indicator == 0 else "a modifier may be allowed when documented"
            text = f"PTP edit {pair.column1} / {pair.column2}: modifier indicator {indicator} ({meaning})"
            if text not in self.edits:
                self.edits.append(text)
                self.warn(text + ".")
                self.cite(src.PTP)
