"""A derived snapshot of the loaded corpus: the bundled records merged with every import, and the drug dictionary
over them, saved after a load so the next start reads it instead of rebuilding (issue 17 Speed: with every CMS file
imported a fresh build takes about 0.7 s, the snapshot about 0.1 s).

The snapshot is derived data, never a source: its key is a hash of everything the load reads (the bundled YAML
files, the imported overlays, the project's own code, the Python and pydantic versions), so an import, a corpus
edit or a code change gives a new key and the next load rebuilds it. It is written to a temporary file in the same
folder and renamed over the old one (a crash mid-write leaves the old snapshot or none, never a broken one); a
snapshot that cannot be read is ignored and rebuilt. It is a pickle: like the overlays and the edits database
beside it, it is trusted because the data directory is the application's own (whoever can write there can
already change what the assistant answers).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import pydantic

log = logging.getLogger(__name__)

SNAPSHOT_DIRNAME = "cache"
CORPUS_SNAPSHOT = "corpus.pickle"
# Bump when the snapshot's layout changes in a way the code hash would not show.
FORMAT = 1
_MAGIC = b"assistant-corpus-snapshot"
PACKAGE = Path(__file__).resolve().parent.parent  # the `assistant` package: its code shapes every record

T = TypeVar("T")


@lru_cache(maxsize=4)
def code_fingerprint(package: Path = PACKAGE) -> str:
    """A hash of the code (every `*.py` under `package`, names and contents) and of the interpreter and pydantic
    versions: a snapshot built by other code is never read. Computed once per process."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}|{sys.version}|{pydantic.VERSION}|{pickle.HIGHEST_PROTOCOL}".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def files_fingerprint(files: Iterable[Path], root: Path | None = None) -> str:
    """A hash of the files' names and contents (a missing file counts as missing, not as an error)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        name = str(path.relative_to(root)) if root is not None else path.name
        digest.update(name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing\0")
        digest.update(b"\0")
    return digest.hexdigest()


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Unpickling allocates some 200,000 objects and nothing to free: the cyclic garbage collector's passes over
    them would double the load time, so it waits until the load is done (then runs as usual)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _header(key: str) -> bytes:
    return _MAGIC + b" " + key.encode("ascii") + b"\n"


def read_snapshot(path: Path, key: str, kind: type[T]) -> T | None:
    """The object saved at `path` under `key`, or None when there is none, it has another key, or it cannot be
    read (a damaged snapshot is only logged: the caller rebuilds it)."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    header = _header(key)
    if not blob.startswith(header):
        return None
    try:
        with _collection_paused():
            value = pickle.loads(memoryview(blob)[len(header):])  # noqa: S301 (our own derived file, see above)
    except Exception as error:  # noqa: BLE001 (any damage means: rebuild)
        log.warning("ignoring the unreadable corpus snapshot %s (%s); rebuilding it", path, error)
        return None
    return value if isinstance(value, kind) else None


def write_snapshot(path: Path, key: str, value: object) -> bool:
    """Save `value` at `path` under `key`: written aside, then renamed over the old file. False (and logged) when
    it cannot be written (a read-only data directory): the caller just goes on without a snapshot."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(_header(key))
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
        temporary = None
        return True
    except Exception as error:  # noqa: BLE001 (a snapshot is an optimisation: never a reason to fail a load)
        log.warning("could not save the corpus snapshot %s (%s); the next start rebuilds it", path, error)
        return False
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def load_or_build(path: Path, key: str, kind: type[T], build: Callable[[], T]) -> T:
    """The snapshot at `path` when its key is `key`, else `build()` (saved for the next load)."""
    cached = read_snapshot(path, key, kind)
    if cached is not None:
        return cached
    value = build()
    write_snapshot(path, key, value)
    return value


def corpus_key(corpus_dir: Path, imports_dir: Path) -> str:
    """The key of a corpus snapshot: the code, the bundled YAML files and the imported overlays (`*.json`)."""
    bundled = sorted(path for path in corpus_dir.rglob("*") if path.suffix in (".yaml", ".yml") and path.is_file())
    imported = sorted(imports_dir.glob("*.json"))
    parts = (code_fingerprint(), files_fingerprint(bundled, corpus_dir), files_fingerprint(imported))
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()
