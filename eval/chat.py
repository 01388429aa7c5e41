"""Evaluate the conversation layer on eval/chat_cases.yaml: route accuracy and exact-match rate per group.

    .venv/bin/python -m eval.chat [--cases PATH] [--data-dir DIR] [--verbose]

By default the assistant is built on a fresh temporary data directory (bundled corpus, NCCI tables not loaded),
so the result does not depend on what was imported locally. A case matches exactly when the route is right and
every check it names holds: the billable lines (code -> units, compared as whole sets: no substring or subset
credit), the first code, included codes, and answer/warning substrings. Exit status 1 when anything misses.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CASES = Path(__file__).with_name("chat_cases.yaml")


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of a YAML file; each must have id, group, question and route, and ids are unique."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(cases, list):
        raise ValueError(f"{path}: expected a list of cases")
    seen: set[str] = set()
    for number, case in enumerate(cases, start=1):
        missing = [key for key in ("id", "group", "question", "route") if key not in case]
        if missing:
            raise ValueError(f"{path}: case #{number} lacks {', '.join(missing)}")
        if case["id"] in seen:
            raise ValueError(f"{path}: case id {case['id']!r} appears twice")
        seen.add(case["id"])
    return cases


def check_case(assistant: Any, case: dict[str, Any]) -> tuple[bool, list[str]]:
    """Ask the case's question; returns (route right, list of what did not match)."""
    # A history item written as a plain string is a user turn.
    history = [{"role": "user", "content": item} if isinstance(item, str) else item for item in case.get("history", [])]
    answer = assistant.ask(case["question"], history, case.get("payer"), case.get("setting"))
    problems: list[str] = []
    # `route` may list several routes where the right answer depends on a family another issue is adding
    # (issue 10: "not counted" until RULES' hospital E/M family lands, counted by it afterwards).
    routes = case["route"] if isinstance(case["route"], list) else [case["route"]]
    route_ok = answer.route in routes
    if not route_ok:
        problems.append(f"route {answer.route!r}, expected {case['route']!r}")
    if "lines" in case:
        expected = {str(code): int(units) for code, units in (case["lines"] or {}).items()}
        got = {line.code: line.units for line in answer.codes}
        if got != expected:
            problems.append(f"lines {got}, expected {expected}")
    if "first" in case and (not answer.codes or answer.codes[0].code != case["first"]):
        problems.append(f"first code {answer.codes[0].code if answer.codes else None}, expected {case['first']}")
    for code in case.get("includes", []):
        if code not in {line.code for line in answer.codes}:
            problems.append(f"{code} not among {[line.code for line in answer.codes]}")
    for text in case.get("answer_contains", []):
        if text not in answer.answer:
            problems.append(f"answer lacks {text!r}")
    for text in case.get("answer_excludes", []):
        if text in answer.answer:
            problems.append(f"answer contains {text!r}")
    for code in case.get("codes_exclude", []):
        if code in {line.code for line in answer.codes if line.units}:
            problems.append(f"{code} billed, expected never")
    if "warning_contains" in case and not any(case["warning_contains"] in w for w in answer.warnings):
        problems.append(f"no warning contains {case['warning_contains']!r}")
    if problems:
        lead = answer.answer.strip().splitlines()[0][:160] if answer.answer.strip() else ""
        problems.append(f"answer began: {lead}")
    return route_ok, problems


def run(cases: list[dict[str, Any]], assistant: Any, verbose: bool = False) -> int:
    """Print the report; return the number of cases that missed."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # group -> [cases, route ok, exact]
    misses: list[tuple[str, list[str]]] = []
    for case in cases:
        route_ok, problems = check_case(assistant, case)
        total = totals[case["group"]]
        total[0] += 1
        total[1] += route_ok
        total[2] += not problems
        if problems:
            misses.append((case["id"], problems))
        elif verbose:
            print(f"ok   {case['id']}")
    width = max(len(group) for group in totals)
    print(f"{'group':<{width}}  cases  route   exact")
    for group, (count, route_ok, exact) in totals.items():
        print(f"{group:<{width}}  {count:5d}  {route_ok / count:6.1%}  {exact / count:6.1%}")
    count = sum(t[0] for t in totals.values())
    route_ok = sum(t[1] for t in totals.values())
    exact = sum(t[2] for t in totals.values())
    print(f"{'all':<{width}}  {count:5d}  {route_ok / count:6.1%}  {exact / count:6.1%}")
    print(f"\n{len(misses)} miss{'es' if len(misses) != 1 else ''}")
    for case_id, problems in misses:
        print(f"MISS {case_id}")
        for problem in problems:
            print(f"     - {problem}")
    return len(misses)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.chat", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="use this data directory (with its imports) instead of a fresh temporary one")
    parser.add_argument("--verbose", action="store_true", help="also list the cases that matched")
    args = parser.parse_args(argv)

    import assistant.offline  # noqa: F401  (before any model import)
    from assistant import Assistant
    from assistant.settings import Settings

    cases = load_cases(args.cases)
    with tempfile.TemporaryDirectory(prefix="chat-eval-") as temp:
        settings = Settings(data_dir=args.data_dir or Path(temp), hcpcs_file=None, mue_file=None, ptp_file=None,
                            asp_file=None, cpt_file=None, llm_model=None)
        assistant = Assistant.from_settings(settings)
        assistant.retriever.warm_up()  # the model loads lazily; build the index once before the cases
        missed = run(cases, assistant, verbose=args.verbose)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
