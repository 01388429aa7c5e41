"""The MCD coverage tables in SQLite, and the look-ups a coverage answer needs.

Chain for "is CODE covered for DX in STATE" (CMS MCD data dictionary; /work notes mcd.md): state -> the
contractors whose current jurisdiction includes it -> the billing articles of those contractors -> the article's
HCPCS/CPT rows (the code, or a range holding it) -> the article's covered groups and non-covered list (the
diagnosis, or a range holding it) -> the group paragraphs ("billed with" rules). Only the newest version of each
article is read. "Not listed" is never "not covered": an NCD, another article or no policy at all may apply.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

STORE_NAME = "coverage.sqlite3"
# Words of contractor names that name no one contractor ("First Coast Service Options", "National Government
# Services"): never enough alone to pick a MAC.
_GENERIC_NAME_WORDS = frozenset(("national", "first", "government", "services", "service", "solutions", "healthcare",
                                 "health", "medicare", "administrators", "options", "insurance", "corporation"))
SOURCE = "CMS Medicare Coverage Database (MCD) downloads, billing articles (LCD articles)"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE article (article_id INTEGER, article_version INTEGER, title TEXT, status TEXT, effective TEXT,
                      ends TEXT, PRIMARY KEY (article_id, article_version));
CREATE TABLE article_hcpc (article_id INTEGER, article_version INTEGER, code_low TEXT, code_high TEXT,
                           code_group INTEGER, description TEXT);
CREATE TABLE article_covered (article_id INTEGER, article_version INTEGER, code_low TEXT, code_high TEXT,
                              code_group INTEGER, description TEXT);
CREATE TABLE article_noncovered (article_id INTEGER, article_version INTEGER, code_low TEXT, code_high TEXT,
                                 code_group INTEGER, description TEXT);
CREATE TABLE article_group (article_id INTEGER, article_version INTEGER, kind TEXT, code_group INTEGER,
                            paragraph TEXT);
CREATE TABLE article_lcd (article_id INTEGER, article_version INTEGER, lcd_id INTEGER);
CREATE TABLE lcd (lcd_id INTEGER, lcd_version INTEGER, title TEXT, PRIMARY KEY (lcd_id, lcd_version));
CREATE TABLE contractor (contractor_id INTEGER, contractor_type_id INTEGER, contractor_version INTEGER, name TEXT,
                         number TEXT, PRIMARY KEY (contractor_id, contractor_type_id, contractor_version));
CREATE TABLE article_contractor (article_id INTEGER, article_version INTEGER, contractor_id INTEGER,
                                 contractor_type_id INTEGER, contractor_version INTEGER);
CREATE TABLE lcd_contractor (lcd_id INTEGER, lcd_version INTEGER, contractor_id INTEGER, contractor_type_id INTEGER,
                             contractor_version INTEGER);
CREATE TABLE contractor_state (contractor_id INTEGER, contractor_type_id INTEGER, contractor_version INTEGER,
                               state_id INTEGER);
CREATE TABLE state (state_id INTEGER PRIMARY KEY, abbrev TEXT, name TEXT);
"""


@dataclass(frozen=True)
class ArticleMatch:
    """A billing article of the state's contractor that lists the procedure code, and what it says of the dx."""

    article_id: int
    version: int
    title: str
    effective: str
    ends: str
    contractors: tuple[str, ...]
    code_group: int
    diagnosis_status: str = ""  # "covered", "non-covered", "not listed" (with a diagnosis asked), else ""
    diagnosis_group: int = 0
    group_rule: str = ""  # the covered (or non-covered) group's paragraph
    code_rule: str = ""  # the HCPCS group's paragraph
    lcds: tuple[int, ...] = ()

    @property
    def number(self) -> str:
        return f"A{self.article_id}"


@dataclass(frozen=True)
class DiagnosisListing:
    """One page of an article's covered diagnoses."""

    article: ArticleMatch
    rows: tuple[tuple[str, int, str], ...]  # (code or range, group, description)
    total: int
    offset: int = 0
    groups: dict[int, str] = field(default_factory=dict)


def _bare(code: str) -> str:
    return code.upper().replace(".", "").strip()


class CoverageStore:
    """Read-only look-ups over `coverage.sqlite3` (written by `assistant.coverage.importer.import_mcd`)."""

    INDEXES = """
    CREATE TABLE article_current AS SELECT article_id, MAX(article_version) AS article_version FROM article
        GROUP BY article_id;
    CREATE UNIQUE INDEX article_current_key ON article_current (article_id, article_version);
    CREATE INDEX article_hcpc_code ON article_hcpc (code_low);
    CREATE INDEX article_hcpc_ranges ON article_hcpc (code_low, code_high) WHERE code_low <> code_high;
    CREATE INDEX article_covered_key ON article_covered (article_id, article_version, code_low);
    CREATE INDEX article_noncovered_key ON article_noncovered (article_id, article_version, code_low);
    CREATE INDEX article_group_key ON article_group (article_id, article_version, kind, code_group);
    CREATE INDEX article_contractor_key ON article_contractor (article_id, article_version);
    CREATE INDEX contractor_state_key ON contractor_state (state_id);
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> CoverageStore:
        return cls(Path(data_dir) / STORE_NAME)

    def _db(self) -> sqlite3.Connection:
        # A new import replaces the file (os.replace): reopen when it changed, so a running app reads the new one.
        stamp = self.path.stat().st_mtime_ns
        connection = getattr(self._local, "connection", None)
        if connection is None or getattr(self._local, "stamp", None) != stamp:
            if connection is not None:
                connection.close()
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.connection, self._local.stamp = connection, stamp
        return connection

    @property
    def loaded(self) -> bool:
        return self.path.exists()

    def info(self) -> dict[str, str]:
        if not self.loaded:
            return {}
        return dict(self._db().execute("SELECT key, value FROM meta").fetchall())

    def state_id(self, state: str) -> int | None:
        """The MCD state id of a two-letter abbreviation or a state name ("TX", "Texas")."""
        row = self._db().execute("SELECT state_id FROM state WHERE abbrev = ? OR lower(name) = ?",
                                 (state.upper(), state.casefold())).fetchone()
        return int(row[0]) if row else None

    def _contractor_ids(self, where: str) -> list[int]:
        """The contractors a state's claims go to (current jurisdictions), or the contractor named `where` (a MAC's
        name as `mac_in` returns it)."""
        db = self._db()
        state_id = self.state_id(where)
        if state_id is not None:
            return [int(i) for (i,) in db.execute(
                "SELECT DISTINCT contractor_id FROM contractor_state WHERE state_id = ?", (state_id,))]
        return [int(i) for (i,) in db.execute(
            "SELECT DISTINCT contractor_id FROM contractor WHERE lower(name) = ?", (where.casefold(),))]

    def mac_in(self, text: str) -> str | None:
        """The contractor (MAC) a question names, by the first word of its name ("Novitas", "Noridian", "Palmetto"),
        its first two words ("First Coast") or its initials in capitals ("NGS", "WPS", "CGS"); None when none or
        several different contractors match. A state name is never read as a MAC (chat reads states first)."""
        words = set(re.findall(r"[a-z]+", text.casefold()))
        phrase = " ".join(re.findall(r"[a-z]+", text.casefold()))
        capitals = set(re.findall(r"\b[A-Z]{3,5}\b", text))
        found = set()
        for (name,) in self._db().execute("SELECT DISTINCT name FROM contractor"):
            parts = re.findall(r"[A-Za-z]+", str(name))
            if not parts:
                continue
            first = parts[0].casefold()
            initials = "".join(p[0] for p in parts[:3]).upper()
            if (first in words and len(first) >= 4 and first not in _GENERIC_NAME_WORDS) or (
                    len(parts) > 1 and f" {parts[0]} {parts[1]} ".casefold() in f" {phrase} ") or (
                    initials in capitals) or (parts[0].isupper() and parts[0] in capitals):
                found.add(str(name))
        return found.pop() if len(found) == 1 else None

    def contractors(self, where: str) -> list[str]:
        """The contractors (MACs) for a state (current jurisdictions) or the one named, as "name (number)"."""
        ids = self._contractor_ids(where)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._db().execute(
            f"SELECT DISTINCT name, number FROM contractor WHERE contractor_id IN ({marks}) ORDER BY name",  # noqa: S608 (placeholders only)
            ids).fetchall()
        return [f"{name} ({number})" if number else name for name, number in rows]

    def articles_for_code(self, code: str, where: str, diagnosis: str | None = None) -> list[ArticleMatch]:
        """The current billing articles of the state's contractors (or of the MAC named `where`) that list `code`
        (or a range holding it), each with the diagnosis's status in it when one is asked."""
        ids = self._contractor_ids(where)
        if not ids:
            return []
        bare = _bare(code)
        # A code is listed alone (code_low = code_high: an index equality) or inside a range (few rows, their own
        # partial index): two exact look-ups instead of a scan of every row below the code.
        rows = self._db().execute(
            f"""WITH hits AS (
                   SELECT article_id, article_version, code_group FROM article_hcpc WHERE code_low = ?
                   UNION SELECT article_id, article_version, code_group FROM article_hcpc
                         WHERE code_low <> code_high AND code_low <= ? AND code_high >= ?)
               SELECT DISTINCT a.article_id, a.article_version, a.title, a.effective, a.ends, h.code_group
               FROM hits h
               JOIN article_current cur ON cur.article_id = h.article_id AND cur.article_version = h.article_version
               JOIN article a ON a.article_id = h.article_id AND a.article_version = h.article_version
               JOIN article_contractor ac ON ac.article_id = a.article_id AND ac.article_version = a.article_version
               WHERE ac.contractor_id IN ({",".join("?" * len(ids))})
               ORDER BY a.article_id""", (bare, bare, bare, *ids)).fetchall()
        return [self._match(*row, diagnosis=diagnosis) for row in rows]

    def _match(self, article_id: int, version: int, title: str, effective: str, ends: str, code_group: int,
               diagnosis: str | None) -> ArticleMatch:
        db = self._db()
        contractors = tuple(name for (name,) in db.execute(
            "SELECT DISTINCT c.name FROM article_contractor ac JOIN contractor c USING (contractor_id, "
            "contractor_type_id, contractor_version) WHERE ac.article_id = ? AND ac.article_version = ? ORDER BY 1",
            (article_id, version)))
        lcds = tuple(lcd for (lcd,) in db.execute(
            "SELECT DISTINCT lcd_id FROM article_lcd WHERE article_id = ? AND article_version = ? ORDER BY 1",
            (article_id, version)))
        status, group, rule = "", 0, ""
        if diagnosis:
            status, group = self._diagnosis_status(article_id, version, _bare(diagnosis))
            if status in ("covered", "non-covered"):
                rule = self.paragraph(article_id, version, "covered" if status == "covered" else "noncovered", group)
        code_rule = self.paragraph(article_id, version, "hcpc", code_group) if code_group else ""
        return ArticleMatch(article_id=article_id, version=version, title=title, effective=effective, ends=ends,
                            contractors=contractors, code_group=code_group, diagnosis_status=status,
                            diagnosis_group=group, group_rule=rule, code_rule=code_rule, lcds=lcds)

    def _diagnosis_status(self, article_id: int, version: int, bare: str) -> tuple[str, int]:
        db = self._db()
        for table, status in (("article_covered", "covered"), ("article_noncovered", "non-covered")):
            row = db.execute(
                f"SELECT code_group FROM {table} WHERE article_id = ? AND article_version = ? AND code_low = ? "  # noqa: S608 (table from a fixed pair)
                f"UNION SELECT code_group FROM {table} WHERE article_id = ? AND article_version = ? "  # noqa: S608
                "AND code_low <> code_high AND code_low <= ? AND code_high >= ? ORDER BY 1 LIMIT 1",
                (article_id, version, bare, article_id, version, bare, bare)).fetchone()
            if row is not None:
                return status, int(row[0])
        return "not listed", 0

    def paragraph(self, article_id: int, version: int, kind: str, group: int) -> str:
        row = self._db().execute(
            "SELECT paragraph FROM article_group WHERE article_id = ? AND article_version = ? AND kind = ? AND "
            "code_group = ?", (article_id, version, kind, group)).fetchone()
        return str(row[0]) if row else ""

    def covered_diagnoses(self, article: ArticleMatch, offset: int = 0, limit: int = 25) -> DiagnosisListing:
        """One page of the article's covered diagnoses (group, then code), with the groups' paragraphs."""
        db = self._db()
        key = (article.article_id, article.version)
        total = int(db.execute("SELECT COUNT(*) FROM article_covered WHERE article_id = ? AND article_version = ?",
                               key).fetchone()[0])
        rows = db.execute(
            "SELECT code_low, code_high, code_group, description FROM article_covered WHERE article_id = ? AND "
            "article_version = ? ORDER BY code_group, code_low LIMIT ? OFFSET ?", (*key, limit, offset)).fetchall()
        groups = {int(g): str(p) for g, p in db.execute(
            "SELECT code_group, paragraph FROM article_group WHERE article_id = ? AND article_version = ? AND "
            "kind = 'covered' ORDER BY code_group", key)}
        shown = tuple((low if low == high else f"{low}-{high}", int(group), str(description))
                      for low, high, group, description in rows)
        return DiagnosisListing(article=article, rows=shown, total=total, offset=offset, groups=groups)
