"""Encounter cases: exact-match rate per category (hydration, therapeutic, chemo, mixed) and the misses.

Run: .venv/bin/python -m eval.encounters [--cases eval/encounter_cases.yaml]
A case matches when the billed lines (code, with "-modifier" when present -> units summed over dates) equal the
expected set exactly, or, for `questions: true`, when the engine asks and bills nothing.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.units.encounter import Encounter, EncounterResult, code_encounter

CASES = Path(__file__).with_name("encounter_cases.yaml")
CATEGORIES = ("hydration", "therapeutic", "chemo", "mixed")


@dataclass(frozen=True)
class CaseOutcome:
    id: str
    category: str
    source: str
    expected: dict[str, int] | None  # None: questions expected
    got: dict[str, int]
    questions: list[str]

    @property
    def ok(self) -> bool:
        if self.expected is None:
            return bool(self.questions) and not self.got
        return not self.questions and self.got == self.expected


def billed(result: EncounterResult) -> dict[str, int]:
    """code[-modifier] -> units, summed over dates."""
    totals: dict[str, int] = defaultdict(int)
    for line in result.lines:
        key = "-".join([line.code, *line.modifiers])
        totals[key] += line.units
    return dict(totals)


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(cases, list):
        raise ValueError(f"{path}: expected a list of cases")
    return cases


def run_case(case: dict[str, Any]) -> CaseOutcome:
    result = code_encounter(Encounter.model_validate(case["encounter"]))
    expected = None if case.get("questions") else {str(k): int(v) for k, v in (case.get("expect") or {}).items()}
    return CaseOutcome(case["id"], case["category"], case["source"], expected, billed(result), result.questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    args = parser.parse_args()
    outcomes = [run_case(case) for case in load_cases(args.cases)]
    print(f"{'category':<14}{'cases':>7}{'exact':>7}{'rate':>9}")
    for category in CATEGORIES:
        mine = [o for o in outcomes if o.category == category]
        hits = sum(o.ok for o in mine)
        rate = hits / len(mine) if mine else 0.0
        print(f"{category:<14}{len(mine):>7}{hits:>7}{rate:>9.1%}")
    hits = sum(o.ok for o in outcomes)
    print(f"{'all':<14}{len(outcomes):>7}{hits:>7}{hits / max(len(outcomes), 1):>9.1%}")
    misses = [o for o in outcomes if not o.ok]
    if misses:
        print("\nmisses:")
        for miss in misses:
            want = "questions" if miss.expected is None else miss.expected
            print(f"  {miss.id} [{miss.source}]\n    expected {want}\n    got      {miss.got} {miss.questions}")


if __name__ == "__main__":
    main()
