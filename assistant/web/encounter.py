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

from assistant.chat.answers import public_citation
from assistant.chat.encounter_clock import number_days
from assistant.contract import Answer, CodeLine, Payer, Setting
from assistant.units.encounter import Encounter, EncounterResult
from assistant.units.encounter.catalog import TITLES
from assistant.web.shape import codes_first, toolbar

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
# The route as a coder types it (issue 20 item 4) -> the engine's route. "SQ"/"SC"/"subq" alone is an injection
# (96372) unless the row has a stop time or minutes, which only an infusion has (96369); "IM" is always an injection.
ROUTE_CHOICES: list[tuple[str, str]] = [
    ("IV infusion (IVPB, drip)", "iv_infusion"), ("IV push (IVP)", "iv_push"), ("SQ/IM injection", "injection"),
    ("SQ infusion", "sc_infusion"), ("Intralesional", "intralesional"), ("Intrathecal", "intrathecal"),
]
ROUTE_ALIASES: dict[str, str] = {
    **{route: route for route in ROUTES}, **{label.casefold(): route for label, route in ROUTE_CHOICES},
    "iv infusion": "iv_infusion", "infusion": "iv_infusion", "ivpb": "iv_infusion", "iv piggyback": "iv_infusion",
    "piggyback": "iv_infusion", "drip": "iv_infusion", "iv": "iv_infusion", "iv drip": "iv_infusion",
    "ivp": "iv_push", "iv push": "iv_push", "push": "iv_push", "iv bolus": "iv_push", "slow push": "iv_push",
    "im": "injection", "intramuscular": "injection", "inj": "injection", "sq injection": "injection",
    "sc injection": "injection", "im injection": "injection", "subq injection": "injection",
    "sq infusion": "sc_infusion", "sc infusion": "sc_infusion", "subq infusion": "sc_infusion",
    "scig": "sc_infusion", "it": "intrathecal", "il": "intralesional",
}
# Each route as the tab writes it into the table (coders' short forms; `route_of` reads them back).
ROUTE_SHORT: dict[str, str] = {
    "iv_infusion": "IV infusion", "iv_push": "IVP", "injection": "injection", "sc_infusion": "SQ infusion",
    "intralesional": "intralesional", "intrathecal": "intrathecal",
}
SUBCUTANEOUS = frozenset({"sq", "sc", "subq", "sub-q", "subcut", "subcutaneous"})
# Category as typed -> the engine's category. CPT 96365 covers "therapeutic, prophylactic or diagnostic" alike.
CATEGORY_CHOICES = ["chemotherapy", "therapeutic", "hydration"]
CATEGORY_ALIASES: dict[str, str] = {
    **{c: c for c in CATEGORY_CHOICES}, "chemo": "chemotherapy", "ther": "therapeutic", "prophylactic": "therapeutic",
    "diagnostic": "therapeutic", "hyd": "hydration", "fluids": "hydration", "fluid": "hydration",
}
EXAMPLE_ROWS = [
    ["normal saline", "IV infusion", "hydration", "09:00", "11:30", "", "", "", "", ""],
    ["zofran", "IVP", "", "09:05", "", "", "4 mg", "", "", ""],
    ["rituxan", "IV infusion", "", "09:30", "13:30", "", "700 mg", "", "", ""],
]


def route_of(typed: str, timed: bool) -> str | None:
    """The engine's route for a route as typed ("IVP", "IVPB", "push", "SQ", "IM", "iv_push"); None if unknown.
    `timed`: the row has a stop time or minutes (a subcutaneous row is then an infusion)."""
    words = " ".join(typed.replace("_", " ").split()).casefold()
    if words.replace(" ", "_") in ROUTES:
        return words.replace(" ", "_")
    if words in SUBCUTANEOUS:
        return "sc_infusion" if timed else "injection"
    return ROUTE_ALIASES.get(words)


def category_of(typed: str) -> str | None:
    """The engine's category for a category as typed ("chemo", "hydration"); "" stays empty; None if unknown."""
    words = " ".join(typed.split()).casefold()
    return "" if not words else CATEGORY_ALIASES.get(words)
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
        route = route_of(row["route"], timed=bool(row["stop"] or row["minutes"]))
        if route is None:
            raise RowError(f"row {number}, route: '{row['route']}' is not a route I know (IV infusion, IVPB, IVP, "
                           "push, SQ, IM, SQ infusion, intralesional, intrathecal)")
        category = category_of(row["category"])
        if category is None:
            raise RowError(f"row {number}, category: '{row['category']}' is not chemotherapy, therapeutic or "
                           "hydration")
        row["category"] = category
        item: dict[str, Any] = {"substance": row["substance"], "route": route,
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


def add_row(rows: Any, substance: str, route: str, category: str, start: str, stop: str, dose: str,
            site: str) -> tuple[list[list[Any]], str]:
    """The form above the table: one administration added to the table (in its first empty row), the route and
    category as chosen or typed ("IVP", "SQ", "chemo"); a form that cannot be read leaves the table as it was."""
    values = rows.values.tolist() if hasattr(rows, "values") else [list(r) for r in rows or []]
    values = [[("" if cell is None else str(cell)) for cell in row] + [""] * (len(COLUMNS) - len(row))
              for row in values]
    substance, start, stop, dose, site = (str(v or "").strip() for v in (substance, start, stop, dose, site))
    if not substance:
        return values, "**Name the substance** (a drug, a code or a fluid) to add a row."
    engine_route = route_of(str(route or ""), timed=bool(stop))
    if engine_route is None:
        return values, f"**'{route}' is not a route I know:** choose one, or type IVP, IVPB, push, SQ or IM."
    if category_of(str(category or "")) is None:
        return values, f"**'{category}' is not a category I know:** chemotherapy, therapeutic or hydration."
    row = [substance, ROUTE_SHORT[engine_route], str(category or "").strip(), start, stop, "", dose, site, "", ""]
    empty = next((i for i, cells in enumerate(values) if not any(c.strip() for c in cells)), None)
    if empty is None:
        values.append(row)
    else:
        values[empty] = row
    return values, f"Added: {substance} ({ROUTE_SHORT[engine_route]})."


def build_encounter_tab(assistant: EncounterCoder, default_setting: Setting = "professional") -> gr.Tab:
    """The "Encounter" tab: an editable table of administrations (with a form whose route and category are
    dropdowns that also take typed coder forms), setting and payer, and the coded result. The setting starts as
    the chat's (the configured default)."""

    def code(rows: Any, setting: Setting, payer: Payer, primary: float | None) -> str:
        text, result = code_rows(assistant, rows, setting, payer, primary)
        if result is None or not result.lines:
            return text
        # As in the chat: the billable lines first, the visit and sources folded under them, and Copy codes.
        lines = [CodeLine(code=line.code, units=line.units, modifiers=list(line.modifiers),
                          description=line.title or TITLES.get(line.code, "")) for line in result.lines]
        shown = codes_first(public_citation(text), len(result.warnings), lines)
        return shown.rstrip() + toolbar(Answer(route="units", answer=text, codes=lines), copy_answer=False)

    with gr.Tab("Encounter", id="encounter", elem_id="ca-encounter-tab") as tab:
        gr.Markdown("One row per drug or fluid given: its route (IVP, IVPB, push, SQ, IM ... as you write them), "
                    "clock times (or minutes), dose and access site; *pump* yes for a pump started for a prolonged "
                    "infusion, *kvo* yes for keep-open fluid. The whole visit is coded together.")
        with gr.Row(equal_height=True, elem_id="ca-enc-options"):
            setting = gr.Radio([("Professional", "professional"), ("Facility", "facility")], value=default_setting,
                               label="Setting", elem_id="ca-enc-setting")
            payer = gr.Radio([("CPT", "cpt"), ("Medicare", "medicare")], value="cpt", label="Rules",
                             elem_id="ca-enc-payer")
            primary = gr.Number(value=None, precision=0, label="Primary reason (row; professional)",
                                info="Empty or 0: the hierarchy is assumed and the answer says so.",
                                elem_id="ca-enc-primary")
        with gr.Row(elem_id="ca-enc-add"):
            substance = gr.Textbox(label="Substance", placeholder="zofran", min_width=120, elem_id="ca-enc-substance")
            route = gr.Dropdown(ROUTE_CHOICES, value="iv_push", label="Route", allow_custom_value=True,
                                min_width=150, elem_id="ca-enc-route")
            category = gr.Dropdown([("(by drug)", ""), *[(c, c) for c in CATEGORY_CHOICES]], value="",
                                   label="Category", allow_custom_value=True, min_width=140, elem_id="ca-enc-category")
            start = gr.Textbox(label="Start", placeholder="09:05", min_width=80, elem_id="ca-enc-start")
            stop = gr.Textbox(label="Stop", placeholder="", min_width=80, elem_id="ca-enc-stop")
            dose = gr.Textbox(label="Dose", placeholder="4 mg", min_width=80, elem_id="ca-enc-dose")
            site = gr.Textbox(label="Site", placeholder="", min_width=80, elem_id="ca-enc-site")
        add = gr.Button("Add to the table", elem_id="ca-enc-add-row", size="sm")
        added = gr.Markdown("", elem_id="ca-enc-added")
        table = gr.Dataframe(
            value=EXAMPLE_ROWS, headers=COLUMNS, datatype=["str"] * len(COLUMNS), column_count=(len(COLUMNS), "fixed"),
            row_count=(6, "dynamic"), interactive=True, label="Administrations", elem_id="ca-enc-table",
        )
        button = gr.Button("Code the encounter", variant="primary", elem_id="ca-enc-code")
        result = gr.Markdown("", elem_id="ca-enc-result", sanitize_html=True)
        add.click(add_row, [table, substance, route, category, start, stop, dose, site], [table, added], queue=False,
                  api_visibility="private")
        button.click(code, [table, setting, payer, primary], [result], queue=False, api_visibility="private")
    return tab


__all__ = ["EncounterResponse", "RowError", "add_row", "build_encounter_tab", "category_of", "code_rows",
           "encounter_router", "route_of", "rows_to_encounter"]
