"""Suite-wide guards: no network but loopback, and a private data directory for every test session."""

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
settings.load_profile("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev")

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


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only CMS files beside the project; tests that need them skip when they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"CMS reference files not found at {SHARED_DATA}")
    return SHARED_DATA


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
