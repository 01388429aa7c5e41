"""The suite's own guards can fail: the `shared_data` fixture's rule and the `slow` marker (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MODEL_FIXTURES, MODEL_MODULES, pytest_collection_modifyitems, require_shared_data


def test_present_cms_files_are_returned_on_ci_and_locally(tmp_path: Path) -> None:
    (tmp_path / "mue_practitioner_2026q2.csv").write_text("hcpcs_cpt_code\n")
    assert require_shared_data(tmp_path, on_ci=True) == tmp_path
    assert require_shared_data(tmp_path, on_ci=False) == tmp_path


@pytest.mark.parametrize("empty", [False, True], ids=["missing-folder", "empty-folder"])
def test_missing_cms_files_skip_locally(tmp_path: Path, empty: bool) -> None:
    path = tmp_path / "shared" / "data"
    if empty:
        path.mkdir(parents=True)
    with pytest.raises(pytest.skip.Exception, match="CMS reference files not found"):
        require_shared_data(path, on_ci=False)


@pytest.mark.parametrize("empty", [False, True], ids=["missing-folder", "empty-folder"])
def test_missing_cms_files_fail_on_ci(tmp_path: Path, empty: bool) -> None:
    path = tmp_path / "shared" / "data"
    if empty:
        path.mkdir(parents=True)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_shared_data(path, on_ci=True)


class _Item:
    """What the marker hook reads of a collected test."""

    def __init__(self, *fixtures: str, path: Path = Path(__file__)) -> None:
        self.fixturenames = fixtures
        self.path = path
        self.markers: list[str] = []

    def add_marker(self, marker: pytest.MarkDecorator) -> None:
        self.markers.append(marker.name)


@pytest.mark.parametrize(
    ("fixtures", "slow"),
    [
        pytest.param(("assistant",), True, id="session-assistant"),
        pytest.param(("tmp_path", "real_embeddings", "counting"), True, id="real-embeddings"),
        pytest.param(("tmp_path", "shared_data"), False, id="no-model"),
        pytest.param((), False, id="no-fixture"),
    ],
)
def test_tests_that_load_the_model_are_marked_slow(fixtures: tuple[str, ...], slow: bool) -> None:
    item = _Item(*fixtures)
    pytest_collection_modifyitems([item])  # type: ignore[list-item]
    assert item.markers == (["slow"] if slow else [])
    assert MODEL_FIXTURES


@pytest.mark.parametrize("module", sorted(MODEL_MODULES))
def test_modules_whose_processes_load_the_model_are_slow(module: str) -> None:
    path = Path(__file__).resolve().parent.parent / module
    assert path.is_file(), f"{module} is gone: delete it from MODEL_MODULES"
    item = _Item("tmp_path", path=path)
    pytest_collection_modifyitems([item])  # type: ignore[list-item]
    assert item.markers == ["slow"]


def test_the_slow_marker_is_registered(pytestconfig: pytest.Config) -> None:
    assert any(line.startswith("slow:") for line in pytestconfig.getini("markers"))
