"""The Encounter tab and `POST /api/encounter` (issue 11 item 4): a whole drug-administration visit coded at once.

Wired in `assistant/web/app.py` (`app.include_router(encounter_router(assistant))`, and `router` for callers that
want the module-level object) and in `assistant/web/ui.py` (`build_encounter_tab(assistant)` inside the page's tabs).
The request is the engine's own `Encounter` model (pydantic, in the OpenAPI schema); drugs named by words or code are
resolved through the corpus. Bad input answers 422 naming the administration and the field.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Protocol

import anyio
import gradio as gr
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ValidationError

from assistant.chat.encounter_route import number_days
from assistant.contract import Answer, Payer, Setting
from assistant.units.encounter import Encounter, EncounterResult

MAX_ADMINISTRATIONS = 100


class EncounterResponse(BaseModel):
    """The coded encounter: the engine's structured result plus `answer`, the same result as Markdown."""

    result: EncounterResult
    answer: str


class EncounterCoder(Protocol):
    """What the encounter API and tab need of the assistant (`assistant.chat.assistant.Assistant.code_encounter`)."""

    def code_encounter(self, encounter: Encounter) -> tuple[EncounterResult, Answer]: ...


def encounter_router(assistant: EncounterCoder) -> APIRouter:
    """`POST /api/encounter` over the assistant's corpus and edits tables (`Assistant.code_encounter`)."""
    api = APIRouter(prefix="/api", tags=["api"])

    @api.post(
        "/encounter",
        response_model=EncounterResponse,
        summary="Code a whole drug-administration encounter",
        description=(
            "Every administration with its own time; one initial service per access site (facility hierarchy or "
            "the professional's primary reason), each infusion's own hours, concurrent and sequential infusions, "
            "drug-free hydration, pushes, injections, drug lines, MUE and PTP. Questions come back when the codes "
            "depend on them (then no lines)."
        ),
    )
    async def post_encounter(encounter: Encounter) -> EncounterResponse:
        if len(encounter.administrations) > MAX_ADMINISTRATIONS:
            raise HTTPException(422, f"at most {MAX_ADMINISTRATIONS} administrations per encounter")
        result, answer = await anyio.to_thread.run_sync(assistant.code_encounter, encounter)
        return EncounterResponse(result=result, answer=answer.answer)

    return api


# --- the tab -------------------------------------------------------------------------------------------------------

COLUMNS = ["substance", "route", "category", "start", "stop", "minutes", "dose", "site", "pump", "kvo"]
ROUTES = ["iv_infusion", "iv_push", "injection", "sc_infusion", "intralesional", "intrathecal"]
EXAMPLE_ROWS = [
    ["normal saline", "iv_infusion", "hydration", "09:00", "11:30", "", "", "", "", ""],
    ["zofran", "iv_push", "", "09:05", "", "", "4 mg", "", "", ""],
    ["rituxan", "iv_infusion", "", "09:30", "13:30", "", "700 mg", "", "", ""],
]
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"", "no", "n", "false", "0"}
_DOSE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Zµ]+)\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2}):?(\d{2})\s*$")


class RowError(ValueError):
    """A row of the tab's table that cannot be read; the message names the row and the column."""


def _clock(value: str, row: int, column: str) -> datetime.time | None:
    if not value:
        return None
    match = _CLOCK.match(value)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise RowError(f"row {row}, {column}: '{value}' is not a clock time (use 09:30 or 0930)")
    return datetime.time(int(match.group(1)), int(match.group(2)))


def rows_to_encounter(
    rows: list[list[Any]], setting: Setting, payer: Payer, primary_row: int | None = None
) -> Encounter:
    """The tab's table as an `Encounter`; empty rows are skipped, a bad cell raises RowError naming it.
    `primary_row` (1-based, as shown) is the professional's primary reason for the encounter."""
    administrations: list[dict[str, Any]] = []
    index_of_row: dict[int, int] = {}
    for number, raw in enumerate(rows, start=1):
        cells = [("" if cell is None else str(cell)).strip() for cell in list(raw) + [""] * len(COLUMNS)]
        row = dict(zip(COLUMNS, cells, strict=False))
        if not any(row.values()):
            continue
        if not row["substance"]:
            raise RowError(f"row {number}: name the substance (a drug, a code or a fluid)")
        if row["route"] not in ROUTES:
            raise RowError(f"row {number}, route: '{row['route']}' is not one of {', '.join(ROUTES)}")
        item: dict[str, Any] = {"substance": row["substance"], "route": row["route"],
                                "start": _clock(row["start"], number, "start"),
                                "stop": _clock(row["stop"], number, "stop"), "site": row["site"] or None}
        if row["category"]:
            item["category"] = row["category"]
        if row["minutes"]:
            if not row["minutes"].isdigit():
                raise RowError(f"row {number}, minutes: '{row['minutes']}' is not a whole number of minutes")
            item["minutes"] = int(row["minutes"])
        for flag, field in (("pump", "pump"), ("kvo", "keep_open")):
            value = row[flag].casefold()
            if value not in _YES | _NO:
                raise RowError(f"row {number}, {flag}: '{row[flag]}' is not yes or no")
            item[field] = value in _YES
        if row["dose"]:
            match = _DOSE.match(row["dose"])
            if not match or float(match.group(1)) <= 0:
                raise RowError(f"row {number}, dose: '{row['dose']}' is not a dose (use 450 mg)")
            item["dose"], item["dose_unit"] = float(match.group(1)), match.group(2)
        index_of_row[number] = len(administrations)
        administrations.append(item)
    if not administrations:
        raise RowError("the table is empty: add one row per drug or fluid given")
    number_days(administrations, [])  # a start more than 6 hours before the previous one is the next date
    primary = None
    if primary_row is not None:
        if primary_row not in index_of_row:
            raise RowError(f"primary reason: row {primary_row} is not a filled row of the table")
        primary = index_of_row[primary_row]
    try:
        return Encounter.model_validate(
            {"setting": setting, "payer": payer, "administrations": administrations, "primary": primary}
        )
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem.get("loc", ()))
        match = re.match(r"administrations\.(\d+)\.?(.*)", where)
        if match:
            where = f"row {int(match.group(1)) + 1}" + (f", {match.group(2)}" if match.group(2) else "")
        raise RowError(f"{where}: {problem['msg']}") from error


def code_rows(
    assistant: EncounterCoder, rows: Any, setting: Setting, payer: Payer, primary: float | None = None
) -> tuple[str, EncounterResult | None]:
    """What the tab's button does: the table (a DataFrame or a list of rows) coded; the Markdown and the result
    (None when the table cannot be read; the Markdown then names the row and column)."""
    values = rows.values.tolist() if hasattr(rows, "values") else list(rows or [])
    try:
        primary_row = int(primary) if primary and primary > 0 else None
        encounter = rows_to_encounter(values, setting, payer, primary_row)
    except RowError as error:
        return f"**I can't read the table:** {error}.", None
    result, answer = assistant.code_encounter(encounter)
    return answer.answer, result


def build_encounter_tab(assistant: EncounterCoder) -> gr.Tab:
    """The "Encounter" tab: an editable table of administrations, setting and payer, and the coded result."""

    def code(rows: Any, setting: Setting, payer: Payer, primary: float | None) -> str:
        return code_rows(assistant, rows, setting, payer, primary)[0]

    with gr.Tab("Encounter", id="encounter", elem_id="ca-encounter-tab") as tab:
        gr.Markdown("One row per drug or fluid given: its route, clock times (or minutes), dose and access site; "
                    "*pump* yes for a pump started for a prolonged infusion, *kvo* yes for keep-open fluid. "
                    "The whole visit is coded together.")
        with gr.Row(equal_height=True):
            setting = gr.Radio([("Facility", "facility"), ("Professional", "professional")], value="facility",
                               label="Setting", elem_id="ca-enc-setting")
            payer = gr.Radio([("CPT", "cpt"), ("Medicare", "medicare")], value="cpt", label="Rules",
                             elem_id="ca-enc-payer")
            primary = gr.Number(value=None, precision=0, label="Primary reason (row; professional)",
                                info="Empty or 0: the hierarchy is assumed and the answer says so.",
                                elem_id="ca-enc-primary")
        table = gr.Dataframe(
            value=EXAMPLE_ROWS, headers=COLUMNS, datatype=["str"] * len(COLUMNS), column_count=(len(COLUMNS), "fixed"),
            row_count=(6, "dynamic"), interactive=True, label="Administrations", elem_id="ca-enc-table",
        )
        button = gr.Button("Code the encounter", variant="primary", elem_id="ca-enc-code")
        result = gr.Markdown("", elem_id="ca-enc-result", sanitize_html=True)
        button.click(code, [table, setting, payer, primary], [result], queue=False, api_visibility="private")
    return tab


__all__ = ["EncounterResponse", "RowError", "build_encounter_tab", "code_rows", "encounter_router", "rows_to_encounter"]
