"""The engine's internal working answer, turned into a `UnitsResult` at the edge."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Outcome:
    """Lines as (code, units, title), the rule applied and its sources, warnings and flags."""

    rule: str
    lines: list[tuple[str, int, str]] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_billable_reason: str | None = None
    unconfirmed: bool = False
    minutes: int | None = None
    anesthesia_time_units: float | None = None
    anesthesia_total_units: float | None = None
    anesthesia_base_units: float | None = None

    def cite(self, *citations: str) -> None:
        """Add sources, each once, keeping their order."""
        for citation in citations:
            if citation not in self.citations:
                self.citations.append(citation)

    def warn(self, text: str, unconfirmed: bool = False) -> None:
        """Add a warning once; an unconfirmed one flags the whole answer."""
        if text not in self.warnings:
            self.warnings.append(text)
        self.unconfirmed = self.unconfirmed or unconfirmed
