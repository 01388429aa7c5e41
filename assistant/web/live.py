"""A running app picks up new imports and a new index generation without a restart (issue 24 item 6).

`LiveAssistant` wraps the Assistant the app was built with. At most every `check_seconds` (on a question or a
/healthz probe: a few `stat` calls) it compares what is on disk with what it serves: the corpus overlays of
`data_dir/imports/` (hcpcs, asp, ndc, cpt, anesthesia base units) and the index manifest (its generation). When
they changed (`python -m assistant import ...`, `python -m assistant index` in another process), a new Assistant is
built in a background thread from the same settings, sharing the loaded embedding model and the rephrasing model,
and swapped in whole once built: every answer comes from one consistent corpus, never half of each. The edits
tables need none of this (the store reads the committed SQLite tables live). `/healthz` says which releases and
index generation it serves.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from assistant.corpus.loader import load_corpus
from assistant.retrieval import build_retriever
from assistant.retrieval.index import manifest_path

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int], ...]


def _fingerprint(paths: list[Path]) -> Fingerprint:
    found = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


class LiveAssistant:
    """The current Assistant, rebuilt when the imports or the index generation on disk change (see above)."""

    def __init__(self, assistant: Any, check_seconds: float = 5.0) -> None:
        self.current = assistant
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._checked_at = time.monotonic()
        self._building: threading.Thread | None = None
        self.reloads = 0
        self._served = self._disk()
        self._releases = self._read_releases()

    # --- what is on disk --------------------------------------------------------------------------------------
    def _watched(self) -> list[Path]:
        settings = getattr(self.current, "settings", None)
        if settings is None:
            return []

        imports = settings.resolved_data_dir / "imports"
        overlays = sorted(imports.glob("*.json")) if imports.is_dir() else []
        return [*overlays, manifest_path(settings)]

    def _disk(self) -> Fingerprint:
        return _fingerprint(self._watched())

    def _read_releases(self) -> dict[str, Any]:
        """Release and source file of each imported overlay, and the index generation on disk (for /healthz)."""
        releases: dict[str, Any] = {}
        generation = None
        for path in self._watched():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if path.name.startswith("manifest-"):
                generation = {"active": data.get("active"), "generation": data.get("generation")}
            else:
                releases[path.stem] = {"release": data.get("release"), "file": data.get("file") or data.get("source"),
                                       "imported_at": data.get("imported_at")}
        return {"imports": releases, "index": generation}

    # --- reloading ----------------------------------------------------------------------------------------------
    def check(self, *, wait: bool = False) -> bool:
        """Start a rebuild when the disk changed since what is served (at most every check_seconds unless
        `wait`); with `wait`, build now and return once swapped. True when a rebuild started or ran."""
        now = time.monotonic()
        if not wait and now - self._checked_at < self.check_seconds:
            return False
        self._checked_at = now
        seen = self._disk()
        if seen == self._served:
            return False
        if self._only_our_own_index(seen):
            self._served, self._releases = seen, self._read_releases()
            return False
        with self._lock:
            if self._building is not None and self._building.is_alive():
                if wait:
                    self._building.join()
                return True
            self._building = threading.Thread(target=self._rebuild, args=(seen,), name="assistant-reload",
                                              daemon=True)
            self._building.start()
            building = self._building
        if wait:
            building.join()
        return True

    def _only_our_own_index(self, seen: Fingerprint) -> bool:
        """True when only the manifest changed and it names the generation the current retriever already serves
        (this process's own warm-up built it): nothing to reload."""
        changed = set(seen) ^ set(self._served)
        if not changed or any(not name.startswith("manifest-") for name, _, _ in changed):
            return False
        try:
            status = self.current.retriever.index_status()
        except Exception:  # noqa: BLE001 (no retriever or a broken one: reload to be safe)
            return False
        active = (self._read_releases().get("index") or {}).get("active")
        return bool(active) and status.get("collection") == active

    def _rebuild(self, seen: Fingerprint) -> None:
        old = self.current
        try:
            settings = old.settings
            corpus = load_corpus(settings)
            shared = getattr(getattr(old, "retriever", None), "embeddings", None)
            retriever = build_retriever(settings, corpus, lazy=True, embeddings=shared)
            edits, chat_model = getattr(old, "edits", None), getattr(old, "chat_model", None)
            fresh = type(old)(settings, corpus, retriever, edits, chat_model)
            if shared is not None:
                retriever.warm_up()  # the model is loaded already: only the index and BM25 before the swap
        except Exception:  # noqa: BLE001 (a failed reload keeps serving the old corpus, and says so in the log)
            log.exception("reloading the corpus and index after a change on disk failed; the old ones keep serving")
            self._served = seen  # not retried until the disk changes again
            return
        self.current = fresh
        self._served = seen
        self._releases = self._read_releases()
        self.reloads += 1
        log.info("reloaded the corpus and index after a change on disk (%d records)", len(corpus))

    # --- the assistant's interface ------------------------------------------------------------------------------
    def ask(self, *args: Any, **kwargs: Any) -> Any:
        self.check()
        return self.current.ask(*args, **kwargs)

    def health(self) -> dict[str, Any]:
        self.check()
        report = dict(self.current.health()) if hasattr(self.current, "health") else {}
        report["serving"] = {**self._releases, "reloads": self.reloads}
        return report

    def __getattr__(self, name: str) -> Any:  # router, corpus, retriever, edits ...: the current assistant's
        return getattr(self.current, name)
