"""`python -m assistant encounter FILE.json` (issue 11): code a structured encounter from a file. Kept apart from
the chat route so that the route never imports the `Assistant` that uses it (issue 21: no import circle).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from assistant.chat.assistant import Assistant
from assistant.units.encounter import Encounter


def encounter_command(path: Path, as_json: bool, settings: Any, out: TextIO | None = None,
                      err: TextIO | None = None) -> int:
    """`python -m assistant encounter FILE.json`: code the encounter in FILE (the `Encounter` model as JSON) and
    print the Markdown answer, or with `--json` {"result": ..., "answer": ...}. Returns 0, or 2 for a file that
    cannot be read (the message names the administration and the field); nothing is lost or guessed."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        encounter = Encounter.model_validate(data)
    except OSError as error:
        err.write(f"{path}: cannot read the file ({error.strerror or error})\n")
        return 2
    except json.JSONDecodeError as error:
        err.write(f"{path}: not JSON (line {error.lineno}, column {error.colno}: {error.msg})\n")
        return 2
    except ValidationError as error:
        for problem in error.errors():
            where = ".".join(str(p) for p in problem.get("loc", ())) or "the file"
            err.write(f"{path}: {where}: {problem['msg']}\n")
        return 2
    result, answer = Assistant.from_settings(settings).code_encounter(encounter)
    if as_json:
        out.write(json.dumps({"result": result.model_dump(mode="json"), "answer": answer.answer}) + "\n")
    else:
        out.write(answer.answer)
    return 0


__all__ = ["encounter_command"]
