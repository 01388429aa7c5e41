"""The drug dictionary, the NDC crosswalk importer and the import guard: on small files the tests write, and on the
real CMS files (skipped without ../shared/data)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from assistant.corpus.drugs import DrugDictionary, brand_aliases, generic_names
from assistant.corpus.importers.asp import import_asp
from assistant.corpus.importers.common import ImportFileError, ShrinkingImportError, release_order
from assistant.corpus.importers.hcpcs import import_hcpcs
from assistant.corpus.importers.ndc import import_ndc
from assistant.corpus.loader import Corpus, load_corpus, load_records
from assistant.corpus.records import CodeRecord
from assistant.settings import REPO_ROOT, Settings
from assistant.units.drugs import billing_units, weight_based_dose

BUNDLED = REPO_ROOT / "corpus"
NDC_HEADER = ["hcpcs_code", "short_description", "labeler_name", "ndc2", "drug_name", "hcpcs_dosage", "pkg_size",
              "pkg_qty", "billunits", "billunitspkg"]
ASP_HEADER = ["hcpcs_code", "short_description", "hcpcs_code_dosage", "payment_limit"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=BUNDLED)


def _ndc_rows() -> list[list[str]]:
    return [
        ["J9271", "Inj pembrolizumab", "Merck", "00006-3026-02", "Keytruda", "1 MG", "4", "1", "100", "100"],
        ["J9271", "Inj pembrolizumab", "Merck", "0006-3026-04", "Keytruda", "1 MG", "4", "2", "100", "200"],
        ["J3301", "Triamcinolone acet inj nos", "BMS", "00003-0293-05", "Kenalog-40", "10 MG", "1", "1", "4", "4"],
        ["J2919", "Inj, methylpred sod succ 5mg", "Pfizer", "00009-0047-22", "Solu-Medrol", "5 MG", "2", "1", "25",
         "25"],
        ["J0881", "Darbepoetin alfa, non-esrd", "Amgen", "55513-0002-04", "Aranesp", "1 MCG", "1", "4", "25", "100"],
        ["J0882", "Darbepoetin alfa, esrd use", "Amgen", "55513-0002-04", "Aranesp", "1 MCG", "1", "4", "25", "100"],
    ]


HCPCS_HEADER = ["hcpc", "seqnum", "recid", "long_description", "short_description", "add_dt", "term_dt"]


def _small_imports(settings: Settings) -> Corpus:
    folder = settings.resolved_data_dir
    _write(folder / "hcpcs_2025_oct_anweb.csv", HCPCS_HEADER, [
        ["J9271", "0010", "3", "Injection, pembrolizumab, 1 mg", "Inj pembrolizumab", "20160101", ""],
        ["C9027", "0010", "3", "Injection, pembrolizumab, 1 mg", "Inj pembrolizumab", "20150101", "20151231"],
        ["JW", "0010", "7", "Drug amount discarded/not administered to any patient", "Discarded drug", "20020101",
         ""],
    ])
    import_hcpcs(folder / "hcpcs_2025_oct_anweb.csv", settings, today=date(2026, 1, 15))
    _write(folder / "asp_2026q1.csv", ASP_HEADER, [
        ["J9271", "Inj pembrolizumab", "1 MG", "1"], ["J3301", "Triamcinolone acet inj nos", "10 MG", "1"],
        ["J2919", "Inj methylpred", "5 MG", "1"], ["J0881", "Darbepoetin", "1 MCG", "1"],
        ["J0882", "Darbepoetin esrd", "1 MCG", "1"],
    ])
    import_asp(folder / "asp_2026q1.csv", settings)
    import_ndc(_write(folder / "ndc_2026q1.csv", NDC_HEADER, _ndc_rows()), settings)
    return load_corpus(settings)


# --- names ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        pytest.param("Injection, pembrolizumab, 1 mg", ["pembrolizumab"], id="plain"),
        pytest.param("Injection, immune globulin (hizentra), 100 mg", ["hizentra"], id="brand-in-parentheses"),
        pytest.param("Injection, infliximab, excludes biosimilar, 10 mg", ["infliximab"], id="qualifier-after-comma"),
        pytest.param("Injection, methylprednisolone acetate, 1 mg", ["methylprednisolone acetate"], id="salt-kept"),
        pytest.param("Injection, heparin sodium, per 1000 units", ["heparin sodium"], id="per-units"),
        pytest.param("Infusion, normal saline solution, 1000 cc", ["normal saline"], id="infusion-lead"),
        pytest.param("Unclassified drugs", [], id="unclassified"),
        pytest.param("Injection, leuprolide acetate (for depot suspension), 7.5 mg", ["leuprolide acetate"],
                     id="form-in-parentheses"),
        pytest.param("Injection, heparin sodium (pfizer), not therapeutically equivalent to j1644, per 1000 units",
                     ["heparin sodium"], id="maker-in-parentheses"),
        pytest.param("Injection, crotalidae polyvalent immune fab (ovine), up to 1 gram",
                     ["crotalidae polyvalent immune fab"], id="source-in-parentheses"),
        pytest.param("Injection, iron, 1 mg", [], id="too-general"),
    ],
)
def test_generic_names(descriptor: str, expected: list[str]):
    assert generic_names(descriptor) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Kenalog-40", ["kenalog-40", "kenalog"], id="strength-suffix"),
        pytest.param("Medrol (Pak)", ["medrol (pak)", "medrol"], id="parenthesis"),
        pytest.param("Keytruda", ["keytruda"], id="plain"),
    ],
)
def test_brand_aliases(name: str, expected: list[str]):
    assert brand_aliases(name) == expected


def _record(code: str, terms: list[str], terminated: date | None = None, replaced_by: list[str] | None = None):
    return CodeRecord(code=code, system="HCPCS", family="drugs", title=f"drug {code}",
                      description=f"A drug code {code} for tests.", lay_terms=terms, terminated_on=terminated,
                      replaced_by=replaced_by or [])


@pytest.fixture
def tiny() -> DrugDictionary:
    return DrugDictionary([
        _record("J1642", ["heparin lock flush"]), _record("J1644", ["heparin", "heparin sodium"]),
        _record("J2919", ["solu-medrol"]), _record("J3301", ["kenalog-40", "kenalog"]),
        _record("J1040", ["depo-medrol 80"], date(2024, 3, 31), ["J1010"]), _record("J1010", ["depo-medrol"]),
        _record("J2405", ["zofran"]), _record("J1885", ["toradol"]), _record("J7030", ["ns", "ns 1000"]),
        CodeRecord(code="96365", system="CPT", family="drug_administration", title="IV infusion",
                   description="Not a drug; never in the dictionary.", lay_terms=["infusion"]),
    ])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("heparin lock flush 500 units", [("heparin lock flush", ["J1642"])], id="longest-match"),
        pytest.param("heparin 5000 units", [("heparin", ["J1644"])], id="shorter-name"),
        pytest.param("Solu-Medrol 125 mg", [("Solu-Medrol", ["J2919"])], id="hyphen-case"),
        pytest.param("solu medrol 125 mg", [("solu medrol", ["J2919"])], id="space-for-hyphen"),
        pytest.param("solumedrol 125 mg", [("solumedrol", ["J2919"])], id="joined"),
        pytest.param("kenalog 40 mg", [("kenalog", ["J3301"])], id="dose-number-not-eaten"),
        pytest.param("kenalog-40 1 mL", [("kenalog-40", ["J3301"])], id="brand-with-strength"),
        pytest.param("zofran 4 mg IVP and toradol 30 mg", [("zofran", ["J2405"]), ("toradol", ["J1885"])],
                     id="two-drugs"),
        pytest.param("NS 1000 bolus", [("NS 1000", ["J7030"])], id="bag-size-in-the-name"),
        pytest.param("NS 1000-1100", [("NS", ["J7030"])], id="clock-range-not-the-bag-size"),
        pytest.param("NS 1000 - 1100", [("NS", ["J7030"])], id="spaced-clock-range"),
        pytest.param("NS 1000\u20131100", [("NS", ["J7030"])], id="en-dash-range"),
        pytest.param("heparinized saline", [], id="word-boundary"),
        pytest.param("iv infusion 60 min", [], id="not-a-drug-record"),
    ],
)
def test_find(tiny: DrugDictionary, text: str, expected: list[tuple[str, list[str]]]):
    mentions = tiny.find(text)
    assert [(m.surface, [r.code for r in m.candidates]) for m in mentions] == expected
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.surface


def test_resolve_replaces_a_terminated_code(tiny: DrugDictionary):
    (mention,) = tiny.find("depo-medrol 80 mg")
    assert [r.code for r in mention.candidates] == ["J1010"]  # "80" is the dose: the current name is taken
    assert [r.code for r in tiny.resolve(tiny.candidates("depo-medrol 80"))] == ["J1010"]


@pytest.mark.parametrize(
    ("code", "category"),
    [
        pytest.param("J9271", "chemotherapy", id="pembrolizumab-J9"),
        pytest.param("J9217", "hormonal_antineoplastic", id="leuprolide-cancer"),
        pytest.param("J9395", "hormonal_antineoplastic", id="fulvestrant"),
        pytest.param("J9218", "hormonal_antineoplastic", id="leuprolide-per-mg-derived"),
        pytest.param("J1950", "therapeutic", id="leuprolide-non-cancer"),
        pytest.param("J0640", "therapeutic", id="leucovorin"),
        pytest.param("J2405", "therapeutic", id="antiemetic"),
        pytest.param("96365", None, id="not-a-drug"),
    ],
)
def test_administration_category(tiny: DrugDictionary, code: str, category: str | None):
    assert tiny.administration_category(code) == category


def test_bundled_corpus_has_a_dictionary_without_imports():
    drugs = Corpus(load_records(BUNDLED)).drugs
    assert [r.code for r in drugs.find("depo-provera 150 mg")[0].candidates] == ["J1050"]
    assert drugs.administration_category("J1745") == "chemotherapy"  # infliximab: complex for Medicare (CR 13468)


# --- NDC importer on small files -----------------------------------------------------------------------------------


def test_ndc_import_and_lookup(settings: Settings):
    corpus = _small_imports(settings)
    (row,) = corpus.drugs.ndc("0006-3026-04")  # 4-4-2 as typed, 5-4-2 in the crosswalk
    assert (row.hcpcs_code, row.drug_name, row.bill_units_per_package) == ("J9271", "Keytruda", 200.0)
    assert {r.hcpcs_code for r in corpus.drugs.ndc("55513000204")} == {"J0881", "J0882"}  # one NDC, two codes
    assert corpus.drugs.ndc("99999-9999-99") == []
    assert "keytruda" in corpus.get("J9271").lay_terms  # brand names reach the records (and so search)
    assert [r.code for r in corpus.drugs.find("keytruda 200 mg")[0].candidates] == ["J9271"]
    (ndc_mention,) = corpus.drugs.find("NDC 0006-3026-04, 200 mg")  # an NDC names its drug
    assert (ndc_mention.surface, [r.code for r in ndc_mention.candidates]) == ("0006-3026-04", ["J9271"])
    assert len(corpus.drugs.packages("J9271")) == 2
    assert corpus.drugs.container_amounts("J9271") == [(100.0, "mg")]  # 100 billing units of 1 mg a vial
    assert corpus.drugs.container_amounts("J9999") == []


@pytest.mark.parametrize(
    ("row", "line", "phrase"),
    [
        pytest.param(["XX", "", "", "00006-3026-02", "Keytruda", "1 MG", "4", "1", "100", "100"], 2,
                     "is not a HCPCS Level II code", id="bad-code"),
        pytest.param(["J9271", "", "", "6-3026", "Keytruda", "1 MG", "4", "1", "100", "100"], 2, "is not an NDC",
                     id="bad-ndc"),
        pytest.param(["J9271", "", "", "00006-3026-02", "", "1 MG", "4", "1", "100", "100"], 2, "drug_name is empty",
                     id="no-name"),
        pytest.param(["J9271", "", "", "00006-3026-02", "Keytruda", "1 MG", "4", "1", "100", "lots"], 2,
                     "is not a number", id="bad-count"),
    ],
)
def test_ndc_bad_row_names_file_and_line(settings: Settings, row: list[str], line: int, phrase: str):
    path = _write(settings.resolved_data_dir / "bad.csv", NDC_HEADER, [row])
    with pytest.raises(ImportFileError, match=rf"bad\.csv, line {line}: .*{phrase}"):
        import_ndc(path, settings)


def test_ndc_wrong_file_is_refused(settings: Settings):
    path = _write(settings.resolved_data_dir / "asp.csv", ASP_HEADER, [["J9271", "x", "1 MG", "1"]])
    with pytest.raises(ImportFileError, match="does not look like the CMS NDC-HCPCS crosswalk"):
        import_ndc(path, settings)


# --- the guard: a truncated or older file cannot replace a loaded table by accident -------------------------------


def test_a_truncated_file_is_refused_unless_forced(settings: Settings):
    _small_imports(settings)
    small = _write(settings.resolved_data_dir / "ndc_2026q1_cut.csv", NDC_HEADER, _ndc_rows()[:2])
    with pytest.raises(ShrinkingImportError, match=r"2 NDCs, 60.0% fewer than the 5 in the loaded table.*--force"):
        import_ndc(small, settings)
    overlay = json.loads((settings.resolved_data_dir / "imports" / "ndc.json").read_text())
    assert len(overlay["ndcs"]) == 5  # nothing was replaced
    assert "Imported 2 NDCs" in import_ndc(small, settings, force=True)


def test_an_older_quarter_is_refused_unless_forced(settings: Settings):
    _small_imports(settings)
    older = _write(settings.resolved_data_dir / "ndc_2025q4.csv", NDC_HEADER, _ndc_rows())
    with pytest.raises(ShrinkingImportError, match=r"Q4 2025 release, older than the loaded Q1 2026"):
        import_ndc(older, settings)
    import_ndc(older, settings, force=True)
    newer = _write(settings.resolved_data_dir / "ndc_2026q2.csv", NDC_HEADER, _ndc_rows())
    assert "Q2 2026" in import_ndc(newer, settings)


def test_a_smaller_release_within_five_percent_is_accepted(settings: Settings):
    _small_imports(settings)  # 5 NDCs
    path = _write(settings.resolved_data_dir / "ndc_2026q1_b.csv", NDC_HEADER, _ndc_rows()[:5])  # all 5 NDCs of 5
    assert "Imported 5 NDCs" in import_ndc(path, settings)
    path = _write(settings.resolved_data_dir / "ndc_2026q1_c.csv", NDC_HEADER, _ndc_rows()[:4])  # 20% fewer
    with pytest.raises(ShrinkingImportError, match=r"20.0% fewer .*at most 5%"):
        import_ndc(path, settings)


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Q2 2026", (2026, 4)), ("October 2025", (2025, 10)), (None, None), ("someday", None)],
    ids=["quarter", "month", "none", "unreadable"],
)
def test_release_order(label: str | None, expected: tuple[int, int] | None):
    assert release_order(label) == expected


def test_cli_import_force(settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(settings.resolved_data_dir))
    full = _write(settings.resolved_data_dir / "ndc_2026q1.csv", NDC_HEADER, _ndc_rows())
    cut = _write(settings.resolved_data_dir / "ndc_2026q1_cut.csv", NDC_HEADER, _ndc_rows()[:1])
    assert main(["import", "ndc", str(full)]) == 0
    assert main(["import", "ndc", str(cut)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["import", "ndc", str(cut), "--force"]) == 0


# --- the real CMS files --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    settings = Settings(data_dir=tmp_path_factory.mktemp("drugs-real"), corpus_dir=BUNDLED)
    import_hcpcs(shared_data / "hcpcs_2025_oct_anweb.csv", settings, today=date(2026, 1, 15))
    import_asp(shared_data / "asp_payment_limits_2026q1_level2.csv", settings)
    import_ndc(shared_data / "asp_ndc_hcpcs_crosswalk_2026q1_level2.csv", settings)
    return load_corpus(settings)


# The examples of issue 12, with the real files imported: the name, its one code, and the units of the dose.
ISSUE_EXAMPLES = [
    pytest.param("keytruda 200 mg", "J9271", 200, "mg", 200, id="keytruda"),
    pytest.param("privigen 40 g", "J1459", 40, "g", 80, id="privigen"),
    pytest.param("kenalog 40 mg", "J3301", 40, "mg", 4, id="kenalog"),
    pytest.param("Depo-Provera 150 mg", "J1050", 150, "mg", 150, id="depo-provera"),
    pytest.param("solu-medrol 125 mg", "J2919", 125, "mg", 25, id="solu-medrol"),
    pytest.param("heparin 5000 units", "J1644", 5000, "units", 5, id="heparin"),
    pytest.param("depo-medrol 80 mg", "J1010", 80, "mg", 80, id="depo-medrol-not-J1040"),
    pytest.param("remicade 500 mg", "J1745", 500, "mg", 50, id="remicade"),
    pytest.param("rocephin 1 g", "J0696", 1, "g", 4, id="rocephin"),
    # not in the ASP file: the billing unit is the amount in the CMS descriptor ("Injection, adalimumab, 1 mg")
    pytest.param("adalimumab 40 mg", "J0139", 40, "mg", 40, id="unit-from-descriptor"),
    pytest.param("tetracycline 500 mg", "J0120", 500, "mg", 2, id="up-to-250-mg"),
]


@pytest.mark.parametrize(("text", "code", "dose", "unit", "units"), ISSUE_EXAMPLES)
def test_issue_examples_on_the_real_files(real: Corpus, text: str, code: str, dose: float, unit: str, units: int):
    (mention,) = real.drugs.find(text)
    (record,) = real.drugs.resolve(mention.candidates)
    assert record.code == code
    assert record.billing_unit is not None
    assert billing_units(dose, unit, record.billing_unit.quantity, record.billing_unit.unit) == units


def test_infliximab_by_weight_on_the_real_files(real: Corpus):
    (mention,) = real.drugs.find("infliximab 5 mg/kg, 82 kg")
    (record,) = real.drugs.resolve(mention.candidates)
    dose, unit = weight_based_dose(5, "mg", 82)
    assert (record.code, billing_units(float(dose), unit, record.billing_unit.quantity, "mg")) == ("J1745", 41)


def test_real_crosswalk_ndc_quantity(real: Corpus):
    (row,) = real.drugs.ndc("00006-3026-04")
    assert (row.hcpcs_code, row.bill_units_per_package) == ("J9271", 200.0)
    assert (100.0, "mg") in real.drugs.container_amounts("J9271")
    assert (100.0, "mg") in real.drugs.container_amounts("J1745")  # Remicade: 100 mg vials, 10 billing units


def test_real_descriptor_units_only_where_the_asp_file_has_none(real: Corpus):
    j1459 = real.get("J1459")
    assert (j1459.billing_unit.quantity, j1459.billing_unit.unit) == (500.0, "mg")  # ASP
    j0139 = real.get("J0139")
    assert (j0139.billing_unit.quantity, j0139.billing_unit.unit) == (1.0, "mg")
    assert any("amount in the descriptor" in source for source in j0139.sources)
    j9999 = real.get("J9999")  # "not otherwise classified": in the HCPCS file, with no amount to bill by
    assert j9999 is not None and j9999.billing_unit is None


def test_real_dictionary_is_complete(real: Corpus):
    drug_codes = {r.code for r in real if r.billing_unit is not None and r.system == "HCPCS"}
    named = {r.code for r in real.drugs.records() if r.lay_terms}
    assert len(drug_codes) > 800
    assert len(drug_codes - named) < 0.05 * len(drug_codes)  # nearly every billable drug has a name to find it by


def test_real_terminated_codes_and_modifiers(real: Corpus):
    assert real.get("J1020") is None and real.terminated("J1020").replaced_by == ["J1010"]
    assert real.terminated("C9027").replaced_by == ["J9271"]  # the file's own cross-reference
    assert len(real.retired) > 1000
    modifiers = {r.code for r in real if r.system == "MODIFIER"}
    retired_modifiers = {code for code, r in real.retired.items() if r.system == "MODIFIER"}
    assert retired_modifiers and not modifiers & retired_modifiers
    assert len(modifiers | retired_modifiers) > 383  # the file's 383 (current and terminated) and our CPT ones
    assert real.modifier("JW").official_descriptor == "Drug amount discarded/not administered to any patient"
    assert real.modifier("59") is not None  # a CPT modifier from the bundled modifiers corpus


def test_asp_import_has_the_same_guard(settings: Settings):
    header = ["hcpcs_code", "short_description", "hcpcs_code_dosage"]
    rows = [["J9271", "Inj pembrolizumab", "1 MG"], ["J1459", "Privigen", "500 MG"], ["J3301", "Kenalog", "10 MG"]]
    import_asp(_write(settings.resolved_data_dir / "asp_2026q1.csv", header, rows), settings)
    with pytest.raises(ShrinkingImportError, match="1 drug codes, 66.7% fewer than the 3"):
        import_asp(_write(settings.resolved_data_dir / "asp_2026q1_cut.csv", header, rows[:1]), settings)
    with pytest.raises(ShrinkingImportError, match="Q4 2025 release, older than the loaded Q1 2026"):
        import_asp(_write(settings.resolved_data_dir / "asp_2025q4.csv", header, rows), settings)
    assert "Imported billing units of 3 drug codes" in import_asp(
        _write(settings.resolved_data_dir / "asp_2026q1_two.csv", header, rows), settings)


def test_a_configured_crosswalk_is_imported_on_start(settings: Settings):
    from assistant.imports import import_configured_files

    path = _write(settings.resolved_data_dir / "ndc_2026q1.csv", NDC_HEADER, _ndc_rows())
    configured = settings.model_copy(update={"ndc_file": path})
    (summary,) = import_configured_files(configured)
    assert summary.startswith("Imported 5 NDCs")
    assert import_configured_files(configured) == []  # the same file is not imported twice


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = ["heparin", "lock", "flush", "solu", "medrol", "solu-medrol", "kenalog", "40", "mg", "zofran", "and", "x"]


@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.sampled_from([" ", "  ", ", ", "-"]))
def test_mentions_never_overlap_and_point_at_the_text(words: list[str], joiner: str):
    drugs = DrugDictionary([_record("J1642", ["heparin lock flush"]), _record("J1644", ["heparin"]),
                            _record("J2919", ["solu-medrol"]), _record("J3301", ["kenalog-40", "kenalog"]),
                            _record("J2405", ["zofran"])])
    text = joiner.join(words)
    mentions = drugs.find(text)
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.surface and mention.candidates
    for first, second in zip(mentions, mentions[1:], strict=False):
        assert first.end <= second.start


def test_cpt_import_has_the_shrink_guard(settings: Settings):
    from assistant.corpus.importers.cpt import import_cpt

    full = settings.resolved_data_dir / "licensed.txt"
    full.parent.mkdir(parents=True, exist_ok=True)
    full.write_text("code\tdescriptor\n96369\tMade-up wording one\n96370\tMade-up wording two\n96371\tThree\n",
                    encoding="utf-8")
    import_cpt(full, settings)
    cut = settings.resolved_data_dir / "licensed_cut.txt"
    cut.write_text("code\tdescriptor\n96369\tMade-up wording one\n", encoding="utf-8")
    with pytest.raises(ShrinkingImportError, match="1 CPT codes, 66.7% fewer than the 3"):
        import_cpt(cut, settings)
    assert "Imported 1 CPT descriptor" in import_cpt(cut, settings, force=True)


@pytest.mark.parametrize(
    ("code", "descriptor", "category"),
    [
        pytest.param("Q2050", "Injection, doxorubicin hydrochloride, liposomal, not otherwise specified, 10 mg",
                     "chemotherapy", id="liposomal-doxorubicin-outside-J9"),
        pytest.param("Q0138", "Injection, ferumoxytol, for treatment of iron deficiency anemia, 1 mg (non-esrd use)",
                     "therapeutic", id="other-Q-drug-stays-therapeutic"),
    ],
)
def test_an_antineoplastic_outside_j9_is_chemotherapy(code: str, descriptor: str, category: str):
    record = CodeRecord(code=code, system="HCPCS", family="drugs", title=f"drug {code}",
                        description="A drug given by injection.", lay_terms=[code.lower()],
                        official_descriptor=descriptor)
    assert DrugDictionary([record]).administration_category(code) == category
