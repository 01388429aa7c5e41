"""Look-ups with a verdict for every code shape (issue 12 items 1-3), through `Assistant.ask`.

Each test imports into its own data directory (never the project's .data); the assistant is built without the
embedding model (look-ups are exact, never by embedding).
"""

from __future__ import annotations

import csv
import gzip
from datetime import date
from pathlib import Path

import pytest

from assistant.chat.assistant import Assistant
from assistant.corpus.importers.asp import import_asp
from assistant.corpus.importers.hcpcs import import_hcpcs
from assistant.corpus.importers.ndc import import_ndc
from assistant.corpus.loader import load_corpus
from assistant.edits import FILENAME, EditsStore
from assistant.edits.importers import import_mue, import_ptp
from assistant.settings import REPO_ROOT, Settings

HCPCS_HEADER = ["hcpc", "seqnum", "recid", "long_description", "short_description", "add_dt", "term_dt", "xref1"]
NDC_HEADER = ["hcpcs_code", "short_description", "labeler_name", "ndc2", "drug_name", "hcpcs_dosage", "pkg_size",
              "pkg_qty", "billunits", "billunitspkg"]


def _write(path: Path, header: list[str] | str, rows: list[list[str]] | list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(header, str):
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")  # type: ignore[list-item]
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _assistant(settings: Settings) -> Assistant:
    corpus = load_corpus(settings)
    return Assistant(settings, corpus, None, EditsStore(settings.resolved_data_dir / FILENAME))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """Small files the test writes: a few HCPCS rows (one terminated with a cross-reference, one without), MUE and
    PTP rows for 36415, and one crosswalk NDC."""
    folder = tmp_path_factory.mktemp("lookup-small")
    settings = Settings(data_dir=folder / "data", corpus_dir=REPO_ROOT / "corpus")
    import_hcpcs(_write(folder / "hcpcs_2025_oct_anweb.csv", HCPCS_HEADER, [
        ["J9271", "0010", "3", "Injection, pembrolizumab, 1 mg", "Inj pembrolizumab", "20160101", "", ""],
        ["C9027", "0010", "3", "Injection, pembrolizumab, 1 mg", "Inj pembrolizumab", "20150101", "20151231",
         "J9271"],
        ["J1030", "0010", "3", "Injection, methylprednisolone acetate, 40 mg", "Methylprednisolone 40 mg",
         "19820101", "20240331", ""],
        ["J0120", "0010", "3", "Injection, tetracycline, up to 250 mg", "Tetracyclin up to 250 mg", "19840101", "",
         ""],
        ["JW", "0010", "7", "Drug amount discarded/not administered to any patient", "Discarded drug", "20020101", "",
         ""],
        ["GX", "0010", "7", "Notice of liability issued, voluntary under payer policy", "Voluntary notice",
         "20110101", "", ""],
    ]), settings, today=date(2026, 1, 15))
    import_asp(_write(folder / "asp_2026q1.csv", ["hcpcs_code", "short_description", "hcpcs_code_dosage"], [
        ["J9271", "Inj pembrolizumab", "1 MG"]]), settings)
    import_ndc(_write(folder / "ndc_2026q1.csv", NDC_HEADER, [
        ["J9271", "Inj pembrolizumab", "Merck Sharp & Dohme LLC", "00006-3026-02", "Keytruda", "1 MG", "4", "1",
         "100", "100"]]), settings)
    import_mue(_write(folder / "mue_2026q2.csv", "hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,"
                      "mue_rationale", ["36415,2,3,Date of Service Edit: Clinical,Clinical: Data",
                                        "96372,4,3,Date of Service Edit: Clinical,Clinical: Data"]),
               settings, progress=False)
    import_ptp(_write(folder / "ptp_2026q2.csv", "column1,column2,modifier_indicator,ptp_edit_rationale",
                      ["36415,36416,0,Mutually exclusive procedures", "36415,36591,1,Standards of medical practice",
                       "99211,36415,1,Misuse of column two code", "36415,36000,9,Deleted edit"]),
               settings, progress=False)
    return _assistant(settings)


def _codes(answer) -> list[str]:
    return [line.code for line in answer.codes]


def test_cpt_code_in_the_ncci_tables(small: Assistant):
    answer = small.ask("what is 36415")
    assert answer.route == "lookup"
    assert "36415: a CPT code in the CMS NCCI tables, 2026 Q2" in answer.answer
    assert "MUE 2, MAI 3" in answer.answer and "import cpt" in answer.answer
    assert not any("not found" in w for w in answer.warnings)
    assert [line.code for line in answer.codes] == ["36415"]  # a real code is in `codes`; only invalid ones never are
    assert "3 active PTP edits (1 deleted)" in answer.answer  # 36416, 36591, 99211; 36000 is deleted (9)


@pytest.mark.parametrize(
    ("question", "code", "phrase"),
    [
        pytest.param("what is 96363", "96363", "96363: not a valid code", id="invalid-cpt"),
        pytest.param("J0000?", "J0000", "J0000: not a valid code", id="invalid-hcpcs"),
    ],
)
def test_invalid_code_has_a_verdict_and_no_codes(small: Assistant, question: str, code: str, phrase: str):
    answer = small.ask(question)
    assert answer.route == "lookup"
    assert phrase in answer.answer
    assert answer.codes == []
    assert any(code in warning and "not a valid code" in warning for warning in answer.warnings)


def test_category_ii_code_is_unknown_not_invalid(small: Assistant):
    answer = small.ask("what is 3008F")  # Category II codes are never in the NCCI tables
    assert answer.codes == [] and "3008F: unknown" in answer.answer and "not a valid code" not in answer.answer


def test_invalid_code_near_codes_only_from_the_same_range(small: Assistant):
    answer = small.ask("J0000")
    near = answer.answer.split("Codes of the same range:")[1]
    assert "J0120" in near
    codes = [token for token in near.split() if token[:1] in "ABCDEGHJKLMPQRSTV" and len(token) == 5]
    assert codes and all(code[:2] == "J0" for code in codes)
    cpt = small.ask("what is 96363").answer
    assert "96360" in cpt and "99214" not in cpt.split("Codes of the same range:")[-1]


@pytest.mark.parametrize(
    ("question", "terminated", "replacement", "source_phrase"),
    [
        pytest.param("what is C9027", "C9027", "J9271", "cross-reference", id="xref-from-the-file"),
        pytest.param("J1030", "J1030", "J1010", "J1010 'Injection, methylprednisolone acetate, 1 mg'",
                     id="sourced-table"),
        pytest.param("what is J1040", "J1040", "J1010", "term_dt 2024-03-31", id="bundled-terminated"),
    ],
)
def test_terminated_code_names_its_replacement(small: Assistant, question, terminated, replacement, source_phrase):
    answer = small.ask(question)
    assert answer.route == "lookup"
    assert f"{terminated} is a terminated code" in answer.answer
    assert f"**Bill instead:** {replacement}" in answer.answer
    assert source_phrase in answer.answer


def test_a_record_card_counts_its_ptp_edits(small: Assistant):
    answer = small.ask("what is 99211")
    assert answer.codes[0].code == "99211"
    if callable(getattr(small.edits, "ptp_count", None)):
        assert "**NCCI PTP:** 1 active edit names 99211 (2026 Q2)" in answer.answer


def test_current_hcpcs_code_says_it_is_valid(small: Assistant):
    answer = small.ask("what is J9271")
    assert _codes(answer) == ["J9271"]
    assert "a valid HCPCS Level II code, in the CMS file since 2016-01-01" in answer.answer
    assert "Injection, pembrolizumab, 1 mg" in answer.answer


@pytest.mark.parametrize(
    ("question", "code", "phrase"),
    [
        pytest.param("what is modifier 59", "59", "bypasses an edit only when the pair's modifier indicator is 1",
                     id="59"),
        pytest.param("what does JW mean", "JW", "Drug amount discarded", id="JW"),
        pytest.param("modifier 25?", "25", "separate E/M", id="25"),
        pytest.param("XU modifier", "XU", "more specific forms of modifier 59", id="XU"),
        pytest.param("what is the GX modifier", "GX", "Notice of liability issued", id="GX-from-the-hcpcs-file"),
    ],
)
def test_modifier_lookups(small: Assistant, question: str, code: str, phrase: str):
    answer = small.ask(question)
    assert answer.route == "lookup"
    assert _codes(answer) == [code]
    assert phrase in answer.answer


def test_unknown_modifier(small: Assistant):
    answer = small.ask("what is modifier Q9")
    assert answer.route == "lookup" and answer.codes == []
    assert "not a modifier I know" in answer.answer


@pytest.mark.parametrize(
    "question", ["NDC 00006-3026-02", "what is ndc 0006-3026-02", "00006302602 billing"],
    ids=["5-4-2", "4-4-2", "11-digit"],
)
def test_ndc_lookup(small: Assistant, question: str):
    answer = small.ask(question)
    assert answer.route == "lookup"
    assert _codes(answer) == ["J9271"]
    assert "one package = **100 billing units** of J9271" in answer.answer
    assert "Keytruda" in answer.answer


def test_unknown_ndc(small: Assistant):
    answer = small.ask("NDC 12345-6789-01")
    assert answer.route == "lookup" and answer.codes == []
    assert "not in the CMS NDC-HCPCS crosswalk" in answer.answer


def test_a_licensed_cpt_file_gives_the_descriptor_instead_of_the_hint(tmp_path: Path):
    from assistant.corpus.importers.cpt import import_cpt

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=REPO_ROOT / "corpus")
    import_mue(_write(tmp_path / "mue_2026q2.csv", "hcpcs_cpt_code,practitioner_mue_value,mai,mai_description,"
                      "mue_rationale", ["36415,2,3,Date of Service Edit: Clinical,Clinical: Data"]),
               settings, progress=False)
    licensed = tmp_path / "licensed.txt"
    licensed.write_text("code\tdescriptor\n36415\tMade-up wording for a test, not AMA text\n96369\tMore made-up "
                        "wording\n", encoding="utf-8")
    import_cpt(licensed, settings)
    answer = _assistant(settings).ask("what is 36415")
    assert "descriptor from your licensed CPT file: Made-up wording for a test" in answer.answer
    assert "import cpt" not in answer.answer


def test_without_imports_an_unknown_code_is_unknown_not_invalid(tmp_path: Path):
    bare = _assistant(Settings(data_dir=tmp_path / "data", corpus_dir=REPO_ROOT / "corpus"))
    answer = bare.ask("what is 96399")
    assert answer.route == "lookup" and answer.codes == []
    assert "96399: unknown" in answer.answer and "import" in answer.answer
    assert bare.ask("what is modifier 59").codes[0].code == "59"  # the bundled modifiers need no import
    unknown = bare.ask("CR modifier")  # a Level II modifier that comes with the HCPCS file
    assert unknown.codes == [] and "Modifier CR: unknown" in unknown.answer and "import hcpcs" in unknown.answer


# --- the real CMS files (skipped without ../shared/data) -----------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The real HCPCS, ASP, crosswalk and MUE files, and the PTP rows of the codes asked about (the whole 2.1M-row
    table is the edits tests' business)."""
    folder = tmp_path_factory.mktemp("lookup-real")
    settings = Settings(data_dir=folder / "data", corpus_dir=REPO_ROOT / "corpus")
    import_hcpcs(shared_data / "hcpcs_2025_oct_anweb.csv", settings, today=date(2026, 1, 15))
    import_asp(shared_data / "asp_payment_limits_2026q1_level2.csv", settings)
    import_ndc(shared_data / "asp_ndc_hcpcs_crosswalk_2026q1_level2.csv", settings)
    import_mue(shared_data / "mue_practitioner_2026q2.csv", settings, progress=False)
    wanted = {"36415", "20610", "27447"}
    with gzip.open(shared_data / "ptp_practitioner_2026q2_cptcol1_derived.csv.gz", "rt", encoding="utf-8") as handle:
        header = next(handle).strip()
        rows = [line.strip() for line in handle if line.split(",", 2)[0] in wanted or line.split(",", 2)[1] in wanted]
    import_ptp(_write(folder / "ptp_2026q2_subset.csv", header, rows), settings, progress=False)
    return _assistant(settings)


@pytest.mark.parametrize(
    ("code", "mue"),
    [pytest.param("36415", "MUE 2, MAI 3", id="36415"), pytest.param("20610", "MUE 2, MAI 3", id="20610"),
     pytest.param("27447", "MUE 1, MAI 2", id="27447")],
)
def test_real_cpt_codes_in_the_ncci_tables(real: Assistant, code: str, mue: str):
    answer = real.ask(f"what is {code}")
    assert answer.route == "lookup"
    assert f"{code}: a CPT code in the CMS NCCI tables, 2026 Q2" in answer.answer
    assert mue in answer.answer
    assert "psychotherapy" not in answer.answer.lower()  # no unrelated "near matches"
    if callable(getattr(real.edits, "ptp_count", None)) and code == "36415":
        assert "22 active PTP edits" in answer.answer


@pytest.mark.parametrize("code", ["J1020", "J1030", "J1040", "J2930", "J3370", "C9027", "Q9989", "G2012"])
def test_real_terminated_codes_answer_with_dates_and_replacements(real: Assistant, code: str):
    answer = real.ask(f"what is {code}")
    assert answer.route == "lookup"
    assert f"{code} is a terminated code" in answer.answer
    assert "**Bill instead:**" in answer.answer


@pytest.mark.parametrize("question", ["what is 96363", "what is J0000"], ids=["96363", "J0000"])
def test_real_invalid_codes(real: Assistant, question: str):
    answer = real.ask(question)
    assert answer.codes == [] and "not a valid code" in answer.answer


def test_real_every_hcpcs_code_has_a_verdict(real: Assistant, shared_data: Path):
    """Every code of the HCPCS file, current or terminated, is found (never "not a valid code")."""
    corpus = real.corpus
    missing = []
    with (shared_data / "hcpcs_2025_oct_anweb.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["seqnum"] == "0010" and corpus.get(row["hcpc"]) is None and corpus.terminated(row["hcpc"]) is None:
                missing.append(row["hcpc"])
    assert missing == []


def test_real_every_code_of_the_mue_table_has_a_verdict(real: Assistant, shared_data: Path):
    """No code CMS lists in the MUE table is ever called "not a valid code" (D codes are CDT dental codes, some
    A codes are newer than the October 2025 HCPCS file)."""
    from assistant.chat.lookup import lookup_answer

    with (shared_data / "mue_practitioner_2026q2.csv").open(encoding="utf-8") as handle:
        codes = [row["hcpcs_cpt_code"] for row in csv.DictReader(handle)]
    wrong = [code for code in codes
             if "not a valid code" in (text := lookup_answer([code], real.corpus, None, real.edits).answer)
             or ": unknown" in text]
    assert wrong == []
    dental = lookup_answer(["D0150"], real.corpus, None, real.edits).answer
    assert "D0150: a HCPCS code in the CMS NCCI tables, 2026 Q2" in dental and "CDT dental" in dental


def test_real_ndc_lookup(real: Assistant):
    answer = real.ask("NDC 00006-3026-04")
    assert _codes(answer) == ["J9271"] and "**200 billing units**" in answer.answer
