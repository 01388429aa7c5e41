"""The Encounter tab in a real browser and `POST /api/encounter` through FastAPI's TestClient, on the real app
with the real Assistant: issue 11's encounters answer the same in the API, the tab and the engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.web import create_app
from assistant.web.encounter import RowError, rows_to_encounter

TIMEOUT_MS = 30_000
LOCAL_PREFIXES = ("http://127.0.0.1", "data:", "blob:", "about:")

# (id, request, expected {code[-modifier]: units}) — issue 11's table in structured form
API_ROWS = [
    ("ns-during-antibiotic-hopd",
     {"setting": "facility", "administrations": [
         {"substance": "normal saline", "route": "iv_infusion", "start": "09:00", "stop": "10:00"},
         {"substance": "vancomycin", "route": "iv_infusion", "start": "09:00", "stop": "10:00"}]},
     {"96365": 1}),
    ("ed-ns-60-plus-zofran-push",
     {"setting": "facility", "administrations": [
         {"substance": "NS", "route": "iv_infusion", "minutes": 60},
         {"substance": "zofran", "route": "iv_push"}]},
     {"96374": 1, "96361": 1}),
    ("carboplatin-450mg-30min",
     {"setting": "professional", "administrations": [
         {"substance": "carboplatin", "route": "iv_infusion", "minutes": 30, "dose": 450, "dose_unit": "mg"}]},
     {"96413": 1, "J9045": 9}),
    ("keytruda-200mg-30min",
     {"setting": "professional", "administrations": [
         {"substance": "keytruda", "route": "iv_infusion", "minutes": 30, "dose": 200, "dose_unit": "mg"}]},
     {"96413": 1, "J9271": 200}),
    ("lupron-depot-22.5mg-im",
     {"setting": "professional", "administrations": [
         {"substance": "lupron depot", "route": "injection", "dose": 22.5, "dose_unit": "mg"}]},
     {"96402": 1, "J9217": 3}),
    ("5fu-pump-46h",
     {"setting": "professional", "administrations": [
         {"substance": "5-FU", "route": "iv_infusion", "minutes": 2760, "pump": True}]},
     {"96416": 1}),
    ("two-chemo-two-sites-medicare",
     {"setting": "facility", "payer": "medicare", "administrations": [
         {"substance": "drug 1", "category": "chemotherapy", "route": "iv_infusion", "minutes": 60, "site": "port"},
         {"substance": "drug 2", "category": "chemotherapy", "route": "iv_infusion", "minutes": 60,
          "site": "left arm"}]},
     {"96413": 1, "96413-XU": 1}),
]


@pytest.fixture(scope="module")
def client(assistant: Any, make_settings: Any) -> TestClient:
    return TestClient(create_app(assistant, make_settings()))


@pytest.fixture(scope="module")
def make_settings() -> Any:
    from assistant.settings import Settings

    def make(**overrides: Any) -> Settings:
        base: dict[str, Any] = {"api_token": None, "cors_origins": [], "root_path": "", "trusted_user_header": None}
        base.update(overrides)
        return Settings(**base)

    return make


def _billed(result: dict[str, Any]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in result["lines"]:
        key = "-".join([line["code"], *line["modifiers"]])
        totals[key] = totals.get(key, 0) + line["units"]
    return totals


@pytest.mark.parametrize(("body", "expected"), [r[1:] for r in API_ROWS], ids=[r[0] for r in API_ROWS])
def test_api_codes_issue_11_encounters(client: TestClient, body: dict[str, Any], expected: dict[str, int]) -> None:
    response = client.post("/api/encounter", json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    assert _billed(data["result"]) == expected
    assert all(line["why"] and line["citation"] for line in data["result"]["lines"])
    assert "The visit as I read it" in data["answer"]


def test_api_asks_instead_of_guessing(client: TestClient) -> None:
    body = {"setting": "facility", "administrations": [{"substance": "mysterymab", "route": "iv_infusion",
                                                         "minutes": 60}]}
    data = client.post("/api/encounter", json=body).json()
    assert data["result"]["lines"] == []
    assert data["result"]["questions"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        pytest.param({"setting": "clinic", "administrations": [{"substance": "x", "route": "iv_push"}]}, "setting",
                     id="bad-setting"),
        pytest.param({"setting": "facility", "administrations": []}, "administrations", id="no-administrations"),
        pytest.param({"setting": "facility", "administrations": [{"substance": "x", "route": "oral"}]}, "route",
                     id="bad-route"),
        pytest.param({"setting": "facility", "administrations": [{"substance": "x", "route": "iv_push",
                                                                  "start": "25:00"}]}, "start", id="bad-clock"),
    ],
)
def test_api_refuses_bad_input_naming_the_field(client: TestClient, body: dict[str, Any], where: str) -> None:
    response = client.post("/api/encounter", json=body)
    assert response.status_code == 422
    assert where in response.text


def test_the_encounter_model_is_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/encounter" in schema["paths"]
    assert {"Encounter", "Administration", "EncounterResult"} <= set(schema["components"]["schemas"])


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param([["", "iv_push", "", "", "", "", "", ""]], "row 1: name the substance", id="no-substance"),
        pytest.param([["zofran", "by mouth", "", "", "", "", "", ""]], "row 1, route", id="bad-route"),
        pytest.param([["zofran", "iv_push", "", "9h", "", "", "", ""]], "row 1, start", id="bad-clock"),
        pytest.param([["zofran", "iv_push", "", "", "", "", "-4 mg", ""]], "row 1, dose", id="negative-dose"),
        pytest.param([["abx", "iv_infusion", "", "", "", "ten", "", ""]], "row 1, minutes", id="bad-minutes"),
        pytest.param([["", "", "", "", "", "", "", ""]], "the table is empty", id="empty"),
    ],
)
def test_tab_rows_with_bad_cells_name_the_row_and_column(rows: list[list[str]], message: str) -> None:
    with pytest.raises(RowError, match=message):
        rows_to_encounter(rows, "facility", "cpt")


def test_tab_rows_over_midnight_take_the_next_date() -> None:
    rows = [["morphine", "iv_push", "", "22:00", "", "", "", ""], ["morphine", "iv_push", "", "02:00", "", "", "", ""]]
    encounter = rows_to_encounter(rows, "facility", "cpt")
    assert [a.day for a in encounter.administrations] == [0, 1]


# --- the tab in a real browser --------------------------------------------------------------------------------------

@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    tab = context.new_page()
    tab.off_loopback = []
    tab.on("request", lambda request: None if request.url.startswith(LOCAL_PREFIXES)
           else tab.off_loopback.append(request.url))
    yield tab
    context.close()


def _result_units(page: Any) -> dict[str, int]:
    shown: dict[str, int] = {}
    tables = page.locator("#ca-enc-result table")  # the first: the billable lines, shown above the folded details
    for row in tables.first.locator("tbody tr").all():
        cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        if len(cells) >= 2 and cells[1].isdigit():
            shown[cells[0].split(" ")[0]] = int(cells[1])
    return shown


def test_encounter_tab_codes_the_example_visit(page: Any, live_app: Any, client: TestClient) -> None:
    from playwright.sync_api import expect

    page.goto(live_app.url, wait_until="load")
    page.get_by_role("tab", name="Encounter").click(timeout=TIMEOUT_MS)
    page.locator("#ca-enc-table").wait_for(timeout=TIMEOUT_MS)
    page.locator("#ca-enc-setting").get_by_text("Facility").click()  # the tab starts on the chat's (professional)
    page.locator("#ca-enc-code").click()
    result = page.locator("#ca-enc-result")
    expect(result).to_contain_text("facility", timeout=TIMEOUT_MS)
    # The example rows: NS 09:00-11:30, zofran IVP 09:05 (4 mg), rituxan 09:30-13:30 (700 mg), facility.
    shown = _result_units(page)
    assert shown == {"96413": 1, "96415": 3, "96375": 1, "J2405": 4, "J9312": 70}
    assert "The visit as I read it" in str(result.text_content()), "folded under the codes"
    assert "Billable lines" in str(result.text_content())
    api = client.post("/api/encounter", json={"setting": "facility", "administrations": [
        {"substance": "normal saline", "route": "iv_infusion", "category": "hydration", "start": "09:00",
         "stop": "11:30"},
        {"substance": "zofran", "route": "iv_push", "start": "09:05", "dose": 4, "dose_unit": "mg"},
        {"substance": "rituxan", "route": "iv_infusion", "start": "09:30", "stop": "13:30", "dose": 700,
         "dose_unit": "mg"}]}).json()
    assert _billed(api["result"]) == shown, "the tab shows the same lines as the API"
    assert page.off_loopback == []


def test_encounter_tab_setting_selector_reaches_the_engine(page: Any, live_app: Any) -> None:
    from playwright.sync_api import expect

    page.goto(live_app.url, wait_until="load")
    page.get_by_role("tab", name="Encounter").click(timeout=TIMEOUT_MS)
    page.locator("#ca-enc-setting").get_by_text("Professional").click()
    page.locator("#ca-enc-code").click()
    result = page.locator("#ca-enc-result")
    expect(result).to_contain_text("professional", timeout=TIMEOUT_MS)


def test_tab_primary_row_becomes_the_primary_index() -> None:
    rows = [["", "", "", "", "", "", "", ""], ["zofran", "iv_push", "therapeutic", "", "", "", "", ""],
            ["abx", "iv_infusion", "therapeutic", "", "", "60", "", ""]]
    encounter = rows_to_encounter(rows, "professional", "cpt", primary_row=2)
    assert encounter.primary == 0
    with pytest.raises(RowError, match="row 1 is not a filled row"):
        rows_to_encounter(rows, "professional", "cpt", primary_row=1)


# Issue 11's table as the tab's rows (substance, route, category, start, stop, minutes, dose, site): what the tab's
# button codes, through the same function (code_rows) the browser test clicks.
TAB_ROWS = [
    ("ns-during-antibiotic-hopd", "facility",
     [["NS", "iv_infusion", "", "09:00", "10:00", "", "", ""],
      ["antibiotic", "iv_infusion", "therapeutic", "09:00", "10:00", "", "", ""]], {"96365": 1}),
    ("ed-ns-60-plus-zofran-push", "facility",
     [["NS", "iv_infusion", "", "", "", "60", "", ""], ["zofran", "iv_push", "", "", "", "", "", ""]],
     {"96374": 1, "96361": 1}),
    ("vanco-60-then-drug-b-100", "facility",
     [["vanco", "iv_infusion", "", "09:00", "10:00", "", "", ""],
      ["drug B", "iv_infusion", "therapeutic", "10:00", "11:40", "", "", ""]], {"96365": 1, "96367": 1, "96366": 1}),
    ("carboplatin-450mg-30min", "professional", [["carboplatin", "iv_infusion", "", "", "", "30", "450 mg", ""]],
     {"96413": 1, "J9045": 9}),
    ("keytruda-200mg-30min", "professional", [["keytruda", "iv_infusion", "", "", "", "30", "200 mg", ""]],
     {"96413": 1, "J9271": 200}),
    ("lupron-depot-22.5mg-im", "professional", [["lupron depot", "injection", "", "", "", "", "22.5 mg", ""]],
     {"96402": 1, "J9217": 3}),
    ("premeds-then-chemo", "facility",
     [["zofran", "iv_push", "", "09:00", "", "", "", ""], ["dexamethasone", "iv_push", "", "09:05", "", "", "", ""],
      ["chemo", "iv_infusion", "chemotherapy", "09:15", "10:15", "", "", ""]], {"96413": 1, "96375": 2}),
    ("chemo-2h-then-hydration-1h", "professional",
     [["chemo", "iv_infusion", "chemotherapy", "09:00", "11:00", "", "", ""],
      ["NS", "iv_infusion", "hydration", "11:00", "12:00", "", "", ""]], {"96413": 1, "96415": 1, "96361": 1}),
]


@pytest.mark.parametrize(("setting", "rows", "expected"), [r[1:] for r in TAB_ROWS], ids=[r[0] for r in TAB_ROWS])
def test_tab_codes_issue_11_rows(assistant: Any, setting: str, rows: list[list[str]],
                                 expected: dict[str, int]) -> None:
    from assistant.web.encounter import code_rows

    text, result = code_rows(assistant, rows, setting, "cpt")
    assert result is not None, text
    assert _billed(result.model_dump()) == expected
    assert "Billable lines" in text


def test_tab_pump_and_kvo_columns(assistant: Any) -> None:
    from assistant.web.encounter import code_rows

    pump = [["5-FU", "iv_infusion", "", "", "", "2760", "", "", "yes", ""]]
    text, result = code_rows(assistant, pump, "professional", "cpt")
    assert result is not None and _billed(result.model_dump()) == {"96416": 1}, text
    kvo = [["NS", "iv_infusion", "", "09:00", "09:45", "", "", "", "", "yes"],
           ["rocephin", "iv_infusion", "therapeutic", "09:45", "10:15", "", "", "", "", ""]]
    text, result = code_rows(assistant, kvo, "facility", "cpt")
    assert result is not None and _billed(result.model_dump()) == {"96365": 1}, text
    with pytest.raises(RowError, match="row 1, pump"):
        rows_to_encounter([["5-FU", "iv_infusion", "", "", "", "60", "", "", "maybe", ""]], "facility", "cpt")
