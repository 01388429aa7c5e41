"""Load the bundled code records (YAML, one family a file) and merge the overlays the importers wrote.

Every problem in a corpus file is reported as a `CorpusError` that names the file, the line, the record (its
code, or its position when the code is missing) and the field, so whoever edits a YAML file by hand can fix it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from assistant.corpus import overlays, snapshot
from assistant.corpus.drugs import DrugDictionary, NdcInfo, build_dictionary
from assistant.corpus.files import (
    ASP_OVERLAY,
    CPT_OVERLAY,
    HCPCS_OVERLAY,
    IMPORTS_DIRNAME,
    NDC_OVERLAY,
    CorpusError,
    display_path,
    forget_overlays,
    read_overlay_json,
)
from assistant.corpus.records import TIME_RULES, CodeRecord

if TYPE_CHECKING:  # settings sits beside the corpus layer; only its type is needed here
    from assistant.settings import Settings

# Names that moved to assistant/corpus/files.py and are still imported from here.
__all__ = [
    "ASP_OVERLAY", "CPT_OVERLAY", "HCPCS_OVERLAY", "IMPORTS_DIRNAME", "NDC_OVERLAY", "Corpus", "CorpusError",
    "load_corpus", "load_records", "merge_overlays", "read_overlay_json",
]

# The C parser is several times faster; node marks (line numbers) work the same with both.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

class _LineDict(dict):
    """A YAML mapping that remembers the line it starts on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def __init__(self) -> None:
        super().__init__()
        self.key_lines = {}


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe YAML loader whose mappings are `_LineDict`s and that refuses duplicate keys."""


def _construct_line_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[_LineDict]:
    data = _LineDict()
    data.line = node.start_mark.line + 1
    yield data
    seen: set[Any] = set()
    for key_node, _value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            # PyYAML silently keeps the last of two equal keys; in a hand-edited file that hides a mistake.
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key_node.value}'", key_node.start_mark
                )
            seen.add(key_node.value)
            data.key_lines[key_node.value] = key_node.start_mark.line + 1
    data.update(loader.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_line_map)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError(display_path(path), f"cannot read the file: {error}") from error
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or str(error)
        raise CorpusError(display_path(path), f"not valid YAML: {problem}", line=line) from error
    except yaml.YAMLError as error:
        raise CorpusError(display_path(path), f"not valid YAML: {error}") from error


def _line_of(raw: _LineDict, loc: tuple[int | str, ...]) -> int:
    """The line of the deepest key along a pydantic error location, else the record's first line."""
    line = raw.line
    node: Any = raw
    for part in loc:
        if isinstance(node, _LineDict):
            if isinstance(part, str) and part in node.key_lines:
                line = node.key_lines[part]
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
    return line


def _record_label(raw: Any, index: int) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    if isinstance(code, str) and code.strip():
        return code.strip().upper()
    return f"#{index + 1} (no code)"


def _records_of_file(path: Path) -> list[tuple[CodeRecord, _LineDict]]:
    """Validate one family file; returns each record with its raw mapping (which knows its lines)."""
    name = display_path(path)
    document = _read_yaml(path)
    if document is None:
        raise CorpusError(name, "the file is empty; it should be a list of records")
    if not isinstance(document, list):
        raise CorpusError(name, "the file should be a YAML list of records (each starting with '- code: ...')", line=1)
    records: list[tuple[CodeRecord, _LineDict]] = []
    for index, raw in enumerate(document):
        label = _record_label(raw, index)
        if not isinstance(raw, _LineDict):
            raise CorpusError(name, f"record #{index + 1} should be a mapping of fields, got {type(raw).__name__}")
        try:
            record = CodeRecord.model_validate(dict(raw))
        except ValidationError as error:
            problem = error.errors()[0]
            loc = tuple(problem.get("loc", ()))
            # Record-wide checks (the code's shape against its system) have no location: they concern the code.
            field = ".".join(str(part) for part in loc) or "code"
            message = problem["msg"]
            if problem.get("type") == "extra_forbidden":
                message = "unknown field (allowed: " + ", ".join(sorted(_EDITABLE_FIELDS)) + ")"
            more = len(error.errors()) - 1
            if more:
                message += f" (and {more} more problem{'s' if more > 1 else ''} in this record)"
            raise CorpusError(name, message, line=_line_of(raw, loc), record=label, field=field) from error
        if record.time_rule is not None and record.time_rule not in TIME_RULES:
            raise CorpusError(
                name, f"unknown time rule {record.time_rule!r} (known: {', '.join(TIME_RULES)})",
                line=raw.key_lines.get("time_rule", raw.line), record=label, field="time_rule",
            )
        records.append((record, raw))
    return records


_EDITABLE_FIELDS = set(CodeRecord.model_fields)


def load_records(corpus_dir: Path) -> list[CodeRecord]:
    """Every record of every `*.yaml` file under `corpus_dir` (files in sorted order), fully validated.

    Raises `CorpusError` for an unreadable file, an invalid record, a code present twice (naming both places)
    and an add-on whose primary code is not in the corpus.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(display_path(corpus_dir), "the corpus directory does not exist")
    records: list[CodeRecord] = []
    where: dict[str, tuple[str, _LineDict]] = {}  # code -> (file, raw mapping) of its record
    for path in sorted(corpus_dir.rglob("*.yaml")):
        if "guidelines" in path.relative_to(corpus_dir).parts[:-1]:
            continue  # guideline articles, not code records (assistant/corpus/guidelines.py)
        name = display_path(path)
        for record, raw in _records_of_file(path):
            if record.code in where:
                first_file, first_raw = where[record.code]
                raise CorpusError(
                    name, f"code {record.code} is already defined in {first_file}, line {first_raw.key_lines['code']}",
                    line=raw.key_lines["code"], record=record.code, field="code",
                )
            where[record.code] = (name, raw)
            records.append(record)
    for record in records:
        for primary in record.add_on_to:
            if primary not in where:
                name, raw = where[record.code]
                raise CorpusError(
                    name, f"primary code {primary} is not in the corpus", line=raw.key_lines["add_on_to"],
                    record=record.code,
                    field="add_on_to",
                )
    return records


class Corpus:
    """The code records in memory, with exact look-ups by code, add-on, family and lay term."""

    def __init__(
        self, records: list[CodeRecord], retired: Mapping[str, CodeRecord] | None = None,
        ndcs: Mapping[str, list[NdcInfo]] | None = None,
    ) -> None:
        self.records: list[CodeRecord] = list(records)
        # Terminated codes known from the HCPCS import that are not records (no search hits, look-ups only), and
        # the NDC-HCPCS crosswalk rows by 11-digit NDC.
        self.retired: Mapping[str, CodeRecord] = retired if retired is not None else {}
        self.ndcs: Mapping[str, list[NdcInfo]] = ndcs if ndcs is not None else {}
        # Which CMS files the overlays came from: kind ("hcpcs", "asp", "ndc", "cpt") -> source line.
        self.imported: dict[str, str] = {}
        # Descriptors of the organisation's licensed CPT file (`import cpt`) by code, including codes we do not
        # describe: shown by a look-up, never made into records or search hits.
        self.licensed_descriptors: Mapping[str, str] = {}
        self._by_code: dict[str, CodeRecord] = {record.code: record for record in self.records}
        self._add_ons: dict[str, list[CodeRecord]] = {}
        self._by_family: dict[str, list[CodeRecord]] = {}
        self._by_term: dict[str, list[CodeRecord]] = {}
        for record in self.records:
            for primary in record.add_on_to:
                self._add_ons.setdefault(primary, []).append(record)
            self._by_family.setdefault(record.family, []).append(record)
            for term in record.lay_terms:
                bucket = self._by_term.setdefault(term.casefold().strip(), [])
                if record not in bucket:
                    bucket.append(record)

    def get(self, code: str) -> CodeRecord | None:
        """The record of `code` (any case, surrounding spaces ignored), or None."""
        return self._by_code.get(code.strip().upper())

    def terminated(self, code: str) -> CodeRecord | None:
        """A terminated code the HCPCS import knows but the corpus does not keep as a record, or None."""
        return self.retired.get(code.strip().upper())

    def modifier(self, code: str) -> CodeRecord | None:
        """The modifier record of `code` ("59", "jw"), or None."""
        record = self.get(code)
        return record if record is not None and record.system == "MODIFIER" else None

    @cached_property
    def drugs(self) -> DrugDictionary:
        """The drug dictionary over this corpus (built on first use, then cached)."""
        return build_dictionary(self)

    def add_ons_of(self, code: str) -> list[CodeRecord]:
        """The add-on codes reported with primary `code`, in corpus order."""
        return list(self._add_ons.get(code.strip().upper(), []))

    def by_family(self, family: str) -> list[CodeRecord]:
        """The records of one family (e.g. "drug_administration"), in corpus order."""
        return list(self._by_family.get(family, []))

    def families(self) -> list[str]:
        """The family names present, in order of first appearance."""
        return list(self._by_family)

    def find_by_term(self, term: str) -> list[CodeRecord]:
        """Records with `term` as one of their lay terms (exact, case-insensitive), e.g. "rocephin" -> J0696."""
        return list(self._by_term.get(term.casefold().strip(), []))

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[CodeRecord]:
        return iter(self.records)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, CodeRecord):
            item = item.code
        return isinstance(item, str) and item.strip().upper() in self._by_code


def merge_overlays(records: list[CodeRecord], imports_dir: Path) -> list[CodeRecord]:
    """Apply the importer overlays in `imports_dir` to `records` (see assistant/corpus/overlays.py)."""
    return overlays.merge_overlays(records, imports_dir)


def load_corpus(settings: Settings) -> Corpus:
    """The bundled corpus (`settings.corpus_dir`) merged with the overlays in `resolved_data_dir/imports`.

    With imports, the merged corpus and its drug dictionary are read from the snapshot of the last load when nothing
    it was built from changed (assistant/corpus/snapshot.py; issue 17 Speed), else built and saved."""
    imports_dir = settings.resolved_data_dir / IMPORTS_DIRNAME
    if not imports_dir.is_dir():
        return Corpus(overlays.with_replacements(load_records(Path(settings.corpus_dir))))
    corpus_dir = Path(settings.corpus_dir)
    path = settings.resolved_data_dir / snapshot.SNAPSHOT_DIRNAME / snapshot.CORPUS_SNAPSHOT
    key = snapshot.corpus_key(corpus_dir, imports_dir)
    return snapshot.load_or_build(path, key, Corpus, lambda: build_imported_corpus(corpus_dir, imports_dir))


def build_imported_corpus(corpus_dir: Path, imports_dir: Path) -> Corpus:
    """The bundled records merged with the overlays in `imports_dir`, with the drug dictionary built (no snapshot)."""
    records = load_records(corpus_dir)
    try:
        records = merge_overlays(records, imports_dir)
        corpus = Corpus(overlays.with_replacements(records), overlays.read_retired(imports_dir, records),
                        overlays.read_ndcs(imports_dir))
        for kind, name in (("hcpcs", HCPCS_OVERLAY), ("asp", ASP_OVERLAY), ("ndc", NDC_OVERLAY), ("cpt", CPT_OVERLAY)):
            path = imports_dir / name
            if path.is_file():
                data = read_overlay_json(path)
                corpus.imported[kind] = str(data.get("source") or name) if isinstance(data, dict) else name
                if kind == "cpt" and isinstance(data, dict) and isinstance(data.get("codes"), dict):
                    corpus.licensed_descriptors = {str(k): str(v) for k, v in data["codes"].items()}
    finally:
        forget_overlays()
    corpus.drugs  # noqa: B018 (built now, so the snapshot holds it)
    return corpus
