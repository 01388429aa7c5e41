"""Suite-wide guards: no network but loopback, and a private data directory for every test session.

Also: the `shared_data` fixture (skips locally without the CMS files, fails under CI=true) and the `slow` marker,
put on every test that loads the embedding model (`pytest -m "not slow"` is the fast loop; a plain run runs all).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis: derandomized on CI (a fixed seed, no database) so a CI run can never fail by chance; locally it
# explores, and a failure it finds becomes an @example on the test. Neither profile has a deadline: timing is
# never a test's business here (DEVELOPERS.md).
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
settings.load_profile("ci" if ON_CI else "dev")

# Before anything imports the assistant: a throwaway data directory, and no CMS files unless a test asks.
_SESSION_DATA = Path(tempfile.mkdtemp(prefix="assistant-test-data-"))
os.environ["ASSISTANT_DATA_DIR"] = str(_SESSION_DATA)
# Every configured import file (ASSISTANT_*_FILE: HCPCS, ASP, NDC, MUE, PTP and their outpatient hospital tables,
# add-on codes, anesthesia base units, CPT) and the deployment switches a test must opt into.
for _name in [n for n in os.environ if n.startswith("ASSISTANT_") and n.endswith("_FILE")]:
    os.environ.pop(_name, None)
for _name in ("API_TOKEN", "TRUSTED_USER_HEADER", "CHROMA_HOST", "LLM_MODEL"):
    os.environ.pop(f"ASSISTANT_{_name}", None)

import assistant.offline  # noqa: E402,F401  (offline switches)

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object):
    if not _is_local(address):
        raise ConnectionRefusedError(f"tests are offline: refused a connection to {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object):
    if not _is_local(address):
        raise ConnectionRefusedError(f"tests are offline: refused a connection to {address!r}")
    return _real_connect_ex(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


def require_shared_data(path: Path, on_ci: bool) -> Path:
    """`path` when it holds the CMS files; else skip the test, or fail it on CI (CI has the files, so a wrong path
    must not turn the ~190 tests that read them into silent skips)."""
    if path.is_dir() and any(path.iterdir()):
        return path
    message = f"CMS reference files not found at {path}"
    if on_ci:
        pytest.fail(message + " (CI=true: the CI checkout has them; fix the path or the checkout)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only CMS files beside the project (../shared/data): skipped when absent locally, failed on CI."""
    return require_shared_data(SHARED_DATA, ON_CI)


# Fixtures that load the embedding model (directly or through what they build): a test using any is `slow`.
MODEL_FIXTURES = frozenset({"assistant", "real_embeddings"})
# Test modules whose own processes load the model (path relative to the repository), with why.
MODEL_MODULES = {
    "tests/web/test_web_workers.py": "its uvicorn workers build the index and load the model",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test that loads the embedding model, so `pytest -m "not slow"` runs without it."""
    for item in items:
        path = Path(str(getattr(item, "path", ""))).resolve()
        module = path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) else ""
        if MODEL_FIXTURES.intersection(getattr(item, "fixturenames", ())) or module in MODEL_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def session_data_dir() -> Path:
    return _SESSION_DATA


@pytest.fixture(scope="session")
def assistant():
    """One fully built Assistant for the whole session (the model loads once), on the bundled corpus."""
    from assistant import Assistant
    from assistant.settings import Settings

    built = Assistant.from_settings(Settings())
    built.retriever.warm_up()  # from_settings is lazy (no model until the first search); tests want it built
    return built


@pytest.fixture(scope="session")
def drugs_imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """An Assistant over the real HCPCS, ASP, NDC crosswalk and practitioner MUE files, imported once into a private
    data directory (the drugs and their billing units come from them); no retriever."""
    from datetime import date

    from assistant.chat.assistant import Assistant
    from assistant.corpus.importers.asp import import_asp
    from assistant.corpus.importers.hcpcs import import_hcpcs
    from assistant.corpus.importers.ndc import import_ndc
    from assistant.corpus.loader import load_corpus
    from assistant.edits import FILENAME, EditsStore
    from assistant.edits.importers import import_mue
    from assistant.settings import REPO_ROOT as ROOT
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("drugs-imported") / "data", corpus_dir=ROOT / "corpus")
    import_hcpcs(shared_data / "hcpcs_2025_oct_anweb.csv", settings, today=date(2026, 1, 15))
    import_asp(shared_data / "asp_payment_limits_2026q1_level2.csv", settings)
    import_ndc(shared_data / "asp_ndc_hcpcs_crosswalk_2026q1_level2.csv", settings)
    import_mue(shared_data / "mue_practitioner_2026q2.csv", settings, progress=False)
    return Assistant(settings, load_corpus(settings), None, EditsStore(settings.resolved_data_dir / FILENAME))
