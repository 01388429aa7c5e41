"""The data-file importers by kind, and the import of files named in settings before the index refresh.

`python -m assistant import KIND PATH` runs one importer. `import_configured_files` imports the files named in
settings (ASSISTANT_HCPCS_FILE ...) once.

`python -m assistant index` (and so `make run`) calls `import_configured_files`: a file is imported when it is
named in settings and differs (path, size or modification time) from the one imported last time, so restarting
the app costs nothing and replacing the quarterly file is picked up on the next start.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from assistant.settings import Settings

# KIND -> "module:function". Each function takes (path, settings) and returns a one-line summary; bad rows raise
# ValueError subclasses naming the file and line. Imported lazily: each pulls in only its own layer.
IMPORTERS: dict[str, str] = {
    "hcpcs": "assistant.corpus.importers.hcpcs:import_hcpcs",
    "asp": "assistant.corpus.importers.asp:import_asp",
    "ndc": "assistant.corpus.importers.ndc:import_ndc",
    "cpt": "assistant.corpus.importers.cpt:import_cpt",
    "mue": "assistant.edits.importers:import_mue",
    "ptp": "assistant.edits.importers:import_ptp",
    "mue-oph": "assistant.edits.importers:import_mue_oph",
    "ptp-oph": "assistant.edits.importers:import_ptp_oph",
    "addon": "assistant.edits.importers:import_addon",
    "pfs": "assistant.edits.fees:import_pfs",
    "anesthesia-base": "assistant.units.anesthesia_base:import_anesthesia_base",
    "mcd": "assistant.coverage.importer:import_mcd",
}

LEDGER_NAME = "configured-imports.json"
# Settings field -> importer kind. Corpus overlays first (the index refresh that follows embeds them).
CONFIGURED_FILES: dict[str, str] = {
    "hcpcs_file": "hcpcs",
    "asp_file": "asp",
    "ndc_file": "ndc",
    "cpt_file": "cpt",
    "mue_file": "mue",
    "ptp_file": "ptp",
    "mue_oph_file": "mue-oph",
    "ptp_oph_file": "ptp-oph",
    "addon_file": "addon",
    "pfs_file": "pfs",
    "anesthesia_base_file": "anesthesia-base",
    "mcd_file": "mcd",
}


def importer_for(kind: str) -> Callable[[Path, Settings], str]:
    """The import function for a kind of file (one of IMPORTERS)."""
    module_name, function_name = IMPORTERS[kind].split(":")
    return getattr(importlib.import_module(module_name), function_name)


def _fingerprint(path: Path) -> dict[str, object]:
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def import_configured_files(settings: Settings) -> list[str]:
    """Import every configured file not yet imported in its current version; return one summary line each.

    A configured path that does not exist raises FileNotFoundError naming the setting, so a typo is not silent.
    Importer errors (ValueError naming file and line) propagate; the previous import keeps serving.
    """
    ledger_path = settings.resolved_data_dir / LEDGER_NAME
    ledger: dict[str, dict[str, object]] = json.loads(ledger_path.read_text()) if ledger_path.is_file() else {}
    summaries: list[str] = []
    for field, kind in CONFIGURED_FILES.items():
        configured: Path | None = getattr(settings, field)
        if configured is None:
            continue
        path = configured.expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"ASSISTANT_{field.upper()} names {path}, which is not a file")
        fingerprint = _fingerprint(path)
        if ledger.get(kind) == fingerprint:
            continue
        summaries.append(importer_for(kind)(path, settings))
        ledger[kind] = fingerprint
        temporary = ledger_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(ledger, indent=1, sort_keys=True))
        os.replace(temporary, ledger_path)
    return summaries
