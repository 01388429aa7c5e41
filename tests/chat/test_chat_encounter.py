"""Issue 11's table through `Assistant.ask`: whole encounters coded by the encounter engine, each line with why.

The engine's own answers for these rows are also pinned in tests/units/encounter (eval/encounter_cases.yaml, ids
"*-issue11-*"); the route is tested on hand-built services too, independent of the reader (issue 10).
"""

from __future__ import annotations

import datetime

import pytest

from assistant.chat.encounter_route import answer_encounter, is_encounter, to_encounter
from assistant.chat.reading.services import Service
from assistant.chat.router import RouteContext

# (id, question, setting, expected {code: units}) — issue 11's table, plus the issue's MAR example
ROWS = [
    ("ns-during-antibiotic-hopd", "NS running at 125/hr during a 60 min IV antibiotic infusion, HOPD", None,
     {"96365": 1}),
    ("ed-ns-60-plus-zofran-push", "ED facility: NS hydration 60 min plus zofran IV push", None,
     {"96374": 1, "96361": 1}),
    ("vanco-60-then-drug-b-100", "facility: vanco 60 min, then drug B sequential 100 min", None,
     {"96365": 1, "96367": 1, "96366": 1}),
    ("carboplatin-450mg-30min", "carboplatin 450 mg IV over 30 min", None, {"96413": 1, "J9045": 9}),
    ("keytruda-200mg-30min", "keytruda 200 mg IV over 30 min", None, {"96413": 1, "J9271": 200}),
    ("lupron-depot-22.5mg-im", "lupron depot 22.5 mg IM", None, {"96402": 1, "J9217": 3}),
    ("premeds-then-chemo", "facility: zofran and dexamethasone IVP premeds, then chemo 60 min", None,
     {"96413": 1, "96375": 2}),
    ("chemo-2h-then-hydration-1h", "chemo 2 hrs then post-hydration 1 hr", None,
     {"96413": 1, "96415": 1, "96361": 1}),
    ("5fu-pump-46h", "started 5-FU pump to run 46 hrs at home", None, {"96416": 1}),
    ("mar-ns-zofran-rituxan", "NS 0900-1130, zofran IVP 0905, rituxan 0930-1330, facility", None,
     {"96413": 1, "96415": 3, "96375": 1}),
]


def _codes(answer) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in answer.codes:
        totals[line.code] = totals.get(line.code, 0) + (line.units or 0)
    return totals


@pytest.mark.parametrize(("question", "setting", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_issue_11_rows_through_ask(assistant, question: str, setting: str | None, expected: dict[str, int]) -> None:
    answer = assistant.ask(question, setting=setting)
    assert _codes(answer) == expected
    assert answer.route == "units"
    assert "The visit as I read it" in answer.answer
    assert "Billable lines" in answer.answer


# --- the route on services built by hand (independent of the reader) --------------------------------------------

def _service(**fields: object) -> Service:
    base: dict[str, object] = dict(family=None, route=None, category=None, drug=None, code=None, minutes=None,
                                   start=None, end=None, dose=None, dose_unit=None, count=None, relation=None,
                                   pump=None, site=None, words="", span=(0, 0))
    base.update(fields)
    return Service(**base)  # type: ignore[arg-type]


def _t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


SERVICE_ROWS = [
    ("ns-during-antibiotic", "facility",
     [_service(family="hydration", route="iv_infusion", category="hydration", words="NS running at 125/hr"),
      _service(family="iv_infusion", route="iv_infusion", category="therapeutic", minutes=60, relation="during",
               words="during a 60 min IV antibiotic infusion")],
     {"96365": 1}),
    ("mar-ns-zofran-rituxan", "facility",
     [_service(family="hydration", route="iv_infusion", category="hydration", start=_t("09:00"), end=_t("11:30"),
               words="NS 0900-1130"),
      _service(family="iv_push", route="iv_push", drug="zofran", start=_t("09:05"), words="zofran IVP 0905"),
      _service(family="iv_infusion", route="iv_infusion", drug="rituxan", start=_t("09:30"), end=_t("13:30"),
               dose=700, dose_unit="mg", words="rituxan 700 mg 0930-1330")],
     {"96413": 1, "96415": 3, "96375": 1, "J9312": 70}),
    ("keytruda-named-in-the-words-found-in-the-corpus", "professional",
     [_service(family="iv_infusion", route="iv_infusion", minutes=30, dose=200, dose_unit="mg",
               words="keytruda 200 mg IV over 30 min")],
     {"96413": 1, "J9271": 200}),
    ("lupron-im-hormonal", "professional",
     [_service(family="injection", route="im", drug="lupron depot", dose=22.5, dose_unit="mg",
               words="lupron depot 22.5 mg IM")],
     {"96402": 1, "J9217": 3}),
    ("zofran-corpus-drug-line", "facility",
     [_service(family="iv_push", route="iv_push", drug="zofran", dose=4, dose_unit="mg", words="zofran 4 mg IVP"),
      _service(family="iv_push", route="iv_push", drug="toradol", dose=30, dose_unit="mg", words="toradol 30 mg IVP")],
     {"96374": 1, "96375": 1, "J2405": 4, "J1885": 2}),
    ("morphine-22h-then-02h-next-date", "facility",
     [_service(family="iv_push", route="iv_push", drug="morphine", start=_t("22:00"), words="morphine IVP 2200"),
      _service(family="iv_push", route="iv_push", drug="morphine", start=_t("02:00"), words="morphine IVP 0200")],
     {"96374": 1, "96376": 1}),
    ("pump-46h", "professional",
     [_service(family="chemo_infusion", route="iv_infusion", category="chemotherapy", minutes=2760, pump=True,
               words="started 5-FU pump to run 46 hrs at home")],
     {"96416": 1}),
    ("chemo-then-hydration-placed-in-sequence", "professional",
     [_service(family="chemo_infusion", route="iv_infusion", category="chemotherapy", minutes=120, words="chemo 2 hrs"),
      _service(family="hydration", route="iv_infusion", category="hydration", minutes=60, relation="then",
               words="post-hydration 1 hr")],
     {"96413": 1, "96415": 1, "96361": 1}),
    ("chemo-plus-hydration-without-times-not-added", "professional",
     [_service(family="chemo_infusion", route="iv_infusion", category="chemotherapy", minutes=120,
               words="chemo infusion 2 hours"),
      _service(family="hydration", route="iv_infusion", category="hydration", minutes=60, words="hydration 1 hr")],
     {"96413": 1, "96415": 1}),
    ("drug-b-is-a-placeholder-not-a-name", "facility",
     [_service(family="iv_infusion", route="iv_infusion", category="therapeutic", drug="vanco", minutes=60,
               words="vanco 60 min"),
      _service(family="iv_infusion", route="iv_infusion", drug="b", minutes=100, relation="sequential",
               words="drug B sequential 100 min")],
     {"96365": 1, "96367": 1, "96366": 1}),
    ("5fu-pump-named-in-the-words-found-in-the-corpus", "professional",
     [_service(pump=True, minutes=2760, words="started 5-FU pump to run 46 hrs at home")],
     {"96416": 1}),
]


@pytest.mark.parametrize(("setting", "services", "expected"), [r[1:] for r in SERVICE_ROWS],
                         ids=[r[0] for r in SERVICE_ROWS])
def test_services_are_coded_as_one_encounter(assistant, setting: str, services: list[Service],
                                             expected: dict[str, int]) -> None:
    answer = answer_encounter(services, RouteContext(payer="cpt", setting=setting), assistant.router)
    assert answer is not None
    assert _codes(answer) == expected
    assert answer.citations


def test_a_single_timed_service_without_a_drug_is_left_to_the_units_route() -> None:
    assert not is_encounter([_service(family="iv_infusion", route="iv_infusion", minutes=110,
                                      words="therapeutic IV infusion 110 minutes")])
    assert not is_encounter([_service(family="psychotherapy", minutes=53, words="psychotherapy 53 min")])


def test_an_unknown_drug_is_asked_not_guessed(assistant) -> None:
    services = [_service(family=None, route="iv_infusion", drug="mysterymab", minutes=60, words="mysterymab 60 min"),
                _service(family="iv_push", route="iv_push", drug="zofran", words="zofran IVP")]
    answer = answer_encounter(services, RouteContext(payer="cpt", setting="facility"), assistant.router)
    assert answer is not None
    assert answer.codes == []
    assert "I need to know more" in answer.answer


def test_drugs_resolve_only_through_the_corpus(assistant) -> None:
    """Drug names come from the corpus (corpus/drugs.yaml, imports), never from a list in the chat layer: a router
    whose corpus lacks Keytruda leaves it unnamed and the category is asked, never borrowed."""
    from assistant.chat.encounter_route import resolve_name
    from assistant.chat.router import Router
    from assistant.corpus.loader import Corpus

    router = assistant.router
    info = resolve_name(None, None, "keytruda 200 mg IV over 30 min", router)
    assert info is not None and (info.code, info.quantity, info.unit, info.category) == ("J9271", 1, "mg",
                                                                                       "chemotherapy")
    lupron = resolve_name("lupron depot", None, "lupron depot 22.5 mg IM", router)
    assert lupron is not None and (lupron.code, lupron.quantity, lupron.hormonal) == ("J9217", 7.5, True)
    # two different drugs in one service's words: not resolved (never the first)
    assert resolve_name(None, None, "keytruda and rituxan", router) is None
    without = Router(Corpus([r for r in router.corpus.records if r.code != "J9271"]), router.retriever, None)
    assert resolve_name(None, None, "keytruda 200 mg IV over 30 min", without) is None
    services = [_service(family="iv_infusion", route="iv_infusion", minutes=30, dose=200, dose_unit="mg",
                         words="keytruda 200 mg IV over 30 min")]
    assert is_encounter(services, router) and not is_encounter(services, without)


def test_timeline_says_why_hydration_is_not_reported(assistant) -> None:
    services = SERVICE_ROWS[0][2]
    answer = answer_encounter(services, RouteContext(payer="cpt", setting="facility"), assistant.router)
    assert answer is not None
    assert "not reported: it overlaps" in answer.answer
    encounter, _, placed = to_encounter(services, RouteContext(payer="cpt", setting="facility"), assistant.router)
    assert placed  # the clock times were placed, not typed: the table leaves them blank


# --- MUE and PTP of the coded lines (EDITS' store, per setting) ----------------------------------------------------

MUE_CSV = """hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,mue_rationale
96375,1,3,Date of Service Edit: Clinical,Clinical: Data
"""
PTP_CSV = """column1,column2,modifier_indicator,ptp_edit_rationale
96413,96361,1,Standards of medical / surgical practice
"""


@pytest.fixture(scope="module")
def edits_router(assistant, tmp_path_factory):
    """The session assistant's router with a tiny practitioner MUE and PTP table (no outpatient hospital tables)."""
    from assistant.chat.router import Router
    from assistant.edits import EditsStore
    from assistant.edits.importers import import_mue, import_ptp
    from assistant.settings import Settings

    data_dir = tmp_path_factory.mktemp("enc-edits")
    settings = Settings(data_dir=data_dir)
    (data_dir / "mue.csv").write_text(MUE_CSV)
    (data_dir / "ptp.csv").write_text(PTP_CSV)
    import_mue(data_dir / "mue.csv", settings, progress=False)
    import_ptp(data_dir / "ptp.csv", settings, progress=False)
    store = EditsStore(data_dir / "edits.sqlite3")
    return Router(assistant.router.corpus, assistant.router.retriever, store)


def test_mue_and_ptp_of_the_lines_are_checked_for_the_setting(edits_router) -> None:
    services = [
        _service(family="iv_push", route="iv_push", drug="zofran", words="zofran IVP"),
        _service(family="iv_push", route="iv_push", drug="toradol", words="toradol IVP"),
        _service(family="iv_push", route="iv_push", drug="morphine", words="morphine IVP"),
    ]
    answer = answer_encounter(services, RouteContext(payer="cpt", setting="professional"), edits_router)
    assert answer is not None and _codes(answer) == {"96374": 1, "96375": 2}
    assert any("96375 x2 is over its MUE of 1" in w for w in answer.warnings)
    # Facility: the outpatient hospital MUE table is not loaded, so no practitioner value is borrowed.
    facility = answer_encounter(services, RouteContext(payer="cpt", setting="facility"), edits_router)
    assert facility is not None and _codes(facility)  # coded, with no MUE check borrowed from another table
    assert not any("MUE" in w for w in facility.warnings)
    chemo = [_service(family="chemo_infusion", route="iv_infusion", category="chemotherapy", minutes=60,
                      start=_t("09:00"), words="chemo 0900 60 min"),
             _service(family="hydration", route="iv_infusion", category="hydration", start=_t("10:00"),
                      end=_t("11:00"), words="NS 1000-1100")]
    answer = answer_encounter(chemo, RouteContext(payer="cpt", setting="professional"), edits_router)
    assert answer is not None and _codes(answer) == {"96413": 1, "96361": 1}
    assert any("PTP edit 96413 / 96361: modifier indicator 1" in w for w in answer.warnings)


def test_a_drug_with_a_dose_and_no_route_is_left_to_drug_units() -> None:
    assert not is_encounter([_service(drug="hizentra", dose=12000, dose_unit="mg", words="hizentra 12,000mg")])


def test_a_service_whose_route_is_unknown_is_asked_not_guessed(assistant) -> None:
    services = [_service(drug="zofran", words="zofran 4 mg"),
                _service(family="iv_infusion", route="iv_infusion", category="therapeutic", minutes=60,
                         words="abx 60 min")]
    answer = answer_encounter(services, RouteContext(payer="cpt", setting="facility"), assistant.router)
    assert answer is not None and answer.codes == []
    assert "How was 'zofran 4 mg' given" in answer.answer


def test_a_question_with_other_services_is_left_to_the_units_route() -> None:
    services = [_service(code="97110", minutes=30, words="medicare 97110 30 min"),
                _service(family="iv_infusion", route="iv_infusion", drug="unattended estim", code="97014", minutes=15,
                         words="97014 unattended estim 15 min")]
    assert not is_encounter(services)
    assert not is_encounter([_service(family="psychotherapy", minutes=53, words="psychotherapy 53 min"),
                             _service(family="iv_push", route="iv_push", drug="zofran", words="zofran IVP")])


# --- python -m assistant encounter FILE.json ------------------------------------------------------------------------

def _run_cli(tmp_path, text: str, as_json: bool = False) -> tuple[int, str, str]:
    import io

    from assistant.chat.encounter_cli import encounter_command
    from assistant.settings import Settings

    path = tmp_path / "visit.json"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = encounter_command(path, as_json, Settings(), out, err)
    return code, out.getvalue(), err.getvalue()


VISIT = ('{"setting": "facility", "administrations": [{"substance": "NS", "route": "iv_infusion", "minutes": 60}, '
         '{"substance": "zofran", "route": "iv_push", "dose": 4, "dose_unit": "mg"}]}')


def test_cli_codes_a_visit_file(tmp_path) -> None:
    code, out, err = _run_cli(tmp_path, VISIT)
    assert code == 0 and err == ""
    assert out.startswith("**Report 96374 x1, 96361 x1 and J2405 x4.**")


def test_cli_json_carries_the_structured_result(tmp_path) -> None:
    import json

    code, out, _ = _run_cli(tmp_path, VISIT, as_json=True)
    data = json.loads(out)
    assert code == 0
    assert [(line["code"], line["units"]) for line in data["result"]["lines"]] == [
        ("96374", 1), ("96361", 1), ("J2405", 4)]
    assert data["answer"].startswith("**Report")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{not json", "not JSON (line 1, column 2", id="not-json"),
        pytest.param('{"setting": "facility", "administrations": [{"route": "iv_push"}]}',
                     "administrations.0.substance: Field required", id="missing-substance"),
        pytest.param('{"setting": "home", "administrations": [{"substance": "x", "route": "iv_push"}]}',
                     "setting: Input should be", id="bad-setting"),
    ],
)
def test_cli_refuses_a_bad_file_naming_the_field(tmp_path, text: str, message: str) -> None:
    code, out, err = _run_cli(tmp_path, text)
    assert code == 2 and out == ""
    assert message in err


def test_drugs_with_doses_and_no_administration_are_left_to_drug_units() -> None:
    assert not is_encounter([_service(drug="keytruda", dose=200, dose_unit="mg", words="keytruda 200 mg"),
                             _service(drug="privigen", dose=40, dose_unit="g", words="privigen 40 g")])
