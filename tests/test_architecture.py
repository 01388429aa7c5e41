"""The shape of the code, enforced by reading it (issue 21; docs/architecture.md).

Every module under assistant/ is parsed with `ast` (nothing is imported), and:
- the import graph between the project's modules has no cycle: imports at module level, in `TYPE_CHECKING` blocks
  and inside functions all count, because a cycle hidden in a function is still a cycle;
- no module imports another module's private (`_underscore`) names, nor reads them off an imported module;
- no project import sits inside a function, except the documented allow-list below;
- no file is over 500 lines;
- the payer and claim-setting vocabularies are declared once (assistant/units/vocabulary.py).

The allow-lists name why each entry is there. The chat-layer entries are issue 21's remaining work (the reading
modules' private names, the encounter route's split and its import of the Assistant): each entry must still be
needed, so the lists only shrink. When a change removes the need, the test says which entry to delete.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "assistant"
MAX_LINES = 500

# (importing module, imported module) -> why the import waits inside a function.
ALLOWED_LAZY_IMPORTS: dict[tuple[str, str], str] = {
    # The documented lazy imports: startup cost, never a cycle.
    ("assistant", "assistant.chat.assistant"): "`import assistant.units` must load nothing else of ours "
    "(the package's Assistant attribute is resolved on first use)",
    ("assistant.chat.assistant", "assistant.retrieval"): "the retrieval stack (Chroma, the embedding model, ~1 s) "
    "loads only when Assistant.from_settings builds a retriever",
    ("assistant.cli", "assistant"): "each CLI command imports what it runs: `import` and `index` never load the "
    "chat layer (~1 s)",
    ("assistant.cli", "assistant.chat.edits_chat"): "each CLI command imports what it runs",
    ("assistant.cli", "assistant.retrieval.index"): "each CLI command imports what it runs (the index needs Chroma)",
    ("assistant.web.server", "assistant"): "the server's options are parsed before Gradio (~9 s) is imported",
    ("assistant.web.server", "assistant.web.app"): "the server's options are parsed before Gradio is imported",
    ("assistant.web.server", "assistant.web.logs"): "the server's options are parsed before Gradio is imported",
    ("assistant.web.server", "assistant.web.middleware"): "the server's options are parsed before Gradio is imported",
    ("assistant.web.app", "assistant"): "the ASGI factory builds the real Assistant; create_app takes any assistant",
}

# (importing module, imported module): edges left out of the cycle check until issue 21's chat split removes them.
ALLOWED_CYCLE_EDGES: dict[tuple[str, str], str] = {
    ("assistant.chat.services_route", "assistant.chat.router"): "issue 21: services_route types its router "
    "argument with Router (TYPE_CHECKING); a protocol or the split removes it",
}

# Importing module -> why it still uses other modules' private names.
ALLOWED_PRIVATE_NAMES: dict[str, str] = {
    "assistant.chat.reading.timing": "issue 21: cues._IMPLIED becomes public",
}

# Files allowed over MAX_LINES, with why.
ALLOWED_LONG_FILES: dict[str, str] = {}

# Files allowed to declare the payer or setting vocabulary besides assistant/units/vocabulary.py.
ALLOWED_VOCABULARY_COPIES: dict[str, str] = {
    "assistant/chat/reading/question.py": "issue 21: the reading's ParsedQuestion takes them from the contract",
}

# Data flows one way (docs/architecture.md): each layer -> the layers it may import. A layer is `assistant.X`.
LAYER_DEPENDENCIES: dict[str, frozenset[str]] = {
    # The import guard (issue 24) is a standard-library leaf every importer shares, the pure engine's included.
    "assistant.importguard": frozenset(),
    "assistant.units": frozenset({"assistant.importguard"}),  # nothing else of ours (tests/units/test_units_purity.py)
    "assistant.edits": frozenset({"assistant.units", "assistant.importguard"}),  # the vocabulary (VOCABULARY_ONLY)
    "assistant.contract": frozenset({"assistant.units"}),  # the shared vocabulary only
    "assistant.offline": frozenset(),
    "assistant.settings": frozenset({"assistant.contract"}),
    "assistant.corpus": frozenset({"assistant.units", "assistant.settings", "assistant.importguard"}),
    # Medicare coverage (issue 18): its own store and importer, like edits.
    "assistant.coverage": frozenset({"assistant.importguard"}),
    "assistant.retrieval": frozenset({"assistant.corpus", "assistant.settings", "assistant.offline"}),
    "assistant.imports": frozenset({"assistant.corpus", "assistant.edits", "assistant.coverage", "assistant.settings"}),
    "assistant.chat": frozenset({"assistant.contract", "assistant.corpus", "assistant.edits", "assistant.coverage",
                                 "assistant.retrieval", "assistant.settings", "assistant.units"}),
    # web/live.py rebuilds the Assistant from the corpus and the index when an import or a new generation lands.
    "assistant.web": frozenset({"assistant", "assistant.chat", "assistant.contract", "assistant.corpus",
                                "assistant.edits", "assistant.retrieval", "assistant.settings", "assistant.units"}),
    "assistant.cli": frozenset({"assistant", "assistant.chat", "assistant.contract", "assistant.edits",
                                "assistant.imports", "assistant.retrieval", "assistant.settings"}),
    "assistant.__main__": frozenset({"assistant.cli"}),
    "assistant": frozenset({"assistant.chat", "assistant.contract", "assistant.offline"}),
}
# Layers that may import only the vocabulary of the units package, not the engine.
VOCABULARY_ONLY = ("assistant.edits", "assistant.contract")

PAYER_VALUES = frozenset({"cpt", "medicare"})
SETTING_VALUES = frozenset({"professional", "facility"})
VOCABULARY_HOME = "assistant/units/vocabulary.py"


@dataclass(frozen=True)
class Import:
    """One import statement's edge to a project module."""

    importer: str
    target: str
    names: tuple[str, ...]  # the names a `from ... import` takes (empty for `import x`)
    line: int
    in_function: bool
    type_checking: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
TREES: dict[str, ast.Module] = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _scopes(tree: ast.Module) -> tuple[set[int], set[int]]:
    """The ids of the nodes inside functions, and inside `if TYPE_CHECKING:` blocks."""
    in_function: set[int] = set()
    type_checking: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_function.update(id(child) for child in ast.walk(node) if child is not node)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_checking.update(id(child) for child in ast.walk(node) if child is not node)
    return in_function, type_checking


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports_of(importer: str) -> Iterator[Import]:
    tree = TREES[importer]
    in_function, type_checking = _scopes(tree)
    for node in ast.walk(tree):
        flags = {"line": node.lineno if hasattr(node, "lineno") else 0, "in_function": id(node) in in_function,
                 "type_checking": id(node) in type_checking}
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield Import(importer, alias.name, (), **flags)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(importer, node)
            if module not in MODULES:
                continue
            plain: list[str] = []
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                if submodule in MODULES:  # `from assistant.units import registry`: an edge to the submodule
                    yield Import(importer, submodule, (), **flags)
                else:
                    plain.append(alias.name)
            if plain:
                yield Import(importer, module, tuple(plain), **flags)


IMPORTS: list[Import] = [edge for name in MODULES for edge in _imports_of(name)]


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def _graph(skip: set[tuple[str, str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for edge in IMPORTS:
        if edge.importer != edge.target and (edge.importer, edge.target) not in skip:
            graph[edge.importer].add(edge.target)
    return graph


# --- the checks themselves can fail (their helpers, on tiny graphs and sources) ------------------------------------
@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        pytest.param({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"], id="three-module-circle"),
        pytest.param({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"], id="two-module-circle"),
        pytest.param({"a": {"b", "c"}, "b": {"c"}, "c": set()}, None, id="diamond-no-cycle"),
        pytest.param({"a": set()}, None, id="single-module"),
    ],
)
def test_cycle_finder(graph: dict[str, set[str]], cycle: list[str] | None) -> None:
    assert _find_cycle(graph) == cycle


def test_the_parser_sees_function_and_type_checking_imports() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\ndef f():\n    import b\nimport c\n"
    )
    in_function, type_checking = _scopes(tree)
    imports = {node.names[0].name: node for node in ast.walk(tree) if isinstance(node, ast.Import)}
    assert id(imports["a"]) in type_checking and id(imports["a"]) not in in_function
    assert id(imports["b"]) in in_function and id(imports["b"]) not in type_checking
    assert id(imports["c"]) not in in_function and id(imports["c"]) not in type_checking


def test_the_project_was_read() -> None:
    assert len(MODULES) > 50 and "assistant.units.registry" in MODULES and "assistant.chat.router" in MODULES
    assert any(edge.type_checking for edge in IMPORTS) and any(edge.in_function for edge in IMPORTS)
    assert any(edge.target == "assistant.units.registry" for edge in IMPORTS)


# --- the rules ------------------------------------------------------------------------------------------------------
def test_the_import_graph_has_no_cycle() -> None:
    cycle = _find_cycle(_graph(set(ALLOWED_CYCLE_EDGES)))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_each_allowed_cycle_edge_is_still_an_import_that_closes_a_cycle() -> None:
    edges = {(edge.importer, edge.target) for edge in IMPORTS}
    for allowed in ALLOWED_CYCLE_EDGES:
        assert allowed in edges, f"{allowed} is no longer imported: delete it from ALLOWED_CYCLE_EDGES"
        assert _find_cycle(_graph(set(ALLOWED_CYCLE_EDGES) - {allowed})) is not None, (
            f"{allowed} no longer closes a cycle: delete it from ALLOWED_CYCLE_EDGES")


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for edge in IMPORTS:
        private = [name for name in edge.names if name.startswith("_") and not name.startswith("__")]
        if private and edge.importer != edge.target and edge.importer not in ALLOWED_PRIVATE_NAMES:
            found.append(f"{edge.importer} line {edge.line}: {', '.join(private)} from {edge.target}")
    found += [f"{importer} line {line}: {module_alias}.{name}"
              for importer, module_alias, name, line in _private_attributes()
              if importer not in ALLOWED_PRIVATE_NAMES]
    assert not found, "private names used across modules (make them public in their module):\n" + "\n".join(found)


def _private_attributes() -> Iterator[tuple[str, str, str, int]]:
    """`module._name` where `module` is a project module this module imported (`from assistant.chat import answers`
    then `answers._cell`)."""
    for importer, tree in TREES.items():
        aliases: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and _resolve(importer, node) in MODULES:
                module = _resolve(importer, node)
                aliases.update(a.asname or a.name for a in node.names if f"{module}.{a.name}" in MODULES)
            elif isinstance(node, ast.Import):
                aliases.update(a.asname or a.name for a in node.names if a.name in MODULES and a.asname)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                yield importer, node.value.id, node.attr, node.lineno


def test_each_module_allowed_private_names_still_uses_them() -> None:
    users = {edge.importer for edge in IMPORTS
             if any(name.startswith("_") and not name.startswith("__") for name in edge.names)}
    users |= {importer for importer, *_ in _private_attributes()}
    for module in ALLOWED_PRIVATE_NAMES:
        assert module in users, f"{module} no longer uses private names: delete it from ALLOWED_PRIVATE_NAMES"


def test_no_project_import_inside_a_function_but_the_allowed_ones() -> None:
    lazy = {(edge.importer, edge.target): edge.line for edge in IMPORTS if edge.in_function}
    unexpected = [f"{importer} line {line}: import of {target}" for (importer, target), line in sorted(lazy.items())
                  if (importer, target) not in ALLOWED_LAZY_IMPORTS]
    assert not unexpected, ("imports inside functions (move them to the top of the module, or document the reason "
                            "in ALLOWED_LAZY_IMPORTS):\n" + "\n".join(unexpected))
    stale = [f"{importer} -> {target}" for importer, target in ALLOWED_LAZY_IMPORTS if (importer, target) not in lazy]
    assert not stale, "no longer imported inside a function: delete from ALLOWED_LAZY_IMPORTS:\n" + "\n".join(stale)


def test_no_file_over_500_lines() -> None:
    lengths = {_relative(path): len(path.read_text(encoding="utf-8").splitlines()) for path in MODULES.values()}
    assert lengths
    too_long = [f"{path}: {count} lines" for path, count in sorted(lengths.items())
                if count > MAX_LINES and path not in ALLOWED_LONG_FILES]
    assert not too_long, f"files over {MAX_LINES} lines (split them by job):\n" + "\n".join(too_long)
    stale = [path for path in ALLOWED_LONG_FILES if lengths.get(path, 0) <= MAX_LINES]
    assert not stale, f"now {MAX_LINES} lines or fewer: delete from ALLOWED_LONG_FILES: {stale}"


def _literal_values(node: ast.expr) -> frozenset[str]:
    """The strings of a `Literal["a", "b"]` expression (empty for anything else)."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal"):
        return frozenset()
    items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return frozenset(item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str))


def _layer(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_data_flows_one_way_between_layers() -> None:
    assert set(LAYER_DEPENDENCIES) >= {_layer(name) for name in MODULES}, "a new layer: add it to LAYER_DEPENDENCIES"
    wrong = [f"{edge.importer} line {edge.line} imports {edge.target}" for edge in IMPORTS
             if _layer(edge.target) != _layer(edge.importer)
             and _layer(edge.target) not in LAYER_DEPENDENCIES[_layer(edge.importer)]]
    wrong += [f"{edge.importer} line {edge.line} imports {edge.target} (only assistant.units.vocabulary)"
              for edge in IMPORTS if _layer(edge.importer) in VOCABULARY_ONLY
              and _layer(edge.target) == "assistant.units" and edge.target != "assistant.units.vocabulary"]
    assert not wrong, "imports against the one-way flow (docs/architecture.md):\n" + "\n".join(wrong)


def test_payer_and_setting_are_declared_once() -> None:
    declared: dict[str, list[str]] = {"payer": [], "setting": []}
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            if value is None:
                continue
            values = _literal_values(value)
            for kind, vocabulary in (("payer", PAYER_VALUES), ("setting", SETTING_VALUES)):
                if values == vocabulary:
                    declared[kind].append(_relative(MODULES[name]))
    for kind, places in declared.items():
        assert VOCABULARY_HOME in places, f"the {kind} vocabulary is not declared in {VOCABULARY_HOME}"
        copies = [path for path in places if path != VOCABULARY_HOME and path not in ALLOWED_VOCABULARY_COPIES]
        assert not copies, f"the {kind} vocabulary is declared again in {copies}: import it from {VOCABULARY_HOME}"
    stale = [path for path in ALLOWED_VOCABULARY_COPIES if path not in declared["payer"] + declared["setting"]]
    assert not stale, f"no longer declares the vocabulary: delete from ALLOWED_VOCABULARY_COPIES: {stale}"


def test_the_contract_re_exports_the_one_vocabulary() -> None:
    import assistant.contract as contract
    import assistant.edits as edits
    import assistant.units.encounter.models as encounter_models
    import assistant.units.models as units_models
    from assistant.units import vocabulary

    assert contract.Payer is vocabulary.Payer and contract.Setting is vocabulary.Setting
    assert contract.CareSetting is vocabulary.Setting and edits.Setting is vocabulary.Setting
    assert units_models.Payer is vocabulary.Payer and units_models.Setting is vocabulary.Setting
    assert encounter_models.Route is vocabulary.Route and encounter_models.Category is vocabulary.Category
