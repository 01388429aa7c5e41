"""The units engine is a leaf library: it imports the standard library and pydantic, nothing of ours."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HIGHER = ("assistant.retrieval", "assistant.chat", "assistant.web", "assistant.corpus", "assistant.edits")
HEAVY = ("torch", "chromadb", "langchain_core", "gradio", "fastapi", "sentence_transformers")

_PROBE = """
import sys, types
{stub}
import assistant.units
ours = sorted(m for m in sys.modules if m.startswith({higher!r}))
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print(ours, heavy)
"""

# Stand-in for the top-level package, so the probe sees only what assistant.units itself pulls in.
_STUB = "pkg = types.ModuleType('assistant'); pkg.__path__ = [{path!r}]; sys.modules['assistant'] = pkg"


def _probe(stub: str) -> str:
    code = _PROBE.format(stub=stub, higher=HIGHER, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_units_package_pulls_in_no_higher_layer():
    assert _probe(_STUB.format(path=str(REPO / "assistant"))) == "[] []"


def test_import_assistant_units_loads_no_higher_layer():
    assert _probe("") == "[] []"


def test_units_modules_import_only_stdlib_pydantic_and_units():
    allowed_roots = set(sys.stdlib_module_names) | {"pydantic", "__future__"}
    for path in (REPO / "assistant" / "units").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                # assistant.importguard: the importers' shared checks, itself standard library only (below)
                ok = name.split(".")[0] in allowed_roots or name.startswith("assistant.units") or name == LEAF
                assert ok, f"{path.name} imports {name}"


LEAF = "assistant.importguard"


def test_the_shared_import_guard_is_a_standard_library_leaf():
    allowed_roots = set(sys.stdlib_module_names) | {"__future__"}
    tree = ast.parse((REPO / "assistant" / "importguard.py").read_text())
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    assert names and all(name.split(".")[0] in allowed_roots for name in names), names
