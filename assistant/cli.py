"""Command line: `python -m assistant ask|import|index ...`. One process, the model loaded once."""

from __future__ import annotations

import argparse
import inspect
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from assistant.chat.encounter_cli import encounter_command
from assistant.contract import Answer, AskRequest
from assistant.edits.changes import ChangesError, compare, report_markdown
from assistant.imports import IMPORTERS, import_configured_files, importer_for
from assistant.settings import Settings


def _print_answer(answer: Answer, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(answer.model_dump_json() + "\n")
    else:
        out.write(answer.answer.rstrip() + "\n")
    out.flush()


def run_jsonl(assistant, lines: TextIO, out: TextIO) -> int:
    """Answer one JSON request per input line, one JSON answer per output line, in order, flushing each."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            request = AskRequest.model_validate_json(line)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem.get("loc", ())) or "line"
            message = f"Request on line {number} was not understood: {where}: {problem['msg']}."
            answer = Answer(route="error", answer=message)
        else:
            extra: dict[str, object] = {"state": request.state} if request.state else {}  # issue 18: coverage state
            if request.date_of_service:  # issue 19
                extra["date_of_service"] = request.date_of_service
            answer = assistant.ask(request.question, request.history, request.payer, request.setting, **extra)
        _print_answer(answer, as_json=True, out=out)
    return 0


def _cmd_ask(args: argparse.Namespace) -> int:
    from assistant import Assistant

    if args.jsonl == (args.question is not None):
        print("ask: give either a QUESTION or --jsonl (requests on standard input).", file=sys.stderr)
        return 2
    assistant = Assistant.from_settings(Settings())
    if args.jsonl:
        return run_jsonl(assistant, sys.stdin, sys.stdout)
    extra: dict[str, object] = {"state": args.state} if args.state else {}  # issue 18: coverage state
    if args.date_of_service:  # issue 19
        extra["date_of_service"] = args.date_of_service
    answer = assistant.ask(args.question, payer=args.payer, setting=args.setting, **extra)
    _print_answer(answer, as_json=args.json, out=sys.stdout)
    return 0 if answer.route != "error" else 1


def _cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not (path.is_file() or (args.kind == "mcd" and path.is_dir())):  # MCD: a zip or its extracted folder
        print(f"import {args.kind}: no file at {path}", file=sys.stderr)
        return 2
    importer = importer_for(args.kind)
    try:
        # --force: accept a file with over 5% fewer rows than the loaded table, or an older release (issue 24; never a
        # cut, damaged or out-of-range file);
        # passed only to importers that have the guard.
        forced = args.force and "force" in inspect.signature(importer).parameters
        options: dict[str, object] = {"force": True} if forced else {}
        if args.quarter is not None:  # issue 19: the release, when neither the file nor its name says it
            if "quarter" not in inspect.signature(importer).parameters:
                print(f"import {args.kind}: --quarter is not used by this importer", file=sys.stderr)
                return 2
            options["quarter"] = args.quarter
        summary = importer(path, Settings(), **options)
    except ValueError as error:  # importers raise ValueError subclasses naming the file and line
        print(f"import {args.kind}: {error}", file=sys.stderr)
        return 1
    print(summary)
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    from assistant.retrieval.index import refresh_from_settings

    settings = Settings()
    try:
        for summary in import_configured_files(settings):
            print(summary)
    except (OSError, ValueError) as error:
        print(f"index: {error}", file=sys.stderr)
        return 1
    report = refresh_from_settings(settings, progress=not args.quiet, rebuild=args.rebuild)
    print(report)
    return 0


def _cmd_scrub(args: argparse.Namespace) -> int:
    from assistant.chat.edits_chat import scrub_command

    return scrub_command(args.lines, args.json_file, args.setting, args.output_json, Settings())


def _cmd_changes(args: argparse.Namespace) -> int:
    path = Settings().resolved_data_dir / "edits.sqlite3"
    try:
        report = compare(path, args.kind, args.older, args.newer, code=args.code, page=args.page,
                         page_size=args.page_size)
    except ChangesError as error:
        print(f"changes {args.kind}: {error}", file=sys.stderr)
        return 1
    print(report_markdown(report))
    return 0


def _cmd_encounter(args: argparse.Namespace) -> int:
    return encounter_command(args.file, args.json, Settings())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ask = commands.add_parser("ask", help="answer a question (or JSON lines on standard input with --jsonl)")
    ask.add_argument("question", nargs="?", help="the question, in quotes")
    ask.add_argument("--payer", choices=["cpt", "medicare"], default=None)
    ask.add_argument("--setting", choices=["professional", "facility"], default=None)
    ask.add_argument("--state", default=None, help="state (TX, Texas) for Medicare coverage questions")
    ask.add_argument("--date-of-service", type=date.fromisoformat, default=None,
                     help="YYYY-MM-DD: answer from the CMS releases in force on that date")
    ask.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    ask.add_argument("--jsonl", action="store_true", help="read requests from stdin, one JSON object a line")
    ask.set_defaults(handler=_cmd_ask)

    imp = commands.add_parser("import", help="import a CMS or licensed data file")
    imp.add_argument("kind", choices=sorted(IMPORTERS))
    imp.add_argument("path")
    imp.add_argument("--force", action="store_true",
                     help="import even a file over 5%% smaller than the loaded table, or an older release")
    imp.add_argument("--quarter", default=None, help="the release's quarter ('2026 Q1') when the file does not say it")
    imp.set_defaults(handler=_cmd_import)

    index = commands.add_parser("index", help="build or refresh the vector index")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch (aside, then switch)")
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    index.set_defaults(handler=_cmd_index)

    scrub = commands.add_parser("scrub", help="check claim lines against the NCCI PTP, MUE and add-on code edits")
    scrub.add_argument("lines", nargs="?", help='the claim lines in quotes: "99214-25, 96372, J1885 x4, 36415"')
    scrub.add_argument("--json", dest="json_file", type=Path, help="read the lines from a JSON file: "
                       '[{"code": "99214", "modifiers": ["25"], "units": 1}, ...]')
    scrub.add_argument("--setting", choices=["professional", "facility"], default=None)
    scrub.add_argument("--output-json", action="store_true", help="print the result as JSON")
    scrub.set_defaults(handler=_cmd_scrub)

    changes = commands.add_parser("changes", help="rows added, deleted and changed between two loaded releases")
    changes.add_argument("kind", choices=["mue", "ptp", "mue-oph", "ptp-oph", "pfs"])
    changes.add_argument("--from", dest="older", default=None, help="the older release ('2026 Q1'; default: the "
                         "one before --to)")
    changes.add_argument("--to", dest="newer", default=None, help="the newer release (default: the latest loaded)")
    changes.add_argument("--code", default=None, help="only rows naming this code")
    changes.add_argument("--page", type=int, default=1)
    changes.add_argument("--page-size", type=int, default=50)
    changes.set_defaults(handler=_cmd_changes)

    encounter = commands.add_parser("encounter", help="code a whole drug-administration encounter from a JSON file")
    encounter.add_argument("file", type=Path, help='{"setting": "facility", "administrations": [{"substance": ...}]}')
    encounter.add_argument("--json", action="store_true", help="print the structured result as JSON")
    encounter.set_defaults(handler=_cmd_encounter)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)
