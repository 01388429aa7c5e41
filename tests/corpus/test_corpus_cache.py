"""The corpus snapshot (assistant/corpus/snapshot.py, issue 17 Speed): a load from the snapshot holds exactly what a
fresh build holds (records, retired codes, NDCs, the drug dictionary), an import or a damaged file gives a rebuild,
and a write that fails half-way leaves the old snapshot in place."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.corpus import loader, snapshot
from assistant.corpus.drugs import DrugDictionary
from assistant.corpus.importers.asp import import_asp
from assistant.corpus.importers.hcpcs import import_hcpcs
from assistant.corpus.importers.ndc import import_ndc
from assistant.corpus.loader import Corpus, build_imported_corpus, load_corpus
from assistant.settings import REPO_ROOT, Settings

BUNDLED = REPO_ROOT / "corpus"
# Small CMS files as the importers read them: a current, a terminated and a made-up J9 code and a modifier; billing
# units; a few crosswalk NDCs.
HCPCS_CSV = """hcpc,seqnum,recid,long_description,short_description,add_dt,term_dt
J9271,0010,3,"Injection, pembrolizumab, 1 mg",Inj pembrolizumab,20160101,
C9027,0010,3,"Injection, pembrolizumab, 1 mg",Inj pembrolizumab,20150101,20151231
J9999,0010,3,"Injection, examplemab, 10 mg",Inj examplemab,20240101,
JW,0010,7,Drug amount discarded/not administered to any patient,Discarded drug,20020101,
"""
ASP_CSV = """hcpcs_code,short_description,hcpcs_code_dosage,payment_limit
J9271,Inj pembrolizumab,1 MG,1
J3301,Triamcinolone acet inj nos,10 MG,1
J2919,Inj methylpred,5 MG,1
J0881,Darbepoetin,1 MCG,1
"""
NDC_CSV = """\
hcpcs_code,short_description,labeler_name,ndc2,drug_name,hcpcs_dosage,pkg_size,pkg_qty,billunits,billunitspkg
J9271,Inj pembrolizumab,Merck,00006-3026-02,Keytruda,1 MG,4,1,100,100
J3301,Triamcinolone acet inj nos,BMS,00003-0293-05,Kenalog-40,10 MG,1,1,4,4
J2919,"Inj, methylpred sod succ 5mg",Pfizer,00009-0047-22,Solu-Medrol,5 MG,2,1,25,25
"""
# A row a later crosswalk adds: the snapshot of the earlier import must not hide it.
NEW_NDC_ROW = "J0881,\"Darbepoetin alfa, non-esrd\",Amgen,55513-0002-04,Aranesp,1 MCG,1,4,25,100\n"


def _file(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A data directory with the small HCPCS, ASP and NDC files above imported."""
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=BUNDLED)
    folder = settings.resolved_data_dir
    import_hcpcs(_file(folder, "hcpcs_2025_oct_anweb.csv", HCPCS_CSV), settings, today=date(2026, 1, 15))
    import_asp(_file(folder, "asp_2026q1.csv", ASP_CSV), settings)
    import_ndc(_file(folder, "ndc_2026q1.csv", NDC_CSV), settings)
    return settings


def _snapshot_path(settings: Settings) -> Path:
    return settings.resolved_data_dir / snapshot.SNAPSHOT_DIRNAME / snapshot.CORPUS_SNAPSHOT


def _fresh(settings: Settings) -> Corpus:
    return build_imported_corpus(Path(settings.corpus_dir), settings.resolved_data_dir / "imports")


def _differences(cached: Corpus, fresh: Corpus) -> list[str]:
    """The attributes (of the corpus, and of its drug dictionary) that differ; the dictionary has no equality of
    its own, so its attributes are compared one by one (names, sources, the match trie, the typo index, NDCs)."""
    def compare(prefix: str, left: dict[str, Any], right: dict[str, Any]) -> list[str]:
        if set(left) != set(right):
            return [f"{prefix}: attributes {sorted(set(left) ^ set(right))}"]
        return [f"{prefix}.{name}" for name in left
                if not isinstance(left[name], DrugDictionary) and left[name] != right[name]]

    problems = compare("corpus", vars(cached), vars(fresh))
    if "drugs" not in vars(cached) or "drugs" not in vars(fresh):
        return [*problems, "the drug dictionary is not built in both"]
    return problems + compare("drugs", vars(cached.drugs), vars(fresh.drugs))


def test_a_load_from_the_snapshot_is_the_fresh_build(settings: Settings, monkeypatch: pytest.MonkeyPatch):
    built = load_corpus(settings)
    assert _snapshot_path(settings).is_file()
    monkeypatch.setattr(loader, "build_imported_corpus", _never_built)
    cached = load_corpus(settings)  # read from the snapshot: building would raise
    assert cached is not built
    assert _differences(cached, _fresh(settings)) == []
    assert _differences(built, _fresh(settings)) == []
    # What the dictionary answers, not only what it holds: the imported names, NDCs and categories.
    assert [m.candidates[0].code for m in cached.drugs.find("keytruda then examplemab")] == ["J9271", "J9999"]
    assert cached.drugs.ndc("00006-3026-02")[0].hcpcs_code == "J9271"
    assert cached.drugs.administration_category("J9999") == "chemotherapy"
    assert cached.terminated("C9027") is not None


def _never_built(corpus_dir: Path, imports_dir: Path) -> Corpus:
    raise AssertionError("the corpus was rebuilt although its snapshot is current")


def test_a_new_import_rebuilds_the_snapshot(settings: Settings):
    before = load_corpus(settings)
    assert before.drugs.ndc("55513-0002-04") == []
    import_ndc(_file(settings.resolved_data_dir, "ndc_2026q2.csv", NDC_CSV + NEW_NDC_ROW), settings)
    after = load_corpus(settings)
    assert [row.hcpcs_code for row in after.drugs.ndc("55513-0002-04")] == ["J0881"]
    assert _differences(after, _fresh(settings)) == []
    assert _differences(load_corpus(settings), _fresh(settings)) == []  # the rebuilt snapshot is the new one


def test_a_changed_bundled_file_rebuilds_the_snapshot(settings: Settings, tmp_path: Path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for path in BUNDLED.glob("*.yaml"):
        (corpus_dir / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    local = Settings(data_dir=settings.resolved_data_dir, corpus_dir=corpus_dir)
    first = load_corpus(local).get("96365")
    assert first is not None
    drug_file = corpus_dir / "drug_administration.yaml"
    text = drug_file.read_text(encoding="utf-8")
    edited = text.replace(first.title, first.title + " (edited)", 1)
    assert edited != text
    drug_file.write_text(edited, encoding="utf-8")
    reloaded = load_corpus(local).get("96365")
    assert reloaded is not None and reloaded.title == first.title + " (edited)"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
        pytest.param(lambda blob: blob[:200] + b"\x00" * 64 + blob[264:], id="garbled"),
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(lambda blob: b"not a snapshot at all\n", id="foreign"),
    ],
)
def test_a_damaged_snapshot_is_rebuilt(settings: Settings, damage: Any):
    load_corpus(settings)
    path = _snapshot_path(settings)
    path.write_bytes(damage(path.read_bytes()))
    assert _differences(load_corpus(settings), _fresh(settings)) == []
    assert snapshot.read_snapshot(path, snapshot.corpus_key(BUNDLED, settings.resolved_data_dir / "imports"),
                                  Corpus) is not None  # rewritten whole


def test_a_crash_mid_write_keeps_the_old_snapshot(settings: Settings, monkeypatch: pytest.MonkeyPatch):
    load_corpus(settings)
    path = _snapshot_path(settings)
    old = path.read_bytes()

    def crash(value: object, stream: Any, protocol: int) -> None:
        stream.write(pickle.dumps(value, protocol=protocol)[:1000])
        raise OSError("disk full")

    monkeypatch.setattr(snapshot.pickle, "dump", crash)
    import_ndc(_file(settings.resolved_data_dir, "ndc_2026q2.csv", NDC_CSV + NEW_NDC_ROW), settings)
    corpus = load_corpus(settings)  # built, but the snapshot cannot be written: the load still answers
    assert [row.hcpcs_code for row in corpus.drugs.ndc("55513-0002-04")] == ["J0881"]
    assert path.read_bytes() == old
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no half-written file left behind


def test_a_snapshot_under_another_key_is_not_read(tmp_path: Path):
    path = tmp_path / "snapshot.pickle"
    assert snapshot.write_snapshot(path, "a" * 32, {"value": 1})
    assert snapshot.read_snapshot(path, "a" * 32, dict) == {"value": 1}
    assert snapshot.read_snapshot(path, "b" * 32, dict) is None
    assert snapshot.read_snapshot(path, "a" * 32, list) is None  # another kind of object: not used
    assert snapshot.read_snapshot(tmp_path / "missing.pickle", "a" * 32, dict) is None


def test_a_data_directory_without_imports_has_no_snapshot(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=BUNDLED)
    assert len(load_corpus(settings)) > 0
    assert not (settings.resolved_data_dir / snapshot.SNAPSHOT_DIRNAME).exists()


def test_the_key_follows_the_code_and_the_files(tmp_path: Path):
    """Any edit of a module, a bundled file or an overlay gives another key (so the next load rebuilds)."""
    package = tmp_path / "package"
    (package / "corpus").mkdir(parents=True)
    module = package / "corpus" / "rules.py"
    module.write_text("LIMIT = 1\n")
    before = snapshot.code_fingerprint(package)
    module.write_text("LIMIT = 2\n")
    snapshot.code_fingerprint.cache_clear()
    assert snapshot.code_fingerprint(package) != before
    snapshot.code_fingerprint.cache_clear()
    overlay = tmp_path / "hcpcs.json"
    overlay.write_text("{}")
    first = snapshot.files_fingerprint([overlay])
    overlay.write_text("{ }")
    assert snapshot.files_fingerprint([overlay]) != first
    overlay.unlink()
    assert snapshot.files_fingerprint([overlay]) not in (first, snapshot.files_fingerprint([]))


# --- the real CMS files ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_settings(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Every CMS file the corpus imports: HCPCS, ASP payment limits, the NDC-HCPCS crosswalk."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("snapshot-real"), corpus_dir=BUNDLED)
    import_hcpcs(shared_data / "hcpcs_2025_oct_anweb.csv", settings, today=date(2026, 1, 15))
    for importer, name in ((import_asp, "asp_payment_limits_2026q1_level2.csv"),
                           (import_ndc, "asp_ndc_hcpcs_crosswalk_2026q1_level2.csv")):
        importer(shared_data / name, settings)
    return settings


def test_the_real_snapshot_is_the_fresh_build(real_settings: Settings, monkeypatch: pytest.MonkeyPatch):
    load_corpus(real_settings)
    monkeypatch.setattr(loader, "build_imported_corpus", _never_built)
    cached = load_corpus(real_settings)
    fresh = _fresh(real_settings)
    assert len(cached.drugs) > 1000 and len(cached.ndcs) > 1000  # every file is in it
    assert _differences(cached, fresh) == []
